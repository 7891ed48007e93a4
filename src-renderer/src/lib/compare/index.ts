/**
 * The comparison, computed: from the selected runs and their series, the chart models (cost
 * curves, fits, residuals, the test-MSE strip), the config diff, timing, replicate groups with
 * their outcome classes, diagnostics — and the findings (analysis/findings.ts) that the replicate
 * table, the strip and the reading (analysis/reading.ts) are built from, so the reading and the
 * figures beside it come from one computed object. Pure: the composable useComparison feeds it
 * data and options and renders what comes out.
 */
import type { WireSeries } from '@main/api/contract';
import type { RunRecord, RunSummary, Verification } from '@main/db/types';
import type { ChartModel, PlotSeries, ProvenanceRun } from './chart-model';
import { groupColor, runColor, type ThemeName } from './colors';
import { configDiff, type DiffRow, diffLabel, SEED_FIELDS } from './diff';
import { outputNames, type TaskKind } from '@main/trainer/tasks';
import { type Boundary, boundaryOf } from './boundary';
import { accuracyStrip, scoreCharts } from './scores';
import { type DeadUnitFindings, type Findings, findings, type GroupFindings } from '@main/analysis/findings';
import { groupByConfig } from '@main/analysis/groups';
import { DEFAULT_LEARNED_AT, type Outcome, type OutcomeCounts, outcomeOf } from '@main/analysis/outcome';
import { readFindings } from '@main/analysis/reading';
import { type Stat, stat } from '@main/analysis/stats';
import { hasOutcome } from '@main/analysis/status';
import type { TimingSummary } from '@main/analysis/timing';
import { type Aggregate, batchesToTarget, ema, meanBand, type Point, toPoints, withY, X_LABELS, type XAxis, type XScale } from './series';

/** Live cost points of a run still training (from progress events). */
export interface LivePoints {
  /** Batch numbers (1-based) and costs. */
  batch: number[];
  cost: (number | null)[];
  batchesDone: number;
  batches: number;
  elapsedMs: number;
}

export interface RunData {
  /** The full record once fetched (timing, diagnostics); the summary before. */
  run: RunSummary & Partial<Pick<RunRecord, 'timing' | 'diagnostics' | 'verification'>>;
  series: Partial<Record<'cost' | 'testInputs' | 'testTargets' | 'testEstimates' | 'estimates' | 'checkpointBatches' | 'gradNorms' | 'viewInputs' | 'checkpointMetrics', WireSeries>>;
  live?: LivePoints;
}

export type YMetric = 'cost' | 'mse';
export type CurveMode = 'runs' | 'groups';

export interface CompareOptions {
  xAxis: XAxis;
  yMetric: YMetric;
  logY: boolean;
  /** EMA weight, 0 (off) to 0.99. */
  smoothing: number;
  mode: CurveMode;
  /** Groups' centre line and band: median with the 25–75 % band, or mean ± 1 sd. */
  aggregate: Aggregate;
  /** Fit snapshot as a fraction of training (0 = init, 1 = end); null: the final fit. */
  fitAt: number | null;
  theme: ThemeName;
  /** Target MSE per sample for "time to target". */
  targetMse: number;
  /** A run learned when its r² is at least this (the outcome classes' threshold). */
  learnedAt: number;
}

/** MSE per sample is the page's unit; the seed's batch cost is one choice away. */
export const DEFAULT_OPTIONS: CompareOptions = { xAxis: 'batch', yMetric: 'mse', logY: true, smoothing: 0.6, mode: 'runs', aggregate: 'median', fitAt: null, theme: 'light', targetMse: 0.01, learnedAt: DEFAULT_LEARNED_AT };

export const Y_LABELS: Record<YMetric, string> = {
  cost: 'cost (squared error of the batch)',
  mse: 'MSE per sample',
};

