#!/usr/bin/env node
/**
 * Builds better-sqlite3 for Electron's ABI into native/electron/<arch>/better_sqlite3.node, beside (never
 * over) the Node build in node_modules that the tests and the CLI use. The app opens its database
 * with that file (better-sqlite3's `nativeBinding`); electron-builder ships it as an extra resource
 * (npmRebuild stays off). Runs before `npm start` and `npm run dist`, never during npm install.
 *
 * Works in a temporary copy of the package: first a prebuilt binary for this Electron version
 * (prebuild-install), else a compile with node-gyp against Electron's headers. The `nodedir`
 * npm setting is removed from the environment, since it would make node-gyp build against Node's
 * headers while stamping the result as Electron's ABI.
 * When neither works it says so in one paragraph — what each attempt met and what to do — with the
 * tools' own output only under --verbose. Mirrors: NNLAB_ELECTRON_PREBUILT_HOST (where prebuilt
 * binaries are downloaded from) and NNLAB_ELECTRON_HEADERS_URL (Electron's headers for node-gyp);
 * --arch A builds for another architecture than this machine's (macOS builds x64 and arm64
 * installers: electron-builder takes native/electron/${arch}); --out DIR writes elsewhere.
 * Exit code 0 when the folder holds a build for this Electron version, 1 otherwise.
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
const args = process.argv.slice(2);
const verbose = args.includes('--verbose');
const outAt = args.indexOf('--out');
const archAt = args.indexOf('--arch');
const arch = archAt >= 0 && args[archAt + 1] ? args[archAt + 1] : process.arch;
const outDir = outAt >= 0 && args[outAt + 1] ? resolve(args[outAt + 1]) : join(root, 'native/electron', arch);
const headersUrl = process.env.NNLAB_ELECTRON_HEADERS_URL || 'https://electronjs.org/headers';
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

/** Runs a tool quietly (its output shown under --verbose); returns whether it worked and the gist of why not. */
function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: pkgDir, env, encoding: 'utf8', stdio: ['ignore', verbose ? 'inherit' : 'pipe', verbose ? 'inherit' : 'pipe'] });
  const out = `${r.stdout ?? ''}\n${r.stderr ?? ''}`;
  return { ok: r.status === 0, why: r.error?.message ?? gist(out) };
}

/** The line of a tool's output that says what went wrong, in plain words where we know the case. */
function gist(out) {
  if (/ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|network connectivity|getaddrinfo/i.test(out)) return 'no network connection to the download server';
  if (/No prebuilt binaries found|404/i.test(out)) return 'no prebuilt binary for this Electron version and platform';
  if (/not find any Visual Studio|xcrun: error|make: not found|g\+\+: not found|No such file or directory: 'c\+\+'|cc: command not found/i.test(out)) return 'no C++ compiler (build-essential on Linux, Xcode command-line tools on macOS, Visual Studio with C++ on Windows)';
  const lines = out.split('\n').map((l) => l.trim()).filter((l) => l && !/^gyp (info|http)|stack/.test(l));
  return lines.find((l) => /ERR!|error/i.test(l)) ?? lines.pop() ?? 'failed without saying why';
}

const log = (s) => process.stderr.write(`electron-native: ${s}\n`);
log(`building better-sqlite3 for Electron ${electronVersion} (${process.platform}-${arch})`);
let ok = false;
const tried = [];
try {
  const prebuild = require.resolve('prebuild-install/bin.js');
  const host = process.env.NNLAB_ELECTRON_PREBUILT_HOST ? ['--download', process.env.NNLAB_ELECTRON_PREBUILT_HOST] : [];
  const r = run(process.execPath, [prebuild, '--runtime', 'electron', '--target', electronVersion, '--arch', arch, ...host, '--verbose']);
  ok = r.ok;
  if (!ok) tried.push(`a prebuilt binary: ${r.why}`);
} catch {
  tried.push('a prebuilt binary: prebuild-install is not installed');
}
if (!ok) {
  const nodeGyp = env.npm_config_node_gyp || (() => {
    try {
      return require.resolve('node-gyp/bin/node-gyp.js');
    } catch {
      return null;
    }
  })();
  if (nodeGyp) {
    const r = run(process.execPath, [nodeGyp, 'rebuild', '--release', '--runtime=electron', `--target=${electronVersion}`, `--arch=${arch}`, `--dist-url=${headersUrl}`]);
    ok = r.ok;
    if (!ok) tried.push(`compiling it against Electron's headers (${headersUrl}): ${r.why}`);
  } else tried.push('compiling it: node-gyp is not installed (run this through npm: npm run electron:native)');
}
const built = join(pkgDir, 'build/Release/better_sqlite3.node');
if (ok && existsSync(built)) {
  mkdirSync(outDir, { recursive: true });
  copyFileSync(built, target);
  writeFileSync(stamp, `${electronVersion}\n`);
  log(`wrote ${target}`);
}
rmSync(work, { recursive: true, force: true });
if (!(ok && existsSync(target))) {
  log(
    `could not make better-sqlite3 for Electron ${electronVersion} on ${process.platform}-${arch}. Tried ${tried.join('; then ')}. ` +
      'The desktop app needs it: connect this machine to the network (prebuilt binaries come from GitHub releases, the headers from electronjs.org; ' +
      'NNLAB_ELECTRON_PREBUILT_HOST and NNLAB_ELECTRON_HEADERS_URL name mirrors), or install a C++ toolchain and run npm run electron:native again ' +
      '(--verbose shows the tools\' output). The command line and browser mode (npx nnlab serve) work without it.',
  );
  process.exit(1);
}
process.exit(0);
