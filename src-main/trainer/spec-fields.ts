/**
 * The run spec's fields as one table: for every field of RunSpec, how a person sets it — its kind,
 * its label, group and help in the app's form, its flag on the command line, whether it is a
 * column of the runs CSV and an axis a sweep may vary. The form (src-renderer lib/spec-form), the
 * CLI flags (cli/spec-flags), the runs CSV (cli/runs), the API's choices (api/handlers) and the
 * sweep grid (lab/sweep) all derive from it. The table is typed
 * `satisfies Record<keyof RunSpec, FieldMeta>`, so a spec field without an entry (or an entry
 * for a field that is gone) is a type error, not a field the form or the CLI silently lacks.
 *
 * This is what people see; what a valid value is — an enum's choices included — stays in the
 * schema (spec.ts: specChoices). Pure data; its only value import is the task table (tasks.ts, pure like it), which says
 * which tasks read the task parameters, so the renderer can take it.
 */
import type { RunSpec } from './spec';
import { hasEpochs, taskUses } from './tasks';

export type SpecKey = keyof RunSpec;

/**
 * How a field's value is written: `enum` one of the schema's choices, `int` a whole number, `number` any
 * number, `shape` a list of layer widths, `weights` explicit initial weights (JSON), `text` a line of
 * text, `columns` a list of column names, `range` two numbers lo, hi, `boolean` yes or no.
 */
export type FieldKind = 'enum' | 'int' | 'number' | 'shape' | 'weights' | 'text' | 'columns' | 'range' | 'boolean';

/** The form's groups, in the order it shows them. */
export const FIELD_GROUPS = ['Task and network', 'Initial weights', 'Seeds', 'Training', 'Optimizer', 'Advanced'] as const;
export type FieldGroup = (typeof FIELD_GROUPS)[number];

/** The field's values as text (the form's inputs), for `relevant`. */
export type FieldTexts = Readonly<Record<SpecKey, string>>;

export interface FlagMeta {
  /** Commander syntax, e.g. `--lr <x>`. */
  flags: string;
  /** Its help; `<choices>` stands for an enum's choices (`relu|sigmoid|…`). */
  help: string;
  /** Separator of swept values when a value holds commas itself (a shape: `1,16,2;1,32,2`). */
  listSeparator?: string;
}

interface CommonMeta {
  /** The form's label. */
  label: string;
  /** Its name in short labels (`lr 0.5`, analysis/config-diff); the field's own name when absent, the value alone for an enum. */
  short?: string;
  group: FieldGroup;
  /** The form's one-line help. */
  help: string;
  /** The field only matters for some specs (momentum for the momentum optimizer): the form dims it otherwise. */
  relevant?: (texts: FieldTexts) => boolean;
  /** Its flag on the command line, or null for a field set only from a spec file. */
  flag: FlagMeta | null;
  /** Flags that set the field to one value (`--float32` for dtype float32). */
  switches?: readonly { flags: string; value: string; help: string }[];
  /** A column of `nnlab runs export --format csv`. */
  csv: boolean;
  /** A sweep may vary it (a grid axis). */
  sweep: boolean;
  /** The field may be left empty: the spec then leaves it out (epochs). */
  optional?: true;
  /** A value here stands instead of that field's (epochs instead of batches): the form and the CLI leave that one out. */
  replaces?: SpecKey;
  /**
   * A number that may be written relative to eps: `eps`, `+eps` or `-eps` (the seed's exercise is
   * init mean −eps); parseRunSpec (spec.ts: resolveRelativeToEps) turns it into a number.
   */
  relativeToEps?: true;
}

export interface FieldMeta extends CommonMeta {
  kind: FieldKind;
}

const isNormal = (t: FieldTexts) => t.init === 'normal' && t.initialWeights.trim() === '';

