/**
 * The New run form's data set picker as a pure model: what each column of a stored data set is
 * in the form (an input, a target, the label, or unused), what it may be (numbers may be inputs or
 * targets; a column with classes may be the label), and the form's text after a choice — the data
 * set, its columns, and the network's input and output widths, loss and output layer as the
 * table's task gives them (trainer/table tableTaskInfo: the same rules the lab checks the spec with).
 */
import type { TableInfo } from '@main/trainer/table';
import { tableTaskInfo } from '@main/trainer/table';
import { columnListText, parseColumnList } from '@main/trainer/spec-fields';
import { parseNumber, parseShape, type SpecForm } from './spec-form';

export type ColumnRole = 'input' | 'target' | 'label' | 'unused';

export interface ColumnChoice {
  name: string;
  role: ColumnRole;
  /** The roles this column may take (unused always). */
  allowed: ColumnRole[];
  /** What the column holds, for the picker's row: "numbers 0.1 … 4.2", "3 classes: a, b, c", "text". */
  holds: string;
}

/** The roles a column may take: numbers are inputs or targets; a column with classes (up to MAX_CLASSES distinct values, two or more) may be the label. */
export function allowedRoles(c: TableInfo['columns'][number]): ColumnRole[] {
  const out: ColumnRole[] = [];
  if (!c.notNumber) out.push('input', 'target');
  if (c.classes && c.classes.length >= 2) out.push('label');
  out.push('unused');
  return out;
}

function holds(c: TableInfo['columns'][number]): string {
  const few = c.classes && c.classes.length <= 20;
  // the range as read (no rounding: it says where the column's numbers end), with the page's minus sign
  const written = (x: number) => String(x).replaceAll('-', '−');
  if (!c.notNumber && c.min !== null && c.max !== null) return `numbers ${written(c.min)} … ${written(c.max)}${few ? ` (${c.classes!.length} classes)` : ''}`;
  // a value with a comma in it is quoted, or "0,5, 1,5" reads as four values
  const value = (v: string) => (v.includes(',') ? `'${v}'` : v);
  const what = few
    ? `${c.classes!.length} classes: ${c.classes!.slice(0, 6).map(value).join(', ')}${c.classes!.length > 6 ? ', …' : ''}`
    : c.classes
      ? `text, ${c.classes.length} distinct values`
      : 'text, too many distinct values to be classes';
  // a column that held numbers until some line (a missing value, a NaN) says where it stopped: that is why it is no input
  const bad = c.notNumber;
  return bad && (bad.line > 2 || c.empty) ? `${what} — not numbers from line ${bad.line}: ${bad.reason}` : what;
}

/** Each column of `dataset` with its role in the form (a name the form holds that the data set lacks is left to the lab's check). */
export function columnChoices(form: SpecForm, dataset: TableInfo): ColumnChoice[] {
  const inputs = parseColumnList(form.inputColumns) ?? [];
  const targets = parseColumnList(form.targetColumns) ?? [];
  const label = form.labelColumn.trim();
  return dataset.columns.map((c) => ({
    name: c.name,
    role: inputs.includes(c.name) ? 'input' : targets.includes(c.name) ? 'target' : label === c.name ? 'label' : 'unused',
    allowed: allowedRoles(c),
    holds: holds(c),
  }));
}

type Column = TableInfo['columns'][number];
const textLabel = (c: Column) => !!c.notNumber && !!c.classes && c.classes.length >= 2 && c.classes.length <= 20;
const numberLabel = (c: Column) => !c.notNumber && !!c.classes && c.classes.length >= 2 && c.classes.length <= 10;

/**
 * The first choice's label and target: the last text column with classes is the label (text is
 * no input, and names classes), else the last column of few distinct numbers (a weaker sign: it
 * may be a count to read from), else the last numeric column is the target.
 */
function firstPick(dataset: TableInfo): { label?: Column; target?: Column } {
  const last = (ok: (c: Column) => boolean) => [...dataset.columns].reverse().find(ok);
  const label = last(textLabel) ?? last(numberLabel);
  return label ? { label } : { target: last((c) => !c.notNumber) };
}

