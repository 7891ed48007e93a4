/**
 * The gradient-norm panel: the L2 norm of each layer's mean gradient at the run's checkpoints
 * over training (stored as the series `gradNorms`, (checkpoints, layers), beside `checkpointBatches`), one line
 * per run and layer on a log axis. In groups mode, the median over the seeds with the 25–75 % band
 * (or mean ± sd), per layer. Pure.
 *
 * A norm of exactly 0 (every unit feeding the layer dead: no gradient at all) is a value, and the
 * median counts it: when most seeds have no gradient the median is 0, and a log axis cannot draw
 * 0, so the line leaves the chart there and its label says "k of n at 0". A non-finite norm (a
 * diverging run) counts as +∞. Checkpoints a run never reached (batch 0, or after it stopped) are
 * not values.
 */
import type { ChartModel, PlotSeries } from '../chart-model';
import { countAlong, meanBand, type Point } from '../series';
import { type CompareOptions, type Item, provenanceOf, type RunData } from './context';
import { type ChartView, panel } from './panel';
import { bandNames, bandNote, chartsByLoss } from './parts';

/** Dash patterns by layer: solid, dashed, dotted, dash-dot… */
const DASHES: number[][] = [[], [7, 4], [2, 3], [8, 3, 2, 3]];

/** A layer's name by where its weights lead: "hidden 1", …, "output". */
export function layerName(l: number, layers: number): string {
  return l === layers - 1 ? 'output' : `hidden ${l + 1}`;
}

/**
 * A run's gradient norm of layer l at each checkpoint: 0 where the layer had no gradient,
 * Infinity where it was not finite (null over the wire at a checkpoint the run reached), null
 * where nothing was recorded (batch 0, before any gradient; checkpoints after the run stopped).
 */
export function gradNormPoints(d: RunData, l: number): Point[] {
  const g = d.series.gradNorms;
  const b = d.series.checkpointBatches;
  if (!g || !b || g.index || g.shape.length !== 2) return [];
  const [rows, layers] = g.shape;
  if (l >= layers) return [];
  const reached = d.run.batchesRun ?? Infinity;
  const out: Point[] = [];
  for (let k = 0; k < rows; k++) {
    const x = b.data[k];
    if (x === null || x === undefined) continue;
    const y = g.data[k * layers + l];
    const recorded = x > 0 && x <= reached;
    out.push({ x, y: !recorded ? null : y === null || !Number.isFinite(y) ? Infinity : y });
  }
  return out;
}

/** " — 14 of 20 at 0" (and non-finite counts) for a label; "" when every value can be drawn. */
function offAxis(zeros: string | null, nonFinite: string | null): string {
  const parts = [zeros && `${zeros} at 0`, nonFinite && `${nonFinite} not finite`].filter(Boolean);
  return parts.length ? ` — ${parts.join(', ')}` : '';
}

function layersOf(d: RunData): number {
  const g = d.series.gradNorms;
  return g && g.shape.length === 2 ? g.shape[1] : 0;
}

/** The chart of the compared runs' (or groups') gradient norms by layer; null when none has them. */
export function gradNormChart(items: readonly Item[], opts: Pick<CompareOptions, 'mode' | 'aggregate'>): ChartModel | null {
  const series: PlotSeries[] = [];
  const used: RunData[] = [];
  const maxLayers = Math.max(0, ...items.flatMap((it) => it.runs.map(layersOf)));
  if (maxLayers === 0) return null;
  const notes: string[] = [];
  let zeroMedian = false;
  for (const item of items) {
    const runs = item.runs.filter((d) => layersOf(d) > 0);
    if (!runs.length) continue;
    used.push(...runs);
    const layers = Math.max(...runs.map(layersOf));
    for (let l = 0; l < layers; l++) {
      const name = layerName(l, layers);
      const dash = DASHES[l % DASHES.length];
      const meta = { config: item.label, layer: name, run_ids: runs.map((d) => d.run.id).join(' ') };
      if (opts.mode === 'runs' || runs.length === 1) {
        for (const d of runs) {
          const points = gradNormPoints(d, l);
          const recorded = points.filter((p) => p.y !== null).length;
          const at = (test: (y: number) => boolean) => {
            const k = points.filter((p) => p.y !== null && test(p.y)).length;
            return k ? `${k} of ${recorded} checkpoints` : null;
          };
          const label = `${runs.length > 1 ? `#${d.run.id} ${name}` : `${item.label} · ${name}`}${offAxis(at((y) => y === 0), at((y) => !Number.isFinite(y)))}`;
          series.push({ id: `${item.key}-${d.run.id}-l${l}`, label, color: item.color, role: 'line', dash, points, meta: { ...meta, run_ids: d.run.id } });
        }
        continue;
      }
      const band = meanBand(
        runs.map((d) => gradNormPoints(d, l)),
        opts.aggregate,
        { nonFinite: 'worst' },
      );
      const [centre, lo, hi] = bandNames(opts.aggregate);
      const pts = (ys: (number | null)[]) => band.x.map((x, k) => ({ x, y: ys[k] }));
      const id = `${item.key}-l${l}`;
      const label = `${item.label} · ${name} ${centre}${offAxis(countAlong(band.zeros, band.n), countAlong(band.nonFinite, band.n))}`;
      series.push({ id: `${id}-lo`, label: `${item.label} · ${name} ${lo}`, color: item.color, role: 'band-lo', points: pts(band.lo), legend: false, meta });
      series.push({ id: `${id}-hi`, label: `${item.label} · ${name} ${hi}`, color: item.color, role: 'band-hi', fillTo: `${id}-lo`, points: pts(band.hi), legend: false, meta });
      series.push({ id, label, color: item.color, role: 'centre', dash, points: pts(band.mean), meta });
      if (band.mean.some((m, k) => m === 0 && band.n[k] > 0)) zeroMedian = true;
    }
  }
  if (!series.length) return null;
  if (opts.mode === 'groups' && items.some((it) => it.runs.length > 1)) notes.push(bandNote(opts.aggregate));
  notes.push('L2 norm of each layer’s mean gradient (bias column included) at the checkpoints; a layer named by where its weights lead');
  notes.push(
    zeroMedian
      ? 'a norm of 0 (no gradient at all) is counted but cannot be drawn on a log axis: “k of n at 0” says how many runs had none, and a median line leaves the chart where the median is 0'
      : 'a norm of 0 (no gradient at all) cannot be drawn on a log axis: “at 0” in a label says how often it happened',
  );
  return {
    id: 'grad-norms',
    title: 'Gradient norm by layer',
    kind: 'line',
    x: { label: 'batch' },
    y: { label: 'gradient norm (L2)', log: true },
    // main lines first (drawn on top and listed), bands last
    series: [...series.filter((s) => s.role !== 'band-lo' && s.role !== 'band-hi'), ...series.filter((s) => s.role === 'band-lo' || s.role === 'band-hi')],
    runs: provenanceOf(used),
    notes,
  };
}

export const gradNormsPanel = panel({
  id: 'grad-norms',
  needs: ['gradNorms', 'checkpointBatches'],
  build: ({ items, options }): ChartView | null => {
    // a gradient is of its run's loss: a chart per loss where the runs train on several
    const [first, ...rest] = chartsByLoss(items, (its) => gradNormChart(its, options)).map(({ model }): ChartView => ({ model, height: 280, note: 'Line style: the layer. A layer with no gradient at all has nothing left to learn from.' }));
    return first ? { ...first, ...(rest.length ? { more: rest } : {}) } : null;
  },
});
