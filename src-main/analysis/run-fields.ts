/**
 * Every field a run has, as one table: the spec's fields (derived from the spec's field table,
 * trainer/spec-fields.ts, so a new spec field is a column, a query field and a group-by choice
 * with no edit here), its scores in the task's own terms (trainer/metrics.ts), its outcome class
 * and r²/skill (outcome.ts), and what the lab knows of it (status, experiment, tags, notes…).
 * The runs table's columns, the query language (query.ts), sorting and grouping (run-table.ts)
 * and `nnlab runs list --where/--sort/--group-by` all read runs through this table.
 *
 * Enum choices come from the spec's schema (trainer/spec.ts specChoices), which this pure module
 * cannot import: the caller passes them (the CLI and the lab from the schema, the app from
 * lab/info). Pure (no Node, no DOM).
 */
import type { Experiment, RunSummary } from '../db/types';
import { RUN_STATUSES } from '../db/types';
import { FIELD_GROUPS, type FieldGroup, fieldMeta, SPEC_KEYS, type SpecKey } from '../trainer/spec-fields';
import { isTaskParam, TASK_KINDS, taskUses } from '../trainer/tasks';
import { configLabel } from './config-diff';
import { DEFAULT_LEARNED_AT, OUTCOMES, outcomeOf } from './outcome';

/**
 * How a field's values compare: numbers (=, <, …), one of a few words (enum: = and != only),
 * free text (= and ~ contains), a list of layer widths (shape), a set of words (tags: has).
 */
export type FieldType = 'number' | 'enum' | 'text' | 'shape' | 'tags';

/** The column chooser's sections, in order: the run, its scores, then the spec's form groups. */
export const FIELD_SECTIONS = ['Run', 'Scores', ...FIELD_GROUPS] as const;
export type FieldSection = 'Run' | 'Scores' | FieldGroup;

export type FieldValue = number | string | readonly string[] | readonly number[] | null;

/** What a field's value may depend on besides the run. */
export interface FieldContext {
  /** The experiments by id (their names), when the caller has them. */
  experiments?: ReadonlyMap<number, Pick<Experiment, 'id' | 'name'>>;
  /** The outcome threshold (outcome.ts; default 0.9). */
  learnedAt?: number;
}

export interface RunField {
  /** Its name in queries, URLs and `--columns`: the spec's own key for a spec field. */
  key: string;
  /** The column's heading. */
  label: string;
  section: FieldSection;
  type: FieldType;
  /** An enum's choices, in order. */
  choices?: readonly string[];
  /** Shown as a percentage (an accuracy). */
  percent?: boolean;
  /** A time (ms since 1970): the query also reads a UTC date or time, as the runs list writes it. */
  date?: boolean;
  /** The unit its numbers are in, when they have one ('ms'). */
  unit?: string;
  /** For scores: which way is better (a baseline delta is good or bad). */
  higherIsBetter?: boolean;
  /** The query accepts `eps` / `-eps` for it, relative to each run's own eps (init mean). */
  relativeToEps?: boolean;
  /** The table may group runs by it (a configuration's field, the run's status, experiment…: not a continuous score). */
  groupable: boolean;
  /** Other names the query accepts (the CLI flag's: `lr`, `init-mean`, `seed`). */
  names: readonly string[];
  /** One line on what it is (the column chooser's title, the CLI's field list). */
  help: string;
  /** The run's value, null when it has none (a score before the run finished; a task parameter its task does not read). */
  value(run: RunSummary, ctx: FieldContext): FieldValue;
}

/** `--lr <x>` → `lr`; `--init-mean <x>` → `init-mean`. */
function flagName(flags: string): string | null {
  const m = /--([a-z0-9-]+)/.exec(flags);
  return m ? m[1] : null;
}

// a list of columns, a range and a yes/no are one text each (as the CLI writes them), so they sort, group and match as text
const FIELD_TYPE_OF_KIND = { enum: 'enum', int: 'number', number: 'number', shape: 'shape', text: 'text', columns: 'text', range: 'text', boolean: 'enum' } as const;

/** A spec value as its run field holds it: lists of columns and ranges as `a, b`, yes/no for booleans. */
function fieldValueOf(kind: string, v: unknown): FieldValue {
  if (v === undefined) return null;
  if (kind === 'boolean') return v ? 'yes' : 'no';
  if (kind === 'columns' || kind === 'range') return (v as readonly unknown[]).join(', ');
  return v as FieldValue;
}

/** A form label that reads right only beside its group's heading gets its group's word in a column's head. */
const COLUMN_LABELS: Partial<Record<string, string>> = { initMean: 'Init mean' };

/**
 * The spec's fields as run fields: every field of the spec's table that holds one value per run
 * (explicit initial weights are a matrix, and epochs is resolved into batches before a spec is
 * stored, so neither is a column).
 */