/** The cost axis in the runs' loss: the seed's squared error, cross-entropy, or "the loss" when they differ. */
export function lossLabels(runs: readonly Pick<RunSummary, 'spec'>[]): { title: Record<YMetric, string>; axis: Record<YMetric, string> } {
  const losses = new Set(runs.map((r) => r.spec.loss));
  if (losses.size === 1 && losses.has('sse')) return { title: { cost: 'Cost per batch', mse: 'MSE per sample' }, axis: Y_LABELS };
  const word = losses.size === 1 ? 'cross-entropy' : 'loss';
  return { title: { cost: 'Cost per batch', mse: `${losses.size === 1 ? 'Cross-entropy' : 'Loss'} per sample` }, axis: { cost: `cost (${word} of the batch)`, mse: `${word} per sample` } };
}

/** One line or group in the comparison: a run (runs mode) or a replicate group. */
export interface Item {
  key: string;
  label: string;
  color: string;
  runs: RunData[];
}

/** A row of the replicate table: a configuration's findings in the page's colours. */
export interface GroupRow {
  key: string;
  /** The differing fields' values: "relu". */
  name: string;
  /** The name with the seed count: "relu (20 seeds)". */
  label: string;
  color: string;
  runIds: number[];
  outcomes: OutcomeCounts;
  /** Test MSE per sample (a diverged run's +∞) and r² over the runs with an outcome. */
  testMse: Stat | null;
  r2: Stat | null;
  trainMs: Stat | null;
  dead: DeadUnitFindings | null;
}

export interface TimingRow {
  key: string;
  label: string;
  color: string;
  n: number;
  forward: Stat | null;
  backward: Stat | null;
  update: Stat | null;
  trainMs: Stat | null;
  /** ms to reach the target MSE (runs that reached it); reached/n. */
  toTargetMs: Stat | null;
  reached: number;
}

export interface DiagnosticsRow {
  runId: number;
  label: string;
  color: string;
  hiddenUnits: number;
  deadAtInit: number | null;
  deadAtEnd: number | null;
  /** Dead at the end but alive at init: died during training. */
  diedInTraining: number | null;
  /** Mean saturation of the hidden layers at the end (sigmoid/tanh), 0–1. */
  saturationAtEnd: number | null;
  divergedAtBatch: number | null;
  outputDeadAtInit: number | null;
  outputDeadAtEnd: number | null;
  status: string;
  /** The run's outcome class (null: no outcome: still training, cancelled, interrupted, ended in an error). */
  outcome: Outcome | null;
  r2: number | null;
  /** The run's latest re-run check (null: never checked). */
  verification: Verification | null;
}

export interface Comparison {
  items: Item[];
  groups: GroupRow[];
  /** Spec fields that differ (between runs, or between groups without the seeds). */
  diff: DiffRow[];
  diffHeads: { label: string; color: string }[];
  /** Seeds vary within groups (replicates). */
  seedsVary: boolean;
  cost: ChartModel;
  fits: ChartModel[];
  residuals: ChartModel[];
  /** The kinds of task among the runs (what their scores are). */
  kinds: TaskKind[];
  /** The classification runs' decision boundaries at the fit snapshot (the first MAX_BOUNDARIES). */
  boundaries: { boundary: Boundary; input: RunData }[];
  /** Accuracy and loss over training of the classification runs. */
  scores: { accuracy: ChartModel | null; loss: ChartModel | null };
  /** Test accuracy per classification run, one column per configuration (groups mode). */
  accuracyStrip: ChartModel | null;
  /** Test MSE per run, one column per configuration, with the outcome classes' lines (groups mode). */
  strip: ChartModel | null;
  timing: TimingRow[];
  diagnostics: DiagnosticsRow[];
  /** Everything the reading says, computed once (the replicate table and the strip use it too). */
  findings: Findings;
  reading: string[];
  /** "Train these with 10× the batches": the batches to offer, or null. */
  offerBatches: number | null;
  /** Fit snapshot shown: batch number per item (first run), or null for the final fit. */
  fitBatch: number | null;
  notes: string[];
}

