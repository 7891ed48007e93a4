/**
 * package.json's `allowScripts` decides every dependency's install script. npm 12 runs a
 * dependency's preinstall, install or postinstall only when `allowScripts` allows it (npm 11.16+
 * runs them all and warns), so a dependency whose script is not listed installs without it:
 * better-sqlite3 without its binding, and with it the CLI, the tests and `npm start`. Read from
 * package-lock.json (`hasInstallScript`), so a new dependency with a script fails here, not on a
 * user's npm 12; and asked of the npm that runs the tests, where it has the policy.
 *
 * The keys are bare names, not pinned `name@version`: the lockfile records no `resolved` URLs, and
 * `npm ci` refuses a pinned allow whose version it cannot read from one (seen with npm 12.2.2: a
 * `core-js@3.29.1: true` still blocked). The lockfile's versions and integrity hashes pin what runs.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli';

interface LockEntry {
  name?: string;
  version?: string;
  hasInstallScript?: boolean;
}

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const lock: Record<string, LockEntry> = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')).packages;
const allowScripts: Record<string, unknown> = pkg.allowScripts ?? {};

/** Why each entry says what it says: what the script does, read in the installed package. */
const WHY: Record<string, string> = {
  'better-sqlite3': 'true: builds (or fetches) the SQLite binding every run is stored with',
  esbuild: 'true: checks its platform binary (@esbuild/*) and fetches it from the registry if missing; tsx and vite run it',
  'msgpackr-extract': 'true: builds the native msgpack decoder where no prebuilt one fits (bullmq’s msgpackr; optional)',
  'electron-winstaller': 'true: copies its 7-Zip for this architecture (electron-builder’s Windows packaging)',
  'onnxruntime-node': 'false: downloads the CUDA providers from NuGet; the CPU binding the ONNX tests use ships in the package',
  'core-js': 'false: prints a donation banner (tfjs’s and jspdf’s polyfills need nothing from it)',
  protobufjs: 'false: makes cli/node_modules for its pbjs command where missing and warns on a version scheme (onnx-proto needs neither)',
};

/** name@version of every package in the lockfile with an install script. */
function withInstallScripts(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [at, entry] of Object.entries(lock)) {
    if (!at || !entry.hasInstallScript) continue;
    const name = entry.name ?? at.slice(at.lastIndexOf('node_modules/') + 'node_modules/'.length);
    out.set(name, [...(out.get(name) ?? []), `${name}@${entry.version}`]);
  }
  return out;
}

describe('allowScripts (npm 12 runs only the install scripts it allows)', () => {
  const scripted = withInstallScripts();

  it('finds the install scripts in the lockfile', () => {
    expect(scripted.has('better-sqlite3')).toBe(true);
  });

  it('decides every package in package-lock.json that has an install script', () => {
    const undecided = [...scripted].filter(([name]) => !(name in allowScripts)).flatMap(([, at]) => at);
    expect(undecided, 'not in package.json allowScripts (npm 12 skips their scripts)').toEqual([]);
  });

  it('names only packages that have one (no stale entries)', () => {
    expect(Object.keys(allowScripts).filter((key) => !scripted.has(key))).toEqual([]);
  });

  it('each entry is a bare package name, true or false, with its reason above', () => {
    for (const [key, value] of Object.entries(allowScripts)) {
      expect(key, 'a bare name: npm ci cannot check a pinned version against this lockfile').toMatch(/^(@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*$/);
      expect(typeof value, key).toBe('boolean');
      expect(WHY[key], `the reason for ${key}`).toMatch(new RegExp(`^${value}: `));
    }
    expect(Object.keys(WHY).filter((key) => !(key in allowScripts))).toEqual([]);
  });

  it('the npm running this finds no install script pending review in node_modules', (ctx) => {
    // the npm of `npm test` (npm_execpath), else the one on PATH
    const execpath = process.env.npm_execpath;
    const [cmd, args] = execpath && /npm-cli\.js$/.test(execpath) ? [process.execPath, [execpath]] : ['npm', []];
    const r = spawnSync(cmd, [...args, 'install-scripts', 'ls', '--json'], { cwd: ROOT, encoding: 'utf8', shell: cmd === 'npm' && process.platform === 'win32' });
    const version = spawnSync(cmd, [...args, '--version'], { encoding: 'utf8', shell: cmd === 'npm' && process.platform === 'win32' }).stdout.trim();
    if (r.status !== 0 && /Unknown command/i.test(`${r.stdout}${r.stderr}`)) {
      // npm before 11.16 has no install-script policy: it runs every script (.npmrc keeps onnxruntime-node's off)
      ctx.skip(`npm ${version} has no install-script policy to ask (npm 11.16+ has): the lockfile checks above ran`);
    }
    expect(r.status, `npm ${version} install-scripts ls: ${r.stderr}`).toBe(0);
    const pending = (JSON.parse(r.stdout).allowScripts ?? []) as { name: string; changes: { key: string; change: string }[] }[];
    expect(pending.flatMap((p) => p.changes.map((c) => `${c.key} ${c.change}`))).toEqual([]);
  });
});