/**
 * A first choice for a data set just picked: the label (or target) of firstPick, every other
 * numeric column an input.
 */
export function firstChoice(dataset: TableInfo): Record<string, ColumnRole> {
  const roles: Record<string, ColumnRole> = {};
  const { label, target } = firstPick(dataset);
  for (const c of dataset.columns) roles[c.name] = c === label ? 'label' : c === target ? 'target' : !c.notNumber ? 'input' : 'unused';
  return roles;
}

/**
 * What the first choice guessed and why, for the form to say beside it: a guess from the columns'
 * values, which the person should check (the label may be any column; a count may be an input).
 */
export function firstChoiceWords(dataset: TableInfo): string {
  const { label, target } = firstPick(dataset);
  const roles = firstChoice(dataset);
  const inputs = dataset.columns.filter((c) => roles[c.name] === 'input').map((c) => c.name);
  const rest = `${inputs.length ? `${inputs.join(', ')} as input${inputs.length > 1 ? 's' : ''}` : 'no column as an input'}`;
  const change = 'Change any column’s role below.';
  if (label) {
    const why = textLabel(label) ? `a column of text with ${label.classes!.length} classes` : `the last column of few distinct numbers: ${label.classes!.length} classes`;
    return `First guess: “${label.name}” as the label (${why}), ${rest}: a classification. ${change}`;
  }
  if (target) return `First guess: “${target.name}” as the target (the last column of numbers; no column has few enough distinct values to be a label), ${rest}: a regression. ${change}`;
  return `No first guess: no column holds numbers or classes. ${change}`;
}

/**
 * The form's fields after choosing `dataset` with these roles: the data set's hash, the column
 * lists, and — where the choice makes a task — the shape's first and last widths (its hidden
 * layers kept), and the loss and output layer when the kind of task (regression or
 * classification) changed. One label at most: choosing a new label makes the old one unused.
 */
export function applyChoice(form: SpecForm, dataset: TableInfo, roles: Record<string, ColumnRole>): Partial<SpecForm> {
  const names = dataset.columns.map((c) => c.name);
  const pick = (role: ColumnRole) => names.filter((n) => roles[n] === role);
  const label = pick('label');
  const changes: Partial<SpecForm> = {
    dataset: dataset.sha256,
    inputColumns: columnListText(pick('input')),
    targetColumns: columnListText(pick('target')),
    labelColumn: label[label.length - 1] ?? '',
  };
  const next = { ...form, ...changes };
  const info = taskOf(next, dataset);
  if (!info) return changes;
  const shape = parseShape(form.shape);
  const hidden = shape && shape.length >= 2 ? shape.slice(1, -1) : info.defaults.shape.slice(1, -1);
  changes.shape = [info.inputs, ...hidden, info.outputs].join(', ');
  const before = form.dataset === dataset.sha256 ? taskOf(form, dataset) : null;
  if (!before || before.kind !== info.kind) {
    changes.loss = info.defaults.loss;
    changes.outputActivation = info.defaults.outputActivation;
  }
  return changes;
}

/** Changing one column's role: a new label replaces the old one. */
export function withRole(current: ColumnChoice[], name: string, role: ColumnRole): Record<string, ColumnRole> {
  const roles: Record<string, ColumnRole> = {};
  for (const c of current) roles[c.name] = c.name === name ? role : role === 'label' && c.role === 'label' ? 'unused' : c.role;
  return roles;
}

/** The table task the form's columns make of `dataset`, or null while they make none (the lab names what is missing). */
function taskOf(form: SpecForm, dataset: TableInfo) {
  const trainFraction = parseNumber(form.trainFraction);
  try {
    return tableTaskInfo(
      {
        inputColumns: parseColumnList(form.inputColumns) ?? [],
        targetColumns: parseColumnList(form.targetColumns) ?? [],
        labelColumn: form.labelColumn.trim(),
        trainFraction: Number.isFinite(trainFraction) ? trainFraction : 0.5,
        standardize: false,
      },
      dataset,
    );
  } catch {
    return null;
  }
}