export function provenanceOf(runs: readonly RunData[]): ProvenanceRun[] {
  return runs.map(({ run }) => ({ id: run.id, configKey: run.configKey, spec: run.spec, initSeed: run.initSeed, dataSeed: run.dataSeed, appVersion: run.appVersion, status: run.status }));
}

function xScaleOf(d: RunData): XScale {
  const { run } = d;
  let msPerBatch: number | null = null;
  if (run.trainMs !== null && run.batchesRun) msPerBatch = run.trainMs / run.batchesRun;
  else if (d.live && d.live.batchesDone > 0) msPerBatch = d.live.elapsedMs / d.live.batchesDone;
  return { batchSize: run.spec.batchSize, msPerBatch };
}

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

function runMeta(d: RunData, diff: DiffRow[], i: number): Record<string, string | number | null> {
  const meta: Record<string, string | number | null> = { run_id: d.run.id };
  for (const r of diff) meta[r.field] = r.values[i];
  meta.initSeed = d.run.initSeed;
  meta.dataSeed = d.run.dataSeed;
  return meta;
}

/** Items (lines) of the comparison, with labels from the config diff. */
export function buildItems(data: readonly RunData[], mode: CurveMode, theme: ThemeName): { items: Item[]; diff: DiffRow[]; seedsVary: boolean; groups: ReturnType<typeof groupByConfig<RunSummary>> } {
  const runs = data.map((d) => d.run);
  const groups = groupByConfig(runs);
  const byId = new Map(data.map((d) => [d.run.id, d]));
  if (mode === 'groups') {
    const diff = configDiff(groups.map((g) => g.runs[0].spec), SEED_FIELDS);
    const labels = groupLabels(groups);
    const seedsVary = groups.some((g) => g.runs.length > 1);
    const items = groups.map((g, i) => ({ key: g.key, label: labels[i], color: groupColor(g.index, theme), runs: g.runs.map((r) => byId.get(r.id) as RunData) }));
    return { items, diff, seedsVary, groups };
  }
  const diff = configDiff(runs.map((r) => r.spec));
  const items = data.map((d, i) => {
    const what = diff.length ? diffLabel(diff, i) : d.run.spec.activation;
    return { key: `run-${d.run.id}`, label: `#${d.run.id} ${what}`, color: runColor(d.run.id, theme), runs: [d] };
  });
  return { items, diff, seedsVary: false, groups };
}

function smoothPair(id: string, label: string, color: string, raw: Point[], smoothing: number, meta: PlotSeries['meta'], role: 'line' | 'mean' = 'line'): PlotSeries[] {
  if (smoothing <= 0) return [{ id, label, color, role, points: raw, meta }];
  const smooth = withY(raw, ema(raw.map((p) => p.y), smoothing));
  return [
    { id, label, color, role: role === 'mean' ? 'mean' : 'smoothed', points: smooth, meta },
    { id: `${id}-raw`, label: `${label} (raw)`, color, role: 'raw', points: raw, opacity: 0.22, width: 1, legend: false, meta },
  ];
}

/** Orders series so the main curves come first (drawn on top, listed in the legend) and faint ones last. */
function ordered(series: PlotSeries[]): PlotSeries[] {
  const rank = (s: PlotSeries) => (s.role === 'raw' ? 2 : s.role === 'band-lo' || s.role === 'band-hi' ? 3 : s.role === 'reference' ? 1 : 0);
  return series.map((s, i) => ({ s, i })).sort((a, b) => rank(a.s) - rank(b.s) || a.i - b.i).map(({ s }) => s);
}

