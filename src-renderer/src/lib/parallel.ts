/**
 * Parallel coordinates of a sweep (issue 15; TensorBoard's hparams view, W&B's parallel
 * coordinates): an axis per swept field and per outcome metric, a line per run (runs mode) or per
 * configuration (groups mode: the median of its runs on each metric), and the brushes that keep
 * some of them — the Compare page then shows only the runs kept. Each axis has a scale: a
 * category axis for fields whose values are not all numbers (activations, shapes), a linear or a
 * log axis for numbers (log when every value is positive and they span at least a factor of 10).
 * The layout in pixels and the SVG the export writes (the same drawing the page shows) are here
 * too. Pure: no DOM, no Vue.
 *
 * Which runs are drawn: those with a value on every axis (a finished run of the comparison's first
 * kind of task); the others are listed with why (still training, diverged, …). A brush keeps
 * the lines (runs or configurations) whose value lies in it on its axis, every brush at once; a
 * line without a value on a brushed axis is not kept.
 */
import { displayValue, valueText } from '@main/analysis/config-diff';
import { r2Of } from '@main/analysis/outcome';
import { fieldValue, MEAN_OVER_EPS, meanRelativeToEps, varyingFields } from '@main/analysis/stability';
import { median } from '@main/analysis/stats';
import type { RunSummary } from '@main/db/types';
import type { TaskKind } from '@main/trainer/tasks';
import { EXPORT_FORMAT, EXPORT_VERSION, toCsv } from './exports';
import type { ChartTheme } from './colors';
import type { ProvenanceRun } from './chart-model';
import { fmt, tickLabel } from './format';
import { escapeXml, niceTicks } from './svg';

/** What a run brings to the picture: its spec and its scores. */
export type ParallelRun = Pick<RunSummary, 'id' | 'status' | 'spec' | 'kind' | 'testMse' | 'baselineMse' | 'testLoss' | 'testAccuracy' | 'trainMs'>;

/** A line's unit: a run, or a configuration (its runs). */
export interface ParallelUnit {
  key: string;
  label: string;
  color: string;
  runs: readonly ParallelRun[];
}

export type AxisScale =
  | { type: 'category'; /** The values in axis order (bottom to top), as valueText writes them. */ values: string[]; /** As the page writes them. */ labels: string[] }
  | { type: 'linear' | 'log'; min: number; max: number };

export interface ParallelAxis {
  /** The spec field ('learningRate', 'initMean/eps'), or the metric ('testMse', 'r2', 'testLoss', 'testAccuracy', 'trainMs'). */
  key: string;
  label: string;
  kind: 'field' | 'metric';
  scale: AxisScale;
  /** Tick marks at positions 0 (bottom) … 1 (top). */
  ticks: { pos: number; label: string }[];
}

/** A value on an axis: a category (valueText of the field's value) or a number. */
export type AxisValue = string | number;

/**
 * A brush on one axis: a range of numbers (inclusive) on a numeric axis, a set of categories on a
 * category axis. Kept in values, not pixels, so it means the same when runs come or go.
 */
export type Brush = { axis: string; range: [number, number] } | { axis: string; values: string[] };

export interface ParallelLine {
  key: string;
  label: string;
  color: string;
  /** The runs behind the line: the run, or the configuration's runs with every metric. */
  runIds: number[];
  /** Its value on each axis, in axis order. */
  values: AxisValue[];
  /** Its position on each axis, 0 (bottom) … 1 (top). */
  pos: number[];
  /** Inside every brush. */
  kept: boolean;
}

export interface NotDrawn {
  id: number;
  /** Why: 'still training', 'diverged (no finite test MSE)', 'another kind of task', … */
  why: string;
}

export interface ParallelModel {
  /** A line per run, or per configuration (the median of its runs on each metric). */
  per: 'run' | 'configuration';
  kind: TaskKind;
  axes: ParallelAxis[];
  lines: ParallelLine[];
  /** Runs with no line of their own (no value on some axis), each with why. */
  notDrawn: NotDrawn[];
  /** The brushes on axes that are here (others are dropped: they filter nothing). */
  brushes: Brush[];
  /** Every run of the comparison, and those the brushes keep (all of them without a brush). */
  total: number;
  keptIds: number[];
}

