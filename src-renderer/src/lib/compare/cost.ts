/**
 * The cost panel: the compared runs' training curves (or each group's median or mean with its
 * band) on the chosen axes, smoothed with the raw curve faint beneath, with the constant
 * predictor's line where the runs agree on it. Live runs draw from their progress points. Pure.
 */
import type { ChartModel, PlotSeries } from '../chart-model';
import type { DiffRow } from '../diff';
import { ema, meanBand, type Point, toPoints, X_LABELS, type XAxis, xOf } from '../series';
import type { RunSummary } from '@main/db/types';
import type { TaskKind } from '@main/trainer/tasks';
import { type CompareOptions, type Item, provenanceOf, type RunData, Y_LABELS, type YMetric } from './context';
import { panel } from './panel';
import { bandNames, bandNote, chartsByLoss, ordered, referenceLine, runMeta, smoothPair, xScaleOf } from './parts';

/** A run's cost curve on the chosen axes (raw), from its stored series or its live points. */
export function costPoints(d: RunData, xAxis: XAxis, metric: YMetric): Point[] {
  const s = xScaleOf(d);
  const k = metric === 'mse' ? 1 / d.run.spec.batchSize : 1;
  const scaleY = (v: number | null) => (v === null ? null : v * k);
  const cost = d.series.cost;
  if (cost) return toPoints(cost.data.map(scaleY), cost.index, xAxis, s);
  if (d.live) return toPoints(d.live.cost.map(scaleY), d.live.batch.map((b) => b - 1), xAxis, s);
  return [];
}

/**
 * A group's cost curves for its median and band: a non-finite cost (null over the wire: the cost
 * history is dense, so null is NaN or ∞ there) is +∞, and a diverged run, which stopped at its
 * divergence, stays at +∞ to the end of the longest curve, so it is counted at every batch.
 */
export function groupCostCurves(runs: readonly RunData[], opts: Pick<CompareOptions, 'xAxis' | 'yMetric'>): Point[][] {
  const curves = runs.map((d) => ({ d, points: costPoints(d, opts.xAxis, opts.yMetric) })).filter((c) => c.points.length);
  const longest = curves.reduce<Point[]>((a, c) => (c.points.length > a.length ? c.points : a), []);
  return curves.map(({ d, points }) => {
    const own = points.map((p) => (p.y === null ? { x: p.x, y: Infinity } : p));
    if (d.run.status !== 'diverged' || d.live) return own;
    return [...own, ...longest.slice(own.length).map((p) => ({ x: p.x, y: Infinity }))];
  });
}

/** The cost axis in the runs' loss: the seed's squared error, cross-entropy, or "the loss" when they differ. */
export function lossLabels(runs: readonly Pick<RunSummary, 'spec'>[]): { title: Record<YMetric, string>; axis: Record<YMetric, string> } {
  const losses = new Set(runs.map((r) => r.spec.loss));
  if (losses.size === 1 && losses.has('sse')) return { title: { cost: 'Cost per batch', mse: 'MSE per sample' }, axis: Y_LABELS };
  const word = losses.size === 1 ? 'cross-entropy' : 'loss';
  return { title: { cost: 'Cost per batch', mse: `${losses.size === 1 ? 'Cross-entropy' : 'Loss'} per sample` }, axis: { cost: `cost (${word} of the batch)`, mse: `${word} per sample` } };
}

/**
 * Where the x axis ends while a run trains: its last batch (in batches or samples seen), or the
 * end of the longest stored curve if that is further; null when no run is live or the axis is
 * time (a live run's time to the end is not known). The axis then spans the runs' batches from
 * the first frame instead of rescaling as the points come in.
 */
export function liveXEnd(runs: readonly RunData[], xAxis: XAxis, allX: readonly number[]): number | null {
  if (xAxis === 'seconds') return null;
  const ends = runs.filter((d) => d.live && !d.series.cost).map((d) => xOf(xAxis, d.live!.batches, xScaleOf(d)) ?? 0);
  if (!ends.length) return null;
  return allX.reduce((m, x) => (x > m ? x : m), Math.max(...ends));
}

/**
 * The cost chart of `items`. `positions`: each item's place among the comparison's items (the
 * config diff's columns), when the items are some of them (one loss's, costPanel).
 */
