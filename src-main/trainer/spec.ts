/**
 * The run spec: the one definition of what a training run is, its validation and its defaults.
 * The defaults reproduce the seed's main(): shape [1, 16, 2], relu on every layer, batch 32,
 * 300 batches, learning rate 1, weights ~ Normal(0, 0.1). The CLI, the lab service, the store
 * and the app all parse specs through `parseRunSpec` (stored ones through `parseStoredSpec`), so an
 * invalid spec fails the same way everywhere, with the field named.
 */
import { z } from 'zod';
import { ACTIVATION_NAMES, OUTPUT_MODES, outputFunctionName } from './activations';
import { LOSS_NAMES, LOSSES, outputRefusal } from './losses';
import { batchWithinSet, isTaskName, TASK_DEFS, TASK_NAMES, TASK_PARAMS, type TaskInfo, trainCount, trainingSamples } from './tasks';
import { MAX_TARGET_LENGTH } from './expression';
import { type DataContext, taskInfo } from './task-resolve';
import type { TableInfo } from './table';
import { epsSign, fieldMeta, SPEC_KEYS } from './spec-fields';
import { SpecError } from './spec-error';

export { SpecError };

export { OUTPUT_MODES };
export const INIT_KINDS = ['normal', 'xavier', 'he'] as const;
export const OPTIMIZERS = ['sgd', 'momentum', 'adam'] as const;
export const DTYPES = ['float64', 'float32'] as const;

/** Networks above this many weights are refused unless the caller raises the cap. */
export const DEFAULT_MAX_WEIGHTS = 50_000_000;
/** Cap on batch rows × units (activation buffers), so a huge batch fails as a spec error, not an OOM. */
export const MAX_ACTIVATION_ELEMENTS = 64_000_000;
/** Cap on batches per run: the cost history is kept in memory. */
export const MAX_BATCHES = 20_000_000;
/** Cap on the size of a generated data set. */
export const MAX_SAMPLES = 1_000_000;

const seed = z.int().min(0).max(2 ** 32 - 1);
const width = z.int().min(1, { error: 'every layer needs at least 1 unit' });

