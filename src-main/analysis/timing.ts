/**
 * Honest timing: the summaries of a timing measurement (trainer/timing.ts). For every
 * configuration and every measure — µs per sample of forward, backward and update, their sum,
 * wall time per run, time to the target — the median and the interquartile range over the timed
 * repeats (quartiles by linear interpolation between order statistics, numpy's default), plus
 * the extremes. Medians and quartiles, not means and standard deviations: a timing distribution
 * has a floor and a long right tail (a GC pause, a context switch), which moves a mean and a
 * standard deviation a lot and the median and IQR hardly at all.
 *
 * Pure (no Node, no DOM): the lab, the CLI and the renderer share it.
 */
import type { Stored, TimingEnvironment } from '../db/types';
import type { RunSpec } from '../trainer/spec';
import type { TimingMeasurement } from '../trainer/timing';
import { configLabels } from './config-diff';
import { num } from './format';
import { type Stat, stat } from './stats';
import { noMseWords, targetLoss, targetWords } from './units';

export type { Stat };

/** A measurement as stored (JSON: non-finite numbers come back as null). */
export type StoredMeasurement = Stored<TimingMeasurement>;

/** A timing the lab is running or has queued (what `timings/active` answers). */
export interface TimingJob {
  jobId: number;
  name: string;
  configKeys: string[];
  experimentId: number | null;
  state: 'queued' | 'running';
  /** Trainings done of total (warm-up ones included). */
  done: number;
  total: number;
}

export const PHASES = ['forward', 'backward', 'update'] as const;
export type Phase = (typeof PHASES)[number];

export interface ConfigTimingSummary {
  /** What sets this configuration apart: "activation=sigmoid". */
  label: string;
  spec: Stored<RunSpec>;
  kernel: string;
  batches: number;
  /** Timed repeats. */
  n: number;
  /** µs per sample. */
  forward: Stat | null;
  backward: Stat | null;
  update: Stat | null;
  /** forward + backward + update of each repeat, µs per sample. */
  perSample: Stat | null;
  /** Wall time per run, ms. */
  wallMs: Stat | null;
  /** Time to the target (repeats that reached it), ms. */
  msToTarget: Stat | null;
  /** Batches to the target (the same in every repeat: training is deterministic). */
  batchesToTarget: number | null;
  /** Repeats that reached the target. */
  reached: number;
  diverged: number;
  finalCost: number | null;
  /** Every repeat reproduced the same cost history bit for bit. */
  costsIdentical: boolean;
  /**
   * It trains on another loss than sse beside configurations on sse: the target is an MSE, which
   * its loss per sample is not, so it has no time to the target (reached 0, msToTarget null).
   */
  otherLoss?: true;
}

export interface TimingSummary {
  configs: ConfigTimingSummary[];
  /** Spec fields whose values differ between the configurations. */
  differs: string[];
  repeats: number;
  warmup: number;
  targetMse: number;
  clockOverheadUs: number | null;
  /** Median wall time of each configuration relative to the first one's (1 for the first). */
  wallRatio: (number | null)[];
}

/** Median, IQR and extremes of every measure, per configuration. */
export function summarizeTiming(m: StoredMeasurement): TimingSummary {
  const { labels, differs } = configLabels(m.configs.map((c) => c.spec));
  const configs = m.configs.map((c, i): ConfigTimingSummary => {
    const reps = c.repeats;
    const phase = (p: Phase) => stat(reps.map((r) => r.usPerSample[p]));
    const sums = reps.map((r) => {
      const { forward, backward, update } = r.usPerSample;
      return forward === null || backward === null || update === null ? null : forward + backward + update;
    });
    const reachedReps = reps.filter((r) => r.msToTarget !== null);
    return {
      label: labels[i],
      spec: c.spec,
      kernel: c.kernel,
      batches: c.batchesRun ?? 0,
      n: reps.length,
      forward: phase('forward'),
      backward: phase('backward'),
      update: phase('update'),
      perSample: stat(sums),
      wallMs: stat(reps.map((r) => r.wallMs)),
      msToTarget: stat(reachedReps.map((r) => r.msToTarget)),
      batchesToTarget: reachedReps.length ? reachedReps[0].batchesToTarget : null,
      reached: reachedReps.length,
      diverged: reps.filter((r) => r.status === 'diverged').length,
      finalCost: reps.length ? reps[0].finalCost : null,
      costsIdentical: c.costsIdentical,
    };
  });
  // the target is in each loss's unit: beside sse runs it is an MSE, and a cross-entropy of 0.01 is none
  const loss = targetLoss(configs.map((c) => c.spec.loss));
  configs.forEach((c, i) => {
    if (c.spec.loss !== loss) configs[i] = { ...c, msToTarget: null, batchesToTarget: null, reached: 0, otherLoss: true };
  });
  const first = configs[0]?.wallMs?.median;
  return {
    configs,
    differs,
    repeats: m.repeats ?? 0,
    warmup: m.warmup ?? 0,
    targetMse: m.targetMse ?? NaN,
    clockOverheadUs: m.clockOverheadUs,
    wallRatio: configs.map((c) => (c.wallMs && first ? c.wallMs.median / first : null)),
  };
}


