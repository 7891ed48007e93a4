/**
 * The fits panel: for each output of the task, the truth on the test grid with each run's (or
 * group's) estimate at the chosen snapshot, and the residual (estimate − truth) below it. Runs of
 * another task than the first regression run's are left out (compare() notes it), and so are
 * classification runs (./classification.ts draws their boundaries). Pure.
 */
import type { WireSeries } from '@main/api/contract';
import { outputNames } from '@main/trainer/tasks';
import type { ChartModel, PlotSeries } from '../chart-model';
import type { DiffRow } from '../diff';
import { checkpointRowOffset, meanBand } from '../series';
import { type CompareOptions, type Item, provenanceOf, type RunData } from './context';
import { boundariesOf } from './classification';
import { panel } from './panel';
import { bandNames, ordered, referenceLine, runMeta } from './parts';

/** A (rows, cols) wire matrix's column c, with row r's value at data[r * cols + c]. */
function column(s: WireSeries | undefined, c: number, offset = 0): (number | null)[] | null {
  if (!s || s.index) return null;
  const cols = s.shape[s.shape.length - 1] ?? 1;
  const rows = s.shape.length >= 2 ? s.shape[s.shape.length - 2] : s.data.length;
  const out: (number | null)[] = [];
  for (let r = 0; r < rows; r++) out.push(s.data[offset + r * cols + c] ?? null);
  return out;
}

/** The fit of run d for output c: test inputs, targets and estimates (at the chosen snapshot). */
export function fitOf(d: RunData, c: number, fitAt: number | null): { x: number[]; truth: (number | null)[]; estimate: (number | null)[]; batch: number | null } | null {
  const xs = column(d.series.testInputs, 0);
  const truth = column(d.series.testTargets, c);
  if (!xs || !truth) return null;
  const est = d.series.estimates;
  const cps = d.series.checkpointBatches;
  if (fitAt !== null && est && est.shape.length === 3 && est.shape[0] > 0 && cps) {
    const [n, rows, cols] = est.shape;
    const k = Math.round(fitAt * (n - 1));
    const at = checkpointRowOffset(est, k);
    const estimate = at === null ? null : column({ ...est, shape: [rows, cols] }, c, at);
    if (estimate) return { x: xs.map((x) => x ?? NaN), truth, estimate, batch: cps.data[k] ?? null };
  }
  const estimate = column(d.series.testEstimates, c);
  if (!estimate) return null;
  return { x: xs.map((x) => x ?? NaN), truth, estimate, batch: null };
}

export interface FitsView {
  /** One fit chart per output, and its residual chart (same order). */
  fits: ChartModel[];
  residuals: ChartModel[];
  /** The snapshot's batch (of the first run), or null for the final fit. */
  batch: number | null;
}

/** A fit is a regression's: estimates against the target along x (a classification run has its boundary). */
export const hasFit = (d: RunData): boolean => !!d.series.testTargets && d.run.kind === 'regression';