export const RunSpecSchema = z.strictObject({
  /** The task (tasks.ts): the seed's sin/cos regression, two more 1-D fits, Playground's four 2-D classification sets. */
  task: z.enum(TASK_NAMES).default('sincos'),
  /** Generated data sets (circle, xor, gauss, spiral): Playground's noise, 0 to 0.5 (its 0 to 50 %). */
  noise: z.number().min(0).max(0.5).default(0),
  /** Generated data sets: how many samples are drawn (training and test together). */
  samples: z.int().min(2).max(MAX_SAMPLES).default(500),
  /** Finite data sets: the share of the samples that train; the rest is the test set. */
  trainFraction: z.number().gt(0).lt(1).default(0.5),
  /**
   * The expression task: the target written in x (x1, x2, … for several inputs), several outputs
   * separated by `;` (`sin(x); cos(x)` is the seed's task); see expression.ts for what it may use.
   */
  target: z.string().max(MAX_TARGET_LENGTH).default(''),
  /** The expression task: the range [lo, hi] of every input, drawn uniformly. */
  domain: z
    .tuple([z.number().min(-1e9).max(1e9), z.number().min(-1e9).max(1e9)])
    .refine(([lo, hi]) => lo < hi, { error: 'needs lo < hi, e.g. [-1, 1]' })
    .default([0, 1]),
  /**
   * A stored data set's content hash (sha256, hex): task csv's table in the database, or the
   * Fashion-MNIST files a run was trained on (the lab fills it in, and a re-run checks it).
   */
  dataset: z
    .string()
    .regex(/^([0-9a-f]{64})?$/, { error: 'a data set is named by the sha256 of its content: 64 hex digits' })
    .default(''),
  /** Task csv: the columns that are the network's inputs. */
  inputColumns: z.array(z.string().min(1).max(500)).max(10_000).default([]),
  /** Task csv: the columns the network learns to predict (regression); leave labelColumn empty. */
  targetColumns: z.array(z.string().min(1).max(500)).max(10_000).default([]),
  /** Task csv: the column of class labels (classification; its distinct values are the classes). */
  labelColumn: z.string().max(500).default(''),
  /** Task csv: scale every input to mean 0 and standard deviation 1 over the training part. */
  standardize: z.boolean().default(false),
  /**
   * Units per layer, input first: [1, 16, 2] is 1 input, 16 hidden units, 2 outputs. Left out,
   * the task's own ([1, 16, 2] for sincos, [2, 8, 8, 2] for the classification sets): see parseRunSpec.
   */
  shape: z.array(width).min(2, { error: 'needs at least an input and an output layer, e.g. [1, 16, 2]' }).default([1, 16, 2]),
  /** Activation of every hidden layer (and of the output layer in "seed" output mode). */
  activation: z.enum(ACTIVATION_NAMES).default('relu'),
  /**
   * The output layer: "seed" applies `activation` to it too, as in the seed; "linear" is the
   * identity, "sigmoid" independent 0/1 outputs, "softmax" one class per sample. Left out, the
   * task's own (seed for the regression tasks, softmax for classification).
   */
  outputActivation: z.enum(OUTPUT_MODES).default('seed'),
  /** The loss (losses.ts): sse (the seed's sum of squares) or cross-entropy. Left out, the task's own. */
  loss: z.enum(LOSS_NAMES).default('sse'),
  /** Weight initialisation; with `normal`, W ~ Normal(initMean, eps) including the bias column. */
  init: z.enum(INIT_KINDS).default('normal'),
  eps: z.number().min(0).default(0.1),
  initMean: z.number().default(0),
  /** Explicit initial weights, one (out, in + 1) matrix per layer; overrides `init`. */
  initialWeights: z.array(z.array(z.array(z.number()))).optional(),
  learningRate: z.number().positive().default(1),
  batchSize: z.int().min(1).default(32),
  batches: z.int().min(1).max(MAX_BATCHES).default(300),
  /**
   * Finite data sets: training length in passes over the training set, instead of `batches`
   * (batches = ⌈epochs · training samples / batch size⌉). Resolved by parseRunSpec: a parsed spec
   * holds batches only.
   */
  epochs: z.number().positive().optional(),
  /** L2 regularisation: l2 · W is added to the batch-mean gradient of every non-bias weight. */
  l2: z.number().min(0).default(0),
  /** L1 regularisation: l1 · sign(W) is added to the batch-mean gradient of every non-bias weight. */
  l1: z.number().min(0).default(0),
  optimizer: z.enum(OPTIMIZERS).default('sgd'),
  /** Momentum coefficient (optimizer "momentum"). */
  momentum: z.number().min(0).lt(1).default(0.9),
  /** Adam's decay rates and denominator epsilon (optimizer "adam"). */
  beta1: z.number().min(0).lt(1).default(0.9),
  beta2: z.number().min(0).lt(1).default(0.999),
  adamEpsilon: z.number().positive().default(1e-8),
  /**
   * Seed of the initial weights. The default, 2, is a draw from which the seed's relu network
   * learns both outputs in 300 batches (about half of all draws lose an output unit: see the
   * init-mean exercise); the data seed is fixed too, so two default runs differ only in what the
   * user changed.
   */
  initSeed: seed.default(2),
  /** Seed of the training data and its order. */
  dataSeed: seed.default(1),
  /** float64 is the parity mode; float32 is a speed mode. */
  dtype: z.enum(DTYPES).default('float64'),
  /** Checkpoints (evenly spaced) at which test estimates and gradient norms are recorded. */
  checkpoints: z.int().min(0).max(1000).default(20),
});

export type RunSpec = z.output<typeof RunSpecSchema>;

/** The choices of every enum field of the spec, from the schema ({ task: [...], activation: [...], … }), in its order. */
export function specChoices(): Record<string, readonly string[]> {
  const out: Record<string, readonly string[]> = {};
  for (const [key, field] of Object.entries(RunSpecSchema.shape)) {
    const inner = (field as { unwrap(): unknown }).unwrap();
    if (inner instanceof z.ZodEnum) out[key] = inner.options as readonly string[];
  }
  return out;
}
export type RunSpecInput = z.input<typeof RunSpecSchema>;

/** The seed's experiment. */
export const DEFAULT_SPEC: RunSpec = RunSpecSchema.parse({});

/**
 * The version of the spec format, stored with every run (runs.spec_version). Bump it whenever the
 * schema changes, so an older nnlab reading a newer run says so instead of failing on a field it
 * does not know. A field added with a default that means what runs did before it existed (loss
 * 'sse', l2 0, …) needs nothing more: an old spec parses with the default, and configKey leaves
 * default values out, so old and new replicates group. A change that old specs must be rewritten
 * for (a rename, a new meaning, a changed default) also gets an entry in SPEC_UPGRADES.
 */
