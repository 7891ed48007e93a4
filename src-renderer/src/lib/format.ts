/** Number and run formatting shared by tables, legends and exports. Pure. */
import { displayValue } from '@main/analysis/config-diff';
import type { RunSpec } from '@main/trainer/spec';

export { fmtBytes } from '@main/analysis/format';

/** A number with about `digits` significant digits, compact for very small or large values. */
export function fmt(x: number | null | undefined, digits = 3): string {
  if (x === null || x === undefined || Number.isNaN(x)) return '–';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '−∞';
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e6 || a < 1e-3) return x.toExponential(Math.max(0, digits - 1)).replace('-', '−');
  const s = Number(x.toPrecision(digits)).toString();
  return s.replace('-', '−');
}

/** Milliseconds as "37 ms", "1.2 s", "2 min 3 s". */
export function fmtMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '–';
  if (ms < 1000) return `${fmt(ms, ms < 10 ? 2 : 3)} ms`;
  if (ms < 60_000) return `${fmt(ms / 1000, 3)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${s % 60} s`;
}

/** A one-line description of a spec: what a person would call the run. */
export function describeSpec(spec: RunSpec): string {
  const parts = [spec.activation, `[${spec.shape.join(',')}]`];
  if (spec.init === 'normal' && !spec.initialWeights) parts.push(`mean ${displayValue(spec.initMean)}, eps ${displayValue(spec.eps)}`);
  else parts.push(spec.initialWeights ? 'given weights' : spec.init);
  parts.push(`lr ${displayValue(spec.learningRate)}`, `${spec.batches}×${spec.batchSize}`);
  if (spec.optimizer !== 'sgd') parts.push(spec.optimizer);
  if (spec.task !== 'sincos') parts.unshift(spec.task);
  return parts.join(' · ');
}

/** Time since a timestamp, short ("just now", "5 min ago", a date). */
export function fmtWhen(ms: number | null, now = Date.now()): string {
  if (ms === null) return '–';
  const d = now - ms;
  if (d < 45_000) return 'just now';
  if (d < 3_600_000) return `${Math.round(d / 60_000)} min ago`;
  if (d < 86_400_000) return `${Math.round(d / 3_600_000)} h ago`;
  return new Date(ms).toISOString().slice(0, 10);
}

/** An axis tick value, short: 0.05, 10, 2e-4. */
export function tickLabel(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return v.toExponential(0).replace('e+', 'e');
  return String(Number(v.toPrecision(6)));
}
