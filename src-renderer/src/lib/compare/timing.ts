/**
 * The timing panels: the sampled timing of each run or group (µs per sample in each phase,
 * training time, time to a target MSE), and the honest timing of the compared configurations
 * (one spec per configuration, timed interleaved on request: components/HonestTiming.vue). Pure.
 */
import { type Stat, stat } from '@main/analysis/stats';
import { batchesToTarget } from '../series';
import type { TimedConfig } from '../timing-view';
import { type Item, provenanceOf, type RunData } from './context';
import { panel } from './panel';
import { byLoss, noMseWords, targetLoss, targetWords } from '@main/analysis/units';
import { xScaleOf } from './parts';

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
  /** The row's runs train on another loss than sse, beside sse runs: an MSE target is not theirs (no time to target). */
  otherLoss?: true;
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
 * The sampled timing's rows, and what its time to target leaves out: where the runs train on
 * several losses the target is an MSE, so only the sse runs' time to it is given (a cross-entropy
 * of 0.01 is another unit's figure); a comparison of one loss reads the target in that loss.
 */
export function timingView(items: Item[], targetMse: number, groups: boolean): { rows: TimingRow[]; groups: boolean; targetName: string; targetNote: string | null } {
  const rows = timingRows(items, targetMse);
  const losses = byLoss(items, (it) => it.runs[0].run.spec.loss);
  // the target field named in the loss it is read in ("target MSE", "target cross-entropy per sample")
  const loss = targetLoss(losses.map((l) => l.loss));
  const targetName = targetWords(loss).name;
  if (losses.length <= 1) return { rows, groups, targetName, targetNote: null };
  const other = items.flatMap((it, i) => (it.runs[0].run.spec.loss === loss ? [] : [i]));
  for (const i of other) rows[i] = { ...rows[i], toTargetMs: null, reached: 0, otherLoss: true };
  const ids = other.flatMap((i) => items[i].runs.map((d) => `#${d.run.id}`));
  const lossesOf = [...new Set(other.map((i) => items[i].runs[0].run.spec.loss))].join(', ');
  return { rows, groups, targetName, targetNote: `Time to target: of the sse runs only; ${ids.length === 1 ? 'run' : 'runs'} ${ids.join(', ')} ${noMseWords(lossesOf, ids.length !== 1)}.` };
}

export const timingPanel = panel({
  id: 'timing',
  needs: ['cost'],
  build: ({ items, options }) => timingView(items, options.targetMse, options.mode === 'groups'),
});

export const honestTimingPanel = panel({
  id: 'honest-timing',
  needs: [],
  build: ({ data, groups, options }) => {
    // one spec per configuration (its first run's), in the view's labels and colours
    const byId = new Map(data.map((d) => [d.run.id, d.run]));
    const configs: TimedConfig[] = groups.flatMap((g) => {
      const run = byId.get(g.runIds[0]);
      return run ? [{ key: g.key, label: g.name, color: g.color, spec: run.spec }] : [];
    });
    return { configs, runs: provenanceOf(data), targetMse: options.targetMse };
  },
});