function specFields(choices: Readonly<Record<string, readonly string[]>>): RunField[] {
  const out: RunField[] = [];
  for (const key of SPEC_KEYS) {
    const meta = fieldMeta(key);
    if (meta.kind === 'weights' || meta.replaces) continue;
    const type = FIELD_TYPE_OF_KIND[meta.kind];
    const flag = meta.flag ? flagName(meta.flag.flags) : null;
    out.push({
      key,
      label: COLUMN_LABELS[key] ?? meta.label,
      section: meta.group,
      type,
      choices: type === 'enum' ? (meta.kind === 'boolean' ? ['no', 'yes'] : (choices[key] ?? [])) : undefined,
      relativeToEps: meta.relativeToEps,
      groupable: true,
      // its flag and its short label's name (`--init-mean`, `mean`) name it too
      names: [...new Set([flag, meta.short?.replace(/\s+/g, '-')].filter((n): n is string => !!n && n !== key))],
      help: meta.help,
      value: (r) => {
        // a task parameter the run's task does not read has no value (as in the runs CSV)
        if (isTaskParam(key) && !taskUses(r.spec.task, key)) return null;
        return fieldValueOf(meta.kind, r.spec[key as SpecKey]);
      },
    });
  }
  return out;
}

const finite = (x: number | null | undefined): number | null => (typeof x === 'number' && Number.isFinite(x) ? x : null);

/** A score of the run's outcome: r² or skill, −∞ for a diverged run (it is worse than any finite score). */
function outcomeScore(metric: 'r2' | 'skill') {
  return (r: RunSummary, ctx: FieldContext): number | null => {
    const o = outcomeOf(r, ctx.learnedAt ?? DEFAULT_LEARNED_AT);
    if (!o || o.score.metric !== metric) return null;
    if (o.outcome === 'diverged') return -Infinity;
    return o.score.value;
  };
}

/** The scores: each in one unit (a regression score and an accuracy are never one column). */
function scoreFields(): RunField[] {
  const score = (key: keyof RunSummary & string, label: string, help: string, names: string[], extra: Partial<RunField> = {}): RunField => ({
    key,
    label,
    section: 'Scores',
    type: 'number',
    groupable: false,
    higherIsBetter: false,
    names,
    help,
    value: (r) => finite(r[key] as number | null),
    ...extra,
  });
  return [
    {
      key: 'r2', label: 'r²', section: 'Scores', type: 'number', groupable: false, higherIsBetter: true, names: ['r²'],
      help: 'regression: 1 − test MSE / the best constant predictor’s (−∞: diverged)', value: outcomeScore('r2'),
    },
    {
      key: 'skill', label: 'skill', section: 'Scores', type: 'number', groupable: false, higherIsBetter: true, names: [],
      help: 'classification: (accuracy − majority share) / (1 − majority share) (−∞: diverged)', value: outcomeScore('skill'),
    },
    score('testMse', 'test MSE', 'regression: MSE per sample on the test set', ['mse']),
    score('finalMse', 'final MSE', 'regression: the last batch’s MSE per sample', []),
    score('baselineMse', 'baseline MSE', 'regression: the best constant predictor’s MSE', []),
    score('testAccuracy', 'test accuracy', 'classification: share of test points classed right', ['accuracy', 'acc'], { percent: true, higherIsBetter: true }),
    score('majorityShare', 'majority share', 'classification: the majority class’s share (the baseline accuracy)', ['majority'], { percent: true, higherIsBetter: true }),
    score('testLoss', 'test loss', 'the loss per sample on the test set', []),
    score('finalLoss', 'final loss', 'the last batch’s loss per sample', ['loss-per-sample']),
    score('finalCost', 'final cost', 'the last batch’s loss summed over the batch (sse: the seed’s cost)', ['cost']),
    score('penalty', 'penalty', 'the regularisers’ penalty of the final weights', []),
    score('trainMs', 'train time', 'training time, ms', ['time', 'ms'], { unit: 'ms' }),
    score('batchesRun', 'batches run', 'batches trained (a cancelled run stops early)', ['batches-run'], { higherIsBetter: undefined }),
  ];
}

