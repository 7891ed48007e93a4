/**
 * Outcome classes: what a run's configuration achieved, one definition for the CLI, the lab and
 * the app. A run that trained to the end (or diverged) is judged by its score on the task's test
 * set — not by the last batch's cost, which is the noise of 32 samples:
 *
 *   regression       r2 = 1 − testMse / baselineMse, the share of the best constant predictor's
 *                    error that the network removed (1: a perfect fit, 0: no better than the
 *                    constant, below 0: worse than it);
 *   classification   skill = (accuracy − majority share) / (1 − majority share), the same idea
 *                    for accuracy (the constant predictor answers the majority class); r2 is null.
 *
 * and classed as `learned` (score ≥ learnedAt, 0.9 by default), `underfit` (0 < score < learnedAt),
 * `learned-nothing` (score ≤ 0) or `diverged` (the cost or the score is not finite). Runs without
 * an outcome (cancelled, interrupted, ended in an error: see status.ts) are never classed: they
 * are listed apart and enter no rate. Pure (no Node, no DOM).
 */
import type { RunStatus, RunSummary } from '../db/types';
import { hasOutcome, isActive } from './status';
import { wilsonInterval } from './stats';

export const OUTCOMES = ['learned', 'underfit', 'learned-nothing', 'diverged'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** The classes as words: "learned nothing". */
export const OUTCOME_WORDS: Readonly<Record<Outcome, string>> = { learned: 'learned', underfit: 'underfit', 'learned-nothing': 'learned nothing', diverged: 'diverged' };

/** The default threshold of `learned`: the network removed 90 % of the constant predictor's error. */
export const DEFAULT_LEARNED_AT = 0.9;

/** Why a learned-at threshold is refused, or null when it is valid (a number in (0, 1]). */
export function learnedAtError(x: unknown): string | null {
  return typeof x === 'number' && x > 0 && x <= 1 ? null : 'must be a number above 0 and at most 1 (the share of the constant predictor’s error removed, e.g. 0.9)';
}

export type ScoreMetric = 'r2' | 'skill';

/** The metric's name in text: "r²", "skill". */
export const METRIC_WORDS: Readonly<Record<ScoreMetric, string>> = { r2: 'r²', skill: 'skill' };

/** What a run must say for its score: regression fields, and classification's when it has them. */
export interface ScoreInput {
  testMse: number | null;
  baselineMse: number | null;
  /** Classification (a task with classes): accuracy on the test set and the majority class's share. */
  testAccuracy?: number | null;
  majorityShare?: number | null;
}

/** r2 = 1 − testMse / baselineMse; null when either is missing or not finite, or the baseline is not positive. */
export function r2Of(testMse: number | null | undefined, baselineMse: number | null | undefined): number | null {
  if (typeof testMse !== 'number' || typeof baselineMse !== 'number' || !Number.isFinite(testMse) || !(baselineMse > 0) || !Number.isFinite(baselineMse)) return null;
  return 1 - testMse / baselineMse;
}

/** skill = (accuracy − majority) / (1 − majority); null when missing, or when one class is everything. */
export function skillOf(accuracy: number | null | undefined, majorityShare: number | null | undefined): number | null {
  if (typeof accuracy !== 'number' || typeof majorityShare !== 'number' || !Number.isFinite(accuracy) || !(majorityShare < 1)) return null;
  return (accuracy - majorityShare) / (1 - majorityShare);
}

export interface Score {
  metric: ScoreMetric;
  /** null: not finite (a diverged network's outputs). */
  value: number | null;
}

/** The run's score: skill for a classification run (it reports an accuracy), r2 otherwise. */
export function scoreOf(r: ScoreInput): Score {
  if (typeof r.majorityShare === 'number') return { metric: 'skill', value: skillOf(r.testAccuracy, r.majorityShare) };
  return { metric: 'r2', value: r2Of(r.testMse, r.baselineMse) };
}

/** The metrics some runs are judged by, in the order first met (a mixed list has both). */
export const metricsOf = (runs: readonly ScoreInput[]): ScoreMetric[] => [...new Set(runs.map((r) => scoreOf(r).metric))];

/** The class of a score (null: not finite, so diverged). */
export function classify(score: number | null, learnedAt = DEFAULT_LEARNED_AT): Outcome {
  if (score === null || !Number.isFinite(score)) return 'diverged';
  // a score computed to be exactly the threshold (0.95 accuracy over a 0.5 majority is skill
  // 0.8999999999999999 in floating point) is at the threshold: allow the last bits of rounding
  if (score >= learnedAt - 1e-12) return 'learned';
  return score > 0 ? 'underfit' : 'learned-nothing';
}

export interface RunOutcome {
  outcome: Outcome;
  score: Score;
  /** The regression score (null for classification runs and where it is not finite). */
  r2: number | null;
}

export type OutcomeRun = Pick<RunSummary, 'status'> & ScoreInput;

/** A run's outcome; null for a run without one (active, cancelled, interrupted, ended in an error). */
export function outcomeOf(r: OutcomeRun, learnedAt = DEFAULT_LEARNED_AT): RunOutcome | null {
  if (!hasOutcome(r.status)) return null;
  const score = scoreOf(r);
  const r2 = score.metric === 'r2' ? score.value : null;
  return { outcome: r.status === 'diverged' ? 'diverged' : classify(score.value, learnedAt), score, r2 };
}

/** Who a score measures against: the constant predictor of each metric. */
const CONSTANT_WORDS: Readonly<Record<ScoreMetric, string>> = { r2: 'the best constant predictor', skill: 'always answering the training set’s majority class' };

/**
 * What a finished run's outcome means, said in its own metric (a badge's hover title): a
 * classification run is judged by skill against the majority class, not by a test MSE.
 * learnedAt: the threshold the outcome was classed at, when the caller knows it.
 */
export function outcomeMeaning(outcome: Outcome, metric: ScoreMetric, learnedAt?: number): string {
  const m = METRIC_WORDS[metric];
  const constant = CONSTANT_WORDS[metric];
  const threshold = learnedAt === undefined ? 'the learned threshold' : `learned (${m} ≥ ${learnedAt})`;
  switch (outcome) {
    case 'learned':
      return learnedAt === undefined ? `finished with ${m} at or above the learned threshold` : `finished with ${m} ≥ ${learnedAt}: at least ${pct(learnedAt)} less error than ${constant}`;
    case 'underfit':
      return `finished, better than ${constant} (${m} > 0) but short of ${threshold}`;
    case 'learned-nothing':
      return metric === 'r2'
        ? 'finished, but its test MSE is not below the best constant predictor’s (r² ≤ 0): it learned nothing'
        : 'finished, but its test accuracy is not above always answering the training set’s majority class (skill ≤ 0): it learned nothing';
    case 'diverged':
      return 'its cost or its test outputs are not finite numbers: it diverged';
  }
}

/** Statuses of runs listed apart, as words: "interrupted", "ended in an error". */
export const NOT_COUNTED_WORDS: Readonly<Partial<Record<RunStatus, string>>> = { interrupted: 'interrupted', cancelled: 'cancelled', failed: 'ended in an error' };

export interface OutcomeCounts {
  learnedAt: number;
  /** Runs with an outcome: the denominator of every rate. */
  n: number;
  counts: Record<Outcome, number>;
  /** Wilson 95 % interval of each class's probability ([0, 1] when n = 0). */
  intervals: Record<Outcome, [number, number]>;
  /** Runs still queued or training. */
  pending: number;
  /** Ended runs without an outcome, by status (interrupted, cancelled, failed = ended in an error). */
  notCounted: Partial<Record<RunStatus, number>>;
  notCountedTotal: number;
}

/** Counts of each outcome class over the runs with one; the others counted apart. */
export function countOutcomes(runs: readonly OutcomeRun[], learnedAt = DEFAULT_LEARNED_AT): OutcomeCounts {
  const counts: Record<Outcome, number> = { learned: 0, underfit: 0, 'learned-nothing': 0, diverged: 0 };
  const notCounted: Partial<Record<RunStatus, number>> = {};
  let n = 0;
  let pending = 0;
  let notCountedTotal = 0;
  for (const r of runs) {
    const o = outcomeOf(r, learnedAt);
    if (o) {
      counts[o.outcome]++;
      n++;
    } else if (isActive(r.status)) pending++;
    else {
      notCounted[r.status] = (notCounted[r.status] ?? 0) + 1;
      notCountedTotal++;
    }
  }
  const intervals = Object.fromEntries(OUTCOMES.map((c) => {
    const w = wilsonInterval(counts[c], n);
    return [c, [w.low, w.high]];
  })) as Record<Outcome, [number, number]>;
  return { learnedAt, n, counts, intervals, pending, notCounted, notCountedTotal };
}

const pct = (x: number) => `${Math.round(100 * x)} %`;

/**
 * "11 learned, 1 underfit, 8 learned nothing of 20" (diverged only when some did), with each
 * class's Wilson interval when asked: "11 learned (34–74 %), …".
 */
export function outcomeText(c: OutcomeCounts, options: { intervals?: boolean } = {}): string {
  const classes = OUTCOMES.filter((o) => o !== 'diverged' || c.counts.diverged > 0);
  const part = (o: Outcome) => `${c.counts[o]} ${OUTCOME_WORDS[o]}${options.intervals && c.n ? ` (${pct(c.intervals[o][0])}–${pct(c.intervals[o][1])})` : ''}`;
  return `${classes.map(part).join(', ')} of ${c.n}`;
}

/** "2 not counted: interrupted" / "3 not counted: 2 interrupted, 1 ended in an error"; null when none. */
export function notCountedText(c: OutcomeCounts): string | null {
  if (!c.notCountedTotal) return null;
  const entries = Object.entries(c.notCounted) as [RunStatus, number][];
  const words = entries.map(([s, k]) => (entries.length === 1 ? NOT_COUNTED_WORDS[s] ?? s : `${k} ${NOT_COUNTED_WORDS[s] ?? s}`));
  return `${c.notCountedTotal} not counted: ${words.join(', ')}`;
}

/**
 * The definition in words, for table notes and the readings' first use: of one metric, or of each
 * metric the runs listed are judged by (a list with regression and classification runs).
 */
export function outcomeDefinition(learnedAt: number, metric: ScoreMetric | readonly ScoreMetric[] = 'r2'): string {
  const metrics: readonly ScoreMetric[] = typeof metric === 'string' ? [metric] : metric.length ? [...new Set(metric)] : ['r2'];
  const m = metrics.map((x) => METRIC_WORDS[x]).join(' or ');
  const what = metrics
    .map((x) => (x === 'r2' ? 'r² = 1 − test MSE / the best constant predictor’s MSE, on the task’s test grid' : 'skill = (test accuracy − m) / (1 − m), m what always answering the training set’s majority class scores on the test set'))
    .join('; ');
  return `learned: ${m} ≥ ${learnedAt}; underfit: 0 < ${m} < ${learnedAt}; learned nothing: ${m} ≤ 0; diverged: not finite (${what}); interrupted, cancelled and crashed runs are not counted`;
}
