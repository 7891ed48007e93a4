/**
 * scripts/typecheck.mjs (`npm run typecheck`) runs its type checks side by side: a check that fails
 * must still fail the whole, whichever ends first, and each check's output must come out whole and
 * in the listed order, not interleaved. Real tsc on two small projects in a temporary folder.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli';

const dir = mkdtempSync(join(tmpdir(), 'nnlab-typecheck-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A project of one file, src `code`, in dir/name. */
function project(name: string, code: string): string {
  mkdirSync(join(dir, name));
  writeFileSync(join(dir, name, 'a.ts'), code);
  writeFileSync(join(dir, name, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, noEmit: true, types: [], lib: ['ES2022'] }, include: ['a.ts'] }));
  return `${name}/tsconfig.json`;
}

const good = project('good', 'export const n: number = 1;\n');
const bad = project('bad', "export const n: number = 'one';\n");

function typecheck(projects: string[]) {
  return spawnSync(process.execPath, [join(ROOT, 'scripts/typecheck.mjs'), ...projects], { cwd: dir, encoding: 'utf8', env: { ...process.env, NNLAB_TYPECHECK_JOBS: '2' } });
}

// (that it passes when all pass is `npm test`'s own first step, on the real projects)
describe('scripts/typecheck.mjs', () => {
  it('fails when one check fails, listed first or last, and prints each check whole, in the listed order', () => {
    for (const [order, failed] of [[[bad, good], 0], [[good, bad], 1]] as const) {
      const r = typecheck([...order]);
      expect(r.status, r.stdout + r.stderr).toBe(1);
      const printed = r.stdout.split('\n').filter(Boolean).map((l) => l.replace(/ \(\d+\.\d s\)$/, ''));
      const blocks = order.map((p) => (p === bad ? [`typecheck: tsc --noEmit -p ${bad}: failed (exit 2)`, "bad/a.ts(1,14): error TS2322: Type 'string' is not assignable to type 'number'."] : [`typecheck: tsc --noEmit -p ${good}: ok`]));
      expect(printed, `the failing check listed ${failed === 0 ? 'first' : 'last'}`).toEqual(blocks.flat());
    }
  });
});