/** Every spec field, in the schema's order (the CLI's flags and the CSV's columns follow it). */
export const SPEC_FIELD_META = {
  task: {
    kind: 'enum', label: 'Task', group: 'Task and network', help: "sincos: the seed's sin x and cos x; circle … spiral: Playground's 2-D classification; expression: your own function; csv: your data; fashion-mnist: real images",
    flag: { flags: '--task <name>', help: "task: <choices> (circle, xor, gauss, spiral: Playground's 2-D classification sets; expression: set by --target; csv: set by --data; fashion-mnist: 28×28 images of clothing)" }, csv: true, sweep: true,
  },
  noise: {
    kind: 'number', label: 'Noise', group: 'Task and network', help: 'generated sets: 0 to 0.5', relevant: (t) => taskUses(t.task, 'noise'),
    flag: { flags: '--noise <x>', help: "noise of a generated data set, 0 to 0.5 (Playground's 0 to 50 %)" }, csv: true, sweep: true,
  },
  samples: {
    kind: 'int', label: 'Samples', group: 'Task and network', help: 'generated sets: training + test', relevant: (t) => taskUses(t.task, 'samples'),
    flag: { flags: '--samples <n>', help: 'size of a generated data set (training and test together)' }, csv: true, sweep: true,
  },
  trainFraction: {
    kind: 'number', label: 'Train fraction', group: 'Task and network', help: 'the rest is the test set', relevant: (t) => taskUses(t.task, 'trainFraction'),
    flag: { flags: '--train-fraction <x>', help: 'share of a finite data set that trains (the rest tests, split by the data seed)' }, csv: true, sweep: true,
  },
  target: {
    kind: 'text', label: 'Target', group: 'Task and network', help: 'your function of x (x1, x2): outputs separated by ;', relevant: (t) => taskUses(t.task, 'target'),
    flag: { flags: '--target <expr>', help: 'your own function to fit, e.g. "sin(3*x) + 0.1*x^2" (x, or x1 and x2 for two inputs; several outputs separated by ;): the expression task', listSeparator: '|' },
    csv: true, sweep: true,
  },
  domain: {
    kind: 'range', label: 'Domain', group: 'Task and network', help: 'lo, hi of every input', relevant: (t) => taskUses(t.task, 'domain'),
    flag: { flags: '--domain <lo,hi>', help: "the expression task's input range (every input)", listSeparator: ';' }, csv: true, sweep: true,
  },
  dataset: {
    kind: 'text', label: 'Data set', group: 'Task and network', help: 'a stored data set (content hash)', relevant: (t) => taskUses(t.task, 'dataset'),
    flag: { flags: '--dataset <sha256>', help: 'a data set stored in the database, by content hash: all 64 hex digits, or the first 12 that nnlab data list prints (any 4 or more that only it starts with); --data FILE.csv imports one' }, csv: true, sweep: true,
  },
  inputColumns: {
    kind: 'columns', short: 'inputs', label: 'Input columns', group: 'Task and network', help: 'the network’s inputs', relevant: (t) => taskUses(t.task, 'inputColumns'),
    flag: { flags: '--inputs <columns>', help: `a CSV's input columns, comma-separated (a name with a comma in double quotes: 'a,"b, c"')`, listSeparator: ';' }, csv: true, sweep: true,
  },
  targetColumns: {
    kind: 'columns', short: 'targets', label: 'Target columns', group: 'Task and network', help: 'regression: what to predict', relevant: (t) => taskUses(t.task, 'targetColumns'),
    flag: { flags: '--targets <columns>', help: `a CSV's target columns, comma-separated, quoted as --inputs (regression)`, listSeparator: ';' }, csv: true, sweep: true,
  },
  labelColumn: {
    kind: 'text', short: 'label', label: 'Label column', group: 'Task and network', help: 'classification: its values are the classes', relevant: (t) => taskUses(t.task, 'labelColumn'),
    flag: { flags: '--label <column>', help: "a CSV's label column (classification: its distinct values are the classes)" }, csv: true, sweep: true,
  },
  standardize: {
    kind: 'boolean', label: 'Standardise inputs', group: 'Task and network', help: 'mean 0, sd 1 over the training part', relevant: (t) => taskUses(t.task, 'standardize'),
    flag: { flags: '--standardize [yes|no]', help: "scale a CSV's inputs to mean 0 and standard deviation 1 over the training part" }, csv: true, sweep: true,
  },
  shape: {
    kind: 'shape', label: 'Shape', group: 'Task and network', help: 'units per layer, input first: 1, 16, 2',
    flag: { flags: '--shape <widths>', help: 'units per layer, input first (e.g. 1,16,2)', listSeparator: ';' }, csv: true, sweep: true,
  },
  activation: {
    kind: 'enum', label: 'Activation', group: 'Task and network', help: 'hidden layers (and output, in seed mode)',
    flag: { flags: '--activation <name>', help: '<choices>' }, csv: true, sweep: true,
  },
  outputActivation: {
    // named in short labels: its values alone would read as a seed (seed) or as the hidden activation (sigmoid)
    kind: 'enum', label: 'Output layer', short: 'output', group: 'Task and network', help: 'seed: activation on the output too',
    flag: { flags: '--output-activation <mode>', help: '<choices>: seed applies the activation to the output layer too' }, csv: true, sweep: true,
  },
  loss: {
    kind: 'enum', label: 'Loss', group: 'Task and network', help: 'sse: the seed’s Σ err²',
    flag: { flags: '--loss <name>', help: '<choices> (cross-entropy: with softmax or sigmoid outputs)' }, csv: true, sweep: true,
  },
  init: {
    kind: 'enum', label: 'Init', group: 'Initial weights', help: 'normal: W ~ Normal(mean, eps)',
    flag: { flags: '--init <kind>', help: '<choices>' }, csv: true, sweep: true,
  },
  eps: {
    kind: 'number', label: 'eps (spread)', group: 'Initial weights', help: 'standard deviation', relevant: isNormal,
    flag: { flags: '--eps <x>', help: 'standard deviation of the normal init' }, csv: true, sweep: true,
  },
  initMean: {
    kind: 'number', label: 'Mean', short: 'mean', group: 'Initial weights', help: 'the exercise: 0 vs −eps', relevant: isNormal, relativeToEps: true,
    flag: { flags: '--init-mean <x>', help: 'mean of the normal init: a number, or -eps' }, csv: true, sweep: true,
  },
  initialWeights: {
    kind: 'weights', label: 'Initial weights (JSON)', group: 'Advanced', help: 'optional: one (out, in + 1) matrix per layer; overrides init',
    flag: null, csv: false, sweep: false,
  },
  learningRate: {
    kind: 'number', label: 'Learning rate', short: 'lr', group: 'Training', help: 'the seed uses 1',
    flag: { flags: '--lr <x>', help: 'learning rate' }, csv: true, sweep: true,
  },
  batchSize: {
    kind: 'int', label: 'Batch size', short: 'batch', group: 'Training', help: 'samples per batch',
    flag: { flags: '--batch <n>', help: 'samples per batch' }, csv: true, sweep: true,
  },
  batches: {
    kind: 'int', label: 'Batches', group: 'Training', help: 'training steps',
    flag: { flags: '--batches <n>', help: 'number of batches (training steps)' }, csv: true, sweep: true,
  },
  epochs: {
    kind: 'number', label: 'Epochs', group: 'Training', help: 'finite sets: instead of batches', relevant: (t) => hasEpochs(t.task), optional: true, replaces: 'batches',
    flag: { flags: '--epochs <n>', help: 'finite data sets: passes over the training set, instead of --batches' }, csv: false, sweep: true,
  },
  l2: {
    kind: 'number', label: 'L2', group: 'Training', help: 'l2 · W added to the gradient',
    flag: { flags: '--l2 <x>', help: 'L2 regularisation: l2 · W added to the batch-mean gradient of the non-bias weights' }, csv: true, sweep: true,
  },
  l1: {
    kind: 'number', label: 'L1', group: 'Training', help: 'l1 · sign(W) added to the gradient',
    flag: { flags: '--l1 <x>', help: 'L1 regularisation: l1 · sign(W) added to the batch-mean gradient of the non-bias weights' }, csv: true, sweep: true,
  },
  optimizer: {
    kind: 'enum', label: 'Optimizer', group: 'Optimizer', help: 'sgd: the seed’s plain step',
    flag: { flags: '--optimizer <name>', help: '<choices>' }, csv: true, sweep: true,
  },
  momentum: {
    kind: 'number', label: 'Momentum', group: 'Optimizer', help: 'momentum optimizer only', relevant: (t) => t.optimizer === 'momentum',
    flag: { flags: '--momentum <x>', help: 'momentum coefficient (optimizer momentum)' }, csv: false, sweep: true,
  },
  beta1: {
    kind: 'number', label: 'Adam β1', group: 'Optimizer', help: 'adam only', relevant: (t) => t.optimizer === 'adam',
    flag: { flags: '--beta1 <x>', help: "Adam's first-moment decay" }, csv: false, sweep: true,
  },
  beta2: {
    kind: 'number', label: 'Adam β2', group: 'Optimizer', help: 'adam only', relevant: (t) => t.optimizer === 'adam',
    flag: { flags: '--beta2 <x>', help: "Adam's second-moment decay" }, csv: false, sweep: true,
  },
  adamEpsilon: {
    kind: 'number', label: 'Adam ε', short: 'adam ε', group: 'Optimizer', help: 'adam only', relevant: (t) => t.optimizer === 'adam',
    flag: { flags: '--adam-epsilon <x>', help: "Adam's denominator epsilon" }, csv: false, sweep: true,
  },
  initSeed: {
    kind: 'int', label: 'Init seed', short: 'seed', group: 'Seeds', help: 'draw of the initial weights',
    flag: { flags: '--seed <n>', help: 'seed of the initial weights' }, csv: true, sweep: true,
  },
  dataSeed: {
    kind: 'int', label: 'Data seed', short: 'data seed', group: 'Seeds', help: 'training data and its order',
    flag: { flags: '--data-seed <n>', help: 'seed of the training data and batch order' }, csv: true, sweep: true,
  },
  dtype: {
    kind: 'enum', label: 'Precision', group: 'Task and network', help: 'float32 is the speed mode',
    flag: { flags: '--dtype <type>', help: '<choices> (float64 is the parity mode)' },
    switches: [{ flags: '--float32', value: 'float32', help: 'train in float32 (speed mode); same as --dtype float32' }],
    csv: true, sweep: true,
  },
  checkpoints: {
    kind: 'int', label: 'Checkpoints', group: 'Training', help: 'fit snapshots kept',
    flag: { flags: '--checkpoints <n>', help: 'checkpoints recording test estimates and gradient norms' }, csv: false, sweep: true,
  },
} satisfies Record<SpecKey, FieldMeta>;

