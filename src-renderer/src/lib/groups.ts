/**
 * Replicate groups: runs with the same configuration (the spec without its seeds, the store's
 * configKey), their failure rate and summaries. A run failed when it learned nothing — its final
 * MSE per sample is not below the best constant predictor's (the store's `failed`) — or it
 * diverged or ended in an error. Queued, running, cancelled and interrupted runs are not counted.
 * Pure.
 */
import type { RunSummary } from '../../../src-main/db/types';
import { median, quantile } from './series';

export type GroupRun = Pick<RunSummary, 'id' | 'status' | 'failed' | 'configKey'> & Partial<RunSummary>;

export const ENDED: readonly string[] = ['done', 'diverged', 'failed'];

/** True/false for a run that ended; null while it has no outcome (queued, running, cancelled, interrupted). */
export function runFailed(r: Pick<RunSummary, 'status' | 'failed'>): boolean | null {
  if (!ENDED.includes(r.status)) return null;
  return r.status === 'diverged' || r.status === 'failed' || r.failed === true;
}

export interface Group<R extends GroupRun = RunSummary> {
  key: string;
  /** Position among the groups (first appearance): the group's colour. */
  index: number;
  runs: R[];
}

/** Runs grouped by configKey, groups and runs in the order given. */
export function groupByConfig<R extends GroupRun>(runs: readonly R[]): Group<R>[] {
  const map = new Map<string, Group<R>>();
  for (const r of runs) {
    let g = map.get(r.configKey);
    if (!g) {
      g = { key: r.configKey, index: map.size, runs: [] };
      map.set(r.configKey, g);
    }
    g.runs.push(r);
  }
  return [...map.values()];
}

export interface FailureRate {
  failed: number;
  /** Runs with an outcome. */
  n: number;
  /** Runs still queued or running (and cancelled/interrupted ones), not counted. */
  pending: number;
  /** Wilson 95 % interval of the failure probability; null when n = 0. */
  interval: [number, number] | null;
  /** "3 of 20 seeds failed". */
  text: string;
}

/** Wilson score interval for k successes in n trials (z = 1.96: 95 %). */
export function wilson(k: number, n: number, z = 1.96): [number, number] {
  if (n === 0) return [0, 1];
  const p = k / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

export function failureRate(runs: readonly Pick<RunSummary, 'status' | 'failed'>[]): FailureRate {
  let failed = 0;
  let n = 0;
  for (const r of runs) {
    const f = runFailed(r);
    if (f === null) continue;
    n++;
    if (f) failed++;
  }
  const pending = runs.length - n;
  const text = `${failed} of ${n} seed${n === 1 ? '' : 's'} failed`;
  return { failed, n, pending, interval: n ? wilson(failed, n) : null, text };
}

export interface Spread {
  median: number;
  q1: number;
  q3: number;
  n: number;
}

/** Median and quartiles of the finite values (null when there are none). */
export function spread(values: readonly (number | null | undefined)[]): Spread | null {
  const xs = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  if (xs.length === 0) return null;
  return { median: median(xs), q1: quantile(xs, 0.25), q3: quantile(xs, 0.75), n: xs.length };
}
