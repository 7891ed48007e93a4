/**
 * Targets the output layer cannot reach: a relu output (the seed's, on a target that goes below 0),
 * a sigmoid's (0, 1) or a tanh's (−1, 1) around targets outside them. No weights can then fit those
 * targets, however long the run trains, and the run's verdict is the output layer's, not the
 * learning's: the CLI's summary and the New run form's preview say so before anyone tunes the
 * learning rate. Read from a regression's test targets (what the scores are measured on).
 */
import { type ActivationName, type OutputFunctionName, outputFunctionName, type OutputMode } from '../trainer/activations';
import { num } from './format';

/** The closed range of each output function's values (leaky relu and linear: every number). */
const OUTPUT_RANGE: Readonly<Record<OutputFunctionName, readonly [number, number]>> = {
  relu: [0, Infinity],
  sigmoid: [0, 1],
  tanh: [-1, 1],
  leakyRelu: [-Infinity, Infinity],
  linear: [-Infinity, Infinity],
  softmax: [0, 1],
};

/** What each range is in words. */
const RANGE_WORDS: Readonly<Record<OutputFunctionName, string>> = {
  relu: 'never goes below 0',
  sigmoid: 'stays between 0 and 1',
  tanh: 'stays between −1 and 1',
  leakyRelu: '',
  linear: '',
  softmax: 'stays between 0 and 1',
};

export interface OutOfReach {
  /** The output function ('relu') and whether it is the hidden activation applied by the seed's rule. */
  readonly fn: OutputFunctionName;
  readonly seedRule: boolean;
  /** The first output whose targets leave the range: its index and name ("x^2 - 1", "cos x"). */
  readonly output: number;
  readonly name: string;
  /** The target values beyond the range (the lowest below it, else the highest above it), and how many of the test targets are out of reach. */
  readonly beyond: number;
  readonly outside: number;
  readonly count: number;
}

/**
 * The first output whose test targets lie outside what the output layer can produce, or null when
 * every target is within reach. `targets` is (count, outputs), row-major.
 */
export function outputOutOfReach(
  spec: { readonly outputActivation: OutputMode; readonly activation: ActivationName },
  targets: ArrayLike<number>,
  outputs: number,
  names: readonly string[] = [],
): OutOfReach | null {
  const fn = outputFunctionName(spec.outputActivation, spec.activation);
  const [lo, hi] = OUTPUT_RANGE[fn];
  if (lo === -Infinity && hi === Infinity) return null;
  const count = Math.floor(targets.length / outputs);
  for (let j = 0; j < outputs; j++) {
    let min = Infinity;
    let max = -Infinity;
    let outside = 0;
    for (let i = 0; i < count; i++) {
      const t = targets[i * outputs + j];
      if (t < min) min = t;
      if (t > max) max = t;
      if (t < lo || t > hi) outside++;
    }
    if (outside > 0) {
      return { fn, seedRule: spec.outputActivation === 'seed', output: j, name: names[j] ?? `output ${j + 1}`, beyond: min < lo ? min : max, outside, count };
    }
  }
  return null;
}

/** Out of reach over several runs' test sets (a configuration's replicates): how many distinct test sets were read. */
export interface OutOfReachOfSets extends OutOfReach {
  readonly sets: number;
}

/**
 * outputOutOfReach over the test targets of several runs of one configuration: the distinct test
 * sets (replicates with one data seed share theirs; a table's split can move with the data seed)
 * judged together, so the counts are of distinct test points. Null when every target of every set
 * is within reach, or there is no set.
 */
export function outputOutOfReachOfSets(
  spec: { readonly outputActivation: OutputMode; readonly activation: ActivationName },
  sets: readonly ArrayLike<number | null>[],
  outputs: number,
  names: readonly string[] = [],
): OutOfReachOfSets | null {
  const distinct: number[][] = [];
  for (const set of sets) {
    const values = Array.from(set, (v) => (v === null ? NaN : v));
    if (!distinct.some((d) => d.length === values.length && d.every((v, i) => Object.is(v, values[i])))) distinct.push(values);
  }
  if (!distinct.length) return null;
  const r = outputOutOfReach(spec, distinct.flat(), outputs, names);
  return r && { ...r, sets: distinct.length };
}

/**
 * The sentence: "the output layer is relu (the seed's rule: the hidden activation), which never goes
 * below 0, but the target x^2 − 1 reaches −1 (29 of 30 test points are out of its reach): no
 * weights can fit those; a linear output layer can reach them". `how` names the way to choose one where the reader is.
 */
export function outOfReachText(r: OutOfReach & { readonly sets?: number }, how: string): string {
  const which = r.seedRule ? `${r.fn} (the seed’s rule: the hidden activation)` : r.fn;
  const sets = r.sets && r.sets > 1 ? ` of the runs’ ${r.sets} test sets` : '';
  return `the output layer is ${which}, which ${RANGE_WORDS[r.fn]}, but the target ${r.name} reaches ${num(r.beyond)} (${r.outside} of ${r.count} test points${sets} are out of its reach): no weights can fit those; a linear output layer can reach them (${how})`;
}