/**
 * The sign of a value written relative to eps — `eps`, `+eps`, `-eps`, in any case, with a
 * typographic minus or surrounding spaces — or null for anything else (a number, say).
 */
export function epsSign(text: string): 1 | -1 | null {
  const s = text.trim().replace(/\u2212/g, '-').toLowerCase();
  return s === 'eps' || s === '+eps' ? 1 : s === '-eps' ? -1 : null;
}

/** The fields that vary between replicates of one configuration (their seeds). */
export const SEED_FIELDS = ['initSeed', 'dataSeed'] as const satisfies readonly SpecKey[];

/** The spec's field names, in the table's (the schema's) order. */
export const SPEC_KEYS = Object.keys(SPEC_FIELD_META) as SpecKey[];

/** A field's entry, typed as the general FieldMeta. */
export function fieldMeta(key: SpecKey): FieldMeta {
  return SPEC_FIELD_META[key];
}

/**
 * Column names as parseColumnList reads them back, "a, b": a name with a comma or a quote, or
 * spaces at either end, in double quotes (quotes doubled), so `a, "b, c"` is two columns. The
 * one writing of column names, wherever a person reads them to type them again (the CLI's
 * listings and messages, the app's form).
 */
export function columnListText(names: readonly string[]): string {
  return names.map((c) => (/[,"]|^\s|\s$/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(', ');
}

/**
 * Column names as a person writes them, "a, b" (a name with a comma or quote in double quotes,
 * quotes doubled: "x,y"): ['a', 'b']; [] for nothing; null when a name is empty. The one reading
 * of a `columns` field, for the CLI's flags and the app's form.
 */
export function parseColumnList(text: string): string[] | null {
  if (text.trim() === '') return [];
  const names: string[] = [];
  const re = /\s*(?:"((?:[^"]|"")*)"|([^,]*))\s*(,|$)/gy;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    const name = m[1] !== undefined ? m[1].replace(/""/g, '"') : m[2].trim();
    if (name === '') return null;
    names.push(name);
    if (m[3] === '') break;
  }
  return names;
}
