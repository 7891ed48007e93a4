/**
 * The CLI flags of the run spec, derived from the field table (trainer/spec-fields.ts): each flag
 * with its spec field and value parser. `nnlab train` takes one value per flag; `nnlab sweep` takes comma-separated lists of the same
 * flags. Values are parsed to plain JSON here and validated by the spec schema (trainer/spec.ts),
 * so the CLI never re-states a rule; a SpecError is reported with the flag that set the field.
 */
import type { Command } from 'commander';
import { editDistance } from '../analysis/edit-distance';
import { DEFAULT_SPEC, type RunSpec, type RunSpecInput, SpecError, specChoices, TASK_DEFAULTED, unreadFields } from '../trainer/spec';
import { epsSign, type FieldKind, fieldMeta, parseColumnList, SPEC_KEYS, type SpecKey } from '../trainer/spec-fields';
import { type SpecDef, TASK_DEFS, type TaskDef, type TaskDefaults } from '../trainer/tasks';
import { UsageError } from './usage';

type Parse = (raw: string, flag: string) => unknown;

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

export const parseNumber: Parse = (raw, flag) => {
  const s = raw.trim();
  if (!NUMBER.test(s)) throw new UsageError(`${flag}: expected a number, got '${raw}'`);
  return Number(s);
};

export const parseInteger: Parse = (raw, flag) => {
  const n = parseNumber(raw, flag) as number;
  if (!Number.isInteger(n)) throw new UsageError(`${flag}: expected a whole number, got '${raw}'`);
  return n;
};

const parseShape: Parse = (raw, flag) => {
  const parts = raw.split(/[,x]/).map((p) => p.trim());
  if (parts.length === 0 || parts.some((p) => p === '')) throw new UsageError(`${flag}: expected widths like 1,16,2, got '${raw}'`);
  return parts.map((p) => parseInteger(p, flag));
};

/** A number, or `eps` / `-eps` meaning ± the run's eps (the seed's exercise uses mean −eps), kept as text: parseRunSpec resolves it. */
const parseMean: Parse = (raw, flag) => (epsSign(raw) === null ? parseNumber(raw, flag) : raw.trim());

const text: Parse = (raw) => raw.trim();

/** Column names, comma-separated (a name with a comma in it is written in double quotes: "a,b"). */
const parseColumns: Parse = (raw, flag) => {
  const names = parseColumnList(raw);
  if (!names?.length) throw new UsageError(`${flag}: expected column names like a,b (a name with a comma in double quotes), got '${raw}'`);
  return names;
};

/** Two numbers lo,hi (the expression task's domain). */
const parseRange: Parse = (raw, flag) => {
  const parts = raw.split(',').map((p) => p.trim());
  if (parts.length !== 2 || parts.some((p) => p === '')) throw new UsageError(`${flag}: expected two numbers lo,hi like -1,1, got '${raw}'`);
  return parts.map((p) => parseNumber(p, flag));
};

/** yes/no, true/false, 1/0; the flag alone (commander's true) means yes. */
const parseBoolean: Parse = (raw, flag) => {
  const s = raw.trim().toLowerCase();
  if (['true', 'yes', '1', 'on'].includes(s)) return true;
  if (['false', 'no', '0', 'off'].includes(s)) return false;
  throw new UsageError(`${flag}: expected yes or no, got '${raw}'`);
};

export interface SpecFlag {
  /** Commander flag syntax. */
  flags: string;
  field: keyof RunSpecInput;
  description: string;
  parse: Parse;
  /** For boolean flags: the value the field takes when the flag is given. */
  constant?: unknown;
  /** Separator between swept values (shape values contain commas). */
  listSeparator?: string;
}

/** The value parser of each kind of field (a field with no flag has none). */
const PARSERS: Record<FieldKind, Parse | null> = {
  enum: text,
  int: parseInteger,
  number: parseNumber,
  shape: parseShape,
  weights: null,
  text,
  columns: parseColumns,
  range: parseRange,
  boolean: parseBoolean,
};

