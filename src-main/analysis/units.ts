/**
 * The units of a comparison: what a run's numbers are measured in, so no figure or sentence puts
 * two units on one axis or in one difference. A run's training curve (its cost, its loss per
 * sample, its gradients, the loss it reaches) is in its loss's unit — the seed's squared error
 * (`sse`) or cross-entropy — and its end score in its kind's measure: test MSE per sample for a
 * regression, test error (1 − accuracy) for a classification (analysis/paired.ts measureOf).
 * Runs of different losses are compared by their outcome classes only (r² and skill are both
 * shares of a baseline's error removed), each figure in a unit drawn per loss. Pure.
 */
import type { RunSpec } from '../trainer/spec';
import type { TaskKind } from '../trainer/tasks';

type Lossy = { spec: Pick<RunSpec, 'loss'> };

/** A loss in words, as an axis or a sentence names it. */
export const LOSS_WORDS: Readonly<Record<RunSpec['loss'], string>> = { sse: 'squared error', 'cross-entropy': 'cross-entropy' };

/**
 * A loss per sample in words (a batch's loss over its size), as a curve of it is named: "MSE per
 * sample" for the seed's squared error (the mean of it is an MSE), "cross-entropy per sample".
 */
export const perSampleWords = (loss: RunSpec['loss']): string => `${loss === 'sse' ? 'MSE' : LOSS_WORDS[loss]} per sample`;

/** Both train on one loss: their costs, losses per sample and gradients are in one unit. */
export const sameLoss = (a: Lossy, b: Lossy): boolean => a.spec.loss === b.spec.loss;

/** Both are scored in one measure at the end (test MSE, or test error): their scores subtract. */
export const sameMeasure = (a: { kind: TaskKind }, b: { kind: TaskKind }): boolean => a.kind === b.kind;

/** Items split by their loss, each loss's in their order, the losses in the order they first appear. */
export function byLoss<T>(items: readonly T[], lossOf: (t: T) => RunSpec['loss']): { loss: RunSpec['loss']; items: T[] }[] {
  const out: { loss: RunSpec['loss']; items: T[] }[] = [];
  for (const t of items) {
    const loss = lossOf(t);
    const entry = out.find((e) => e.loss === loss);
    if (entry) entry.items.push(t);
    else out.push({ loss, items: [t] });
  }
  return out;
}

/**
 * The loss a "time to target" reads its target in: beside sse runs, sse's (the target is an MSE,
 * and a run on another loss has no time to it: its loss per sample is none); runs of one loss,
 * theirs (circle on cross-entropy alone is timed to a cross-entropy of 0.01 per sample).
 */
export function targetLoss(losses: Iterable<RunSpec['loss']>): RunSpec['loss'] {
  const set = new Set(losses);
  return set.size === 1 ? [...set][0] : 'sse';
}

/**
 * A target in its loss's words, the one name every label and sentence of a target uses: `name`
 * the quantity ("MSE", "cross-entropy per sample": the loss of a batch over its size; an MSE is per
 * sample by its name), `at(x)` the target itself ("MSE 0.01", "cross-entropy 0.01 per sample").
 */
export function targetWords(loss: RunSpec['loss']): { name: string; at: (x: string) => string } {
  return loss === 'sse' ? { name: 'MSE', at: (x) => `MSE ${x}` } : { name: `${LOSS_WORDS[loss]} per sample`, at: (x) => `${LOSS_WORDS[loss]} ${x} per sample` };
}

/**
 * Why runs on a loss other than sse have no time to an MSE target, the one phrase of it: "trains on
 * cross-entropy, whose loss per sample is no MSE" (`losses` as written, "cross-entropy"; `several`
 * for the plural's verb: "runs #3, #4 train on …").
 */
export const noMseWords = (losses: string, several = false): string => `${several ? 'train' : 'trains'} on ${losses}, whose loss per sample is no MSE`;
