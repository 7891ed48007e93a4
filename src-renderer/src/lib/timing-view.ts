/**
 * Honest timing, shown: from a stored timing (the lab's measurement, summarised by
 * analysis/timing.ts) two box-plot charts — µs per sample of forward, backward and update, and
 * milliseconds of wall time per run and to the target — with every configuration side by side in
 * each category: the box spans the interquartile range, the bar across it is the median, the dots
 * are the timed repeats. And the rows of the table under them. Pure.
 */
import type { TimingRecord } from '@main/db/types';
import type { RunSpec } from '@main/trainer/spec';
import { busyMachine, type ConfigTimingSummary, PHASES, readTiming, type Stat, summarizeTiming, timingTarget, type TimingSummary } from '@main/analysis/timing';
import type { ChartModel, PlotSeries, ProvenanceRun } from './chart-model';
import { fmt } from './format';

/** How a timed configuration is drawn: its label and colour in the comparison (by config key). */
export interface ConfigStyle {
  label: string;
  color: string;
}

/** A configuration the comparison offers to time. */
export interface TimedConfig extends ConfigStyle {
  /** The configuration's key (spec without seeds). */
  key: string;
  /** A spec of it (its first run's, seeds included). */
  spec: RunSpec;
}

/** A configuration's summary as the table shows it: in the comparison's label and colour. */
export interface TimingViewRow
  extends Pick<ConfigTimingSummary, 'forward' | 'backward' | 'update' | 'perSample' | 'wallMs' | 'msToTarget' | 'batchesToTarget' | 'reached' | 'n' | 'costsIdentical' | 'otherLoss'> {
  key: string;
  label: string;
  color: string;
}

export interface TimingView {
  summary: TimingSummary;
  rows: TimingViewRow[];
  phases: ChartModel;
  perRun: ChartModel;
  /** One line on how and where it was measured. */
  how: string;
  /** What the numbers say, in words: the wall-time ratio and who reached the target how fast. */
  reading: string;
  /** The target in the configurations' loss: "MSE 0.01", "cross-entropy 0.01 per sample". */
  target: string;
  warnings: string[];
}

const BOX = 0.09;

/** x of configuration i of n within a category at x = c: side by side, centred on c. */
export function slot(c: number, i: number, n: number): number {
  const width = Math.min(0.8, 0.28 * n);
  return n === 1 ? c : c - width / 2 + (width * i) / (n - 1);
}

/** The series of one box: IQR as a filled band, the median across it, the repeats as dots. */
function box(id: string, label: string, color: string, x: number, s: Stat, values: number[], meta: Record<string, string | number | null>): PlotSeries[] {
  const half = Math.min(BOX, 0.3);
  const out: PlotSeries[] = [
    { id: `${id}-q1`, label: `${label} q1`, color, role: 'band-lo', points: [{ x: x - half, y: s.q1 }, { x: x + half, y: s.q1 }], legend: false, meta: { ...meta, stat: 'q1' } },
    { id: `${id}-q3`, label: `${label} q3`, color, role: 'band-hi', fillTo: `${id}-q1`, opacity: 0.3, points: [{ x: x - half, y: s.q3 }, { x: x + half, y: s.q3 }], legend: false, meta: { ...meta, stat: 'q3' } },
    { id: `${id}-median`, label: `${label} median`, color, role: 'line', width: 3, points: [{ x: x - half, y: s.median }, { x: x + half, y: s.median }], legend: false, meta: { ...meta, stat: 'median' } },
  ];
  // deterministic jitter so equal repeats stay visible
  const dots = values.map((v, k) => ({ x: x + (values.length > 1 ? (k / (values.length - 1) - 0.5) * half : 0), y: v }));
  out.push({ id: `${id}-repeats`, label: `${label} repeats`, color, role: 'points', opacity: 0.5, points: dots, legend: false, meta: { ...meta, stat: 'repeat' } });
  return out;
}

function finite(xs: readonly (number | null | undefined)[]): number[] {
  return xs.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
}

