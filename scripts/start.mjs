#!/usr/bin/env node
/**
 * `npm start`: opens the desktop app, or — where the Electron binary cannot be obtained or the
 * Electron build of the database driver cannot be made — says so in one paragraph and starts
 * browser mode instead (`nnlab serve`), which prints the URL to open.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// fileURLToPath, not URL.pathname: that keeps %20 for spaces and a leading /C: on Windows
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const electronDir = join(root, 'node_modules/electron');

function electronBinary() {
  const pathFile = join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const bin = join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(bin) ? bin : null;
}

/** Why Electron's installer may not run on this Node: its own `engines` (the desktop toolchain's), or ''. */
function toolchainNodeNote() {
  try {
    const wanted = JSON.parse(readFileSync(join(electronDir, 'package.json'), 'utf8')).engines?.node;
    const semver = createRequire(join(root, 'package.json'))('semver');
    if (wanted && !semver.satisfies(process.versions.node, wanted)) return ` Electron's installer needs Node ${wanted.replace(/\s+/g, '')} and this is Node ${process.versions.node}.`;
  } catch {
    // no electron package or no semver: nothing more to say than the download failure
  }
  return '';
}

function ensureBuilt() {
  if (existsSync(join(root, 'out/main/index.js')) && existsSync(join(root, 'out/renderer/index.html'))) return;
  const r = spawnSync(process.execPath, [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

function browserMode(reason) {
  process.stdout.write(
    `nnlab: ${reason} So the desktop window cannot open on this machine; starting browser mode instead. ` +
      'Open the URL below in a browser (it carries a one-time access token); your runs are saved in the same database the app uses. ' +
      'Press Ctrl+C to stop.\n',
  );
  // `nnlab serve` in this very process, not a child: however this process ends (Ctrl+C, a kill,
  // a closed terminal, Task Manager on Windows), the server ends with it, and its trainer
  // processes follow when their IPC channel closes
  process.argv = [process.argv[0], join(root, 'bin/nnlab.js'), 'serve', ...process.argv.slice(2)];
  createRequire(join(root, 'package.json'))(join(root, 'out/main/cli.js'));
}

ensureBuilt();
let bin = electronBinary();
if (!bin && existsSync(join(electronDir, 'install.js'))) {
  // Electron downloads its binary on first use; try once, quietly
  spawnSync(process.execPath, [join(electronDir, 'install.js')], { stdio: 'ignore', timeout: 300_000 });
  bin = electronBinary();
}
if (!bin) {
  browserMode(`the Electron binary could not be downloaded (no network access to its release files?).${toolchainNodeNote()}`);
} else {
  const native = spawnSync(process.execPath, [join(root, 'scripts/electron-native.mjs')], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (native.status !== 0) {
    browserMode('the Electron build of the database driver (better-sqlite3) could not be made.');
  } else {
    const app = spawn(bin, [root], { stdio: 'inherit' });
    app.on('exit', (code) => process.exit(code ?? 0));
  }
}