export const SPEC_VERSION = 3;
// 2: task parameters (noise, samples, trainFraction), loss, l2, l1 (defaults: what version 1 runs did),
//    the classification tasks and the sigmoid/softmax output layers; epochs is never stored (it becomes batches)
// 3: the expression task (target, domain), data sets by content hash (dataset) with task csv's
//    columns (inputColumns, targetColumns, labelColumn, standardize) and task fashion-mnist

/**
 * The spec version that added each field: a spec written before it lacks the field, whose default
 * is what such runs did. Every field has its entry (a new field without one is a type error), and
 * tests/trainer/spec.test.ts checks that no field is newer than SPEC_VERSION and that released
 * versions keep their fields.
 */
export const FIELD_ADDED_IN = {
  task: 1, shape: 1, activation: 1, outputActivation: 1, init: 1, eps: 1, initMean: 1, initialWeights: 1, learningRate: 1, batchSize: 1, batches: 1,
  optimizer: 1, momentum: 1, beta1: 1, beta2: 1, adamEpsilon: 1, initSeed: 1, dataSeed: 1, dtype: 1, checkpoints: 1,
  noise: 2, samples: 2, trainFraction: 2, loss: 2, epochs: 2, l2: 2, l1: 2,
  target: 3, domain: 3, dataset: 3, inputColumns: 3, targetColumns: 3, labelColumn: 3, standardize: 3,
} as const satisfies Record<keyof RunSpec, number>;

/** `SPEC_UPGRADES[v]` turns a stored spec of version v − 1 into one of version v (none yet). */
export const SPEC_UPGRADES: Readonly<Record<number, (spec: Record<string, unknown>) => Record<string, unknown>>> = {};

/**
 * A spec as the store holds it (parsed JSON, written at `version`): upgraded to SPEC_VERSION and
 * parsed by the schema, so missing fields get their defaults and nothing unchecked is trusted.
 * The caps (maxWeights) are not applied: a run saved under a raised cap stays readable. Throws
 * SpecError naming the field, or with field 'specVersion' for a spec from a newer nnlab.
 */
export function parseStoredSpec(stored: unknown, version: number): RunSpec {
  if (!Number.isInteger(version) || version < 1) throw new SpecError('specVersion', `${version} is not a spec version`);
  if (version > SPEC_VERSION) throw new SpecError('specVersion', `written by a newer nnlab (spec version ${version}; this nnlab reads up to ${SPEC_VERSION}): update nnlab to read it`);
  if (stored === null || typeof stored !== 'object' || Array.isArray(stored)) throw new SpecError('', 'a stored spec must be a JSON object');
  let spec = stored as Record<string, unknown>;
  for (let v = version + 1; v <= SPEC_VERSION; v++) spec = SPEC_UPGRADES[v]?.(spec) ?? spec;
  const parsed = RunSpecSchema.safeParse(spec);
  if (!parsed.success) throw specErrorOf(parsed.error);
  return parsed.data;
}

/**
 * A spec input with every field that may be written relative to eps (the field table's
 * relativeToEps: the init mean) and is written so (`-eps`) resolved against the spec's eps, or
 * the default eps, so what is validated and stored holds a number. Anything else is left for the
 * schema to judge. The one place ±eps is resolved: parseRunSpec does it, so a spec from the CLI,
 * a sweep's configuration (each with its own eps), the API or the app's form may say `-eps`.
 */
export function resolveRelativeToEps(input: unknown): unknown {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return input;
  const spec = input as Record<string, unknown>;
  let out = spec;
  for (const key of SPEC_KEYS) {
    const v = spec[key];
    const sign = fieldMeta(key).relativeToEps && typeof v === 'string' ? epsSign(v) : null;
    if (sign === null) continue;
    const eps = spec.eps === undefined ? DEFAULT_SPEC.eps : spec.eps;
    if (typeof eps === 'number') out = { ...out, [key]: sign * eps };
  }
  return out;
}


export interface SpecLimits {
  maxWeights?: number;
}

/** What parseRunSpec may know besides the spec: caps, and the description of the data set a csv spec names. */
export interface SpecContext extends SpecLimits {
  data?: DataContext;
}