/** Every spec flag, from the field table (trainer/spec-fields.ts), in its order; switches follow their field's flag. */
export const SPEC_FLAGS: SpecFlag[] = SPEC_KEYS.flatMap((field): SpecFlag[] => {
  const meta = fieldMeta(field);
  const parse = meta.relativeToEps ? parseMean : PARSERS[meta.kind];
  if (!meta.flag || !parse) return [];
  const description = meta.flag.help.replace('<choices>', () => (specChoices()[field] ?? []).join('|'));
  const flag: SpecFlag = { flags: meta.flag.flags, field, parse, description };
  if (meta.flag.listSeparator) flag.listSeparator = meta.flag.listSeparator;
  return [flag, ...(meta.switches ?? []).map((s) => ({ flags: s.flags, field, parse: text, constant: s.value, description: s.help }))];
});

/** Commander's camel-cased option key for a flag ('--init-mean <x>' → 'initMean'). */
export function optionKey(flags: string): string {
  const long = flags.split(/[ ,]+/).find((f) => f.startsWith('--'))!;
  return long.slice(2).replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** The flag that sets a spec field, for error messages ('learningRate' → '--lr'). */
export function flagForField(field: string): string | undefined {
  const top = field.split(/[.[]/)[0];
  const entry = SPEC_FLAGS.find((f) => f.field === top && f.constant === undefined);
  return entry?.flags.split(' ')[0];
}

/**
 * A note for each field the input sets that the run does not read, naming the flag (or the spec
 * file) and why: "--init-mean (initMean) has no effect on this run: init he does not read initMean
 * (only normal does)". Such a run is the same configuration as the one without the field
 * (db/config-key.ts); a field at its default is no note.
 */
export function unreadNotes(spec: RunSpec, given: Record<string, unknown>, fromFlags: Record<string, unknown>, file?: string): string[] {
  return unreadFields(spec)
    .filter(({ field }) => given[field] !== undefined && JSON.stringify(spec[field]) !== JSON.stringify(DEFAULT_SPEC[field]))
    .map(({ field, why }) => {
      const flag = flagForField(field);
      const where = field in fromFlags && flag ? `${flag} (${field})` : file ? `${file}: ${field}` : field;
      return `${where} has no effect on this run: ${why}`;
    });
}

/** A default as a flag is written (a shape 1,16,2; a yes|no flag yes or no). */
function asFlagValue(value: unknown): string {
  if (Array.isArray(value)) return value.join(',');
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return String(value);
}

/**
 * What a flag's help says of its field's default, as parseRunSpec fills it in: the schema's, and
 * the tasks that have their own (withTaskDefaults), or "the task's" where every task has one (the
 * seed's sincos named for its value); nothing for an empty text or list, which is no default.
 */
export function defaultNote(field: SpecKey): string | undefined {
  const fallback = DEFAULT_SPEC[field];
  if (fallback === undefined || fallback === '' || (Array.isArray(fallback) && fallback.length === 0)) return undefined;
  // batches: a task with a training length of its own gives it in epochs
  const taskKey = field === 'batches' ? 'epochs' : (TASK_DEFAULTED as readonly string[]).includes(field) ? (field as keyof TaskDefaults) : undefined;
  if (taskKey === undefined) return `default ${asFlagValue(fallback)}`;
  // the expression and csv tasks describe theirs from the spec (taskInfo), with no training settings of their own
  const fixed = Object.values(TASK_DEFS).filter((d): d is Exclude<TaskDef, SpecDef> => d.sampling !== 'expression' && d.sampling !== 'table');
  if (fixed.every((d) => d.defaults[taskKey] !== undefined)) return `default: the task’s; sincos: ${asFlagValue((TASK_DEFS.sincos as Exclude<TaskDef, SpecDef>).defaults[taskKey])}`;
  const own = fixed.filter((d) => d.defaults[taskKey] !== undefined).map((d) => `${d.name}: ${asFlagValue(d.defaults[taskKey])}${taskKey === 'epochs' ? ' epochs' : ''}`);
  return own.length === 0 ? `default ${asFlagValue(fallback)}` : `default ${asFlagValue(fallback)}; ${own.join('; ')}`;
}

/** Adds every spec flag to a command. */
export function addSpecFlags(cmd: Command, sweep = false): Command {
  for (const f of SPEC_FLAGS) {
    const note = f.constant === undefined ? defaultNote(f.field as SpecKey) : undefined;
    let description = note === undefined ? f.description : `${f.description} (${note})`;
    if (sweep && f.constant === undefined) description += `; sweep: ${f.listSeparator ?? ','}-separated values`;
    cmd.option(f.flags, description);
  }
  return cmd;
}

/** Spec input from parsed commander options (one value per flag). */
export function specFromOptions(options: Record<string, unknown>): RunSpecInput {
  const spec: Record<string, unknown> = {};
  for (const f of SPEC_FLAGS) {
    const raw = options[optionKey(f.flags)];
    if (raw === undefined) continue;
    const flag = f.flags.split(' ')[0];
    spec[f.field] = f.constant !== undefined ? f.constant : f.parse(String(raw), flag);
  }
  return spec as RunSpecInput;
}

/**
 * The flags' fields over a spec file's: a flag for a field that stands instead of another
 * (`--epochs` for batches) also takes that one out of the file's.
 */
export function overlayFlags(fromFile: Record<string, unknown>, fromFlags: Record<string, unknown>): Record<string, unknown> {
  const merged = { ...fromFile, ...fromFlags };
  for (const key of SPEC_KEYS) {
    const replaced = fieldMeta(key).replaces;
    if (replaced && key in fromFlags && !(replaced in fromFlags)) delete merged[replaced];
  }
  return merged;
}

/** Re-words a SpecError for the command line: the flag first, then the field. */
export function describeSpecError(e: SpecError, source?: string): string {
  const flag = flagForField(e.field);
  const where = source ? `${source}: ` : flag ? `${flag} (${e.field}): ` : `${e.field}: `;
  return `${where}${source ? `${e.field}: ` : ''}${e.reason}${unknownFieldHint(e)}`;
}

/**
 * For a spec file's unknown field, the spec field meant: the one a flag of that name sets (a file
 * written with the command line's names, `lr: 0.1` or `init-mean: -eps`), else a field within two
 * edits (`activaton`). " (did you mean learningRate? --lr is its flag)", or '' when none is close.
 * `keys`: the names the file could have meant there (a sweep file's own keys at its top level).
 */
export function unknownFieldHint(e: SpecError, keys: readonly string[] = SPEC_KEYS): string {
  if (e.reason !== 'unknown field') return '';
  const name = e.field.split('.').pop()!;
  const byFlag = keys === SPEC_KEYS ? SPEC_FLAGS.find((f) => f.constant === undefined && (optionKey(f.flags) === name || f.flags.split(' ')[0] === `--${name}`)) : undefined;
  if (byFlag && byFlag.field !== name) return ` (did you mean ${byFlag.field}? ${byFlag.flags.split(' ')[0]} is its flag; a file names the spec's fields)`;
  let best: { key: string; d: number } | null = null;
  for (const key of keys) {
    const d = editDistance(name.toLowerCase(), key.toLowerCase());
    // a few short keys (a sweep file's) are told apart at two edits (`gird`, `bsae`); the spec's many fields at a third of their length
    if (d <= (keys === SPEC_KEYS ? Math.min(2, Math.floor(key.length / 3)) : 2) && (!best || d < best.d)) best = { key, d };
  }
  return best ? ` (did you mean ${best.key}?)` : '';
}
