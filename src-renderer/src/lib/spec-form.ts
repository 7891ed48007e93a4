/**
 * The run spec as a form: one text value per spec field (what the person typed), the fields in
 * form order (their labels, groups and help come from the field table, trainer/spec-fields.ts),
 * and the conversion to a spec for the API. Pure: no Vue, no DOM. The API
 * validates the spec again and names the offending field; this module only catches what cannot
 * be sent at all (text that is not a number, a shape that is not a list of whole numbers).
 */
import type { RunSpec } from '@main/trainer/spec';
import { batchWithinSet, fixedTaskInfo, isTaskName, isTaskParam, TASK_DEFS, type TaskDefaults, taskUses } from '@main/trainer/tasks';
import { columnListText, epsSign, FIELD_GROUPS, type FieldGroup, type FieldKind, fieldMeta, parseColumnList, SPEC_KEYS, type SpecKey } from '@main/trainer/spec-fields';

export type { FieldKind, SpecKey };

export interface SpecField {
  key: SpecKey;
  label: string;
  kind: FieldKind;
  group: FieldGroup;
  help: string;
  /** The field only matters for some specs (e.g. momentum for the momentum optimizer). */
  relevant?: (form: SpecForm) => boolean;
  /** A sweep may vary it. */
  sweep: boolean;
  /** May be left empty (the spec then leaves it out). */
  optional?: true;
  /** Filled, it stands instead of that field (epochs instead of batches). */
  replaces?: SpecKey;
}

/** The form: every spec field as the text in its input. */
export type SpecForm = Record<SpecKey, string>;

/** Every spec field (the field table, trainer/spec-fields.ts), in the order the form shows them: by group, then table order. */
export const SPEC_FIELDS: readonly SpecField[] = SPEC_KEYS.map((key): SpecField => {
  const { label, kind, group, help, relevant, sweep, optional, replaces } = fieldMeta(key);
  const field: SpecField = { key, label, kind, group, help, sweep };
  if (relevant) field.relevant = relevant;
  if (optional) field.optional = optional;
  if (replaces) field.replaces = replaces;
  return field;
}).sort((a, b) => FIELD_GROUPS.indexOf(a.group) - FIELD_GROUPS.indexOf(b.group));

export const FIELD_BY_KEY: Readonly<Record<string, SpecField>> = Object.fromEntries(SPEC_FIELDS.map((f) => [f.key, f]));

/** Groups of fields in form order. */
export function fieldGroups(): { name: string; fields: SpecField[] }[] {
  const groups: { name: string; fields: SpecField[] }[] = [];
  for (const f of SPEC_FIELDS) {
    const g = groups.find((x) => x.name === f.group);
    if (g) g.fields.push(f);
    else groups.push({ name: f.group, fields: [f] });
  }
  return groups;
}

/** A spec as form text. */
export function specToForm(spec: RunSpec): SpecForm {
  const form = {} as SpecForm;
  for (const f of SPEC_FIELDS) {
    const v = spec[f.key];
    if (v === undefined) form[f.key] = '';
    else if (f.kind === 'shape') form[f.key] = (v as number[]).join(', ');
    else if (f.kind === 'weights') form[f.key] = JSON.stringify(v);
    else if (f.kind === 'columns') form[f.key] = columnListText(v as string[]);
    else if (f.kind === 'range') form[f.key] = (v as number[]).join(', ');
    else if (f.kind === 'boolean') form[f.key] = v ? 'yes' : 'no';
    else form[f.key] = String(v);
  }
  return form;
}

/** Text to a number: accepts the typographic minus and surrounding spaces; NaN when it is not one. */
export function parseNumber(text: string): number {
  const s = text.trim().replace(/\u2212/g, '-');
  if (s === '' || !/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(s)) return NaN;
  return Number(s);
}

/** "1, 16, 2" (or "1 16 2", "1×16×2") to [1, 16, 2]; null when it is not a list of whole numbers. */
export function parseShape(text: string): number[] | null {
  const parts = text.trim().replace(/^\[|\]$/g, '').split(/[\s,×x]+/).filter(Boolean);
  if (parts.length === 0) return null;
  const out = parts.map((p) => (/^\d+$/.test(p) ? Number(p) : NaN));
  return out.every(Number.isInteger) ? out : null;
}


export interface FormResult {
  /** The spec to send (every field the form has). */
  spec: Record<string, unknown>;
  /** Field → what is wrong with its text. */
  errors: Partial<Record<SpecKey, string>>;
}

/**
 * The form as a spec for the API, with an error per field whose text cannot be read. A task
 * parameter the form's task does not read (dimmed) is left out, as the lab refuses one away from
 * its default; `keepUnread` keeps them (a sweep's base, whose grid may vary the task).
 */