/** A path into a value as text: `shape[1]`, `grid.activation[0]`, `specs[2].eps`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out;
}

/**
 * The first issue of a failed zod parse as a SpecError, the one way every schema's issues become
 * errors: the path as formatPath writes it, and an unknown key named as the field itself
 * (`learningrate: unknown field`).
 */
export function specErrorOf(error: z.ZodError, input?: unknown): SpecError {
  const issue = error.issues[0];
  if (!issue) return new SpecError('', 'invalid');
  if (issue.code === 'unrecognized_keys') return new SpecError(formatPath([...issue.path, issue.keys[0]]), 'unknown field');
  return new SpecError(formatPath(issue.path), issueText(issue) + caseHint(issue, input));
}

/** " (did you mean relu?)" of a choice given in other letter case ('ReLU', 'Adam'); else nothing. */
function caseHint(issue: z.core.$ZodIssue, input: unknown): string {
  if (issue.code !== 'invalid_value') return '';
  let given: unknown = input;
  for (const key of issue.path) given = given !== null && typeof given === 'object' ? (given as Record<PropertyKey, unknown>)[key] : undefined;
  if (typeof given !== 'string') return '';
  const match = issue.values.find((v) => typeof v === 'string' && v.toLowerCase() === given.trim().toLowerCase());
  return match === undefined ? '' : ` (did you mean ${String(match)}?)`;
}

/** What zod's type names are, in the words a person reads. */
const KIND_WORDS: Record<string, string> = { number: 'a number', int: 'a whole number', string: 'text', array: 'a list', object: 'an object', boolean: 'yes or no (true or false)', nan: 'NaN', undefined: 'missing', null: 'null' };

/**
 * A zod issue in our words: "must be more than 0", "must be a number, not text", "must be one of
 * relu, sigmoid, …" instead of zod's "Too small: expected number to be >0". A message a schema
 * gives itself ({ error: … }) is kept as written.
 */
function issueText(issue: z.core.$ZodIssue): string {
  if (!/^(Too small|Too big|Invalid input|Invalid option)\b/.test(issue.message)) return issue.message;
  switch (issue.code) {
    case 'too_small':
    case 'too_big': {
      const small = issue.code === 'too_small';
      const bound = Number(small ? issue.minimum : issue.maximum);
      if (issue.origin === 'number' || issue.origin === 'int' || issue.origin === 'bigint') {
        return `must be ${issue.inclusive ? (small ? 'at least' : 'at most') : small ? 'more than' : 'less than'} ${bound}`;
      }
      const unit = issue.origin === 'string' ? 'character' : 'value';
      if (small && bound === 1 && issue.origin === 'string') return 'must not be empty';
      return `${small ? 'needs at least' : 'takes at most'} ${bound.toLocaleString('en-US')} ${unit}${bound === 1 ? '' : 's'}`;
    }
    case 'invalid_type': {
      const received = /received (\w+)/.exec(issue.message)?.[1];
      const want = KIND_WORDS[issue.expected] ?? issue.expected;
      return received && received !== issue.expected && !(issue.expected === 'int' && received === 'number') ? `must be ${want}, not ${KIND_WORDS[received] ?? received}` : `must be ${want}`;
    }
    case 'invalid_value':
      return `must be one of ${issue.values.map(String).join(', ')}`;
    default:
      return issue.message;
  }
}

/** Number of weights (bias column included) of a network of this shape. */
export function weightCount(shape: readonly number[]): number {
  let n = 0;
  for (let l = 0; l + 1 < shape.length; l++) n += shape[l + 1] * (shape[l] + 1);
  return n;
}

/** Where a data set comes from (the app's Data view, the CLI's import). */
const IMPORT_HINT = 'import it in Data, or nnlab data import FILE.csv';
const NO_DATASET = 'choose a data set: task csv names one stored in the database by content hash (import a CSV in Data, nnlab data import FILE.csv, or nnlab train --data FILE.csv)';

/** Spec fields whose default is the task's own (TaskInfo.defaults): the first three always, the others where the task has one. */
export const TASK_DEFAULTED = ['shape', 'loss', 'outputActivation', 'learningRate', 'batchSize', 'init'] as const;

/**
 * The input with the task's own values for the fields it leaves out (shape, loss, output layer;
 * a learning rate, batch size, init and training length where the task has its own):
 * `{ task: 'circle' }` means a [2, 8, 8, 2] softmax network with cross-entropy, a data set alone
 * the csv task, and a target alone (`{ target: 'sin(3*x)' }`) the expression task with as many inputs and outputs as the
 * target has. Input that is not an object, names no known task, or whose task cannot be
 * described yet (a table not in the context), is returned as it is.
 */