export function costChart(items: Item[], diff: DiffRow[], opts: CompareOptions, mutedColor: string, positions?: readonly number[]): ChartModel {
  const series: PlotSeries[] = [];
  const allX: number[] = [];
  const notes: string[] = [];
  let divergedNote = false;
  for (const [k, item] of items.entries()) {
    const i = positions?.[k] ?? k;
    if (opts.mode === 'runs' || item.runs.length === 1) {
      const d = item.runs[0];
      const raw = costPoints(d, opts.xAxis, opts.yMetric);
      for (const p of raw) allX.push(p.x);
      const meta = opts.mode === 'runs' ? runMeta(d, diff, i) : { config: item.label, run_ids: d.run.id };
      series.push(...smoothPair(item.key, item.label, item.color, raw, opts.smoothing, meta, 'line', item));
      continue;
    }
    const curves = groupCostCurves(item.runs, opts);
    if (!curves.length) continue;
    const band = meanBand(curves, opts.aggregate, { nonFinite: 'worst' });
    for (const x of band.x) allX.push(x);
    const [centre, lo, hi] = bandNames(opts.aggregate);
    const sm = (ys: (number | null)[]) => (opts.smoothing > 0 ? ema(ys, opts.smoothing) : ys);
    const meta = { config: item.label, run_ids: item.runs.map((d) => d.run.id).join(' ') };
    const pts = (ys: (number | null)[]) => band.x.map((x, k) => ({ x, y: ys[k] }));
    // a diverged run stays diverged: the count at the end is the count
    const divergedRuns = Math.max(0, ...band.nonFinite);
    const diverged = divergedRuns ? `${divergedRuns} of ${Math.max(...band.n)}` : null;
    if (diverged) divergedNote = true;
    series.push({ id: `${item.key}-lo`, label: `${item.label} ${lo}`, color: item.color, role: 'band-lo', points: pts(sm(band.lo)), legend: false, meta });
    series.push({ id: `${item.key}-hi`, label: `${item.label} ${hi}`, color: item.color, role: 'band-hi', points: pts(sm(band.hi)), fillTo: `${item.key}-lo`, legend: false, meta });
    series.push(...smoothPair(item.key, `${item.label} ${centre}${diverged ? ` — ${diverged} diverged` : ''}`, item.color, pts(band.mean), opts.smoothing, meta, 'centre', item));
  }
  if (items.some((it) => opts.mode === 'groups' && it.runs.length > 1)) notes.push(bandNote(opts.aggregate));
  if (divergedNote) notes.push('a diverged run’s cost counts as +∞ from its divergence on: the median and band rise with it instead of forgetting it, and leave the chart where they are not finite');
  if (opts.smoothing > 0) notes.push(`smoothing: exponential moving average, weight ${opts.smoothing}; raw curves faint`);
  // the constant predictor, where the runs agree on it
  const runs = items.flatMap((it) => it.runs.map((d) => d.run));
  const baselines = [...new Set(runs.map((r) => (opts.yMetric === 'mse' ? r.baselineMse : r.baselineMse === null ? null : r.baselineMse * r.spec.batchSize)).filter((b): b is number => b !== null))];
  if (baselines.length === 1) {
    const ref = referenceLine('baseline', 'constant predictor (r² = 0)', baselines[0], allX, mutedColor);
    if (ref) series.push(ref);
  }
  const labels = lossLabels(runs);
  const liveEnd = liveXEnd(items.flatMap((it) => it.runs), opts.xAxis, allX);
  return {
    id: 'cost',
    title: labels.title[opts.yMetric],
    kind: 'line',
    // a live run's axis spans its batches from the start (from batch 1 on a log axis)
    x: liveEnd === null ? { label: X_LABELS[opts.xAxis], log: opts.logX } : { label: X_LABELS[opts.xAxis], log: opts.logX, min: opts.logX ? 1 : 0, max: liveEnd },
    y: { label: labels.axis[opts.yMetric], log: opts.logY },
    series: ordered(series),
    runs: provenanceOf(items.flatMap((it) => it.runs)),
    notes,
  };
}

export interface CostChartView {
  model: ChartModel;
  /** The kinds of task among the chart's runs (what their scores are). */
  kinds: TaskKind[];
  /** What to read the chart by: what its dashed line is, where it draws one, and what each kind's outcomes are judged on. */
  reading: string[];
}

export interface CostView extends CostChartView {
  /**
   * The charts of the other losses among the runs, one per loss (empty when they train on one):
   * a loss is a unit, and two units on one axis read as one scale. `model` is the first loss's.
   */
  more: CostChartView[];
}

/**
 * The cost charts: one of every run when they train on one loss (id `cost`), else one per loss
 * (`cost-sse`, `cost-cross-entropy`), in the order the losses first appear, each saying which runs
 * are in the other charts.
 */
export function costCharts(items: Item[], diff: DiffRow[], opts: CompareOptions, mutedColor: string): CostView {
  const kindsOf = (its: readonly Item[]) => [...new Set(its.flatMap((it) => it.runs.map((d) => d.run.kind)))];
  const charts = chartsByLoss(items, (its, positions) => costChart(its, diff, opts, mutedColor, positions));
  const [first, ...rest] = charts.map((c) => {
    const kinds = kindsOf(c.items);
    return { model: c.model, kinds, reading: costReading(c.model, kinds) };
  });
  return { ...first, more: rest };
}

/** The sentences under a cost chart: the dashed line is named only where the chart draws it (a running run has no constant predictor yet, runs of two tasks no one line). */
function costReading(model: ChartModel, kinds: readonly TaskKind[]): string[] {
  const out: string[] = [];
  if (kinds.includes('regression')) {
    const dashed = model.series.some((s) => s.id === 'baseline') ? 'Dashed: the best constant predictor’s error (r² = 0). ' : '';
    out.push(`${dashed}Outcomes are judged on the test grid (the replicate table and the test-MSE strip), not on these training batches.`);
  }
  if (kinds.includes('classification')) {
    out.push('Classification runs are judged on their held-out test points by skill (accuracy against the majority class’s share: the boundaries and the accuracy charts), not on these training batches.');
  }
  return out;
}

export const costPanel = panel({
  id: 'cost',
  needs: ['cost'],
  // the kinds of task say which of the chart's reading notes apply (CostChart)
  build: (ctx): CostView => costCharts(ctx.items, ctx.diff, ctx.options, ctx.colors.muted),
});