function referenceLine(id: string, label: string, y: number, xs: number[], color: string): PlotSeries | null {
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

export function costChart(items: Item[], diff: DiffRow[], opts: CompareOptions, mutedColor: string): ChartModel {
  const series: PlotSeries[] = [];
  const allX: number[] = [];
  const notes: string[] = [];
  let divergedNote = false;
  for (const [i, item] of items.entries()) {
    if (opts.mode === 'runs' || item.runs.length === 1) {
      const d = item.runs[0];
      const raw = costPoints(d, opts.xAxis, opts.yMetric);
      for (const p of raw) allX.push(p.x);
      const meta = opts.mode === 'runs' ? runMeta(d, diff, i) : { config: item.label, run_ids: d.run.id };
      series.push(...smoothPair(item.key, item.label, item.color, raw, opts.smoothing, meta));
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
    series.push(...smoothPair(item.key, `${item.label} ${centre}${diverged ? ` — ${diverged} diverged` : ''}`, item.color, pts(band.mean), opts.smoothing, meta, 'mean'));
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
  return {
    id: 'cost',
    title: labels.title[opts.yMetric],
    kind: 'line',
    x: { label: X_LABELS[opts.xAxis] },
    y: { label: labels.axis[opts.yMetric], log: opts.logY },
    series: ordered(series),
    runs: provenanceOf(items.flatMap((it) => it.runs)),
    notes,
  };
}

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
  if (fitAt !== null && est && !est.index && est.shape.length === 3 && est.shape[0] > 0 && cps) {
    const [n, rows, cols] = est.shape;
    const k = Math.round(fitAt * (n - 1));
    const estimate = column({ ...est, shape: [rows, cols] }, c, k * rows * cols);
    if (estimate) return { x: xs.map((x) => x ?? NaN), truth, estimate, batch: cps.data[k] ?? null };
  }
  const estimate = column(d.series.testEstimates, c);
  if (!estimate) return null;
  return { x: xs.map((x) => x ?? NaN), truth, estimate, batch: null };
}

export function fitCharts(items: Item[], diff: DiffRow[], opts: CompareOptions, truthColor: string, mutedColor: string): { fits: ChartModel[]; residuals: ChartModel[]; fitBatch: number | null } {
  // a fit is a regression's: estimates against the target along x (a classification run has its boundary)
  const first = items.flatMap((it) => it.runs).find((d) => d.series.testTargets && d.run.kind === 'regression');
  if (!first) return { fits: [], residuals: [], fitBatch: null };
  const outputs = first.series.testTargets?.shape[1] ?? 1;
  const names = outputNames(first.run.spec.task, outputs);
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
    const used: RunData[] = [];
    for (const [i, item] of items.entries()) {
      const fits1 = item.runs.filter((d) => d.run.spec.task === task).map((d) => ({ d, f: fitOf(d, c, opts.fitAt) })).filter((e): e is { d: RunData; f: NonNullable<ReturnType<typeof fitOf>> } => e.f !== null);
      if (!fits1.length) continue;
      used.push(...fits1.map((e) => e.d));
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
        list.push({ id: item.key, label: `${item.label} ${centre}`, color: item.color, role: 'mean', points: pts(b.mean), meta });
      }
    }
    const xs = f0.x;
    const zero = referenceLine('zero', 'zero error', 0, xs, mutedColor);
    if (zero) resSeries.push({ ...zero, legend: false });
    const slug = names[c].replace(/\s+/g, '-');
    // a diverged run's estimates are not finite: it has no place on the fit, so say it was left out
    const notFinite = used.filter((d) => fitOf(d, c, opts.fitAt)?.estimate.some((v) => v === null || !Number.isFinite(v))).length;
    const notes = notFinite ? [`${notFinite} of ${used.length} runs have estimates that are not finite (diverged): left out where they are`] : [];
    fits.push({ id: `fit-${slug}`, title: `Fit: ${names[c]}${when(f0.batch)}`, kind: 'line', x: { label: 'x' }, y: { label: names[c] }, series: ordered(fitSeries), runs: provenanceOf(used), notes });
    residuals.push({ id: `residual-${slug}`, title: `Residual: ${names[c]}${when(f0.batch)}`, kind: 'line', x: { label: 'x' }, y: { label: 'estimate − truth' }, series: ordered(resSeries), runs: provenanceOf(used), notes });
  }
  return { fits, residuals, fitBatch };
}