/** The metric axes of each kind of task: the final loss measured on the test set, the score, the time. */
const METRIC_AXES: Record<TaskKind, { key: string; label: string; percent?: boolean }[]> = {
  regression: [
    { key: 'testMse', label: 'test MSE per sample' },
    { key: 'r2', label: 'r²' },
    { key: 'trainMs', label: 'training time, ms' },
  ],
  classification: [
    { key: 'testLoss', label: 'test loss per sample' },
    { key: 'testAccuracy', label: 'test accuracy, %', percent: true },
    { key: 'trainMs', label: 'training time, ms' },
  ],
};

/** A run's value of a metric: null when it has none, or none finite. */
export function metricOf(r: ParallelRun, key: string): number | null {
  const v = key === 'r2' ? r2Of(r.testMse, r.baselineMse) : key === 'testAccuracy' ? (r.testAccuracy === null ? null : 100 * r.testAccuracy) : (r[key as 'testMse' | 'testLoss' | 'trainMs'] as number | null);
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** Why a run has no value of a metric, in words. */
function whyMissing(r: ParallelRun, label: string): string {
  if (r.status === 'queued' || r.status === 'running') return 'still training';
  if (r.status === 'diverged') return `diverged (no finite ${label})`;
  if (r.status !== 'done') return `${r.status === 'failed' ? 'ended in an error' : r.status}, no ${label}`;
  return `no ${label}`;
}

/** Values in order: numbers ascending, anything else in order of first appearance (as the stability map orders them). */
function categories(values: readonly unknown[]): { values: string[]; labels: string[] } {
  const seen = new Map<string, unknown>();
  for (const v of values) if (!seen.has(valueText(v))) seen.set(valueText(v), v);
  const list = [...seen.entries()];
  if (list.every(([, v]) => typeof v === 'number')) list.sort((a, b) => (a[1] as number) - (b[1] as number));
  return { values: list.map(([k]) => k), labels: list.map(([, v]) => displayValue(v)) };
}

/** A numeric axis's scale over these values: log when all are positive and span a factor of 10 or more. */
export function numericScale(values: readonly number[]): AxisScale {
  const min = Math.min(...values);
  const max = Math.max(...values);
  return { type: min > 0 && max / min >= 10 ? 'log' : 'linear', min, max };
}

/** Where a value sits on a scale, 0 (bottom) … 1 (top); null when it is not on it. A scale of one value puts it in the middle. */
export function positionOf(scale: AxisScale, v: AxisValue): number | null {
  if (scale.type === 'category') {
    const i = scale.values.indexOf(String(v));
    if (i < 0) return null;
    return scale.values.length === 1 ? 0.5 : i / (scale.values.length - 1);
  }
  if (typeof v !== 'number' || !Number.isFinite(v)) return null;
  if (scale.max === scale.min) return 0.5;
  if (scale.type === 'log') return v > 0 ? (Math.log(v) - Math.log(scale.min)) / (Math.log(scale.max) - Math.log(scale.min)) : null;
  return (v - scale.min) / (scale.max - scale.min);
}

/** The value at a position of a numeric scale (the inverse of positionOf). */
export function valueAt(scale: Extract<AxisScale, { min: number }>, p: number): number {
  if (scale.max === scale.min) return scale.min;
  if (scale.type === 'log') return Math.exp(Math.log(scale.min) + p * (Math.log(scale.max) - Math.log(scale.min)));
  return scale.min + p * (scale.max - scale.min);
}

function ticksOf(scale: AxisScale, distinct: readonly number[], kind: 'field' | 'metric'): { pos: number; label: string }[] {
  if (scale.type === 'category') return scale.labels.map((label, i) => ({ pos: positionOf(scale, scale.values[i])!, label }));
  // a swept field's few values are its ticks; a metric gets round ticks inside its range, and its ends
  const values =
    kind === 'field' && distinct.length <= 8
      ? [...distinct]
      : scale.type === 'log'
        ? [scale.min, ...decades(scale.min, scale.max), scale.max]
        : [scale.min, ...niceTicks(scale.min, scale.max, 4).values.filter((v) => v > scale.min && v < scale.max), scale.max];
  const out: { pos: number; label: string }[] = [];
  for (const v of [...new Set(values)].sort((a, b) => a - b)) {
    const pos = positionOf(scale, v)!;
    // ticks closer than 6 % of the axis would overwrite each other: the ends win
    if (out.length && pos - out[out.length - 1].pos < 0.06 && v !== scale.max) continue;
    if (out.length && pos - out[out.length - 1].pos < 0.06) out.pop();
    out.push({ pos, label: kind === 'field' ? displayValue(v) : v === scale.min || v === scale.max ? fmt(v) : tickLabel(v) });
  }
  return out;
}

function decades(min: number, max: number): number[] {
  const out: number[] = [];
  for (let e = Math.ceil(Math.log10(min)); 10 ** e < max; e++) if (10 ** e > min) out.push(10 ** e);
  return out;
}

/** Does a brush hold this value? */
export function brushHolds(b: Brush, scale: AxisScale, v: AxisValue | null): boolean {
  if (v === null) return false;
  if ('values' in b) return scale.type === 'category' && b.values.includes(String(v));
  if (typeof v !== 'number') return false;
  // inclusive, with room for the rounding of a position turned back into a value
  const tol = 1e-9 * Math.max(Math.abs(b.range[0]), Math.abs(b.range[1]), 1e-300);
  return v >= b.range[0] - tol && v <= b.range[1] + tol;
}

/**
 * The brush a drag from position p0 to p1 (0 bottom … 1 top) on an axis makes: the numbers between
 * on a numeric axis, the categories between on a category axis; null when it holds no category
 * (a click: the axis's brush goes).
 */
export function brushBetween(axis: ParallelAxis, p0: number, p1: number): Brush | null {
  const lo = Math.max(0, Math.min(p0, p1));
  const hi = Math.min(1, Math.max(p0, p1));
  const s = axis.scale;
  if (s.type === 'category') {
    const values = s.values.filter((v) => {
      const p = positionOf(s, v)!;
      return p >= lo - 1e-9 && p <= hi + 1e-9;
    });
    return values.length ? { axis: axis.key, values } : null;
  }
  if (hi - lo < 0.01) return null;
  return { axis: axis.key, range: [valueAt(s, lo), valueAt(s, hi)] };
}

/** A brush's extent on its axis as positions, lo and hi (0 bottom … 1 top). */
export function brushExtent(b: Brush, axis: ParallelAxis): [number, number] | null {
  const s = axis.scale;
  if ('values' in b) {
    if (s.type !== 'category') return null;
    const ps = b.values.map((v) => positionOf(s, v)).filter((p): p is number => p !== null);
    if (!ps.length) return null;
    const pad = s.values.length > 1 ? 0.25 / (s.values.length - 1) : 0.25;
    return [Math.max(0, Math.min(...ps) - pad), Math.min(1, Math.max(...ps) + pad)];
  }
  if (s.type === 'category') return null;
  const lo = positionOf(s, b.range[0]);
  const hi = positionOf(s, b.range[1]);
  return [Math.max(0, Math.min(1, lo ?? 0)), Math.max(0, Math.min(1, hi ?? 1))];
}

/** A field's name as an axis says it. */
export function fieldLabel(field: string): string {
  return field === MEAN_OVER_EPS ? 'init mean / eps' : field;
}

/**
 * The parallel coordinates of these units (runs, or configurations), or null when fewer than two
 * spec fields vary between the runs (that is a comparison, not a sweep: the other panels show it).
 */
export function parallelModel(units: readonly ParallelUnit[], per: ParallelModel['per'], brushes: readonly Brush[] = []): ParallelModel | null {
  const runs = units.flatMap((u) => u.runs);
  if (!runs.length) return null;
  const specs = runs.map((r): Record<string, unknown> => r.spec);
  let fields = varyingFields(specs);
  if (fields.length < 2) return null;
  if (meanRelativeToEps(specs, fields)) fields = fields.map((f) => (f === 'initMean' ? MEAN_OVER_EPS : f));
  const kind = runs[0].kind;
  const metrics = METRIC_AXES[kind];

  // each run's values, and why a run has none on some axis
  const notDrawn: NotDrawn[] = [];
  const complete = new Map<number, number[]>();
  for (const r of runs) {
    if (r.kind !== kind) {
      notDrawn.push({ id: r.id, why: `another kind of task (${r.kind})` });
      continue;
    }
    const m = metrics.map((a) => metricOf(r, a.key));
    const missing = m.findIndex((v) => v === null);
    if (missing >= 0) notDrawn.push({ id: r.id, why: whyMissing(r, metrics[missing].label) });
    else complete.set(r.id, m as number[]);
  }

  // a unit's values: its fields' (its first run's), and on each metric its run's or its runs' median
  const unitValues = units.map((u) => {
    const withAll = u.runs.filter((r) => complete.has(r.id));
    const fieldVals = fields.map((f) => fieldValue(u.runs[0].spec, f));
    const metricVals = metrics.map((_, k) => (withAll.length ? median(withAll.map((r) => complete.get(r.id)![k])) : null));
    return { unit: u, withAll, fieldVals, metricVals };
  });

  const axes: ParallelAxis[] = [];
  for (const f of fields) {
    const vals = runs.map((r) => fieldValue(r.spec, f));
    const scale = vals.every((v) => typeof v === 'number' && Number.isFinite(v)) ? numericScale(vals as number[]) : { type: 'category' as const, ...categories(vals) };
    const distinct = scale.type === 'category' ? [] : [...new Set(vals as number[])];
    axes.push({ key: f, label: fieldLabel(f), kind: 'field', scale, ticks: ticksOf(scale, distinct, 'field') });
  }
  metrics.forEach((m, k) => {
    const vals = unitValues.map((u) => u.metricVals[k]).filter((v): v is number => v !== null);
    const scale = vals.length ? numericScale(vals) : ({ type: 'linear', min: 0, max: 1 } as const);
    axes.push({ key: m.key, label: m.label, kind: 'metric', scale, ticks: ticksOf(scale, [], 'metric') });
  });

  const onAxes = brushes.filter((b) => axes.some((a) => a.key === b.axis));
  const valueOn = (u: (typeof unitValues)[number], i: number): AxisValue | null => {
    if (i < fields.length) {
      const v = u.fieldVals[i];
      return axes[i].scale.type === 'category' ? valueText(v) : (v as number);
    }
    return u.metricVals[i - fields.length];
  };
  const keptIds: number[] = [];
  const lines: ParallelLine[] = [];
  for (const u of unitValues) {
    const kept = onAxes.every((b) => {
      const i = axes.findIndex((a) => a.key === b.axis);
      return brushHolds(b, axes[i].scale, valueOn(u, i));
    });
    if (kept) keptIds.push(...u.unit.runs.map((r) => r.id));
    if (!u.withAll.length) continue;
    const values = axes.map((_, i) => valueOn(u, i)!);
    lines.push({ key: u.unit.key, label: u.unit.label, color: u.unit.color, runIds: u.withAll.map((r) => r.id), values, pos: axes.map((a, i) => positionOf(a.scale, values[i]) ?? 0), kept });
  }
  return { per, kind, axes, lines, notDrawn, brushes: onAxes, total: runs.length, keptIds };
}

/** Brushes after one axis's brush is set (null: taken off). */
export function withBrush(brushes: readonly Brush[], axis: string, b: Brush | null): Brush[] {
  return [...brushes.filter((x) => x.axis !== axis), ...(b ? [b] : [])];
}

/** A brush in words: "learningRate 0.1 – 1", "activation relu, tanh". */
export function brushWords(b: Brush, axis: ParallelAxis | undefined): string {
  const name = axis?.label ?? b.axis;
  if ('values' in b) {
    const labels = axis && axis.scale.type === 'category' ? b.values.map((v) => (axis.scale as { labels: string[]; values: string[] }).labels[(axis.scale as { values: string[] }).values.indexOf(v)] ?? v) : b.values;
    return `${name} ${labels.join(', ')}`;
  }
  return `${name} ${fmt(b.range[0])} – ${fmt(b.range[1])}`;
}

/** What the picture draws, in a line: "12 runs drawn; 2 not: #5 diverged (…), #9 still training". */
export function drawnWords(m: ParallelModel): string {
  const runsDrawn = m.lines.reduce((n, l) => n + l.runIds.length, 0);
  const lines = m.per === 'run' ? `${runsDrawn} run${runsDrawn === 1 ? '' : 's'} drawn` : `${m.lines.length} configuration${m.lines.length === 1 ? '' : 's'} drawn (the median of ${runsDrawn} run${runsDrawn === 1 ? '' : 's'} on each metric)`;
  if (!m.notDrawn.length) return `${lines}; every run of the comparison has a value on every axis.`;
  const listed = m.notDrawn.slice(0, 12).map((n) => `#${n.id} ${n.why}`);
  const more = m.notDrawn.length > 12 ? `, and ${m.notDrawn.length - 12} more` : '';
  return `${lines}; ${m.notDrawn.length} run${m.notDrawn.length === 1 ? '' : 's'} not drawn (no value on some axis): ${listed.join('; ')}${more}.`;
}

// --- drawing ------------------------------------------------------------------------------------

export interface ParallelLayout {
  width: number;
  height: number;
  top: number;
  bottom: number;
  axes: { key: string; x: number; label: string; ticks: { y: number; label: string }[]; brush: { y0: number; y1: number } | null }[];
  lines: { key: string; color: string; kept: boolean; points: string; label: string }[];
}

/** Pixels: the axes spread evenly across `width`, position 1 at `top`, 0 at `height - bottom`. */
export function layoutParallel(m: ParallelModel, width: number, height: number): ParallelLayout {
  const top = 46;
  const bottom = 24;
  const left = 70;
  const right = 70;
  const span = m.axes.length > 1 ? (width - left - right) / (m.axes.length - 1) : 0;
  const y = (p: number) => top + (1 - p) * (height - top - bottom);
  const xs = m.axes.map((_, i) => left + i * span);
  const r = (v: number) => Math.round(v * 10) / 10;
  return {
    width,
    height,
    top,
    bottom,
    axes: m.axes.map((a, i) => {
      const b = m.brushes.find((x) => x.axis === a.key);
      const ext = b ? brushExtent(b, a) : null;
      return { key: a.key, x: r(xs[i]), label: a.label, ticks: a.ticks.map((t) => ({ y: r(y(t.pos)), label: t.label })), brush: ext ? { y0: r(y(ext[1])), y1: r(y(ext[0])) } : null };
    }),
    // the kept lines last, over the others
    lines: [...m.lines.filter((l) => !l.kept), ...m.lines.filter((l) => l.kept)].map((l) => ({ key: l.key, color: l.color, kept: l.kept, label: l.label, points: l.pos.map((p, i) => `${r(xs[i])},${r(y(p))}`).join(' ') })),
  };
}

export const PARALLEL_TITLE = 'Parallel coordinates: the swept fields and the outcomes';

/** The picture as a standalone SVG (what the page draws, with title, notes and provenance). */
export function parallelToSvg(m: ParallelModel, theme: ChartTheme, provenance?: unknown, width = 960, height = 380): { svg: string; width: number; height: number } {
  const notes = [drawnWords(m), ...(m.brushes.length ? [`brushed: ${m.brushes.map((b) => brushWords(b, m.axes.find((a) => a.key === b.axis))).join('; ')} (${m.keptIds.length} of ${m.total} runs kept)`] : [])];
  const head = 30;
  const foot = 16 + 14 * notes.length;
  const L = layoutParallel(m, width, height);
  const total = head + height + foot;
  const parts: string[] = [];
  parts.push('<?xml version="1.0" encoding="UTF-8"?>');
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${total}" viewBox="0 0 ${width} ${total}" font-family="system-ui, -apple-system, &apos;Segoe UI&apos;, Roboto, sans-serif">`);
  parts.push(`<title>${escapeXml(PARALLEL_TITLE)}</title>`);
  if (provenance !== undefined) parts.push(`<metadata id="nnlab-provenance">${escapeXml(JSON.stringify(provenance))}</metadata>`);
  parts.push(`<rect width="100%" height="100%" fill="${theme.background}"/>`);
  parts.push(`<text x="${width / 2}" y="20" text-anchor="middle" font-size="14" font-weight="bold" fill="${theme.text}">${escapeXml(PARALLEL_TITLE)}</text>`);
  parts.push(`<g transform="translate(0 ${head})">`);
  parts.push(parallelBody(L, theme));
  parts.push('</g>');
  notes.forEach((n, i) => parts.push(`<text x="12" y="${head + height + 14 + 14 * i}" font-size="11" fill="${theme.muted}">${escapeXml(n)}</text>`));
  parts.push('</svg>');
  return { svg: parts.join('\n'), width, height: total };
}

/** The axes, brushes and lines as SVG elements (the export's body). */
function parallelBody(L: ParallelLayout, theme: ChartTheme): string {
  const out: string[] = [];
  for (const l of L.lines) out.push(`<polyline fill="none" points="${l.points}" stroke="${l.kept ? l.color : theme.grid}" stroke-width="${l.kept ? 1.6 : 1}" stroke-opacity="${l.kept ? 0.85 : 0.7}"><title>${escapeXml(l.label)}</title></polyline>`);
  for (const a of L.axes) {
    out.push(`<line x1="${a.x}" x2="${a.x}" y1="${L.top}" y2="${L.height - L.bottom}" stroke="${theme.text}" stroke-width="1"/>`);
    if (a.brush) out.push(`<rect x="${a.x - 8}" y="${a.brush.y0}" width="16" height="${Math.max(2, a.brush.y1 - a.brush.y0)}" fill="${theme.muted}" fill-opacity="0.25" stroke="${theme.muted}"/>`);
    out.push(`<text x="${a.x}" y="${L.top - 22}" text-anchor="middle" font-size="12" font-weight="bold" fill="${theme.text}">${escapeXml(a.label)}</text>`);
    for (const t of a.ticks) {
      out.push(`<line x1="${a.x - 4}" x2="${a.x}" y1="${t.y}" y2="${t.y}" stroke="${theme.text}"/>`);
      out.push(`<text x="${a.x - 7}" y="${t.y + 4}" text-anchor="end" font-size="11" fill="${theme.muted}">${escapeXml(t.label)}</text>`);
    }
  }
  return out.join('\n');
}

/** One row per line: its label, runs, whether the brushes keep it, and its value on each axis; then the runs not drawn. */
export function parallelToCsv(m: ParallelModel): string {
  const rows: (string | number | null)[][] = [[m.per, 'run_ids', 'kept', ...m.axes.map((a) => a.label)]];
  for (const l of m.lines) rows.push([l.label, l.runIds.join(' '), l.kept ? 'yes' : 'no', ...l.values]);
  for (const n of m.notDrawn) rows.push([`#${n.id} not drawn: ${n.why}`, String(n.id), m.keptIds.includes(n.id) ? 'yes' : 'no', ...m.axes.map(() => null)]);
  return toCsv(rows);
}

export function parallelToJson(m: ParallelModel, runs: readonly ProvenanceRun[], appVersion: string): string {
  return JSON.stringify(
    {
      format: EXPORT_FORMAT,
      version: EXPORT_VERSION,
      appVersion,
      chart: { id: 'parallel-coordinates', title: PARALLEL_TITLE, kind: 'parallel-coordinates', per: m.per, notes: [drawnWords(m)] },
      axes: m.axes.map((a) => ({ key: a.key, label: a.label, kind: a.kind, scale: a.scale })),
      lines: m.lines.map((l) => ({ label: l.label, runIds: l.runIds, kept: l.kept, values: l.values })),
      notDrawn: m.notDrawn,
      brushes: m.brushes,
      keptRunIds: m.keptIds,
      runs,
    },
    null,
    1,
  );
}
