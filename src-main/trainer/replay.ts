/**
 * The oracle contract (`reference/seed_nn.py`, and the project's tests/reference/nn_reference.py
 * for what the run spec adds): given explicit initial weights and explicit batches, train and
 * return the oracle's RESULT fields. Every batch runs, even after the cost turns NaN, as the
 * oracle does. Used by `nnlab replay` and the parity tests. The loss, the output layer, the
 * regularisers and the optimizer have the run spec's names, meanings and defaults (loss,
 * outputActivation, l1, l2; optimizer, momentum, beta1, beta2, adamEpsilon: PyTorch's SGD-with-
 * momentum and Adam rules on the batch-mean gradient). A field it does not know is refused, as the
 * run spec refuses one: dropped silently, an `optimizer` would have trained plain SGD.
 */
import { z } from 'zod';
import { ACTIVATION_NAMES, OUTPUT_MODES, outputFunctionName } from './activations';
import { LOSS_NAMES, LOSSES, outputRefusal } from './losses';
import { arraySource } from './data';
import { createLayout, toNested, type BackendFactory } from './network';
import { checkInitialWeights, checkSizes, DEFAULT_SPEC, type RunSpec, RunSpecSchema, SpecError, specErrorOf, type SpecLimits } from './spec';
import { Trainer } from './trainer';

const matrix = z.array(z.array(z.number()));

const run = RunSpecSchema.shape;

export const ReplaySpecSchema = z.strictObject({
  shape: z.array(z.int().min(1, { error: 'every layer needs at least 1 unit' })).min(2, { error: 'needs at least an input and an output layer' }),
  activation: z.enum(ACTIVATION_NAMES),
  learningRate: z.number().positive(),
  initialWeights: z.array(matrix),
  /** (batches, batchSize, nIn) */
  inputs: z.array(matrix),
  /** (batches, batchSize, nOut) */
  targets: z.array(matrix),
  /** (points, nIn), optional */
  testInputs: matrix.optional(),
  /** The run spec's output layer (seed: the hidden activation). */
  outputActivation: z.enum(OUTPUT_MODES).default('seed'),
  /** The run spec's loss. */
  loss: z.enum(LOSS_NAMES).default('sse'),
  /** The run spec's regularisers, on the non-bias weights. */
  l1: z.number().min(0).default(0),
  l2: z.number().min(0).default(0),
  /** The run spec's optimizer and its settings, with the run spec's own schema (so its defaults). */
  optimizer: run.optimizer,
  momentum: run.momentum,
  beta1: run.beta1,
  beta2: run.beta2,
  adamEpsilon: run.adamEpsilon,
});

export type ReplaySpec = z.output<typeof ReplaySpecSchema>;
/** A spec as written (the optional fields may be left out). */
export type ReplaySpecInput = z.input<typeof ReplaySpecSchema>;

export interface ReplayResult {
  costHistory: number[];
  finalWeights: number[][][];
  testEstimates: number[][];
}

/** Flattens a (batches, rows, width) array, checking every batch and row has the same sizes. */
function flatten3(field: string, data: readonly (readonly (readonly number[])[])[], rows: number, width: number): Float64Array {
  const out = new Float64Array(data.length * rows * width);
  let i = 0;
  data.forEach((batch, b) => {
    if (batch.length !== rows) throw new SpecError(`${field}[${b}]`, `expected ${rows} rows (the batch size of ${field}[0]), got ${batch.length}`);
    batch.forEach((row, r) => {
      if (row.length !== width) throw new SpecError(`${field}[${b}][${r}]`, `expected ${width} values, got ${row.length}`);
      for (const v of row) out[i++] = v;
    });
  });
  return out;
}

/** Validates an oracle SPEC; throws SpecError naming the field. */
export function parseReplaySpec(input: unknown, limits: SpecLimits = {}): ReplaySpec {
  const parsed = ReplaySpecSchema.safeParse(input);
  if (!parsed.success) throw specErrorOf(parsed.error);
  const spec = parsed.data;
  const batchSize = spec.inputs.length ? spec.inputs[0].length : 1;
  if (batchSize < 1) throw new SpecError('inputs[0]', 'a batch needs at least one row');
  checkSizes(spec.shape, batchSize, limits);
  checkInitialWeights(spec.initialWeights, spec.shape);
  if (spec.targets.length !== spec.inputs.length) throw new SpecError('targets', `expected ${spec.inputs.length} batches like inputs, got ${spec.targets.length}`);
  const refused = outputRefusal(LOSSES[spec.loss], outputFunctionName(spec.outputActivation, spec.activation), spec.shape[spec.shape.length - 1]);
  if (refused) throw new SpecError('outputActivation', refused);
  return spec;
}

/** Trains the oracle's spec and returns its RESULT. */
export function replay(spec: ReplaySpec, options: { dtype?: RunSpec['dtype']; backend?: BackendFactory } = {}): ReplayResult {
  const { shape } = spec;
  const nIn = shape[0];
  const nOut = shape[shape.length - 1];
  // with no batches at all the oracle returns the initial weights untouched
  const batchSize = spec.inputs.length ? spec.inputs[0].length : 1;
  const inputs = flatten3('inputs', spec.inputs, batchSize, nIn);
  const targets = flatten3('targets', spec.targets, batchSize, nOut);
  const test = spec.testInputs ?? [];
  const testInputs = new Float64Array(test.length * nIn);
  test.forEach((row, p) => {
    if (row.length !== nIn) throw new SpecError(`testInputs[${p}]`, `expected ${nIn} values, got ${row.length}`);
    testInputs.set(row, p * nIn);
  });
  // The task only supplies the probe domain for diagnostics; the data come from the spec.
  const runSpec: RunSpec = {
    ...DEFAULT_SPEC,
    shape: [...shape],
    activation: spec.activation,
    outputActivation: spec.outputActivation,
    loss: spec.loss,
    l1: spec.l1,
    l2: spec.l2,
    optimizer: spec.optimizer,
    momentum: spec.momentum,
    beta1: spec.beta1,
    beta2: spec.beta2,
    adamEpsilon: spec.adamEpsilon,
    learningRate: spec.learningRate,
    initialWeights: spec.initialWeights,
    batchSize,
    batches: Math.max(1, spec.inputs.length),
    checkpoints: 0,
    dtype: options.dtype ?? 'float64',
  };
  const trainer = new Trainer(runSpec, {
    source: arraySource(inputs, targets, nIn, nOut),
    stopOnDivergence: false,
    timingEvery: 0,
    testInputs,
    backend: options.backend,
  });
  trainer.run(spec.inputs.length);
  const layout = createLayout(shape);
  const estimates = trainer.estimate(testInputs);
  const testEstimates: number[][] = [];
  for (let p = 0; p < test.length; p++) testEstimates.push(Array.from(estimates.subarray(p * nOut, (p + 1) * nOut)));
  return {
    costHistory: Array.from(trainer.costHistory.subarray(0, spec.inputs.length)),
    finalWeights: toNested(layout, trainer.params.flat),
    testEstimates,
  };
}

/**
 * JSON as Python's json.dump writes it: NaN and ±Infinity as bare tokens (JSON.stringify would
 * turn them into null), so a diverged replay prints what the oracle prints.
 */
export function toPythonJson(value: unknown): string {
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
  if (Array.isArray(value)) return `[${value.map(toPythonJson).join(', ')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)}: ${toPythonJson(v)}`)
      .join(', ')}}`;
  }
  return JSON.stringify(value);
}