const sub = (a: number | null, b: number | null) => (a === null || b === null ? null : a - b);

/**
 * Test MSE per run, one column per item, log y, with the lines the outcome classes are drawn at:
 * the constant predictor's MSE (r² = 0: at or above it a run learned nothing) and
 * (1 − learnedAt) × that (r² = learnedAt: at or below it a run learned). Two basins show as two
 * clouds. A diverged run cannot be drawn (its test MSE is not finite): the notes say how many.
 */
export function testMseStrip(items: Item[], mutedColor: string, learnedAt: number): ChartModel | null {
  const series: PlotSeries[] = [];
  const runs: RunData[] = [];
  let notFinite = 0;
  items.forEach((item, i) => {
    // test MSE is a regression's score (a classification run's is in the accuracy strip)
    const judged = item.runs.filter((d) => hasOutcome(d.run.status) && d.run.kind === 'regression');
    const drawn = judged.filter((d) => d.run.status !== 'diverged' && typeof d.run.testMse === 'number' && d.run.testMse > 0);
    notFinite += judged.length - drawn.length;
    if (!drawn.length) return;
    runs.push(...drawn);
    // deterministic jitter so overlapping seeds stay visible
    const points = drawn.map((d, k) => ({ x: i + (drawn.length > 1 ? (k / (drawn.length - 1) - 0.5) * 0.5 : 0), y: d.run.testMse }));
    series.push({ id: item.key, label: item.label, color: item.color, role: 'points', points, meta: { config: item.label, run_ids: drawn.map((d) => d.run.id).join(' ') } });
  });
  if (!series.length) return null;
  const baselines = [...new Set(runs.map((d) => d.run.baselineMse).filter((b): b is number => b !== null))];
  const line = (id: string, label: string, y: number, dash: number[]): PlotSeries => ({ id, label, color: mutedColor, role: 'reference', dash, width: 1.5, points: [{ x: -0.5, y }, { x: items.length - 0.5, y }] });
  if (baselines.length === 1) {
    series.push(line('baseline', 'constant predictor (r² = 0)', baselines[0], [6, 4]));
    series.push(line('learned', `learned (r² = ${learnedAt})`, (1 - learnedAt) * baselines[0], [2, 3]));
  }
  return {
    id: 'test-mse',
    title: 'Test MSE per sample, one dot per seed',
    kind: 'line',
    x: { label: 'configuration', categories: items.map((it) => it.label) },
    y: { label: 'test MSE per sample', log: true },
    series,
    runs: provenanceOf(runs),
    notes: [
      `below the dotted line a run learned (r² ≥ ${learnedAt}); above the dashed one it learned nothing (r² ≤ 0); between, it underfit`,
      ...(notFinite ? [`${notFinite} run${notFinite === 1 ? '' : 's'} not drawn: test MSE not finite (diverged)`] : []),
    ],
  };
}

const hiddenLayers = <T>(perLayer: readonly T[]): T[] => perLayer.slice(0, -1);

function deadCounts(d: RunData): { hidden: number; init: number | null; end: number | null; died: number | null; sat: number | null; out: number | null; outInit: number | null } {
  const hidden = d.run.spec.shape.slice(1, -1).reduce((a, b) => a + b, 0);
  const g = d.run.diagnostics;
  if (!g) return { hidden, init: null, end: null, died: null, sat: null, out: null, outInit: null };
  const init = hiddenLayers(g.atInit.dead).reduce((a, l) => a + l.length, 0);
  const end = hiddenLayers(g.atEnd.dead).reduce((a, l) => a + l.length, 0);
  let died = 0;
  hiddenLayers(g.atEnd.dead).forEach((l, k) => {
    const before = new Set(g.atInit.dead[k]);
    died += l.filter((u) => !before.has(u)).length;
  });
  const sats = hiddenLayers(g.atEnd.saturation).filter((s): s is number => s !== null);
  const sat = sats.length ? sats.reduce((a, b) => a + b, 0) / sats.length : null;
  const out = g.atEnd.dead[g.atEnd.dead.length - 1]?.length ?? null;
  const outInit = g.atInit.dead[g.atInit.dead.length - 1]?.length ?? null;
  return { hidden, init, end, died, sat, out, outInit };
}

