/**
 * The runs table bench (cli/bench-table.ts): its figures are of real answers — each request's
 * matched count recomputed here from the store's runs by hand (figures, not thresholds).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { benchTable, fillTableStore, TABLE_REQUESTS, TABLE_WHEN } from '../../src-main/cli/bench-table';
import { outcomeOf } from '../../src-main/analysis/outcome';

describe('cli/bench-table', () => {
  it('times the filter, the sort, the groups and all three over a store of runs, each answer checked', () => {
    const n = 96;
    const dir = mkdtempSync(join(tmpdir(), 'nnlab-bench-table-test-'));
    try {
      const store = fillTableStore(join(dir, 'lab.sqlite'), n);
      const runs = store.listRuns();
      store.close();
      expect(runs).toHaveLength(n);
      expect(new Set(runs.map((r) => r.experimentId)).size).toBe(4);
      const r2 = (r: (typeof runs)[number]) => outcomeOf(r)!.score.value ?? Number.NaN;
      const want = [
        runs.filter((r) => r.spec.activation === 'relu' && r2(r) < 0.5).length,
        n,
        n,
        runs.filter((r) => r.tags.includes('baseline') || r.spec.learningRate === 1).length,
      ];
      expect(want[0]).toBeGreaterThan(0);
      expect(want[0]).toBeLessThan(n);
      const figures = benchTable(n, 2);
      // each request after a change, asked again and first after opening: the same answer
      expect(figures.map((f) => f.matched)).toEqual(want.flatMap((m) => [m, m, m]));
      expect(figures).toHaveLength(TABLE_WHEN.length * TABLE_REQUESTS.length);
      for (const f of figures) {
        expect(f.name).toMatch(/^96 runs, .*, (after a change|asked again|first answer after opening) \(median of 2; CPU \d+ ms\)$/);
        expect(f.ms).toBeGreaterThan(0);
        expect(f.target).toBe(200);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
