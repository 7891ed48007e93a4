#!/usr/bin/env node
/**
 * Builds better-sqlite3 for Electron's ABI into native/electron/better_sqlite3.node, beside (never
 * over) the Node build in node_modules that the tests and the CLI use. The app opens its database
 * with that file (better-sqlite3's `nativeBinding`); electron-builder ships it as an extra resource
 * (npmRebuild stays off). Runs before `npm start` and `npm run dist`, never during npm install.
 *
 * Works in a temporary copy of the package: first a prebuilt binary for this Electron version
 * (prebuild-install), else a compile with node-gyp against Electron's headers. The `nodedir`
 * npm setting is removed from the environment, since it would make node-gyp build against Node's
 * headers while stamping the result as Electron's ABI.
 * Exit code 0 when native/electron holds a build for this Electron version, 1 otherwise.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// fileURLToPath, not URL.pathname: that keeps %20 for spaces and a leading /C: on Windows
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const electronVersion = JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')).version;
const outDir = join(root, 'native/electron');
const stamp = join(outDir, 'electron-version.txt');
const target = join(outDir, 'better_sqlite3.node');

if (existsSync(target) && existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === electronVersion) process.exit(0);

const env = { ...process.env };
for (const k of Object.keys(env)) if (/^npm_config_nodedir$/i.test(k) || /^nodedir$/i.test(k)) delete env[k];
env.npm_config_nodedir = '';

const work = mkdtempSync(join(tmpdir(), 'nnlab-electron-native-'));
const pkgDir = join(work, 'better-sqlite3');
cpSync(dirname(require.resolve('better-sqlite3/package.json')), pkgDir, { recursive: true, filter: (src) => !src.includes(`${'build'}/Release/obj`) });
rmSync(join(pkgDir, 'build'), { recursive: true, force: true });

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: pkgDir, env, stdio: ['ignore', 'inherit', 'inherit'] });
  return r.status === 0;
}

const log = (s) => process.stderr.write(`electron-native: ${s}\n`);
log(`building better-sqlite3 for Electron ${electronVersion} (${process.platform}-${process.arch})`);
let ok = false;
try {
  const prebuild = require.resolve('prebuild-install/bin.js');
  ok = run(process.execPath, [prebuild, '--runtime', 'electron', '--target', electronVersion, '--arch', process.arch, '--verbose']);
} catch {
  log('prebuild-install is not available; compiling instead');
}
if (!ok) {
  const nodeGyp = env.npm_config_node_gyp || (() => {
    try {
      return require.resolve('node-gyp/bin/node-gyp.js');
    } catch {
      return null;
    }
  })();
  if (nodeGyp) ok = run(process.execPath, [nodeGyp, 'rebuild', '--release', '--runtime=electron', `--target=${electronVersion}`, '--dist-url=https://electronjs.org/headers']);
  else log('node-gyp not found (run this through npm: npm run electron:native)');
}
const built = join(pkgDir, 'build/Release/better_sqlite3.node');
if (ok && existsSync(built)) {
  mkdirSync(outDir, { recursive: true });
  copyFileSync(built, target);
  writeFileSync(stamp, `${electronVersion}\n`);
  log(`wrote ${target}`);
}
rmSync(work, { recursive: true, force: true });
process.exit(ok && existsSync(target) ? 0 : 1);
