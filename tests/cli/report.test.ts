/** The sweep report: the paired comparison of two configurations and the stability map, printed by `nnlab sweep` and `nnlab runs compare`. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lossDifferenceCurve, pairedComparison } from '../../src-main/analysis/paired';
import { stabilityMaps } from '../../src-main/analysis/stability';
import { analyse, formatPaired, formatReport, formatStability } from '../../src-main/cli/report';
import type { RunSummary } from '../../src-main/db/types';
import type { RunSpec } from '../../src-main/trainer/spec';
import { nnlab } from '../helpers/cli';
import { tempDbPath } from '../helpers/lab';
import { summary } from '../renderer/helpers/fake-lab';

/** A run with this test MSE per sample (the best constant predictor's: 0.0806). */
const r = (id: number, spec: Partial<RunSpec>, testMse: number | null, over: Partial<RunSummary> = {}) => summary(id, spec, { testMse, ...over });
/** Runs as the findings read them (no series, no diagnostics). */
const facts = (runs: RunSummary[]) => runs.map((run) => ({ run, series: {} }));

describe('cli/report', () => {
  it('prints the paired comparison: median difference with its interval, wins, and the difference curve', () => {
    const a = [r(1, { activation: 'relu', initSeed: 1 }, 0.1), r(2, { activation: 'relu', initSeed: 2 }, 32)];
    const b = [r(3, { activation: 'sigmoid', initSeed: 1 }, 2.1), r(4, { activation: 'sigmoid', initSeed: 2 }, 2.3)];
    // (test MSE values as round numbers: the arithmetic is the point)
    const c = pairedComparison(a, b);
    const curve = lossDifferenceCurve([{ a: { data: [3, 1] }, b: { data: [2, 2] } }, { a: { data: [5, 3] }, b: { data: [2, 2] } }]);
    const text = formatPaired('relu', 'sigmoid', c, curve, 'sse');
    expect(text).toContain('paired comparison by seeds (2 pairs): A = relu, B = sigmoid');
    // differences −2 and 29.7: median 13.85
    expect(text).toContain('test MSE per sample A − B: median 13.85000, 95 % bootstrap interval -2.00000 to 29.70000');
    expect(text).toContain('A ended lower in 1 of 2 pairs, B in 1, ties 0');
    expect(text).toMatch(/batch\s+median\s+25 %\s+75 %\s+pairs\n\s+1\s+2\.00000\s+1\.50000\s+2\.50000\s+2\n\s+2\s+0\.00000\s+-0\.50000\s+0\.50000\s+2/);
  });

  it('prints a stability map per facet with "median test MSE (learned/n)" in each cell', () => {
    const runs = [
      r(1, { eps: 0.1, learningRate: 1 }, 0.001),
      r(2, { eps: 0.1, learningRate: 1, initSeed: 5 }, 1),
      r(3, { eps: 0.5, learningRate: 1 }, 0.2),
      r(4, { eps: 0.1, learningRate: 0.5 }, 0.3, { status: 'running' }),
      r(5, { eps: 0.5, learningRate: 0.5 }, null, { status: 'interrupted' }),
    ];
    const text = formatStability(stabilityMaps(runs, { fields: ['learningRate', 'eps'] })!);
    expect(text.split('\n')).toEqual([
      'stability map: median test MSE (learned/n) by eps (rows) × learningRate (columns)',
      '          learningRate=0.5  learningRate=1',
      'eps=0.1      – (1 pending)   0.50050 (1/2)',
      'eps=0.5  – (1 not counted)   0.20000 (0/1)',
    ]);
  });

  it('prints a line per configuration with every outcome class, what is not counted, and what the classes mean', () => {
    const runs = [r(1, {}, 0.001), r(2, { initSeed: 3 }, 0.05), r(3, { initSeed: 4 }, 1), r(4, { initSeed: 5 }, null, { status: 'interrupted' }), r(5, { activation: 'sigmoid' }, 0.07)];
    const text = formatReport(analyse(facts(runs)), { reading: false });
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^config\s+runs\s+learned\s+underfit\s+learned nothing\s+not counted\s+median test MSE\s+median r²\s+sampled time$/);
    expect(lines[1]).toMatch(/^activation=relu\s+4\s+1 of 3\s+1 of 3\s+1 of 3\s+1\s+0\.05000\s+0\.380\s+30\.0 ms$/);
    expect(lines[2]).toMatch(/^activation=sigmoid\s+1\s+0 of 1\s+1 of 1\s+0 of 1\s+0\s+0\.07000\s+0\.132/);
    expect(lines[3]).toMatch(/^learned: r² ≥ 0\.9; underfit: 0 < r² < 0\.9; learned nothing: r² ≤ 0/);
    // one speed figure per page, named: the table's time is the sampled one, and says so
    expect(lines[4]).toBe('sampled time: the median of the runs’ own training times, taken while other runs trained beside them, the first runs with the trainer processes’ warm-up: no fair comparison of speed (honest timing: nnlab time)');
    expect(formatReport(analyse(facts(runs), { learnedAt: 0.3 }), { reading: false }).split('\n')[1]).toMatch(/2 of 3\s+0 of 3\s+1 of 3/);
  });

  it('leaves out what does not apply: no paired comparison for three configurations, no map for one swept field', () => {
    const runs = [r(1, { activation: 'relu' }, 0.1), r(2, { activation: 'sigmoid' }, 1), r(3, { activation: 'tanh' }, 1)];
    const text = formatReport(analyse(facts(runs)));
    expect(text).toMatch(/^config\s+runs/);
    expect(text).not.toContain('paired');
    expect(text).not.toContain('stability map');
  });

  it('names a configuration by its swept fields, not by a swept seed (a grid over seed is replicates: its runs are one configuration, once labelled by the first run’s seed)', () => {
    // `nnlab sweep --seed 1,2 --activation relu,sigmoid`: 2 configurations of 2 seeds each
    const runs = [r(1, { initSeed: 1 }, 0.01), r(2, { initSeed: 2 }, 0.02), r(3, { activation: 'sigmoid', initSeed: 1 }, 0.07), r(4, { activation: 'sigmoid', initSeed: 2 }, 0.08)];
    const report = analyse(facts(runs), { swept: ['initSeed', 'activation'] });
    const lines = formatReport(report, { reading: false }).split('\n');
    expect(lines[1]).toMatch(/^activation=relu\s+2\s/);
    expect(lines[2]).toMatch(/^activation=sigmoid\s+2\s/);
    expect(report.stability).toBeNull();
    // `--seed 1,2` alone: one configuration of 2 runs, named as an unswept one is
    const one = formatReport(analyse(facts(runs.slice(0, 2)), { swept: ['initSeed'] }), { reading: false }).split('\n');
    expect(one[1]).toMatch(/^\[1,16,2\] relu\s+2\s/);
  });

  it('nnlab sweep prints the stability map over two swept fields, and the paired comparison of two configurations; runs compare prints them for saved runs', () => {
    const db = tempDbPath();
    const grid = nnlab(['sweep', '--init-mean', '0,-eps', '--eps', '0.1,0.5', '--batches', '60', '--replicates', '3', '--no-progress', '--db', db]);
    expect(grid.stderr).toBe('');
    expect(grid.status).toBe(0);
    expect(grid.stdout).toMatch(/stability map: median test MSE \(learned\/n\) by initMean\/eps \(rows\) × eps \(columns\)\n\s+eps=0\.1\s+eps=0\.5\ninitMean\/eps=-1\s+1\.00000 \(0\/3\)\s+1\.00000 \(0\/3\)\ninitMean\/eps=0\s+\d+\.\d{5} \(\d\/3\)/);
    expect(grid.stdout).not.toContain('paired comparison');

    const two = nnlab(['sweep', '--activation', 'relu,sigmoid', '--batches', '60', '--replicates', '4', '--no-progress', '--db', db]);
    expect(two.status).toBe(0);
    expect(two.stdout).toContain('paired comparison by seeds (4 pairs): A = activation=relu, B = activation=sigmoid');
    expect(two.stdout).toMatch(/A ended lower in \d of 4 pairs, B in \d, ties \d/);
    expect(two.stdout).toMatch(/\n\s+batch\s+median\s+25 %\s+75 %\s+pairs\n\s+1\s/);
    expect(two.stdout).toMatch(/\n\s+60\s+-?\d+\.\d{5}\s+-?\d+\.\d{5}\s+-?\d+\.\d{5}\s+4\n/);
    expect(two.stdout).not.toContain('stability map');

    const saved = nnlab(['runs', 'compare', '--experiment', '2', '--db', db]);
    expect(saved.status).toBe(0);
    expect(saved.stdout).toMatch(/^8 runs in 2 configurations\n/);
    expect(saved.stdout).toContain('paired comparison by seeds (4 pairs)');
    const json = JSON.parse(nnlab(['runs', 'compare', '--experiment', '1', '--json', '--db', db]).stdout);
    expect(json.swept).toEqual(['eps', 'initMean']);
    expect(json.stability).toMatchObject({ xField: 'eps', yField: 'initMean/eps', facetFields: [] });
    expect(json.stability.maps[0].cells[0].map((c: { n: number; learned: number }) => `${c.learned}/${c.n}`)).toEqual(['0/3', '0/3']);
    expect(json.groups[0]).toMatchObject({ outcomes: { n: 3, counts: expect.any(Object) } });
    expect(json.reading.length).toBeGreaterThan(0);
    // run ids alone: the fields that differ name the configurations
    const ids = nnlab(['runs', 'compare', '13', '17', '14', '18', '--db', db]);
    expect(ids.stdout).toContain('paired comparison by seeds (2 pairs): A = activation=relu, B = activation=sigmoid');
    const none = nnlab(['runs', 'compare', '--db', db]);
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/give run ids or --experiment/);
  });

  it('nnlab sweep says once, for the configurations concerned, that their output layer cannot reach the targets; runs compare says it of saved runs (a sweep said only “learned nothing”)', () => {
    const db = tempDbPath();
    const sweep = nnlab(['sweep', '--target', 'x^2 - 1', '--activation', 'relu,tanh', '--batches', '40', '--replicates', '2', '--no-progress', '--db', db]);
    expect(sweep.stderr).toBe('');
    expect(sweep.status).toBe(0);
    const reach = /\nOut of reach: activation=relu \(2 runs\): the output layer is relu \(the seed’s rule: the hidden activation\), which never goes below 0, but the target x\^2 - 1 reaches −1 \(29 of 30 test points are out of its reach\): no weights can fit those; a linear output layer can reach them \(--output-activation linear, or “Output layer: linear” in New run\)\.\n/;
    expect(sweep.stdout).toMatch(reach);
    expect(sweep.stdout.match(/out of (its )?reach/gi)).toHaveLength(2);
    expect(nnlab(['runs', 'compare', '--experiment', '1', '--db', db]).stdout).toMatch(reach);
    // one saved run says it too, as train said it when the run ended (runs show said only "learned nothing")
    expect(nnlab(['runs', 'show', '1', '--db', db]).stdout).toMatch(/\noutcome: learned nothing \(r² -[\d.]+; learned at r² ≥ 0\.9\)\nnote: the output layer is relu \(the seed’s rule: the hidden activation\), which never goes below 0, but the target x\^2 - 1 reaches −1 \(29 of 30 test points are out of its reach\): no weights can fit those; a linear output layer can reach them \(--output-activation linear\)\n/);
    expect(nnlab(['runs', 'show', '3', '--db', db]).stdout).not.toMatch(/reach/);
    expect(nnlab(['runs', 'compare', '1', '--db', db]).stdout).toMatch(/^1 run in 1 configuration\n/);
    const linear = nnlab(['sweep', '--target', 'x^2 - 1', '--activation', 'relu,tanh', '--output-activation', 'linear', '--batches', '20', '--no-progress', '--db', db]);
    expect(linear.status).toBe(0);
    expect(linear.stdout).not.toMatch(/reach/);
  });

  it('nnlab sweep refuses a grid value given twice and a bad --replicates, naming the flag, storing nothing (it trained the same runs twice and counted them as two)', () => {
    const db = tempDbPath();
    const twice = nnlab(['sweep', '--lr', '0.1,0.1', '--batches', '5', '--no-progress', '--db', db]);
    expect(twice.stderr).toBe('nnlab: --lr (grid.learningRate): learningRate=0.1 is given twice: its runs would be trained twice with the same seeds and counted as two; give each value once\n');
    expect(twice.status).toBe(2);
    // He init reads no mean: the two "configurations" were the same runs, counted as two (both learned nothing, r² −11.406)
    const unread = nnlab(['sweep', '--init', 'he', '--init-mean', '0,-eps', '--batches', '5', '--no-progress', '--db', db]);
    expect(unread.stderr).toBe(
      'nnlab: --init-mean (grid.initMean): initMean=0 and initMean="-eps" are the same configuration, as init he does not read initMean (only normal does): its runs would be trained twice with the same seeds and counted as two; sweep initMean only where it is read\n',
    );
    expect(unread.status).toBe(2);
    const none = nnlab(['sweep', '--replicates', '0', '--batches', '5', '--no-progress', '--db', db]);
    expect(none.stderr).toMatch(/^nnlab: --replicates \(replicates\): /);
    expect(none.status).toBe(2);
    expect(JSON.parse(nnlab(['runs', 'list', '--json', '--db', db]).stdout)).toEqual([]);
  });

  it('nnlab sweep of one run says “1 run saved” (it said “1 runs”)', () => {
    const db = tempDbPath();
    const one = nnlab(['sweep', '--lr', '0.5', '--batches', '5', '--no-progress', '--db', db]);
    expect(one.stdout.split('\n')[0]).toBe(`experiment #1: 1 run saved in ${db}`);
  });

  it('nnlab sweep names the grid point a refusal is of, the first point as the others (the first said why but not where), and no point when every point is refused alike', () => {
    const db = tempDbPath();
    const dir = mkdtempSync(join(tmpdir(), 'nnlab-sweep-at-'));
    const csv = join(dir, 'forty.csv');
    writeFileSync(csv, `x,y\n${Array.from({ length: 40 }, (_, i) => `${i},${2 * i}`).join('\n')}\n`);
    const batch = (grid: string) => nnlab(['sweep', '--data', csv, '--inputs', 'x', '--targets', 'y', '--batch', grid, '--batches', '5', '--no-progress', '--db', db]);
    const refusal = (n: number) => `nnlab: --batch (batchSize): a batch of ${n} is more than task csv's training set of 20 samples (trainFraction 0.5 of the data set's 40 rows), so each batch would hold samples twice: at most 20 (at batchSize=${n})\n`;
    for (const grid of ['64,8', '8,64']) {
      const r = batch(grid);
      expect(r.stderr).toBe(refusal(64));
      expect(r.status).toBe(2);
    }
    // a shape the task does not take is refused alike at every point of a grid over activation: the first point's name would mislead
    const shape = nnlab(['sweep', '--task', 'circle', '--shape', '1,4,1', '--activation', 'relu,tanh', '--batches', '5', '--no-progress', '--db', db]);
    expect(shape.stderr).toMatch(/^nnlab: --shape \(shape\): task circle needs 2 inputs and 2 output units, e\.g\. \[2, 8, 8, 2\]\n$/);
    expect(shape.status).toBe(2);
    // …and a shape that fits one task of two names the one it does not fit, first or not
    for (const tasks of ['sincos,circle', 'circle,sincos']) {
      const r = nnlab(['sweep', '--task', tasks, '--shape', '2,4,2', '--batches', '5', '--no-progress', '--db', db]);
      expect(r.stderr).toBe('nnlab: --shape (shape): task sincos needs 1 input and 2 output units, e.g. [1, 16, 2] (at task="sincos")\n');
      expect(r.status).toBe(2);
    }
    expect(JSON.parse(nnlab(['runs', 'list', '--json', '--db', db]).stdout)).toEqual([]);
  });

  it('speaks a classification sweep’s units: test accuracy and skill in the table, test error in the map and the pairs, never test MSE or r²', () => {
    const db = tempDbPath();
    const grid = nnlab(['sweep', '--task', 'circle', '--init-mean', '0,-eps', '--eps', '0.1,0.5', '--batches', '60', '--replicates', '2', '--no-progress', '--db', db]);
    expect(grid.stderr).toBe('');
    expect(grid.status).toBe(0);
    const lines = grid.stdout.split('\n');
    expect(lines[1]).toMatch(/^config\s+runs\s+learned\s+underfit\s+learned nothing\s+median test accuracy\s+median skill\s+sampled time$/);
    expect(grid.stdout).toMatch(/\nlearned: skill ≥ 0\.9; underfit: 0 < skill < 0\.9; learned nothing: skill ≤ 0; diverged: not finite \(skill = \(test accuracy − m\) \/ \(1 − m\), m what always answering the training set’s majority class scores on the test set\)/);
    expect(grid.stdout).toMatch(/stability map: median test error \(learned\/n\) by initMean\/eps \(rows\) × eps \(columns\)\n/);
    expect(grid.stdout).not.toMatch(/MSE|r²/);
    // the map's cells are medians of 1 − accuracy over each cell's two runs, read from the stored runs
    const runs = JSON.parse(nnlab(['runs', 'list', '--json', '--db', db]).stdout) as { spec: { eps: number; initMean: number }; testAccuracy: number }[];
    const cell = (eps: number, mean: number) => {
      const errs = runs.filter((x) => x.spec.eps === eps && x.spec.initMean === mean).map((x) => 1 - x.testAccuracy);
      expect(errs).toHaveLength(2);
      return ((errs[0] + errs[1]) / 2).toFixed(5);
    };
    expect(grid.stdout).toMatch(new RegExp(`initMean/eps=0\\s+${cell(0.1, 0).replace('.', '\\.')} \\(\\d/2\\)\\s+${cell(0.5, 0).replace('.', '\\.')} \\(\\d/2\\)`));

    const two = nnlab(['sweep', '--task', 'circle', '--activation', 'relu,sigmoid', '--batches', '60', '--replicates', '3', '--no-progress', '--db', db]);
    expect(two.status).toBe(0);
    expect(two.stdout).toContain('paired comparison by seeds (3 pairs): A = activation=relu, B = activation=sigmoid\n  test error (1 − accuracy) A − B: median');
    expect(two.stdout).toContain('\n  cross-entropy per sample of the batch, A − B (median over the pairs, 25–75 % band):');
    expect(two.stdout).toContain('Paired by seed (test error, 1 − accuracy): ');
    expect(two.stdout).not.toMatch(/MSE|r²/);
  });

  it('names the loss of the paired curve: the pair’s one loss, not “loss”, and MSE for a classification trained on the seed’s squared error', () => {
    const db = tempDbPath();
    // circle on sse: scored by test error, trained on squared error, so its curve is an MSE per sample (it said “loss per sample”)
    const sse = nnlab(['sweep', '--task', 'circle', '--loss', 'sse', '--output-activation', 'sigmoid', '--activation', 'relu,tanh', '--batches', '30', '--replicates', '2', '--no-progress', '--db', db]);
    expect(sse.stderr).toBe('');
    expect(sse.status).toBe(0);
    expect(sse.stdout).toContain('\n  test error (1 − accuracy) A − B: median');
    expect(sse.stdout).toContain('\n  MSE per sample of the batch, A − B (median over the pairs, 25–75 % band):');
    expect(sse.stdout).not.toMatch(/loss per sample of the batch/);
    // the same words when the saved runs are compared
    expect(nnlab(['runs', 'compare', '--experiment', '1', '--db', db]).stdout).toContain('\n  MSE per sample of the batch, A − B');
  });
});
