/**
 * Replicate groups: runs grouped by configuration (the spec without its seeds, the store's
 * configKey), each with its outcome counts and medians over the runs with an outcome. Pure (no
 * Node, no DOM): the CLI, the lab and the renderer group runs with this one definition.
 */
import type { RunSummary } from '../db/types';
import { countOutcomes, DEFAULT_LEARNED_AT, type OutcomeCounts, outcomeOf } from './outcome';
import { median, type Stat, stat } from './stats';

/** What grouping needs of a run (the renderer groups partial summaries too). */
export type GroupRun = Pick<RunSummary, 'id' | 'status' | 'configKey' | 'testMse' | 'baselineMse'> & Partial<RunSummary>;

export interface ConfigGroup<R extends GroupRun = RunSummary> {
  /** The configuration: the spec without its seeds (the store's configKey). */
  key: string;
  /** Position among the groups (first appearance): the group's colour in the app. */
  index: number;
  /** One run of the group (its spec describes the configuration; seeds vary within the group). */
  example: R;
  runs: R[];
  /** Outcome classes of the runs that have one; the others listed apart. */
  outcomes: OutcomeCounts;
  /** Test MSE per sample of the runs with an outcome (a diverged run's counts as +∞). */
  testMse: Stat | null;
  /** Median r² of the runs with an outcome (a diverged run's counts as −∞); NaN when none. */
  medianR2: number;
  /** Median training time of the runs with an outcome, ms. */
  medianTrainMs: number;
}

/** Runs grouped by configuration; groups and runs in order of first appearance. */
export function groupByConfig<R extends GroupRun = RunSummary>(runs: readonly R[], options: { learnedAt?: number } = {}): ConfigGroup<R>[] {
  const learnedAt = options.learnedAt ?? DEFAULT_LEARNED_AT;
  const groups = new Map<string, R[]>();
  for (const r of runs) {
    const g = groups.get(r.configKey);
    if (g) g.push(r);
    else groups.set(r.configKey, [r]);
  }
  return [...groups.entries()].map(([key, list], index) => {
    const judged = list.flatMap((r) => {
      const o = outcomeOf(r, learnedAt);
      return o ? [{ r, o }] : [];
    });
    return {
      key,
      index,
      example: list[0],
      runs: list,
      outcomes: countOutcomes(list, learnedAt),
      // regression runs only: a classification run has no test MSE (its score is skill)
      testMse: stat(
        judged.filter(({ o }) => o.score.metric === 'r2').map(({ r, o }) => (o.outcome === 'diverged' ? Infinity : r.testMse)),
        { worst: true },
      ),
      medianR2: median(judged.map(({ o }) => o.r2 ?? -Infinity)),
      medianTrainMs: median(judged.flatMap(({ r }) => (typeof r.trainMs === 'number' ? [r.trainMs] : []))),
    };
  });
}