export function fitCharts(items: Item[], diff: DiffRow[], opts: CompareOptions, truthColor: string, mutedColor: string): { fits: ChartModel[]; residuals: ChartModel[]; fitBatch: number | null } {
  const first = items.flatMap((it) => it.runs).find(hasFit);
  if (!first) return { fits: [], residuals: [], fitBatch: null };
  const outputs = first.series.testTargets?.shape[1] ?? 1;
  const names = outputNames(first.run.spec, outputs);
  const task = first.run.spec.task;
  const fits: ChartModel[] = [];
  const residuals: ChartModel[] = [];
  let fitBatch: number | null = null;
  const when = (b: number | null) => (b === null ? '' : ` at batch ${b}`);
  for (let c = 0; c < outputs; c++) {
    const fitSeries: PlotSeries[] = [];
    const resSeries: PlotSeries[] = [];
    const f0 = fitOf(first, c, opts.fitAt);
    if (!f0) continue;
    fitBatch = f0.batch;
    fitSeries.push({ id: 'truth', label: `truth: ${names[c]}`, color: truthColor, role: 'truth', dash: [5, 4], width: 2, points: f0.x.map((x, i) => ({ x, y: f0.truth[i] })) });
    const used: { d: RunData; f: NonNullable<ReturnType<typeof fitOf>> }[] = [];
    for (const [i, item] of items.entries()) {
      const fits1 = item.runs.filter((d) => d.run.spec.task === task).map((d) => ({ d, f: fitOf(d, c, opts.fitAt) })).filter((e): e is { d: RunData; f: NonNullable<ReturnType<typeof fitOf>> } => e.f !== null);
      if (!fits1.length) continue;
      used.push(...fits1);
      const meta = opts.mode === 'runs' ? runMeta(item.runs[0], diff, i) : { config: item.label, run_ids: fits1.map((e) => e.d.run.id).join(' ') };
      if (fits1.length === 1) {
        const { f } = fits1[0];
        fitSeries.push({ id: item.key, label: item.label, color: item.color, role: 'line', points: f.x.map((x, k) => ({ x, y: f.estimate[k] })), meta });
        resSeries.push({ id: item.key, label: item.label, color: item.color, role: 'line', points: f.x.map((x, k) => ({ x, y: sub(f.estimate[k], f.truth[k]) })), meta });
        continue;
      }
      const curves = fits1.map(({ f }) => f.x.map((x, k) => ({ x, y: f.estimate[k] })));
      const resCurves = fits1.map(({ f }) => f.x.map((x, k) => ({ x, y: sub(f.estimate[k], f.truth[k]) })));
      for (const [list, cs] of [
        [fitSeries, curves],
        [resSeries, resCurves],
      ] as const) {
        const b = meanBand(cs, opts.aggregate);
        const [centre, lo, hi] = bandNames(opts.aggregate);
        const pts = (ys: (number | null)[]) => b.x.map((x, k) => ({ x, y: ys[k] }));
        list.push({ id: `${item.key}-lo`, label: `${item.label} ${lo}`, color: item.color, role: 'band-lo', points: pts(b.lo), legend: false, meta });
        list.push({ id: `${item.key}-hi`, label: `${item.label} ${hi}`, color: item.color, role: 'band-hi', points: pts(b.hi), fillTo: `${item.key}-lo`, legend: false, meta });
        list.push({ id: item.key, label: `${item.label} ${centre}`, color: item.color, role: 'centre', points: pts(b.mean), meta });
      }
    }
    const xs = f0.x;
    const zero = referenceLine('zero', 'zero error', 0, xs, mutedColor);
    if (zero) resSeries.push({ ...zero, legend: false });
    const slug = names[c].replace(/\s+/g, '-');
    // a diverged run's estimates are not finite: it has no place on the fit, so say it was left out
    const notFinite = used.filter(({ f }) => f.estimate.some((v) => v === null || !Number.isFinite(v))).length;
    const notes = notFinite ? [`${notFinite} of ${used.length} runs have estimates that are not finite (diverged): left out where they are`] : [];
    const ran = used.map((e) => e.d);
    fits.push({ id: `fit-${slug}`, title: `Fit: ${names[c]}${when(f0.batch)}`, kind: 'line', x: { label: 'x' }, y: { label: names[c] }, series: ordered(fitSeries), runs: provenanceOf(ran), notes });
    residuals.push({ id: `residual-${slug}`, title: `Residual: ${names[c]}${when(f0.batch)}`, kind: 'line', x: { label: 'x' }, y: { label: 'estimate − truth' }, series: ordered(resSeries), runs: provenanceOf(ran), notes });
  }
  return { fits, residuals, fitBatch };
}

const sub = (a: number | null, b: number | null) => (a === null || b === null ? null : a - b);

export const fitsPanel = panel({
  id: 'fits',
  needs: ['testInputs', 'testTargets', 'testEstimates', 'estimates', 'checkpointBatches'],
  build: (ctx): FitsView | null => {
    const { fits, residuals, fitBatch } = fitCharts(ctx.items, ctx.diff, ctx.options, ctx.colors.truth, ctx.colors.muted);
    return fits.length ? { fits, residuals, batch: fitBatch } : null;
  },
});

/** Neither a fit nor a decision boundary yet, but some runs are still training: a word that they come when those finish. */
export const waitingPanel = panel({
  id: 'waiting',
  needs: [],
  build: ({ active, data, options }) => (active && !data.some(hasFit) && !boundariesOf(data, options.fitAt).boundaries.length ? { text: 'Fits and decision boundaries appear when the runs finish.' } : null),
});
