/**
 * What a step of a paused run changed (step-through, issue 15), pure: from the flat weights before
 * and after the step, the largest weight changes (which edge or bias, from → to), how many weights
 * moved at all, and the hidden units that died or revived — dead as the network view judges it
 * (network-view unitHealth: zero slope at every view point), so the list agrees with the colours
 * drawn. The cost before and after comes with the paused states themselves (lab/events PausedAt).
 * The renderer lists it (StepThrough.vue).
 *
 * Weights are flat in finalWeights' order: layer l is a (shape[l+1], shape[l] + 1) matrix row by
 * row, column 0 the bias.
 */
import type { OutputFunctionName } from '../trainer/activations';
import { unitHealth } from './network-view';

/** How many of the largest changes a step lists by default. */
export const STEP_CHANGES_LISTED = 8;

export interface WeightChange {
  /** The layer of weights (0: inputs → first hidden layer). */
  layer: number;
  /** The source unit in layer `layer` (−1: the bias). */
  from: number;
  /** The unit in layer `layer + 1`. */
  to: number;
  before: number;
  after: number;
}

export interface UnitRef {
  /** The hidden layer, 1-based (layer 1: the first hidden layer). */
  layer: number;
  unit: number;
}

export interface StepChange {
  /** The `listed` largest |after − before|, largest first (ties by position); only weights that moved. */
  largest: WeightChange[];
  /** Weights that changed at all, of `count`. */
  changed: number;
  count: number;
  /** Hidden units dead after the step and not before, and the other way round; null without view points (more than 2 inputs). */
  died: UnitRef[] | null;
  revived: UnitRef[] | null;
}

/**
 * The change from `before` to `after` (flat weights of a `shape` network): its largest weight
 * changes and the units that died or revived on the view points `inputs` (points, inputs), or
 * null there when a task has no view points.
 */
export function stepChange(
  shape: readonly number[],
  before: ArrayLike<number>,
  after: ArrayLike<number>,
  hidden: OutputFunctionName,
  output: OutputFunctionName,
  inputs: ArrayLike<number> | null,
  listed = STEP_CHANGES_LISTED,
): StepChange {
  if (before.length !== after.length) throw new RangeError(`the weights before (${before.length}) and after (${after.length}) the step differ in length`);
  const moved: { i: number; change: WeightChange; size: number }[] = [];
  let i = 0;
  for (let l = 0; l + 1 < shape.length; l++) {
    const cols = shape[l] + 1;
    for (let to = 0; to < shape[l + 1]; to++) {
      for (let k = 0; k < cols; k++, i++) {
        const b = before[i];
        const a = after[i];
        // a weight that went from 0 to −0, or stayed NaN, did not move
        if (a === b || (Number.isNaN(a) && Number.isNaN(b))) continue;
        moved.push({ i, change: { layer: l, from: k - 1, to, before: b, after: a }, size: Number.isNaN(a - b) ? Infinity : Math.abs(a - b) });
      }
    }
  }
  if (i !== before.length) throw new RangeError(`a ${shape.join('-')} network has ${i} weights, not ${before.length}`);
  const largest = moved
    .slice()
    .sort((x, y) => y.size - x.size || x.i - y.i)
    .slice(0, listed)
    .map((m) => m.change);
  let died: UnitRef[] | null = null;
  let revived: UnitRef[] | null = null;
  if (inputs && shape.length > 2) {
    const [was, now] = [before, after].map((w) => unitHealth(shape, [w], [0], 0, hidden, output, inputs));
    died = [];
    revived = [];
    for (let l = 0; l < was.length; l++) {
      for (let j = 0; j < was[l].length; j++) {
        if (!was[l][j].dead && now[l][j].dead) died.push({ layer: l + 1, unit: j });
        if (was[l][j].dead && !now[l][j].dead) revived.push({ layer: l + 1, unit: j });
      }
    }
  }
  return { largest, changed: moved.length, count: i, died, revived };
}

/** A weight's name in words: `bias of layer 1 unit 3`, `x1 → layer 1 unit 3`, `layer 1 unit 2 → output 1` (units 1-based). */
export function weightName(shape: readonly number[], c: Pick<WeightChange, 'layer' | 'from' | 'to'>): string {
  const last = shape.length - 2;
  const target = c.layer === last ? `output ${c.to + 1}` : `layer ${c.layer + 1} unit ${c.to + 1}`;
  if (c.from < 0) return `bias of ${target}`;
  const source = c.layer === 0 ? `x${c.from + 1}` : `layer ${c.layer} unit ${c.from + 1}`;
  return `${source} → ${target}`;
}
