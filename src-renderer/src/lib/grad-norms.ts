/**
 * Gradient norms over time: the L2 norm of each layer's mean gradient at the run's checkpoints
 * (stored as the series `gradNorms`, (checkpoints, layers), beside `checkpointBatches`), one line
 * per run and layer on a log axis — a layer whose gradient collapses to zero (dead relu units, a
 * saturated sigmoid) drops out of the chart. In groups mode, the median over the seeds with the
 * 25–75 % band (or mean ± sd), per layer. Pure.
 */
import type { WireSeries } from '@main/api/contract';
import type { ChartModel, PlotSeries } from './chart-model';
import { bandNames, bandNote, type CompareOptions, type Item, provenanceOf, type RunData } from './compare';
import { meanBand, type Point } from './series';

/** Dash patterns by layer: solid, dashed, dotted, dash-dot… */
const DASHES: number[][] = [[], [7, 4], [2, 3], [8, 3, 2, 3]];

/** A layer's name by where its weights lead: "hidden 1", …, "output". */
export function layerName(l: number, layers: number): string {
  return l === layers - 1 ? 'output' : `hidden ${l + 1}`;
}

/** A run's gradient norm of layer l at each checkpoint (null where not recorded, e.g. at batch 0). */
export function gradNormPoints(d: RunData, l: number): Point[] {
  const g = d.series.gradNorms as WireSeries | undefined;
  const b = d.series.checkpointBatches as WireSeries | undefined;
  if (!g || !b || g.index || g.shape.length !== 2) return [];
  const [rows, layers] = g.shape;
  if (l >= layers) return [];
  const out: Point[] = [];
  for (let k = 0; k < rows; k++) {
    const x = b.data[k];
    if (x === null || x === undefined) continue;
    const y = g.data[k * layers + l];
    out.push({ x, y: y !== null && y > 0 ? y : null });
  }
  return out;
}

function layersOf(d: RunData): number {
  const g = d.series.gradNorms as WireSeries | undefined;
  return g && g.shape.length === 2 ? g.shape[1] : 0;
}

/** The chart of the compared runs' (or groups') gradient norms by layer; null when none has them. */
export function gradNormChart(items: readonly Item[], opts: Pick<CompareOptions, 'mode' | 'aggregate'>): ChartModel | null {
  const series: PlotSeries[] = [];
  const used: RunData[] = [];
  const maxLayers = Math.max(0, ...items.flatMap((it) => it.runs.map(layersOf)));
  if (maxLayers === 0) return null;
  const notes: string[] = [];
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
          const label = runs.length > 1 ? `#${d.run.id} ${name}` : `${item.label} · ${name}`;
          series.push({ id: `${item.key}-${d.run.id}-l${l}`, label, color: item.color, role: 'line', dash, points: gradNormPoints(d, l), meta: { ...meta, run_ids: d.run.id } });
        }
        continue;
      }
      const band = meanBand(runs.map((d) => gradNormPoints(d, l)), opts.aggregate);
      const [centre, lo, hi] = bandNames(opts.aggregate);
      const pts = (ys: (number | null)[]) => band.x.map((x, k) => ({ x, y: ys[k] }));
      const id = `${item.key}-l${l}`;
      series.push({ id: `${id}-lo`, label: `${item.label} · ${name} ${lo}`, color: item.color, role: 'band-lo', points: pts(band.lo), legend: false, meta });
      series.push({ id: `${id}-hi`, label: `${item.label} · ${name} ${hi}`, color: item.color, role: 'band-hi', fillTo: `${id}-lo`, points: pts(band.hi), legend: false, meta });
      series.push({ id, label: `${item.label} · ${name} ${centre}`, color: item.color, role: 'mean', dash, points: pts(band.mean), meta });
    }
  }
  if (!series.length) return null;
  if (opts.mode === 'groups' && items.some((it) => it.runs.length > 1)) notes.push(bandNote(opts.aggregate));
  notes.push('L2 norm of each layer’s mean gradient (bias column included) at the checkpoints; a layer named by where its weights lead; zero norms (no gradient at all) are gaps on the log axis');
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