export function diagnosticsRows(items: Item[], learnedAt = DEFAULT_LEARNED_AT): DiagnosticsRow[] {
  return items.flatMap((item) =>
    item.runs.map((d) => {
      const c = deadCounts(d);
      return {
        runId: d.run.id,
        label: item.runs.length > 1 ? `#${d.run.id} (${item.label})` : item.label,
        color: item.color,
        hiddenUnits: c.hidden,
        deadAtInit: c.init,
        deadAtEnd: c.end,
        diedInTraining: c.died,
        saturationAtEnd: c.sat,
        divergedAtBatch: d.run.diagnostics?.divergedAtBatch ?? null,
        outputDeadAtInit: c.outInit,
        outputDeadAtEnd: c.out,
        status: d.run.status,
        outcome: outcomeOf(d.run, learnedAt)?.outcome ?? null,
        r2: outcomeOf(d.run, learnedAt)?.r2 ?? null,
        verification: d.run.verification ?? null,
      };
    }),
  );
}

/** First batch whose 10-batch mean MSE is at or below the target, in ms of training; null if never. */
export function msToTarget(d: RunData, targetMse: number): number | null {
  const cost = d.series.cost;
  const s = xScaleOf(d);
  if (!cost || s.msPerBatch === null) return null;
  const mse = cost.data.map((v) => (v === null ? null : v / d.run.spec.batchSize));
  const i = batchesToTarget(mse, targetMse, cost.index ? 1 : 10);
  if (i === null) return null;
  const batch = cost.index ? cost.index[i - 1] + 1 : i;
  return batch * s.msPerBatch;
}

export function timingRows(items: Item[], targetMse: number): TimingRow[] {
  return items.map((item) => {
    const t = item.runs.map((d) => d.run.timing).filter((x): x is NonNullable<typeof x> => !!x);
    const toTarget = item.runs.map((d) => msToTarget(d, targetMse));
    return {
      key: item.key,
      label: item.label,
      color: item.color,
      n: t.length,
      forward: stat(t.map((x) => x.usPerSample.forward)),
      backward: stat(t.map((x) => x.usPerSample.backward)),
      update: stat(t.map((x) => x.usPerSample.update)),
      trainMs: stat(item.runs.map((d) => d.run.trainMs)),
      toTargetMs: stat(toTarget),
      reached: toTarget.filter((x) => x !== null).length,
    };
  });
}

/**
 * Names of replicate groups from the fields that differ between them: "relu", "initMean −0.1".
 * `ignore`: fields left out too (the reading names configurations without `batches`, which it
 * states itself: "with 10× the batches").
 */
export function groupNames(groups: readonly { runs: readonly RunSummary[] }[], ignore: readonly string[] = []): string[] {
  const diff = configDiff(groups.map((g) => g.runs[0].spec), [...SEED_FIELDS, ...ignore]);
  return groups.map((_, i) => (diff.length ? diffLabel(diff, i) : groups.length === 1 ? 'all runs' : `config ${i + 1}`));
}

/** Group labels with their seed count: "relu (20 seeds)". */
export function groupLabels(groups: readonly { runs: readonly RunSummary[] }[]): string[] {
  return groupNames(groups).map((name, i) => `${name} (${groups[i].runs.length} seed${groups[i].runs.length === 1 ? '' : 's'})`);
}

/**
 * Rows of the replicate summary, from the findings. A group of one run takes the run's colour in
 * runs mode, so a run is the same colour in every chart and table of the view.
 */
