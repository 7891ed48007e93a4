// What the in-browser bench scripts share: playwright-core and the bench's own checks from one
// checkout (NNLAB_TREE, else the checkout these notes are in), `nnlab serve` of a build on a
// database, and a headless Chromium launched as the bench launches it.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const tree = process.env.NNLAB_TREE ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const { chromium } = await import(path.join(tree, 'node_modules/playwright-core/index.mjs'));

// "complete" and "runs shown" are bench-ui.ts's own page checks, read from its source so that the
// scripts measure what `nnlab bench --ui` measures
const benchUi = fs.readFileSync(path.join(tree, 'src-main/cli/bench-ui.ts'), 'utf8');
const grab = (name) => benchUi.match(new RegExp(`const ${name} = \`([\\s\\S]*?)\`;`))[1].replace(/\\\\/g, '\\');
export const COMPLETE = grab('COMPLETE');
export const RUNS_SHOWN = grab('RUNS_SHOWN');

/** `nnlab serve` of the build in ROOT on DB; resolves to its URL and the child once it printed the URL. */
export const serve = (root, db) => new Promise((done) => {
  const child = spawn(process.execPath, [path.join(root, 'bin/nnlab.js'), 'serve', '--db', db, '--workers', '1'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (c) => { out += c; if (out.includes('\n')) done({ url: out.split('\n')[0].trim(), child }); });
});

export const launch = () => chromium.launch({ executablePath: process.env.NNLAB_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'] });