export function timingView(record: TimingRecord, styles: ReadonlyMap<string, ConfigStyle>, runs: ProvenanceRun[], fallbackColors: readonly string[]): TimingView {
  const summary = summarizeTiming(record.measurement);
  const m = record.measurement;
  const rows: TimingViewRow[] = summary.configs.map((c, i) => {
    const key = record.configKeys[i] ?? `config-${i}`;
    const style = styles.get(key);
    return {
      key,
      label: style?.label ?? c.label,
      color: style?.color ?? fallbackColors[i % fallbackColors.length],
      forward: c.forward,
      backward: c.backward,
      update: c.update,
      perSample: c.perSample,
      wallMs: c.wallMs,
      msToTarget: c.msToTarget,
      batchesToTarget: c.batchesToTarget,
      reached: c.reached,
      n: c.n,
      costsIdentical: c.costsIdentical,
      ...(c.otherLoss ? { otherLoss: c.otherLoss } : {}),
    };
  });
  const n = rows.length;
  const legend = (r: TimingViewRow): PlotSeries => ({ id: `${r.key}-legend`, label: r.label, color: r.color, role: 'line', width: 8, points: [], meta: { config: r.label } });

  const phaseSeries: PlotSeries[] = rows.map(legend);
  const perRunSeries: PlotSeries[] = rows.map(legend);
  rows.forEach((r, i) => {
    const reps = m.configs[i]?.repeats ?? [];
    PHASES.forEach((p, c) => {
      const s = r[p];
      if (s) phaseSeries.push(...box(`${r.key}-${p}`, `${r.label} ${p}`, r.color, slot(c, i, n), s, finite(reps.map((x) => x.usPerSample[p])), { config: r.label, measure: p }));
    });
    if (r.wallMs) perRunSeries.push(...box(`${r.key}-wall`, `${r.label} wall per run`, r.color, slot(0, i, n), r.wallMs, finite(reps.map((x) => x.wallMs)), { config: r.label, measure: 'wall per run' }));
    if (r.msToTarget) perRunSeries.push(...box(`${r.key}-target`, `${r.label} time to target`, r.color, slot(1, i, n), r.msToTarget, finite(reps.map((x) => x.msToTarget)), { config: r.label, measure: 'time to target' }));
  });

  const e = record.environment;
  const how = `timing #${record.id}: ${summary.repeats} timed repeats of each configuration after ${summary.warmup} warm-up round${summary.warmup === 1 ? '' : 's'}, interleaved in one trainer process that ran alone, every batch timed; ${record.kernel}; ${e.cpus} cpus${e.cpuModel ? ` (${e.cpuModel})` : ''}, load average ${fmt(e.loadAverage.start, 2)} → ${fmt(e.loadAverage.end, 2)}; ${e.runtime}; nnlab ${record.appVersion}`;
  const seeds = m.configs.map((c, i) => `${rows[i]?.label}: seeds ${c.spec.initSeed}/${c.spec.dataSeed}, ${c.batchesRun} batches of ${c.spec.batchSize}`).join('; ');
  const notes = [how, 'boxes: interquartile range; bar: median; dots: the timed repeats; forward includes drawing the batch', seeds];
  const warnings: string[] = [];
  const target = timingTarget(summary).at(fmt(summary.targetMse));
  const unreached = rows.filter((r) => r.reached === 0 && !r.otherLoss).map((r) => r.label);
  if (unreached.length) warnings.push(`${unreached.join(', ')} did not reach ${target} within ${m.configs[0]?.batchesRun ?? '?'} batches: no time to target.`);
  // a configuration on another loss was not timed to the MSE target (analysis/timing summarizeTiming)
  const otherLoss = rows.flatMap((r, i) => (r.otherLoss ? [`${r.label} (${m.configs[i]?.spec.loss})`] : []));
  if (otherLoss.length) warnings.push(`${otherLoss.join(', ')} ${otherLoss.length === 1 ? 'trains' : 'train'} on another loss than the MSE target’s: no time to ${target}.`);
  const broken = rows.filter((r) => !r.costsIdentical).map((r) => r.label);
  if (broken.length) warnings.push(`${broken.join(', ')} did not reproduce its costs across repeats.`);
  const busy = busyMachine(e);
  if (busy) warnings.push(`The machine was busy (load average ${fmt(busy.load, 2)} on ${busy.cpus} cpus): other programs shared the cores, so the spread is wider than on a quiet machine.`);

  const reading = readTiming(summary, rows.map((r) => r.label));

  const phases: ChartModel = {
    id: 'timing-phases',
    title: 'Honest timing: µs per sample by phase',
    kind: 'line',
    x: { label: 'phase', categories: [...PHASES] },
    y: { label: 'µs per sample', min: 0 },
    series: phaseSeries,
    runs,
    notes,
  };
  const perRun: ChartModel = {
    id: 'timing-per-run',
    title: `Honest timing: ms per run and to ${target}`,
    kind: 'line',
    x: { label: 'measure', categories: ['wall time per run', `time to ${target}`] },
    y: { label: 'ms', min: 0 },
    series: perRunSeries,
    runs,
    notes: [...notes, ...warnings.filter((w) => w.endsWith('no time to target.') || w.includes('another loss than the MSE target'))],
  };
  return { summary, rows, phases, perRun, how, reading, target, warnings };
}

/** "1.45 (1.43–1.46)": the median and the interquartile range. */
export function statText(s: Stat | null, f: (x: number) => string = (x) => fmt(x, 3)): string {
  if (!s) return '–';
  return s.n > 1 ? `${f(s.median)} (${f(s.q1)}–${f(s.q3)})` : f(s.median);
}

/** The median alone, and the interquartile range alone ("1.75–3.25"; empty for a single value). */
export const medianText = (s: Stat | null): string => (s ? fmt(s.median, 3) : '–');
export const iqrText = (s: Stat | null): string => (s && s.n > 1 ? `${fmt(s.q1, 3)}–${fmt(s.q3, 3)}` : '');

/** The same in milliseconds: "4.2 (3.9–4.9) ms". */
export const msText = (s: Stat | null): string => (s ? `${statText(s)} ms` : '–');