/** The timing's target in its loss's words (analysis/units targetWords): "MSE 0.01", "cross-entropy 0.01 per sample". */
export function timingTarget(summary: { configs: readonly { spec: Pick<RunSpec, 'loss'> }[] }): { name: string; at: (x: string) => string } {
  return targetWords(targetLoss(summary.configs.map((c) => c.spec.loss)));
}

/**
 * The honest timing in words, with the configurations' names as the page shows them: "sigmoid
 * takes 3.1× the wall time of relu per run (median 6.7 ms against 2.1 ms); relu reaches MSE 0.01
 * after 0.35 ms (batch 64), sigmoid does not reach MSE 0.01 within 300 batches."
 */
export function readTiming(summary: TimingSummary, labels: readonly string[]): string {
  const parts: string[] = [];
  const cs = summary.configs;
  const name = (i: number) => labels[i] ?? cs[i].label;
  const a = cs[0];
  if (!a) return '';
  for (let i = 1; i < cs.length; i++) {
    const b = cs[i];
    const r = summary.wallRatio[i];
    if (r === null || !a.wallMs || !b.wallMs) continue;
    const ms = (x: number) => `${num(x)} ms`;
    parts.push(
      Math.abs(r - 1) < 0.05
        ? `${name(i)} and ${name(0)} take about the same wall time per run (median ${ms(b.wallMs.median)} against ${ms(a.wallMs.median)})`
        : `${name(i)} takes ${num(r)}× the wall time of ${name(0)} per run (median ${ms(b.wallMs.median)} against ${ms(a.wallMs.median)})`,
    );
  }
  const at = timingTarget(summary).at(num(summary.targetMse));
  const target = cs.map((c, i) =>
    c.otherLoss
      ? `${name(i)} ${noMseWords(c.spec.loss)}: no time to ${at}`
      : c.reached && c.msToTarget
      ? `${name(i)} reaches ${at} after ${num(c.msToTarget.median)} ms (batch ${c.batchesToTarget})`
      : `${name(i)} does not reach ${at} within ${c.batches} batches`,
  );
  parts.push(target.join(', '));
  return `${parts.join('; ')}.`;
}

/** A compared configuration as pickTiming reads it: its config key and its number of batches. */
export interface TimedKey {
  key: string;
  batches: number;
}

/**
 * The honest timing to show and read for the compared configurations, one rule for the CLI's
 * `runs compare` and the app's Compare page: among the timings whose configurations are all
 * compared, the one that covers the most of the configurations the reading compares (those at
 * the fewest batches, as findings read them), then the most of all, then the newest. A preset
 * compared with its 10×-batches sweep thus reads the 300-batch timing beside the 300-batch
 * outcomes, not the newer one of the 3000-batch runs, and the page has one speed figure.
 */
export function pickTiming<T extends { id: number; configKeys: readonly string[] }>(timings: readonly T[], compared: readonly TimedKey[]): T | null {
  const all = new Set(compared.map((c) => c.key));
  const fewest = Math.min(...compared.map((c) => c.batches));
  const read = new Set(compared.filter((c) => c.batches === fewest).map((c) => c.key));
  const rank = (t: T) => {
    const keys = new Set(t.configKeys);
    return [[...keys].filter((k) => read.has(k)).length, keys.size, t.id];
  };
  let best: T | null = null;
  let bestRank: number[] = [];
  for (const t of timings) {
    if (!t.configKeys.length || !t.configKeys.every((k) => all.has(k))) continue;
    const r = rank(t);
    const better = !best || r[0] > bestRank[0] || (r[0] === bestRank[0] && (r[1] > bestRank[1] || (r[1] === bestRank[1] && r[2] > bestRank[2])));
    if (better) [best, bestRank] = [t, r];
  }
  return best;
}

/**
 * Whether the machine was busy while a timing ran (a 1-minute load average above ¾ of the cpus at
 * its start or end): other programs shared the cores, so its figures are rougher than on a quiet
 * machine. The honest-timing panel warns of it and the reading says it beside its ratio.
 */
export function busyMachine(e: Pick<TimingEnvironment, 'cpus' | 'loadAverage'> | null | undefined): { load: number; cpus: number } | null {
  if (!e) return null;
  const load = Math.max(e.loadAverage.start, e.loadAverage.end);
  return load > e.cpus * 0.75 ? { load, cpus: e.cpus } : null;
}
