/**
 * Summaries of groups of runs (replicates of one configuration): failure counts, medians. Pure.
 * A run failed when it learned nothing (final MSE per sample not below the best constant
 * predictor's), diverged, or ended in an error.
 */
import type { RunSummary } from '../db/store';

export function runFailed(r: Pick<RunSummary, 'status' | 'failed'>): boolean {
  return r.status === 'diverged' || r.status === 'failed' || r.failed === true;
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export interface ConfigGroup {
  configKey: string;
  /** One run of the group (its spec describes the configuration; seeds vary within the group). */
  example: RunSummary;
  runs: RunSummary[];
  /** Runs that ended (done, diverged or failed); queued, running, cancelled and interrupted runs are left out. */
  finished: number;
  failedCount: number;
  medianFinalCost: number;
  medianTrainMs: number;
}

/** Groups runs by configuration (spec without seeds), in order of first appearance. */
export function groupByConfig(runs: readonly RunSummary[]): ConfigGroup[] {
  const groups = new Map<string, RunSummary[]>();
  for (const r of runs) {
    const g = groups.get(r.configKey);
    if (g) g.push(r);
    else groups.set(r.configKey, [r]);
  }
  return [...groups.entries()].map(([configKey, list]) => {
    const ended = list.filter((r) => r.status === 'done' || r.status === 'diverged' || r.status === 'failed');
    return {
      configKey,
      example: list[0],
      runs: list,
      finished: ended.length,
      failedCount: ended.filter(runFailed).length,
      medianFinalCost: median(ended.map((r) => r.finalCost ?? Infinity)),
      medianTrainMs: median(ended.filter((r) => r.trainMs !== null).map((r) => r.trainMs!)),
    };
  });
}