export function withTaskDefaults(input: unknown, context: DataContext = {}): unknown {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return input;
  let spec = input as Record<string, unknown>;
  if (spec.task === undefined && typeof spec.target === 'string' && spec.target.trim() !== '') spec = { ...spec, task: 'expression' };
  // a data set named alone is a table's (Fashion-MNIST's runs name theirs with the task)
  else if (spec.task === undefined && typeof spec.dataset === 'string' && spec.dataset !== '') spec = { ...spec, task: 'csv' };
  const name = spec.task ?? 'sincos';
  if (typeof name !== 'string' || !isTaskName(name)) return spec;
  // images are read from files: the spec records which by their content hash
  if (TASK_DEFS[name].sampling === 'images' && (spec.dataset === undefined || spec.dataset === '') && context.imagesHash) spec = { ...spec, dataset: context.imagesHash(name) };
  let info: TaskInfo | null;
  if (TASK_DEFS[name].sampling === 'expression' || TASK_DEFS[name].sampling === 'table') {
    // the task's inputs and outputs come from fields of the spec: read them as the schema does first
    const parsed = RunSpecSchema.safeParse(spec);
    if (!parsed.success) return spec;
    info = taskInfo(parsed.data, context);
  } else info = TASK_DEFS[name] as TaskInfo;
  if (!info) return spec;
  const defaults = info.defaults;
  const out = { ...spec };
  for (const key of TASK_DEFAULTED) {
    const value = defaults[key];
    if (out[key] === undefined && value !== undefined) out[key] = Array.isArray(value) ? [...value] : value;
  }
  if (defaults.epochs !== undefined && out.batches === undefined && out.epochs === undefined) out.epochs = defaults.epochs;
  return out;
}

/**
 * Validates and completes a spec (defaults filled in: the task's own, then the schema's). Throws
 * SpecError naming the first bad field (a DataError, with the line and column, for a csv spec's
 * columns). Checks beyond the schema: the shape fits the task, the loss fits the output layer and
 * the task, the task reads the task parameters set, the network fits the caps, and explicit
 * initial weights have the shape's sizes. `epochs` becomes `batches`. A csv spec is checked
 * against its data set where `context.data` describes it; elsewhere (a trainer process, a stored
 * run) its shape must be given, and the data's checks wait until the data is loaded.
 */
export function parseRunSpec(input: unknown, context: SpecContext = {}): RunSpec {
  const data = context.data ?? {};
  const completed = withTaskDefaults(resolveRelativeToEps(input ?? {}), data);
  const parsed = RunSpecSchema.safeParse(completed);
  if (!parsed.success) throw specErrorOf(parsed.error, completed);
  const info = taskInfo(parsed.data, data);
  if (!info) {
    // a lab that knows its database's data sets says what is missing: the data set, not the shape it would give
    if (TASK_DEFS[parsed.data.task].sampling === 'table' && data.table) {
      if (!parsed.data.dataset) throw new SpecError('dataset', NO_DATASET);
      throw new SpecError('dataset', `there is no data set ${parsed.data.dataset} in this database (${IMPORT_HINT})`);
    }
    const given = completed as Record<string, unknown>;
    if (given.shape === undefined) throw new SpecError('shape', `a ${parsed.data.task} task's shape follows from its data set, which is not known here: give the shape`);
  }
  const table = info && parsed.data.dataset ? data.table?.(parsed.data.dataset) : undefined;
  const spec = resolveEpochs(batchWithin(parsed.data, completed, table), completed, table);
  checkSpec(spec, info, context);
  checkBatchFits(spec, table);
  return spec;
}

/**
 * A batch size left out (the schema's or the task's default) that is more than a finite task's
 * training set is the whole training set: the spec says the batch the run trains with. One given
 * is checked as it was given (checkBatchFits).
 */
function batchWithin(spec: RunSpec, input: unknown, table: TableInfo | undefined): RunSpec {
  if ((input as Record<string, unknown>).batchSize !== undefined) return spec;
  const batchSize = batchWithinSet(spec.batchSize, trainingSamples(spec, table));
  return batchSize === spec.batchSize ? spec : { ...spec, batchSize };
}