function runFields(): RunField[] {
  const text = (key: 'notes' | 'kernel' | 'appVersion' | 'error', label: string, help: string, names: string[], groupable = false): RunField => ({
    key, label, section: 'Run', type: 'text', groupable, names, help, value: (r) => r[key] ?? null,
  });
  return [
    { key: 'id', label: 'run', section: 'Run', type: 'number', groupable: false, names: ['run'], help: 'the run’s number', value: (r) => r.id },
    { key: 'status', label: 'status', section: 'Run', type: 'enum', choices: RUN_STATUSES, groupable: true, names: [], help: 'queued, running, or how it ended', value: (r) => r.status },
    {
      key: 'outcome', label: 'outcome', section: 'Run', type: 'enum', choices: OUTCOMES, groupable: true, names: [],
      help: 'learned, underfit, learned-nothing or diverged (runs without one: cancelled, interrupted, still training)',
      value: (r, ctx) => outcomeOf(r, ctx.learnedAt ?? DEFAULT_LEARNED_AT)?.outcome ?? null,
    },
    {
      key: 'experiment', label: 'experiment', section: 'Run', type: 'number', groupable: true, names: ['exp', 'sweep'],
      help: 'the experiment (sweep) the run belongs to: its number, or its name in quotes', value: (r) => r.experimentId,
    },
    { key: 'tags', label: 'tags', section: 'Run', type: 'tags', groupable: true, names: ['tag'], help: 'the run’s tags (tag:NAME)', value: (r) => r.tags },
    {
      key: 'config', label: 'configuration', section: 'Run', type: 'text', groupable: true, names: ['configuration'],
      help: 'the spec without its seeds and defaults: replicates of one configuration share it', value: (r) => configText(r.configKey),
    },
    { key: 'kind', label: 'kind', section: 'Run', type: 'enum', choices: TASK_KINDS, groupable: true, names: [], help: 'regression or classification', value: (r) => r.kind },
    { key: 'created', label: 'created', section: 'Run', type: 'number', groupable: false, names: ['createdAt'], date: true, help: 'when the run was created: a UTC date or time, as runs list shows it (2026-12-04, "2026-12-04 18:53"), or ms since 1970', value: (r) => r.createdAt },
    text('notes', 'notes', 'the run’s notes', ['note']),
    text('error', 'error', 'why it ended in an error', []),
    text('kernel', 'kernel', 'the kernel that trained it', [], true),
    text('appVersion', 'nnlab version', 'the nnlab that trained it', ['version'], true),
    {
      key: 'queue', label: 'job queue', section: 'Run', type: 'text', groupable: true, names: [],
      help: 'the job queue the run was sent to (nnlab sweep --queue): its name and Redis address', value: (r) => (r.remote ? `${r.remote.name} on ${r.remote.redis}` : null),
    },
    { key: 'worker', label: 'worker', section: 'Run', type: 'text', groupable: true, names: [], help: 'the nnlab worker that trained it (a run sent to a job queue)', value: (r) => r.remote?.worker ?? null },
  ];
}

/** A configKey as text that reads back: `activation=sigmoid initMean=-0.1` (config-diff's style); `the seed's defaults` for none. */
export function configText(configKey: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(configKey);
  } catch {
    return configKey;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return configKey;
  const fields = Object.keys(parsed);
  return fields.length ? configLabel(parsed, fields) : 'the seed’s defaults';
}

/** A field's name as the query matches it: lower case, without '-', '_' and spaces (`init-mean`, `init_mean`, `initMean`). */
export function normalName(name: string): string {
  return name.toLowerCase().replace(/[-_\s]/g, '');
}

/** The field's name in a query where its label is not one (the column chooser says it: 'Learning rate' is written learningRate), else null. */
export function queryNameOf(f: Pick<RunField, 'key' | 'label' | 'names'>): string | null {
  // a query's word has no spaces: 'Learning rate' cannot be typed as it is, 'Task' and 'r²' can
  const label = normalName(f.label);
  return !/\s/.test(f.label) && [f.key, ...f.names].some((n) => normalName(n) === label) ? null : f.key;
}

export interface RunFieldTable {
  /** Every field, in the column chooser's order (sections in FIELD_SECTIONS order). */
  readonly fields: readonly RunField[];
  /** The field a query or a URL names (any of its names, in any case), or undefined. */
  find(name: string): RunField | undefined;
  /** The field by its key (throws for an unknown key: a programming error). */
  get(key: string): RunField;
}

/**
 * The run field table for a schema's enum choices (`specChoices()`, or lab/info's `choices`).
 * Throws when two fields share a name (a new spec field whose flag is another field's name).
 */
export function createRunFields(choices: Readonly<Record<string, readonly string[]>>): RunFieldTable {
  const all = [...runFields(), ...scoreFields(), ...specFields(choices)];
  const fields = FIELD_SECTIONS.flatMap((s) => all.filter((f) => f.section === s));
  const byName = new Map<string, RunField>();
  const byKey = new Map<string, RunField>();
  for (const f of fields) {
    byKey.set(f.key, f);
    for (const n of [f.key, ...f.names]) {
      const k = normalName(n);
      const other = byName.get(k);
      if (other && other !== f) throw new Error(`run fields ${other.key} and ${f.key} share the name '${n}'`);
      byName.set(k, f);
    }
  }
  return {
    fields,
    find: (name) => byName.get(normalName(name)),
    get(key) {
      const f = byKey.get(key);
      if (!f) throw new Error(`no run field '${key}'`);
      return f;
    },
  };
}

/** The columns a new table shows: what the seed's exercises vary, and how runs came out. */
export const DEFAULT_COLUMNS: readonly string[] = ['id', 'status', 'outcome', 'task', 'activation', 'eps', 'initMean', 'learningRate', 'optimizer', 'r2', 'testMse', 'testAccuracy', 'trainMs', 'experiment', 'tags'];
