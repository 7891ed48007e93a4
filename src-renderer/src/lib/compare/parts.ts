/**
 * Pieces the Compare panels' charts share: a run's x scale (samples, seconds), a curve with its
 * smoothed twin, the series order chart.js draws in, reference lines, the words for a group's
 * centre line and band, the per-run columns of an export, and charts split by loss. Pure.
 */
import { byLoss, LOSS_WORDS } from '@main/analysis/units';
import type { RunSpec } from '@main/trainer/spec';
import type { ChartModel, PlotSeries } from '../chart-model';
import type { DiffRow } from '../diff';
import { type Aggregate, ema, type Point, withY, type XScale } from '../series';
import type { Item, RunData } from './context';

export function xScaleOf(d: RunData): XScale {
  const { run } = d;
  let msPerBatch: number | null = null;
  if (run.trainMs !== null && run.batchesRun) msPerBatch = run.trainMs / run.batchesRun;
  else if (d.live && d.live.batchesDone > 0) msPerBatch = d.live.elapsedMs / d.live.batchesDone;
  return { batchSize: run.spec.batchSize, msPerBatch };
}

/** A run's columns in an export: its id, its values of the differing fields, its seeds. */
export function runMeta(d: RunData, diff: DiffRow[], i: number): Record<string, string | number | null> {
  const meta: Record<string, string | number | null> = { run_id: d.run.id };
  for (const r of diff) meta[r.field] = r.values[i];
  meta.initSeed = d.run.initSeed;
  meta.dataSeed = d.run.dataSeed;
  return meta;
}

/** A curve and, when smoothed, its faint raw twin; `line` gives the curve's dash and its legend tooltip. */
export function smoothPair(id: string, label: string, color: string, raw: Point[], smoothing: number, meta: PlotSeries['meta'], role: 'line' | 'centre' = 'line', line: Pick<PlotSeries, 'dash' | 'detail'> = {}): PlotSeries[] {
  const look = { ...(line.dash?.length ? { dash: line.dash } : {}), ...(line.detail ? { detail: line.detail } : {}) };
  if (smoothing <= 0) return [{ id, label, color, role, points: raw, meta, ...look }];
  const smooth = withY(raw, ema(raw.map((p) => p.y), smoothing));
  return [
    { id, label, color, role: role === 'centre' ? 'centre' : 'smoothed', points: smooth, meta, ...look },
    { id: `${id}-raw`, label: `${label} (raw)`, color, role: 'raw', points: raw, opacity: 0.22, width: 1, legend: false, meta },
  ];
}

/** Orders series so the main curves come first (drawn on top, listed in the legend) and faint ones last. */
export function ordered(series: PlotSeries[]): PlotSeries[] {
  const rank = (s: PlotSeries) => (s.role === 'raw' ? 2 : s.role === 'band-lo' || s.role === 'band-hi' ? 3 : s.role === 'reference' ? 1 : 0);
  return series.map((s, i) => ({ s, i })).sort((a, b) => rank(a.s) - rank(b.s) || a.i - b.i).map(({ s }) => s);
}

export function referenceLine(id: string, label: string, y: number, xs: number[], color: string): PlotSeries | null {
  const finite = xs.filter(Number.isFinite);
  if (!finite.length || !Number.isFinite(y)) return null;
  return { id, label, color, role: 'reference', dash: [6, 4], width: 1.5, points: [{ x: Math.min(...finite), y }, { x: Math.max(...finite), y }] };
}

/** Legend words for a group's centre line and band edges. */
export function bandNames(how: Aggregate): [string, string, string] {
  return how === 'median' ? ['median', '25 %', '75 %'] : ['mean', 'mean − sd', 'mean + sd'];
}

export function bandNote(how: Aggregate): string {
  return how === 'median'
    ? 'groups: median over the seeds, band from the 25th to the 75th percentile'
    : 'groups: mean over the seeds with a ±1 sd band (clipped to the lowest and highest run)';
}

/**
 * Charts of the items split by their runs' loss (analysis/units.ts): one chart of every item when
 * they train on one loss (`build`'s own id), else one per loss (`<id>-sse`, `<id>-cross-entropy`,
 * the losses in the order they first appear), each noting which runs are in the other charts. A
 * loss is a unit: a squared error and a cross-entropy on one axis read as one scale. `build` gets
 * the items and their places among all of them (the config diff's columns); null: nothing to draw.
 */
export function chartsByLoss(items: readonly Item[], build: (items: Item[], positions: number[]) => ChartModel | null): { loss: RunSpec['loss']; model: ChartModel; items: Item[] }[] {
  const losses = byLoss(items, (it) => it.runs[0].run.spec.loss);
  if (losses.length <= 1) {
    const model = build([...items], items.map((_, i) => i));
    return model ? [{ loss: losses[0]?.loss ?? 'sse', model, items: [...items] }] : [];
  }
  const charts = losses.flatMap((l) => {
    const model = build(l.items, l.items.map((it) => items.indexOf(it)));
    return model ? [{ loss: l.loss, model: { ...model, id: `${model.id}-${l.loss}` }, items: l.items }] : [];
  });
  if (charts.length < 2) return charts;
  for (const c of charts) {
    const others = charts.filter((o) => o !== c).map((o) => {
      const ids = o.model.runs.map((r) => `#${r.id}`).join(', ');
      const one = o.model.runs.length === 1;
      return `${one ? 'run' : 'runs'} ${ids} ${one ? 'trains' : 'train'} on ${o.loss}${o.loss === 'sse' ? ` (${LOSS_WORDS.sse})` : ''}, another unit: ${one ? 'it is in its' : 'they are in their'} own chart, ${o.model.title}`;
    });
    c.model.notes = [...(c.model.notes ?? []), ...others];
  }
  return charts;
}
