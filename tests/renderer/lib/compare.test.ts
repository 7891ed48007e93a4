import { describe, expect, it } from 'vitest';
import type { WireSeries } from '@main/api/contract';
import { type Comparison, compare } from '../../../src-renderer/src/lib/compare';
import { type CompareOptions, DEFAULT_OPTIONS, type RunData } from '../../../src-renderer/src/lib/compare/context';
import { costPoints } from '../../../src-renderer/src/lib/compare/cost';
import { fitOf } from '../../../src-renderer/src/lib/compare/fits';
import type { PanelId, PanelViews } from '../../../src-renderer/src/lib/compare/panels';
import { msToTarget } from '../../../src-renderer/src/lib/compare/timing';
import { inLegend, pointCount } from '../../../src-renderer/src/lib/chart-model';
import { chartRows } from '../../../src-renderer/src/lib/exports';
import { record, summary } from '../helpers/fake-lab';

const N = 30;
const xs = Array.from({ length: N }, (_, i) => i / (N - 1));
const ws = (shape: number[], data: number[]): WireSeries => ({ shape, data, length: data.length });

/** A finished run: cost falling from 30 to `end`, estimates = truth + offset, test MSE `testMse` (the constant predictor's 0.0806). */
function run(id: number, spec: Parameters<typeof summary>[1] = {}, opts: { end?: number; offset?: number; testMse?: number; trainMs?: number } = {}): RunData {
  const s = summary(id, spec, { testMse: opts.testMse ?? 0.002, trainMs: opts.trainMs ?? 30, finalMse: (opts.end ?? 0.05) / 32 });
  const batches = s.spec.batches;
  const cost = Array.from({ length: batches }, (_, i) => 30 * Math.exp((-i / batches) * Math.log(30 / (opts.end ?? 0.05))));
  const truth = xs.flatMap((x) => [Math.sin(x), Math.cos(x)]);
  const est = truth.map((t) => t + (opts.offset ?? 0.01));
  const init = truth.map(() => 0.5);
  return {
    run: record(s),
    series: {
      cost: ws([batches], cost),
      testInputs: ws([N, 1], xs),
      testTargets: ws([N, 2], truth),
      testEstimates: ws([N, 2], est),
      estimates: ws([3, N, 2], [...init, ...est.map((e) => e + 0.1), ...est]),
      checkpointBatches: ws([3], [0, batches / 2, batches]),
    },
  };
}

const colors = { truth: '#000000', muted: '#888888' };

/** A panel's view, which the comparison must have built. */
function view<Id extends PanelId>(c: Comparison, id: Id): PanelViews[Id] {
  const v = c.views[id];
  if (v === undefined) throw new Error(`no ${id} panel`);
  return v as PanelViews[Id];
}
const opts = (o: Partial<CompareOptions> = {}): CompareOptions => ({ ...DEFAULT_OPTIONS, ...o });