/**
 * Refuses a batch larger than a finite task's training set, where its size is known here: the
 * trainer would fill each batch by running on into the next shuffled pass (epochSource), so the
 * batch would hold samples twice, and the run's spec would say a batch size it never had.
 */
function checkBatchFits(spec: RunSpec, table: TableInfo | undefined): void {
  const train = trainingSamples(spec, table);
  if (train === null || spec.batchSize <= train) return;
  const sampling = TASK_DEFS[spec.task].sampling;
  const of = sampling === 'generated' ? ` (trainFraction ${spec.trainFraction} of ${spec.samples} samples)` : sampling === 'table' && table ? ` (trainFraction ${spec.trainFraction} of the data set's ${table.rows} rows)` : '';
  throw new SpecError('batchSize', `a batch of ${spec.batchSize} is more than task ${spec.task}'s training set of ${train} sample${train === 1 ? '' : 's'}${of}, so each batch would hold samples twice: at most ${train}`);
}

/** A spec with `epochs` turned into `batches` (and epochs left out). */
function resolveEpochs(spec: RunSpec, input: unknown, table: TableInfo | undefined): RunSpec {
  if (spec.epochs === undefined) return spec;
  const def = TASK_DEFS[spec.task];
  if (def.sampling === 'draws' || def.sampling === 'expression') throw new SpecError('epochs', `task ${spec.task} draws fresh samples for every batch, so it has no epochs: set batches`);
  if ((input as Record<string, unknown>).batches !== undefined) throw new SpecError('epochs', 'give epochs or batches, not both');
  const train = trainingSamples(spec, table);
  if (train === null) throw new SpecError('epochs', `the size of task ${spec.task}'s data set is not known here: set batches`);
  const batches = Math.max(1, Math.ceil((spec.epochs * train) / spec.batchSize));
  if (batches > MAX_BATCHES) throw new SpecError('epochs', `${spec.epochs} epochs of ${train} samples in batches of ${spec.batchSize} is ${batches.toLocaleString('en-US')} batches, over the cap of ${MAX_BATCHES.toLocaleString('en-US')}`);
  const { epochs: _epochs, ...rest } = spec;
  return { ...rest, batches };
}

/** Whether a field holds its default (arrays compared by value). */
/** A field the spec holds but its training never reads, and why (what replaces it). */
export interface UnreadField {
  field: keyof RunSpec;
  why: string;
}

const INIT_FIELDS = ['init', 'eps', 'initMean', 'initSeed'] as const;
const NORMAL_FIELDS = ['eps', 'initMean'] as const;
const OPTIMIZER_FIELDS = { momentum: ['momentum'], adam: ['beta1', 'beta2', 'adamEpsilon'] } as const;

/**
 * The init's and optimizer's fields that this spec's training does not read (init.ts, the
 * trainer's step): eps and initMean but with init normal, every init field beside explicit
 * initial weights, momentum but with optimizer momentum, Adam's three but with adam. Two specs
 * that differ only in these train the same runs. (A task's parameters are refused away from
 * their default instead: checkSpec.)
 */
export function unreadFields(spec: RunSpec): UnreadField[] {
  const out: UnreadField[] = [];
  if (spec.initialWeights) {
    for (const field of INIT_FIELDS) out.push({ field, why: 'initialWeights are given, which replace the drawn weights' });
  } else if (spec.init !== 'normal') {
    for (const field of NORMAL_FIELDS) out.push({ field, why: `init ${spec.init} does not read ${field} (only normal does)` });
  }
  for (const [optimizer, fields] of Object.entries(OPTIMIZER_FIELDS)) {
    if (spec.optimizer === optimizer) continue;
    for (const field of fields) out.push({ field, why: `optimizer ${spec.optimizer} does not read ${field} (only ${optimizer} does)` });
  }
  return out;
}

/** The spec with its unread fields at their defaults: two specs that train the same runs give the same one. */
export function readSpec(spec: RunSpec): RunSpec {
  const out: Record<string, unknown> = { ...spec };
  for (const { field } of unreadFields(spec)) out[field] = DEFAULT_SPEC[field];
  return out as RunSpec;
}

function isDefault(spec: RunSpec, key: keyof RunSpec): boolean {
  return JSON.stringify(spec[key]) === JSON.stringify(DEFAULT_SPEC[key]);
}

/**
 * Refuses a shape that does not fit the task: its first and last widths are the task's inputs
 * and outputs (the one check, for parseRunSpec and for a task resolved from its data).
 */