export function groupRows(groups: ReturnType<typeof groupByConfig<RunSummary>>, found: readonly GroupFindings[], theme: ThemeName, mode: CurveMode = 'groups'): GroupRow[] {
  const labels = groupLabels(groups);
  const names = groupNames(groups);
  return groups.map((g, i) => {
    const f = found.find((x) => x.key === g.key)!;
    return {
      key: g.key,
      name: names[i],
      label: labels[i],
      color: mode === 'runs' && g.runs.length === 1 ? runColor(g.runs[0].id, theme) : groupColor(g.index, theme),
      runIds: f.runIds,
      outcomes: f.outcomes,
      testMse: f.testMse,
      r2: f.r2,
      trainMs: f.trainMs,
      dead: f.dead,
    };
  });
}

/** Everything the comparison view shows, from the runs' data and the view's options. */
export function compare(data: readonly RunData[], opts: CompareOptions, colors: { truth: string; muted: string }, extra: { timing?: { summary: TimingSummary; configKeys: readonly string[] } | null } = {}): Comparison {
  const { items, diff, seedsVary, groups } = buildItems(data, opts.mode, opts.theme);
  const cost = costChart(items, diff, opts, colors.muted);
  const { fits, residuals, fitBatch } = fitCharts(items, diff, opts, colors.truth, colors.muted);
  const timing = timingRows(items, opts.targetMse);
  const names = groupNames(groups, ['batches']);
  const found = findings(data, { learnedAt: opts.learnedAt, targetMse: opts.targetMse, names: new Map(groups.map((g, i) => [g.key, names[i]])), timing: extra.timing ?? null });
  const groupList = groupRows(groups, found.configs, opts.theme, opts.mode);
  const strip = opts.mode === 'groups' && items.some((it) => it.runs.length > 1) ? testMseStrip(items, colors.muted, opts.learnedAt) : null;
  const read = groupList.some((g) => g.runIds.length > 1) ? readFindings(found) : { paragraphs: [], offerBatches: null };
  const diffHeads = items.map((it) => ({ label: it.label, color: it.color }));
  const notes: string[] = [];
  const tasks = new Set(data.map((d) => d.run.spec.task));
  const regression = data.find((d) => d.run.kind === 'regression');
  if (tasks.size > 1 && regression) notes.push(`The runs have different tasks (${[...tasks].join(', ')}): fits show the ${regression.run.spec.task} runs only.`);
  const { boundaries, more } = boundariesOf(data, opts.fitAt);
  if (more) notes.push(`Decision boundaries: the first ${boundaries.length} of ${boundaries.length + more} classification runs.`);
  return {
    items,
    groups: groupList,
    diff,
    diffHeads,
    seedsVary,
    cost,
    fits,
    residuals,
    kinds: [...new Set(data.map((d) => d.run.kind))],
    boundaries,
    scores: scoreCharts(items, opts.mode === 'groups'),
    accuracyStrip: opts.mode === 'groups' && items.some((it) => it.runs.length > 1) ? accuracyStrip(items, colors.muted, opts.learnedAt) : null,
    strip,
    timing,
    diagnostics: diagnosticsRows(items, opts.learnedAt),
    findings: found,
    reading: read.paragraphs,
    offerBatches: read.offerBatches,
    fitBatch,
    notes,
  };
}

/** Boundaries drawn side by side at most (each is a 25 × 25 grid and its points). */
export const MAX_BOUNDARIES = 12;

/** The classification runs' boundaries at the snapshot, and how many more there were. */
export function boundariesOf(data: readonly RunData[], at: number | null): { boundaries: { boundary: Boundary; input: RunData }[]; more: number } {
  const all = data.filter((d) => d.run.kind === 'classification');
  const boundaries: { boundary: Boundary; input: RunData }[] = [];
  for (const d of all.slice(0, MAX_BOUNDARIES)) {
    const boundary = boundaryOf(d, at);
    if (boundary) boundaries.push({ boundary, input: d });
  }
  return { boundaries, more: Math.max(0, all.length - MAX_BOUNDARIES) };
}
