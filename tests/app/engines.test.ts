/**
 * `engines` says what is true for each part: package.json's `engines.node` is the range the CLI
 * (its runtime dependencies) and the build and test tools all declare; the desktop toolchain
 * (electron, electron-builder and what they pull in) needs what electron itself declares, which
 * scripts/start.mjs names when Electron's download fails. Read from package-lock.json, so an
 * upgrade that narrows a range fails here instead of warning EBADENGINE on a user's machine.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli';

interface LockEntry {
  version?: string;
  cpu?: string[];
  engines?: { node?: string };
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const lock: Record<string, LockEntry> = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')).packages;

/** Where `name` resolves from the package at lock path `from` (Node's walk up node_modules). */
function resolveIn(from: string, name: string): string | null {
  let base = from;
  for (;;) {
    const candidate = `${base ? `${base}/` : ''}node_modules/${name}`;
    if (lock[candidate]) return candidate;
    if (!base) return null;
    const i = base.lastIndexOf('/node_modules/');
    base = i < 0 ? '' : base.slice(0, i);
  }
}

/** Lock paths of `roots` and everything they depend on (optional dependencies included). */
function closure(roots: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const stack = roots.map((r) => `node_modules/${r}`);
  while (stack.length) {
    const at = stack.pop()!;
    if (seen.has(at) || !lock[at]) continue;
    seen.add(at);
    for (const dep of Object.keys({ ...lock[at].dependencies, ...lock[at].optionalDependencies })) {
      const found = resolveIn(at, dep);
      // rolldown's WebAssembly fallback, for platforms it has no native binding for: not ours
      if (found && lock[found].cpu?.join() !== 'wasm32') stack.push(found);
    }
  }
  return seen;
}

/** The packages in `paths` whose declared Node range does not contain all of `range`. */
function narrower(paths: Iterable<string>, range: string, exempt: Record<string, string> = {}): string[] {
  const out: string[] = [];
  for (const at of paths) {
    const name = at.slice(at.lastIndexOf('node_modules/') + 'node_modules/'.length);
    const declared = lock[at].engines?.node;
    if (!declared || name in exempt) continue;
    if (!semver.subset(range, declared)) out.push(`${name}@${lock[at].version} wants ${declared}`);
  }
  return out;
}

/** What the build and the tests run: the bundler, the test runner, the type checkers, the browser driver. */
const TOOLS = ['electron-vite', 'vite', 'vitest', '@vitejs/plugin-vue', 'vue', 'typescript', 'vue-tsc', 'tsx', 'playwright-core', 'happy-dom', '@vue/test-utils', 'assemblyscript', 'semver'];

/**
 * Declared ranges wider claims than the code needs, each checked by running the suite on Node 20:
 * js-beautify (under @vue/test-utils, for wrapper.html()) pulls nopt 10 / abbrev 5, which declare
 * Node 22.22+ but use nothing newer than Node 20 has.
 */
const DECLARED_NOT_NEEDED = { nopt: 'js-beautify’s option parser', abbrev: 'nopt’s' };

describe('engines', () => {
  const ours: string = pkg.engines.node;

  it('engines.node is a range every runtime dependency of the CLI declares', () => {
    expect(semver.validRange(ours)).not.toBeNull();
    expect(narrower(closure(Object.keys(pkg.dependencies)), ours)).toEqual([]);
  });

  it('engines.node is a range the build and test tools declare too', () => {
    expect(narrower(closure(TOOLS), ours, DECLARED_NOT_NEEDED)).toEqual([]);
  });

  it('holds Node 20.19 and the LTS lines 22 and 24, which .ci/run and the workflow test', () => {
    for (const v of ['20.19.0', '22.12.0', '24.0.0', '24.22.3']) expect(semver.satisfies(v, ours), v).toBe(true);
    expect(semver.satisfies(process.versions.node, ours), `this Node, ${process.version}`).toBe(true);
  });

  it('the desktop toolchain needs what electron declares, and nothing in it needs more', () => {
    const electron: string = lock['node_modules/electron'].engines!.node!;
    expect(semver.minVersion(electron)!.major).toBeGreaterThanOrEqual(22);
    expect(narrower(closure(['electron', 'electron-builder', '@electron/fuses']), electron)).toEqual([]);
  });
});