export function checkShapeFits(shape: readonly number[], info: TaskInfo): void {
  if (shape[0] !== info.inputs || shape[shape.length - 1] !== info.outputs) {
    throw new SpecError(
      'shape',
      `task ${info.name} needs ${info.inputs} input${info.inputs > 1 ? 's' : ''} and ${info.outputs} output unit${info.outputs > 1 ? 's' : ''}, e.g. [${info.defaults.shape.join(', ')}]`,
    );
  }
}

function checkSpec(spec: RunSpec, info: TaskInfo | null, limits: SpecLimits): void {
  const { shape } = spec;
  const def = TASK_DEFS[spec.task];
  if (info) checkShapeFits(shape, info);
  const kind = info?.kind ?? (spec.labelColumn ? 'classification' : 'regression');
  if (spec.loss === 'cross-entropy' && kind !== 'classification') {
    throw new SpecError('loss', `cross-entropy compares class probabilities with class labels, and task ${spec.task} is a regression: use sse`);
  }
  const refused = outputRefusal(LOSSES[spec.loss], outputFunctionName(spec.outputActivation, spec.activation), shape[shape.length - 1]);
  if (refused) throw new SpecError('outputActivation', refused);
  for (const p of TASK_PARAMS) {
    if (!def.params.includes(p) && !isDefault(spec, p)) {
      const users = TASK_NAMES.filter((n) => TASK_DEFS[n].params.includes(p));
      throw new SpecError(p, `task ${spec.task} does not read ${p} (${users.length === 1 ? `only ${users[0]} does` : `${users.join(', ')} do`})`);
    }
  }
  if (def.sampling === 'expression' && !spec.target.trim()) throw new SpecError('target', 'the expression task needs a target, e.g. sin(3*x) + 0.1*x^2');
  if (def.sampling === 'table' && !spec.dataset) throw new SpecError('dataset', NO_DATASET);
  if (def.sampling === 'generated') {
    const train = trainCount(spec.samples, spec.trainFraction);
    // trainFraction < 1 leaves at least one test sample; a small fraction of few samples may leave no training one
    if (train < 1) throw new SpecError('trainFraction', `${spec.trainFraction} of ${spec.samples} samples leaves no training sample`);
  }
  checkSizes(shape, spec.batchSize, limits);
  if (spec.initialWeights) checkInitialWeights(spec.initialWeights, shape);
}

/** Refuses networks and batches too large to allocate, naming the field. */
export function checkSizes(shape: readonly number[], batchSize: number, limits: SpecLimits = {}): void {
  const maxWeights = limits.maxWeights ?? DEFAULT_MAX_WEIGHTS;
  const weights = weightCount(shape);
  if (weights > maxWeights) {
    throw new SpecError(
      'shape',
      `${weights.toLocaleString('en-US')} weights is over the cap of ${maxWeights.toLocaleString('en-US')} (raise it with --max-weights)`,
    );
  }
  let units = 0;
  for (const w of shape) units += w + 1;
  if (batchSize * units > MAX_ACTIVATION_ELEMENTS) {
    throw new SpecError('batchSize', `${batchSize} rows × ${units} units needs more than ${MAX_ACTIVATION_ELEMENTS.toLocaleString('en-US')} activation values`);
  }
}

/** Checks that weights[l] is a (shape[l+1], shape[l] + 1) matrix of finite numbers. */
export function checkInitialWeights(weights: readonly (readonly (readonly number[])[])[], shape: readonly number[], field = 'initialWeights'): void {
  if (weights.length !== shape.length - 1) {
    throw new SpecError(field, `expected ${shape.length - 1} layer matrices for shape [${shape.join(', ')}], got ${weights.length}`);
  }
  for (let l = 0; l < weights.length; l++) {
    const rows = shape[l + 1];
    const cols = shape[l] + 1;
    if (weights[l].length !== rows) throw new SpecError(`${field}[${l}]`, `expected ${rows} rows (units of layer ${l + 1}), got ${weights[l].length}`);
    for (let j = 0; j < rows; j++) {
      const row = weights[l][j];
      if (row.length !== cols) throw new SpecError(`${field}[${l}][${j}]`, `expected ${cols} columns (bias + ${shape[l]} inputs), got ${row.length}`);
      for (let k = 0; k < cols; k++) {
        if (!Number.isFinite(row[k])) throw new SpecError(`${field}[${l}][${j}][${k}]`, 'must be a finite number');
      }
    }
  }
}