export function formToSpec(form: SpecForm, { keepUnread = false }: { keepUnread?: boolean } = {}): FormResult {
  const spec: Record<string, unknown> = {};
  const errors: Partial<Record<SpecKey, string>> = {};
  const task = (form.task ?? '').trim();
  for (const f of SPEC_FIELDS) {
    if (!keepUnread && isTaskParam(f.key) && !taskUses(task, f.key)) continue;
    const text = (form[f.key] ?? '').trim();
    if (f.kind === 'weights') {
      if (text === '') continue;
      try {
        const w = JSON.parse(text) as unknown;
        if (!Array.isArray(w)) errors[f.key] = 'must be a JSON array of matrices';
        else spec[f.key] = w;
      } catch {
        errors[f.key] = 'is not valid JSON';
      }
      continue;
    }
    // text and lists of columns may be empty: the tasks that do not read them leave them so
    if (f.kind === 'text') {
      spec[f.key] = text;
      continue;
    }
    if (f.kind === 'columns') {
      const names = parseColumnList(text);
      if (names) spec[f.key] = names;
      else errors[f.key] = 'column names separated by commas (a name with a comma in double quotes)';
      continue;
    }
    if (text === '') {
      if (!f.optional) errors[f.key] = 'enter a value';
      continue;
    }
    switch (f.kind) {
      case 'range': {
        const parts = text.replace(/^\[|\]$/g, '').split(',').map(parseNumber);
        if (parts.length === 2 && parts.every(Number.isFinite)) spec[f.key] = parts;
        else errors[f.key] = 'two numbers lo, hi, e.g. -1, 1';
        break;
      }
      case 'boolean': {
        const s = text.toLowerCase();
        if (['yes', 'true', 'on', '1'].includes(s)) spec[f.key] = true;
        else if (['no', 'false', 'off', '0'].includes(s)) spec[f.key] = false;
        else errors[f.key] = 'yes or no';
        break;
      }
      case 'enum':
        spec[f.key] = text;
        break;
      case 'shape': {
        const shape = parseShape(text);
        if (shape) spec[f.key] = shape;
        else errors[f.key] = 'whole numbers separated by commas, e.g. 1, 16, 2';
        break;
      }
      case 'int': {
        const n = parseNumber(text);
        if (Number.isInteger(n)) spec[f.key] = n;
        else errors[f.key] = 'must be a whole number';
        break;
      }
      case 'number': {
        // a field written relative to eps ("-eps") goes as written: the lab's parseRunSpec resolves it against eps
        const relative = fieldMeta(f.key).relativeToEps && epsSign(text) !== null;
        const n = parseNumber(text);
        if (relative) spec[f.key] = text;
        else if (Number.isFinite(n)) spec[f.key] = n;
        else errors[f.key] = fieldMeta(f.key).relativeToEps ? 'must be a number, eps or -eps' : 'must be a number';
        break;
      }
      default: {
        // a new kind of field needs its reading here: a type error until it has one
        const unread: never = f.kind;
        throw new Error(`no reading of a ${String(unread)} field`);
      }
    }
  }
  // a filled field that stands instead of another (epochs for batches) sends only itself
  for (const f of SPEC_FIELDS) {
    if (f.replaces && spec[f.key] !== undefined) {
      delete spec[f.replaces];
      delete errors[f.replaces];
    }
  }
  return { spec, errors };
}

/** The fields whose default is the task's own: the network always, training settings where the task has them (Fashion-MNIST). */
const TASK_DEFAULTED = ['shape', 'loss', 'outputActivation', 'learningRate', 'batchSize', 'init', 'epochs'] as const;

/** A task's own values of the fields TASK_DEFAULTED, as form text. */
export type TaskTexts = Partial<Record<SpecKey, string>>;

/**
 * Task defaults as form text: the shape, loss and output layer, and the training settings the task
 * has of its own (Fashion-MNIST's) or else `base`'s (the seed's experiment: every other task trains
 * with those).
 */
export function taskTexts(d: TaskDefaults, base?: SpecForm): TaskTexts {
  const own: TaskTexts = { shape: d.shape.join(', '), loss: d.loss, outputActivation: d.outputActivation };
  const extra = { learningRate: d.learningRate, batchSize: d.batchSize, init: d.init, epochs: d.epochs };
  for (const [key, value] of Object.entries(extra) as [SpecKey, string | number | undefined][]) {
    if (value !== undefined) own[key] = String(value);
    else if (base) own[key] = base[key];
  }
  return own;
}

/** A task's own values of those fields, as form text (`base`'s where the task has none of its own); null for a task without fixed ones. */
export function taskDefaultTexts(task: string, base?: SpecForm): TaskTexts | null {
  const info = isTaskName(task) ? fixedTaskInfo(task) : null;
  return info ? taskTexts(info.defaults, base) : null;
}

/** The training settings of a task without its own (every task but Fashion-MNIST): `base`'s. */
export function trainingTexts(base: SpecForm): TaskTexts {
  return { learningRate: base.learningRate, batchSize: base.batchSize, init: base.init, epochs: base.epochs };
}

/** Whether a task's network comes from the spec (the expression's target, a table's columns): the lab says what it is (spec/task). */
export function isSpecTask(task: string): boolean {
  return isTaskName(task) && fixedTaskInfo(task) === null && TASK_DEFS[task].sampling !== 'images';
}

