/** The sweep report: the paired comparison of two configurations and the stability map, printed by `nnlab sweep` and `nnlab runs compare`. */
import { describe, expect, it } from 'vitest';
import { lossDifferenceCurve, pairedComparison } from '../../src-main/analysis/paired';
import { stabilityMaps } from '../../src-main/analysis/stability';
import { analyse, formatPaired, formatReport, formatStability } from '../../src-main/cli/report';
import type { RunSummary } from '../../src-main/db/types';
import type { RunSpec } from '../../src-main/trainer/spec';
import { nnlab } from '../helpers/cli';
import { tempDbPath } from '../helpers/lab';
import { summary } from '../renderer/helpers/fake-lab';

const r = (id: number, spec: Partial<RunSpec>, finalCost: number | null, over: Partial<RunSummary> = {}) => summary(id, spec, { finalCost, failed: finalCost === null || finalCost > 2.58, ...over });

describe('cli/report', () => {
  it('prints the paired comparison: median difference with its interval, wins, and the difference curve', () => {
    const a = [r(1, { activation: 'relu', initSeed: 1 }, 0.1), r(2, { activation: 'relu', initSeed: 2 }, 32)];
    const b = [r(3, { activation: 'sigmoid', initSeed: 1 }, 2.1), r(4, { activation: 'sigmoid', initSeed: 2 }, 2.3)];
    const c = pairedComparison(a, b);
    const curve = lossDifferenceCurve([{ a: { data: [3, 1] }, b: { data: [2, 2] } }, { a: { data: [5, 3] }, b: { data: [2, 2] } }]);
    const text = formatPaired('relu', 'sigmoid', c, curve);
    expect(text).toContain('paired comparison by seeds (2 pairs): A = relu, B = sigmoid');
    // differences −2 and 29.7: median 13.85
    expect(text).toContain('final cost A − B: median 13.8500, 95 % bootstrap interval -2.0000 to 29.7000');
    expect(text).toContain('A ended lower in 1 of 2 pairs, B in 1, ties 0');
    expect(text).toMatch(/batch\s+median\s+25 %\s+75 %\s+pairs\n\s+1\s+2\.0000\s+1\.5000\s+2\.5000\s+2\n\s+2\s+0\.0000\s+-0\.5000\s+0\.5000\s+2/);
  });

  it('prints a stability map per facet with "median (failed/n)" in each cell', () => {
    const runs = [
      r(1, { eps: 0.1, learningRate: 1 }, 0.1),
      r(2, { eps: 0.1, learningRate: 1, initSeed: 5 }, 32),
      r(3, { eps: 0.5, learningRate: 1 }, 0.2),
      r(4, { eps: 0.1, learningRate: 0.5 }, 0.3, { status: 'running', failed: null }),
    ];
    const text = formatStability(stabilityMaps(runs, { fields: ['learningRate', 'eps'] })!);
    expect(text.split('\n')).toEqual([
      'stability map: median final cost (failed/n) by eps (rows) × learningRate (columns)',
      '         learningRate=0.5  learningRate=1',
      'eps=0.1     – (1 pending)   16.0500 (1/2)',
      'eps=0.5                 –    0.2000 (0/1)',
    ]);
  });

  it('leaves out what does not apply: no paired comparison for three configurations, no map for one swept field', () => {
    const runs = [r(1, { activation: 'relu' }, 0.1), r(2, { activation: 'sigmoid' }, 1), r(3, { activation: 'tanh' }, 1)];
    const text = formatReport(analyse(runs));
    expect(text).toMatch(/^config\s+runs/);
    expect(text).not.toContain('paired');
    expect(text).not.toContain('stability map');
  });

  it('nnlab sweep prints the stability map over two swept fields, and the paired comparison of two configurations; runs compare prints them for saved runs', () => {
    const db = tempDbPath();
    const grid = nnlab(['sweep', '--init-mean', '0,-eps', '--eps', '0.1,0.5', '--batches', '60', '--replicates', '3', '--no-progress', '--db', db]);
    expect(grid.stderr).toBe('');
    expect(grid.status).toBe(0);
    expect(grid.stdout).toMatch(/stability map: median final cost \(failed\/n\) by initMean\/eps \(rows\) × eps \(columns\)\n\s+eps=0\.1\s+eps=0\.5\ninitMean\/eps=-1\s+32\.0000 \(3\/3\)\s+32\.0000 \(3\/3\)\ninitMean\/eps=0\s+\d+\.\d{4} \(\d\/3\)/);
    expect(grid.stdout).not.toContain('paired comparison');

    const two = nnlab(['sweep', '--activation', 'relu,sigmoid', '--batches', '60', '--replicates', '4', '--no-progress', '--db', db]);
    expect(two.status).toBe(0);
    expect(two.stdout).toContain('paired comparison by seeds (4 pairs): A = activation=relu, B = activation=sigmoid');
    expect(two.stdout).toMatch(/A ended lower in \d of 4 pairs, B in \d, ties \d/);
    expect(two.stdout).toMatch(/\n\s+batch\s+median\s+25 %\s+75 %\s+pairs\n\s+1\s/);
    expect(two.stdout).toMatch(/\n\s+60\s+-?\d+\.\d{4}\s+-?\d+\.\d{4}\s+-?\d+\.\d{4}\s+4\n/);
    expect(two.stdout).not.toContain('stability map');

    const saved = nnlab(['runs', 'compare', '--experiment', '2', '--db', db]);
    expect(saved.status).toBe(0);
    expect(saved.stdout).toMatch(/^8 runs in 2 configurations\n/);
    expect(saved.stdout).toContain('paired comparison by seeds (4 pairs)');
    const json = JSON.parse(nnlab(['runs', 'compare', '--experiment', '1', '--json', '--db', db]).stdout);
    expect(json.swept).toEqual(['eps', 'initMean']);
    expect(json.stability).toMatchObject({ xField: 'eps', yField: 'initMean/eps', facetFields: [] });
    expect(json.stability.maps[0].cells[0].map((c: { n: number; failed: number }) => `${c.failed}/${c.n}`)).toEqual(['3/3', '3/3']);
    // run ids alone: the fields that differ name the configurations
    const ids = nnlab(['runs', 'compare', '13', '17', '14', '18', '--db', db]);
    expect(ids.stdout).toContain('paired comparison by seeds (2 pairs): A = activation=relu, B = activation=sigmoid');
    const none = nnlab(['runs', 'compare', '--db', db]);
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/give run ids or --experiment/);
  });
});