describe('renderer/lib/compare', () => {
  describe('two runs that differ in activation', () => {
    const data = [run(1), run(2, { activation: 'sigmoid' }, { end: 2, offset: 0.2, trainMs: 60 })];
    const c = compare(data, opts({ smoothing: 0, yMetric: 'cost' }), colors);

    it('labels each run by what differs and diffs exactly that field', () => {
      expect(c.items.map((i) => i.label)).toEqual(['#1 relu', '#2 sigmoid']);
      expect(c.diff.map((r) => r.field)).toEqual(['activation']);
      expect(c.diff[0].values).toEqual(['relu', 'sigmoid']);
      expect(c.seedsVary).toBe(false);
    });

    it('draws one cost curve per run plus the constant predictor', () => {
      expect(view(c, 'cost').model.series.filter(inLegend).map((s) => s.label)).toEqual(['#1 relu', '#2 sigmoid', 'constant predictor (r² = 0)']);
      expect(view(c, 'cost').model.series[0].points).toHaveLength(300);
      expect(view(c, 'cost').model.series[0].points[0]).toEqual({ x: 1, y: 30 });
      const baseline = view(c, 'cost').model.series.find((s) => s.role === 'reference');
      expect(baseline?.points[0].y).toBeCloseTo(0.0806 * 32, 10);
      expect(view(c, 'cost').model.y.log).toBe(true);
      expect(view(c, 'cost').model.runs.map((r) => r.id)).toEqual([1, 2]);
    });

    it('speaks of the dashed constant-predictor line only where it is drawn (it said so under a running run, whose line is not drawn yet)', () => {
      expect(view(c, 'cost').reading[0]).toMatch(/^Dashed: the best constant predictor’s error \(r² = 0\)\. Outcomes are judged on the test grid/);
      const running = data.map((d) => ({ ...d, run: { ...d.run, status: 'running' as const, baselineMse: null, testMse: null } }));
      const live = view(compare(running, opts({ smoothing: 0, yMetric: 'cost' }), colors), 'cost');
      expect(live.model.series.some((s) => s.role === 'reference')).toBe(false);
      expect(live.reading[0]).toMatch(/^Outcomes are judged on the test grid/);
      expect(live.reading.join(' ')).not.toMatch(/Dashed/);
    });

    it('adds a faint raw curve under each smoothed one', () => {
      const s = view(compare(data, opts({ smoothing: 0.9, yMetric: 'cost' }), colors), 'cost').model;
      expect(s.series.filter((x) => x.role === 'smoothed')).toHaveLength(2);
      const raw = s.series.filter((x) => x.role === 'raw');
      expect(raw).toHaveLength(2);
      expect(raw.every((r) => r.legend === false && (r.opacity ?? 1) < 0.5)).toBe(true);
      // the raw curves come last: chart.js draws the first dataset on top
      expect(s.series.slice(-2).every((x) => x.role === 'raw')).toBe(true);
      expect(pointCount(s)).toBe(4 * 300 + 2);
    });

    it('fits sin and cos: truth and one estimate per run, residuals as estimate − truth', () => {
      expect(view(c, 'fits').fits.map((f) => f.title)).toEqual(['Fit: sin x', 'Fit: cos x']);
      const sin = view(c, 'fits').fits[0];
      expect(sin.series.map((s) => s.label)).toEqual(['truth: sin x', '#1 relu', '#2 sigmoid']);
      expect(sin.series[0].points[N - 1].y).toBeCloseTo(Math.sin(1), 12);
      const res = view(c, 'fits').residuals[1].series.find((s) => s.label === '#2 sigmoid');
      expect(res?.points.every((p) => Math.abs((p.y as number) - 0.2) < 1e-12)).toBe(true);
    });

    it('shows the fit at a checkpoint when asked', () => {
      const at0 = compare(data, opts({ fitAt: 0 }), colors);
      expect(view(at0, 'fits').batch).toBe(0);
      expect(view(at0, 'fits').fits[0].title).toBe('Fit: sin x at batch 0');
      expect(view(at0, 'fits').fits[0].series[1].points[0].y).toBe(0.5);
      expect(fitOf(data[0], 1, 0.5)?.batch).toBe(150);
    });

    it('times each run and finds the time to a target MSE', () => {
      expect(view(c, 'timing').rows.map((t) => t.trainMs?.median)).toEqual([30, 60]);
      expect(view(c, 'timing').rows[0].forward?.median).toBe(1);
      expect(view(c, 'timing').rows[0].reached).toBe(1);
      expect(view(c, 'timing').rows[1].reached).toBe(0); // ends at MSE 2/32 > 0.01
      const ms = msToTarget(data[0], 0.01) as number;
      expect(ms).toBeGreaterThan(0);
      expect(ms).toBeLessThan(30);
    });

    it('gives each run a replicate group of one, in the run’s colour, and no reading', () => {
      expect(c.groups.map((g) => [g.outcomes.n, g.outcomes.counts.learned])).toEqual([
        [1, 1],
        [1, 1],
      ]);
      expect(c.groups.map((g) => g.color)).toEqual(c.items.map((i) => i.color));
      expect(c.reading).toEqual([]);
    });

    it('reports dead units and those that died in training', () => {
      expect(view(c, 'diagnostics')[0]).toMatchObject({ runId: 1, hiddenUnits: 16, deadAtInit: 2, deadAtEnd: 3, diedInTraining: 1, outputDeadAtEnd: 0 });
    });
  });

  describe('axes', () => {
    const d = run(1, { batchSize: 16 });
    it('puts samples or seconds on x and MSE per sample on y', () => {
      expect(costPoints(d, 'samples', 'cost')[1].x).toBe(32);
      const sec = costPoints(d, 'seconds', 'mse');
      expect(sec[299].x).toBeCloseTo(0.03, 12); // 300 batches in 30 ms
      expect(sec[0].y).toBeCloseTo(30 / 16, 12);
    });

    it('leaves the constant predictor out when the runs’ batch sizes differ in cost units', () => {
      const c = compare([run(1), run(2, { batchSize: 16 })], opts({ yMetric: 'cost' }), colors);
      expect(view(c, 'cost').model.series.some((s) => s.role === 'reference')).toBe(false);
      const m = compare([run(1), run(2, { batchSize: 16 })], opts({ yMetric: 'mse' }), colors);
      expect(view(m, 'cost').model.series.find((s) => s.role === 'reference')?.points[0].y).toBe(0.0806);
    });

    it('draws a run still training from its live points', () => {
      const live: RunData = { run: summary(5, {}, { status: 'running', trainMs: null, finalMse: null, failed: null }), series: {}, live: { batch: [1, 11, 21], cost: [30, 10, 5], batchesDone: 30, batches: 300, elapsedMs: 15 } };
      expect(costPoints(live, 'batch', 'cost')).toEqual([
        { x: 1, y: 30 },
        { x: 11, y: 10 },
        { x: 21, y: 5 },
      ]);
      expect(costPoints(live, 'seconds', 'cost')[2].x).toBeCloseTo(0.0105, 12);
    });

    it('spans a live run’s batches on the x axis from its first points (not rescaling as they come in)', () => {
      const live: RunData = { run: summary(5, { batches: 20_000 }, { status: 'running', trainMs: null, finalMse: null, failed: null }), series: {}, live: { batch: [1, 11, 21], cost: [30, 10, 5], batchesDone: 30, batches: 20_000, elapsedMs: 15 } };
      expect(view(compare([live], opts(), colors), 'cost').model.x).toMatchObject({ min: 0, max: 20_000 });
      expect(view(compare([live], opts({ xAxis: 'samples' }), colors), 'cost').model.x).toMatchObject({ min: 0, max: 20_000 * 32 });
      // beside a longer finished run, the longer one's end; by time, the chart's own range (the end is not known)
      expect(view(compare([live, run(1, { batches: 30_000 })], opts(), colors), 'cost').model.x.max).toBe(30_000);
      expect(view(compare([live], opts({ xAxis: 'seconds' }), colors), 'cost').model.x.max).toBeUndefined();
      // once stored, the run's own curve sets the axis
      expect(view(compare([run(1)], opts(), colors), 'cost').model.x.max).toBeUndefined();
    });
  });

  describe('replicate groups', () => {
    // mean 0: 3 seeds learn; mean −eps: 2 of 3 seeds fail, one with every hidden unit dead at init
    const zero = [1, 2, 3].map((i) => run(i, { initSeed: i }));
    const minus = [4, 5, 6].map((i) => run(i, { initSeed: i - 3, initMean: -0.1 }, { testMse: i === 6 ? 0.002 : 1, end: i === 6 ? 0.05 : 32 }));
    minus[0].run.diagnostics!.atInit.dead[0] = Array.from({ length: 16 }, (_, k) => k);
    minus[1].run.diagnostics!.atEnd.dead[1] = [0];
    const data = [...zero, ...minus];
    const c = compare(data, opts({ mode: 'groups' }), colors);

    it('groups by configuration and labels groups by what differs', () => {
      expect(c.items.map((i) => i.label)).toEqual(['mean 0 (3 seeds)', 'mean −0.1 (3 seeds)']);
      expect(c.diff.map((r) => r.field)).toEqual(['initMean']);
      expect(c.seedsVary).toBe(true);
    });

    it('draws each group as a median line over its band', () => {
      const roles = view(c, 'cost').model.series.map((s) => s.role);
      expect(roles.filter((r) => r === 'band-hi')).toHaveLength(2);
      expect(view(c, 'cost').model.series.filter(inLegend).map((s) => s.label)).toEqual(['mean 0 (3 seeds) median', 'mean −0.1 (3 seeds) median', 'constant predictor (r² = 0)']);
      const mean = compare(data, opts({ mode: 'groups', aggregate: 'mean', smoothing: 0 }), colors);
      expect(view(mean, 'cost').model.series.filter(inLegend)[0].label).toBe('mean 0 (3 seeds) mean');
      expect(view(mean, 'cost').model.notes?.[0]).toMatch(/±1 sd/);
    });

    it('counts outcome classes per group, and reads the result from the findings the table shows', () => {
      expect(c.groups.map((g) => [g.outcomes.counts.learned, g.outcomes.counts['learned-nothing'], g.outcomes.n])).toEqual([
        [3, 0, 3],
        [1, 2, 3],
      ]);
      // the table's rows are the findings' groups
      expect(c.groups.map((g) => g.outcomes)).toEqual(c.findings.configs.map((g) => g.outcomes));
      expect(c.groups[1].dead?.allHiddenDeadAtInit).toBe(1);
      expect(c.reading[0]).toMatch(/^Outcomes \(r² = 1 − test MSE \/ 0\.0806, the best constant predictor’s MSE/);
      expect(c.reading[0]).toMatch(/mean 0: 3 learned \(\d+ %–100 %\), 0 underfit \(0 %–\d+ %\), 0 learned nothing \(0 %–\d+ %\) of 3; mean −0\.1: 1 learned/);
      // a different threshold is a different count, and the reading says which
      const strict = compare(data, opts({ mode: 'groups', learnedAt: 0.99 }), colors);
      expect(strict.groups[0].outcomes.counts).toMatchObject({ learned: 0, underfit: 3 });
      expect(strict.reading[0]).toMatch(/learned: r² ≥ 0\.99/);
    });

    it('shows the test MSE of every seed on a strip, one column per group, with the lines of the classes', () => {
      expect(view(c, 'strip').model.x.categories).toEqual(['mean 0 (3 seeds)', 'mean −0.1 (3 seeds)']);
      const pts = view(c, 'strip').model.series.filter((s) => s.role === 'points');
      expect(pts.map((s) => s.points.map((p) => p.y))).toEqual([
        [0.002, 0.002, 0.002],
        [1, 1, 0.002],
      ]);
      expect(pts[1].points.every((p) => p.x > 0.5 && p.x < 1.5)).toBe(true);
      const lines = view(c, 'strip').model.series.filter((s) => s.role === 'reference');
      expect(lines.map((l) => [l.label, l.points[0].y])).toEqual([
        ['constant predictor (r² = 0)', 0.0806],
        ['learned (r² = 0.9)', (1 - 0.9) * 0.0806],
      ]);
    });

    it('keeps a diverged seed in its group’s median at +∞ from its divergence on, and says so', () => {
      const ok = [1, 2].map((i) => run(i, { initSeed: i }));
      const bad = run(3, { initSeed: 3 });
      bad.run = { ...bad.run, status: 'diverged', finalMse: null, testMse: null, batchesRun: 100 };
      bad.series.cost = ws([100], bad.series.cost!.data.slice(0, 100) as number[]);
      (bad.series.cost.data as (number | null)[])[99] = null;
      const g = compare([...ok, bad], opts({ mode: 'groups', smoothing: 0, yMetric: 'cost' }), colors);
      const centre = view(g, 'cost').model.series.find((s) => s.role === 'centre')!;
      expect(centre.points).toHaveLength(300);
      expect(centre.label).toBe('all runs (3 seeds) median — 1 of 3 diverged');
      // from batch 100 on, the median of two finite costs and +∞ is the larger finite one
      const cost2 = (i: number) => ok[1].series.cost!.data[i] as number;
      expect(centre.points[150].y).toBe(cost2(150));
      const hi = view(g, 'cost').model.series.find((s) => s.role === 'band-hi')!;
      expect(hi.points[150].y).toBe(Infinity);
      expect(hi.points[50].y).toBeLessThan(Infinity);
      expect(view(g, 'cost').model.notes?.join(' ')).toMatch(/diverged run’s cost counts as \+∞/);
      expect(view(g, 'strip').model.notes?.[1]).toBe('1 run not drawn: test MSE not finite (diverged)');
    });

    it('calls a group’s centre line its centre in the exported rows, not “mean” of a median (the CSV, the JSON and the data table said role “mean” beside “… median”)', () => {
      const runs = [1, 2, 3].map((i) => run(i, { initSeed: i }));
      for (const aggregate of ['median', 'mean'] as const) {
        const g = compare(runs, opts({ mode: 'groups', aggregate }), colors);
        for (const id of ['cost', 'fits'] as const) {
          const model = id === 'cost' ? view(g, 'cost').model : view(g, 'fits').fits[0];
          const rows = chartRows(model).slice(1);
          const centre = rows.filter((r) => String(r[0]).endsWith(` ${aggregate}`));
          expect(centre.length, `${id} ${aggregate}`).toBeGreaterThan(0);
          expect(new Set(centre.map((r) => r[1])), `${id} ${aggregate}`).toEqual(new Set(['centre']));
          expect(rows.some((r) => r[1] === 'mean'), `${id} ${aggregate}`).toBe(false);
        }
      }
    });

    it('aggregates the fits per group too', () => {
      expect(view(c, 'fits').fits[0].series.filter(inLegend).map((s) => s.label)).toEqual(['truth: sin x', 'mean 0 (3 seeds) median', 'mean −0.1 (3 seeds) median']);
    });
  });

  describe('runs of two losses (a sweep over task: sincos on sse, circle on cross-entropy)', () => {
    const circle = { task: 'circle' as const, shape: [2, 8, 8, 2], loss: 'cross-entropy' as const, outputActivation: 'softmax' as const };
    const data = [run(1), run(2, circle, { end: 3 }), run(3), run(4, circle, { end: 3 })];

    it('draws a cost chart per loss, each on its own axis naming its loss and saying which runs are in the other (it drew both on one “loss per sample” axis)', () => {
      const c = compare(data, opts({ smoothing: 0 }), colors);
      const cost = view(c, 'cost');
      const charts = [cost, ...cost.more];
      expect(charts.map((v) => v.model.id)).toEqual(['cost-sse', 'cost-cross-entropy']);
      expect(charts.map((v) => v.model.title)).toEqual(['MSE per sample', 'Cross-entropy per sample']);
      expect(charts.map((v) => v.model.y.label)).toEqual(['MSE per sample', 'cross-entropy per sample']);
      expect(charts.map((v) => v.model.runs.map((r) => r.id))).toEqual([[1, 3], [2, 4]]);
      expect(charts.map((v) => v.model.series.filter(inLegend).map((s) => s.label))).toEqual([
        ['#1 sincos · shape [1, 16, 2] · output seed · sse', '#3 sincos · shape [1, 16, 2] · output seed · sse', 'constant predictor (r² = 0)'],
        ['#2 circle · shape [2, 8, 8, 2] · output softmax · cross-entropy', '#4 circle · shape [2, 8, 8, 2] · output softmax · cross-entropy'],
      ]);
      // each chart's reading note is its own runs' kind's
      expect(charts.map((v) => v.kinds)).toEqual([['regression'], ['classification']]);
      expect(cost.model.notes).toContain('runs #2, #4 train on cross-entropy, another unit: they are in their own chart, Cross-entropy per sample');
      expect(cost.more[0].model.notes).toContain('runs #1, #3 train on sse (squared error), another unit: they are in their own chart, MSE per sample');
    });

    it('pairs no sincos run with a circle run in the paired panel (it drew “MSE per sample, A − B” of an MSE minus a cross-entropy), and names a classification pair’s own units', () => {
      expect(compare(data, opts({ mode: 'groups' }), colors).views.paired).toBeUndefined();
      const xor = { ...circle, task: 'xor' as const };
      const p = view(compare([run(1, circle), run(2, xor), run(3, circle), run(4, xor)], opts({ mode: 'groups' }), colors), 'paired');
      expect(p.chart!.y.label).toBe('cross-entropy per sample, A − B (same seeds)');
      expect(p.lower).toBe('loss');
      expect(p.chart!.notes).toContain('cross-entropy per sample of each batch, A − B: median over the pairs, band from the 25th to the 75th percentile; below 0, A has the lower loss');
      expect(p.chart!.notes!.some((n) => n.startsWith('test error (1 − accuracy) A − B at the end: median'))).toBe(true);
      // circle on sse against circle on cross-entropy: one measure (test error), paired; two losses, no curve
      const sse = { ...circle, loss: 'sse' as const };
      const q = view(compare([run(1, sse), run(2, circle), run(3, sse), run(4, circle)], opts({ mode: 'groups' }), colors), 'paired');
      expect(q.comparison.pairs).toBe(2);
      expect(q.comparison.measure).toBe('test error');
      expect(q.chart).toBeNull();
      expect(q.curve.batch).toEqual([]);
      expect(q.noChart).toBe('No loss-difference chart: A trains on sse and B on cross-entropy, two units; the test scores above compare them.');
    });

    it('offers as B only the configurations that pair with A, saying beside the others why not, and never loses the panel to a choice (a B without A’s seeds emptied it)', () => {
      // tanh first, on seeds no other configuration has; relu and sigmoid share seeds 2 and 3; circle shares them but is scored by test error
      const tanh = { activation: 'tanh' as const };
      const sig = { activation: 'sigmoid' as const };
      const runs = [run(1, { ...tanh, initSeed: 7 }), run(2, { ...tanh, initSeed: 8 }), run(3), run(4, { initSeed: 3 }), run(5, sig), run(6, { ...sig, initSeed: 3 }), run(7, circle), run(8, { ...circle, initSeed: 3 }), run(9, { ...sig, initSeed: 4 })];
      const p = view(compare(runs, opts({ mode: 'groups' }), colors), 'paired');
      const key = (i: number) => runs[i].run.configKey;
      // A is the first configuration that pairs with another: tanh pairs with none
      expect([p.aKey, p.bKey]).toEqual([key(2), key(4)]);
      expect(p.groups.map((g) => [g.whyNotA, g.whyNotB])).toEqual([
        ['pairs with no other configuration here', 'no ended run has A’s init and data seeds'],
        [null, null],
        [null, null],
        // circle is the only classification: it pairs with none either
        ['pairs with no other configuration here', 'scored by test error (1 − accuracy), A by test MSE'],
      ]);
      // sigmoid's seed 4 has no partner: A = sigmoid still pairs with relu, two pairs
      const q = view(compare(runs, opts({ mode: 'groups', pairA: key(4), pairB: key(0) }), colors), 'paired');
      expect([q.aKey, q.bKey]).toEqual([key(4), key(2)]);
      expect(q.comparison.pairs).toBe(2);
      // a B that shares one pair only is named so
      const one = [run(1), run(2, { initSeed: 3 }), run(3, sig), run(4, { ...sig, initSeed: 3 }), run(5, tanh), run(6, { ...tanh, initSeed: 9 })];
      const r = view(compare(one, opts({ mode: 'groups' }), colors), 'paired');
      expect(r.groups.map((g) => g.whyNotB)).toEqual([null, null, 'only 1 ended run has A’s seeds: a paired comparison needs 2']);
      // an A chosen that pairs with nothing falls back to one that does
      const s = view(compare(runs, opts({ mode: 'groups', pairA: key(0) }), colors), 'paired');
      expect(s.aKey).toBe(key(2));
    });

    it('names the loss-difference chart by what differs between A and B, not by every field that differs in the comparison (a six-configuration sweep drew a title squeezed to illegibility and a legend cut at both ends)', () => {
      const at = (activation: 'relu' | 'sigmoid', learningRate: number, optimizer: 'sgd' | 'adam') => ({ activation, learningRate, optimizer });
      const specs = [at('relu', 1, 'sgd'), at('relu', 0.1, 'sgd'), at('sigmoid', 1, 'adam')];
      const runs = specs.flatMap((sp, i) => [run(2 * i + 1, sp), run(2 * i + 2, { ...sp, initSeed: 3 })]);
      const p = view(compare(runs, opts({ mode: 'groups' }), colors), 'paired');
      expect([p.a.name, p.b.name]).toEqual(['relu · lr 1 · sgd', 'relu · lr 0.1 · sgd']);
      expect(p.chart!.title).toBe('Loss difference per batch: lr 1 − lr 0.1');
      expect(p.chart!.series.find((x) => x.id === 'difference')!.label).toBe('lr 1 − lr 0.1, median over 2 pairs');
      // the notes and the exported columns name each side in full
      expect(p.chart!.notes![0]).toBe('A = relu · lr 1 · sgd, B = relu · lr 0.1 · sgd; 2 pairs of runs with the same init and data seeds');
      expect(p.chart!.series[0].meta).toMatchObject({ config_a: 'relu · lr 1 · sgd', config_b: 'relu · lr 0.1 · sgd' });
    });

    it('draws the gradient norms of each loss in a chart of its own: a gradient is its loss’s (it drew both losses’ on one axis)', () => {
      const withGrads = data.map((d) => ({ ...d, series: { ...d.series, gradNorms: ws([3, 2], [0.5, 0.2, 0.3, 0.1, 0.2, 0.05]) } }));
      const g = view(compare(withGrads, opts({ mode: 'groups' }), colors), 'grad-norms');
      const charts = [g, ...(g.more ?? [])];
      expect(charts.map((v) => v.model.id)).toEqual(['grad-norms-sse', 'grad-norms-cross-entropy']);
      expect(charts.map((v) => v.model.runs.map((r) => r.id))).toEqual([[1, 3], [2, 4]]);
      expect(g.model.notes).toContain('runs #2, #4 train on cross-entropy, another unit: they are in their own chart, Gradient norm by layer');
      // one loss: the one chart, as before
      const one = view(compare(withGrads.filter((d) => d.run.spec.loss === 'sse'), opts({ mode: 'groups' }), colors), 'grad-norms');
      expect(one.model.id).toBe('grad-norms');
      expect(one.more).toBeUndefined();
    });

    it('draws the classification runs’ loss over training per loss (circle on sse beside circle on cross-entropy drew both on one “loss per sample” axis), and their accuracy on one: a share is a share', () => {
      const sse = { ...circle, loss: 'sse' as const };
      const metrics = (d: RunData): RunData => ({ ...d, series: { ...d.series, checkpointMetrics: ws([3, 5], [0.7, 0.7, 0.5, 0.5, 0, 0.3, 0.3, 0.8, 0.8, 0, 0.1, 0.1, 0.95, 0.95, 0]) } });
      const runs = [run(1, sse), run(2, circle), run(3, sse), run(4, circle)].map(metrics);
      const c = compare(runs, opts({ mode: 'groups' }), colors);
      const loss = view(c, 'score-loss');
      expect([loss, ...(loss.more ?? [])].map((v) => v.model.id)).toEqual(['score-loss-sse', 'score-loss-cross-entropy']);
      // each chart names its loss (both were "Loss per sample over training", and the note sent the reader to a chart of the same name)
      expect([loss, ...(loss.more ?? [])].map((v) => [v.model.title, v.model.y.label])).toEqual([
        ['MSE per sample over training', 'MSE per sample'],
        ['Cross-entropy per sample over training', 'cross-entropy per sample'],
      ]);
      expect(loss.model.notes).toContain('runs #2, #4 train on cross-entropy, another unit: they are in their own chart, Cross-entropy per sample over training');
      expect(view(c, 'accuracy').more).toBeUndefined();
      expect(view(c, 'accuracy').model.runs.map((r) => r.id)).toEqual([1, 3, 2, 4]);
      // sincos beside circle: the accuracy panels are the circle runs' only
      expect(view(compare(data.map(metrics), opts({ mode: 'groups' }), colors), 'accuracy').model.runs.map((r) => r.id)).toEqual([2, 4]);
    });

    it('gives the time to the target MSE of the sse runs only, saying which runs train on another loss (it timed circle to a cross-entropy of 0.01 under “target MSE”)', () => {
      const t = view(compare(data, opts({ targetMse: 1 }), colors), 'timing');
      expect(t.rows.map((r) => [r.label.split(' ')[0], r.reached, r.otherLoss ?? false])).toEqual([['#1', 1, false], ['#2', 0, true], ['#3', 1, false], ['#4', 0, true]]);
      expect(t.targetNote).toBe('Time to target: of the sse runs only; runs #2, #4 train on cross-entropy, whose loss per sample is no MSE.');
      // one loss: as before, every row timed to the target in that loss
      const one = view(compare(data.filter((d) => d.run.spec.loss === 'cross-entropy'), opts({ targetMse: 1 }), colors), 'timing');
      expect(one.rows.map((r) => r.reached)).toEqual([1, 1]);
      expect(one.targetNote).toBeNull();
      // …and names it in that loss: the field read “target MSE” of cross-entropy runs alone
      expect(one.targetName).toBe('cross-entropy per sample');
      expect(t.targetName).toBe('MSE');
    });

    it('splits the groups’ medians by loss too, and keeps one loss’s comparison as it was', () => {
      const g = view(compare(data, opts({ smoothing: 0, mode: 'groups' }), colors), 'cost');
      expect([g, ...g.more].map((v) => v.model.series.filter(inLegend).map((s) => s.label))).toEqual([
        ['sincos · shape [1, 16, 2] · output seed · sse (2 seeds) median', 'constant predictor (r² = 0)'],
        ['circle · shape [2, 8, 8, 2] · output softmax · cross-entropy (2 seeds) median'],
      ]);
      const one = view(compare([run(1), run(3, { activation: 'sigmoid' })], opts({ smoothing: 0 }), colors), 'cost');
      expect(one.model.id).toBe('cost');
      expect(one.more).toEqual([]);
    });
  });
});