/**
 * The batch for a training set of `train` samples (null: a task that draws fresh samples for every
 * batch, no set to bound it), where the batch still holds what the form last gave it (`before`:
 * what the form holds for its task; null when unknown): the task's batch (`batch`, form text), or
 * the whole training set where that is smaller — a 40-row data set split in half trains in batches
 * of 20, and a bigger set brings the task's batch back. A batch the person typed stays (null): one
 * larger than the set is the lab's to refuse, next to the field. The caller keeps the returned text
 * as what the form gave the batch.
 */
export function fitBatch(form: SpecForm, before: TaskTexts | null, batch: string, train: number | null): string | null {
  const now = (form.batchSize ?? '').trim();
  if (before?.batchSize !== undefined && now !== before.batchSize) return null;
  const n = parseNumber(batch);
  if (!Number.isFinite(n)) return batch;
  const fit = batchWithinSet(n, train);
  return fit === n ? batch : String(fit);
}

/** Whether the form's `key` still holds `was` (form text; a shape compared by its widths). */
function holdsText(form: SpecForm, key: SpecKey, was: string): boolean {
  const now = (form[key] ?? '').trim();
  return now === was || (key === 'shape' && parseShape(now)?.join(', ') === was);
}

/**
 * The fields that follow a task (shape, loss, output layer, learning rate, batch, init) which
 * still hold the task's own values `known` (what the form filled in for its task, fitted to its
 * training set): no value the person chose. A sweep's base leaves them out, so every task of a
 * grid over tasks trains with its own.
 */
export function heldTaskFields(form: SpecForm, known: TaskTexts | null): SpecKey[] {
  return TASK_DEFAULTED.filter((key) => known?.[key] !== undefined && holdsText(form, key, known[key]!));
}

/**
 * The fields that follow a task, moved from what the form held for the task it had (`before`,
 * that task's values as form text; null when unknown) to another's (`after`): a field that still
 * held the old task's value takes the new one, a value the person chose stays — but the shape
 * always fits the new task: its first and last widths become the new task's inputs and outputs,
 * the hidden layers the person chose kept.
 */
export function refit(form: SpecForm, before: TaskTexts | null, after: TaskTexts): Partial<SpecForm> {
  const changes: Partial<SpecForm> = {};
  for (const key of TASK_DEFAULTED) {
    if (after[key] === undefined) continue;
    const now = (form[key] ?? '').trim();
    const was = before?.[key];
    const held = before ? was === undefined || holdsText(form, key, was) : true;
    if (held) {
      if (now !== after[key]) changes[key] = after[key]!;
    } else if (key === 'shape') {
      const shape = parseShape(now);
      const fit = parseShape(after.shape!);
      if (shape && shape.length >= 2 && fit) {
        const text = [fit[0], ...shape.slice(1, -1), fit[fit.length - 1]].join(', ');
        if (text !== now) changes.shape = text;
      }
    }
  }
  return changes;
}

/**
 * The form after its task changed from `from` to `to`: each field whose default is the task's own
 * (shape, loss, output layer; learning rate, batch, init and epochs where a task has them) takes
 * the new task's value if it still held the old task's, so a person picking circle gets a
 * [2, 8, 8, 2] softmax network and one picking fashion-mnist its 5 epochs of batches of 64, and a
 * value they typed stays; a shape they typed keeps its hidden layers and takes the new task's
 * widths (refit). `base` (the seed's experiment as form text) gives the values of a task
 * without its own training settings. `before` is what the form held for `from` where the caller
 * knows it (a task whose network the lab described: spec/task), else `from`'s own defaults. A task
 * whose network comes from the spec (isSpecTask) gets only the training settings here: its shape,
 * loss and output layer follow once the lab has read its target or columns. The data set field is
 * emptied when the task moves to Fashion-MNIST or from it to csv (a table's hash is not the image
 * files'; the lab fills in the files').
 */
export function retask(form: SpecForm, from: string, to: string, base?: SpecForm, before?: TaskTexts | null): Partial<SpecForm> {
  const was = before === undefined ? taskDefaultTexts(from, base) : before;
  const after = taskDefaultTexts(to, base) ?? (isSpecTask(to) && base ? trainingTexts(base) : null);
  const changes: Partial<SpecForm> = {};
  // a data set's hash names a table (csv) or Fashion-MNIST's files: it does not carry over from one kind to the other
  const kind = (t: string) => (isTaskName(t) ? TASK_DEFS[t].sampling : null);
  if (to !== from && (form.dataset ?? '').trim() !== '' && ((kind(to) === 'images' && kind(from) !== 'images') || (kind(to) === 'table' && kind(from) === 'images'))) changes.dataset = '';
  if (!after) return changes;
  return { ...changes, ...refit(form, was, after) };
}

/** A fresh seed in [0, 2³²). */
export function randomSeed(random: () => number = Math.random): number {
  return Math.floor(random() * 2 ** 32) >>> 0;
}

/** Field keys the API names in errors are paths (e.g. `initialWeights[1][0]`): the form field they belong to. */
export function fieldOfPath(path: string | undefined): SpecKey | null {
  if (!path) return null;
  const head = path.replace(/^spec\./, '').split(/[.[]/)[0];
  return head in FIELD_BY_KEY ? (head as SpecKey) : null;
}
