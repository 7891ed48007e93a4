/**
 * Tables: a data set read from a file (a CSV, data/csv.ts), as the core sees it — named columns
 * of numbers (with the first cell that is not a finite number, if any), and, for a column with
 * few distinct values, its classes and each row's class. A spec chooses input columns and either
 * target columns (regression) or one label column (classification); `tableTaskInfo` checks the
 * choice against the table's description alone (before anything is loaded or trained) and
 * `tableData` turns the chosen columns into a DataSet. Pure: the file is read elsewhere.
 *
 * Problems are DataErrors that name the line and column of the file (the header is line 1), so
 * the CLI can say `FILE: line L, column C: reason` and the app the same without the file name.
 */
import { SpecError } from './spec-error';
import { columnListText } from './spec-fields';
import type { DataSet, TaskInfo, TaskSettings } from './tasks';

/** A column with more distinct values than this is no label (its classes are not kept). */
export const MAX_CLASSES = 1000;

/** Where a cell of the file is (1-based line, the header being line 1; 1-based column), and what is wrong with it. */
export interface CellIssue {
  line: number;
  column: number;
  reason: string;
}

export interface ColumnInfo {
  name: string;
  /** The first cell that is not a finite number, or null when every cell is one. */
  notNumber: CellIssue | null;
  /** The first empty cell, or null. */
  empty: CellIssue | null;
  /** Its distinct values as written, sorted (by value when all are numbers), or null past MAX_CLASSES. */
  classes: string[] | null;
  /** Distinct values counted (MAX_CLASSES + 1 means more). */
  distinct: number;
  /** The smallest and largest value of a numeric column (null otherwise). */
  min: number | null;
  max: number | null;
}

/** What a table is, without its values: enough to check a spec against it. */
export interface TableInfo {
  /** The file's name (without its folder). */
  name: string;
  /** sha256 of the file's bytes, hex: the data set's identity. */
  sha256: string;
  /** The file's size in bytes. */
  bytes: number;
  /** Data rows (the header not counted). */
  rows: number;
  columns: ColumnInfo[];
}

/** A column's values: numbers (NaN where a cell is none; null when the column is not loaded or has no number) and classes per row. */
export interface ColumnValues {
  values: Float64Array | null;
  /** Each row's class, an index into ColumnInfo.classes (null when the column has no classes or is not loaded). */
  codes: Uint16Array | null;
}

/** A table with the values of (some of) its columns: `values[i]` belongs to `columns[i]`. */
export interface Table extends TableInfo {
  values: ColumnValues[];
}

/** A problem of the data at a cell: its field is the spec field whose choice met it. */
export class DataError extends SpecError {
  constructor(
    field: string,
    readonly line: number,
    readonly column: number | null,
    readonly detail: string,
  ) {
    super(field, column === null ? `line ${line}: ${detail}` : `line ${line}, column ${column}: ${detail}`);
    this.name = 'DataError';
  }

  /** `FILE: line L, column C: reason`: the form the CLI prints. */
  inFile(file: string): string {
    return `${file}: ${this.column === null ? `line ${this.line}` : `line ${this.line}, column ${this.column}`}: ${this.detail}`;
  }
}

type Choice = Pick<TaskSettings, 'inputColumns' | 'targetColumns' | 'labelColumn'>;

/**
 * A note when every column name is a number (`1,2,3`): most likely a file without a header row,
 * whose first data row became the names (and is not trained on). Such names are allowed (a file
 * may name its columns 0, 1, 2…), so this is said, not refused. Null otherwise.
 */
export function headerNote(table: Pick<TableInfo, 'columns'>): string | null {
  const names = table.columns.map((c) => c.name);
  if (!names.length || !names.every((n) => n.trim() !== '' && Number.isFinite(Number(n)))) return null;
  const shown = names.length > 6 ? `${names.slice(0, 6).join(', ')}, …` : names.join(', ');
  return `every column name is a number (${shown}): line 1 is read as the column names, so if the file has no header row, add one (line 1 is not trained on)`;
}

/** The columns a spec uses, for loading only those. */
export function usedColumns(spec: Choice): string[] {
  return [...spec.inputColumns, ...spec.targetColumns, ...(spec.labelColumn ? [spec.labelColumn] : [])];
}

/** The header's names as they are typed back (spec-fields columnListText: `a, "b, c"`), the first `most` of a wider one. */
function headerText(table: TableInfo, most: number): string {
  const names = table.columns.map((c) => c.name);
  const text = (ns: readonly string[]) => ns.map((n) => (n === '' ? '(no name)' : columnListText([n]))).join(', ');
  return names.length > most ? `${text(names.slice(0, most))}, … (${names.length} columns)` : text(names);
}

/** A column's role by its spec field, as a refusal names it. */
const ROLE_WORDS: Readonly<Record<string, string>> = { inputColumns: 'an input', targetColumns: 'a target', labelColumn: 'the label' };

function findColumn(table: TableInfo, name: string, field: string): number {
  const i = table.columns.findIndex((c) => c.name === name);
  if (i < 0) {
    const shown = headerText(table, 12);
    throw new DataError(field, 1, null, `no column named '${name}' (the header has ${shown})`);
  }
  return i;
}

function numeric(table: TableInfo, i: number, field: string): void {
  const c = table.columns[i];
  // a target of text classes ('neg', 'pos': values that repeat, none a number with a hint of its own) is a
  // classification's label, chosen as a regression's target
  const classes = c.classes && c.classes.length >= 2 && c.classes.length * 2 <= table.rows && !c.empty && !c.notNumber?.reason.includes('(');
  const label = field === 'targetColumns' && classes ? ` (a column of ${c.classes!.length} classes: classify on it as the label column, labelColumn)` : '';
  if (c.notNumber) throw new DataError(field, c.notNumber.line, c.notNumber.column, `${c.name}: ${c.notNumber.reason}${label}`);
}

/** The largest magnitude whose square is a finite float64 (√MAX_VALUE ≈ 1.34e154). */
const SQUARE_LIMIT = Math.sqrt(Number.MAX_VALUE);

/**
 * A target column with values whose square overflows float64: every squared error and the
 * constant predictor's MSE are then infinite, so the run could only read "diverged" — the data's
 * scale, not the learning's. Refused naming the column, with the way out.
 */
function withinSquare(table: TableInfo, i: number): void {
  const c = table.columns[i];
  const far = Math.max(Math.abs(c.min ?? 0), Math.abs(c.max ?? 0));
  if (far >= SQUARE_LIMIT) {
    const v = Math.abs(c.min ?? 0) >= Math.abs(c.max ?? 0) ? c.min! : c.max!;
    throw new SpecError('targetColumns', `column '${c.name}' reaches ${v}, whose square overflows a float64 number: every squared error would be infinite; scale the column (divide it by a power of 10) before training on it`);
  }
}

/**
 * The task a spec makes of a table: its inputs and outputs, kind, names and defaults (box: the
 * data's range, before any standardisation). Throws SpecError or DataError naming the field and,
 * for the data, the line and column.
 */
export function tableTaskInfo(spec: Choice & Pick<TaskSettings, 'trainFraction' | 'standardize'>, table: TableInfo): TaskInfo {
  if (!spec.inputColumns.length) throw new SpecError('inputColumns', `name the input columns (the header has ${headerText(table, 12)})`);
  const hasTargets = spec.targetColumns.length > 0;
  if (hasTargets === !!spec.labelColumn) {
    throw new SpecError(hasTargets ? 'labelColumn' : 'targetColumns', hasTargets ? 'give target columns (regression) or a label column (classification), not both' : 'give target columns (regression) or a label column (classification)');
  }
  const seen = new Map<string, string>();
  const use = (name: string, field: string) => {
    const before = seen.get(name);
    if (before === field) throw new SpecError(field, `column '${name}' is named twice`);
    if (before) throw new SpecError(field, `column '${name}' is already ${ROLE_WORDS[before]} (${before}): a column is an input or a target, not both`);
    seen.set(name, field);
    return findColumn(table, name, field);
  };
  const inputs = spec.inputColumns.map((n) => use(n, 'inputColumns'));
  const targets = spec.targetColumns.map((n) => use(n, 'targetColumns'));
  const label = spec.labelColumn ? use(spec.labelColumn, 'labelColumn') : -1;
  for (const i of inputs) numeric(table, i, 'inputColumns');
  for (const i of targets) numeric(table, i, 'targetColumns');
  for (const i of targets) withinSquare(table, i);
  // one number in every target: the constant predictor is exact, its MSE 0, and r² = 1 − MSE / 0 means nothing
  if (targets.length && targets.every((i) => table.columns[i].min === table.columns[i].max)) {
    const c = table.columns[targets[0]];
    const what = targets.length === 1 ? `column '${c.name}' holds one number (${c.min}) in every row` : `columns ${targets.map((i) => `'${table.columns[i].name}'`).join(', ')} each hold one number in every row`;
    throw new SpecError('targetColumns', `${what}: there is nothing to learn (the best constant predictor is exact, so no r² can be computed); choose a target that varies`);
  }
  if (table.rows < 2) throw new DataError('dataset', 2, null, `${table.rows} data row${table.rows === 1 ? '' : 's'}: a table needs at least 2 (some to train on, some to test)`);
  const train = Math.floor(table.rows * spec.trainFraction);
  if (train < 1 || train >= table.rows) {
    throw new SpecError('trainFraction', `${spec.trainFraction} of ${table.rows} rows leaves ${train < 1 ? 'no row to train on' : 'no row to test on'}`);
  }
  let classes: string[] | null = null;
  if (label >= 0) {
    const c = table.columns[label];
    const col = label + 1;
    if (c.empty) throw new DataError('labelColumn', c.empty.line, c.empty.column, `label ${c.name} is empty`);
    if (!c.classes) throw new DataError('labelColumn', 2, col, `label column '${c.name}' has more than ${MAX_CLASSES.toLocaleString('en-US')} distinct values: it is not a set of classes`);
    if (c.classes.length < 2) throw new DataError('labelColumn', 2, col, `label column '${c.name}' has one class ('${c.classes[0] ?? ''}'): classification needs at least two`);
    // a class seen once is in the training part or the test part, never both: a column of measurements chosen as a label
    if (c.classes.length * 2 > table.rows) {
      const numbers = c.notNumber === null ? '; a column of numbers is a regression target (targetColumns)' : '';
      throw new DataError('labelColumn', 2, col, `label column '${c.name}' has ${c.classes.length.toLocaleString('en-US')} distinct values in ${table.rows.toLocaleString('en-US')} rows: fewer than 2 rows per class, so most test points' classes are never trained on${numbers}`);
    }
    classes = c.classes;
  }
  const nIn = inputs.length;
  const nOut = classes ? classes.length : targets.length;
  const box = inputs.map((i) => {
    const { min, max } = table.columns[i];
    return [min ?? 0, max ?? 1] as const;
  });
  return {
    name: 'csv',
    description: `${table.name}: ${spec.inputColumns.join(', ')} → ${spec.labelColumn || spec.targetColumns.join(', ')}`,
    kind: classes ? 'classification' : 'regression',
    inputs: nIn,
    outputs: nOut,
    inputNames: [...spec.inputColumns],
    outputNames: classes ?? [...spec.targetColumns],
    classes,
    box,
    defaults: classes
      ? { shape: [nIn, 16, nOut], loss: 'cross-entropy', outputActivation: 'softmax' }
      : // a table's targets can be any real numbers: a linear output layer can reach them (the seed's relu output cannot go below 0)
        { shape: [nIn, 16, nOut], loss: 'sse', outputActivation: 'linear' },
    params: ['dataset', 'inputColumns', 'targetColumns', 'labelColumn', 'standardize', 'trainFraction'],
  };
}

/** Every row of the chosen columns as one data set (inputs, then targets: numbers, or one-hot classes). */
export function tableData(spec: Choice, table: Table): DataSet {
  const index = (name: string) => table.columns.findIndex((c) => c.name === name);
  const values = (name: string): Float64Array => {
    const v = table.values[index(name)]?.values;
    if (!v || v.length !== table.rows) throw new RangeError(`column ${name} of ${table.name} is not loaded`);
    return v;
  };
  const rows = table.rows;
  const ins = spec.inputColumns.map(values);
  const nIn = ins.length;
  const inputs = new Float64Array(rows * nIn);
  for (let k = 0; k < nIn; k++) {
    const v = ins[k];
    for (let r = 0; r < rows; r++) inputs[r * nIn + k] = v[r];
  }
  let targets: Float64Array;
  if (spec.labelColumn) {
    const li = index(spec.labelColumn);
    const codes = table.values[li]?.codes;
    const classes = table.columns[li]?.classes;
    if (!codes || !classes || codes.length !== rows) throw new RangeError(`column ${spec.labelColumn} of ${table.name} has no classes loaded`);
    targets = new Float64Array(rows * classes.length);
    for (let r = 0; r < rows; r++) targets[r * classes.length + codes[r]] = 1;
  } else {
    const outs = spec.targetColumns.map(values);
    const nOut = outs.length;
    targets = new Float64Array(rows * nOut);
    for (let k = 0; k < nOut; k++) {
      const v = outs[k];
      for (let r = 0; r < rows; r++) targets[r * nOut + k] = v[r];
    }
  }
  return { count: rows, inputs, targets };
}

/**
 * Standardises inputs in place, each to mean 0 and standard deviation 1 over the training part
 * (the test part is scaled by the training part's numbers, as it would be for new data). A
 * constant input is only centred. Returns the scale used (for the box).
 */
export function standardizeInputs(train: DataSet, test: DataSet, inputs: number): { mean: Float64Array; std: Float64Array } {
  const mean = new Float64Array(inputs);
  const std = new Float64Array(inputs);
  const x = train.inputs as Float64Array;
  const n = train.count;
  for (let r = 0; r < n; r++) for (let k = 0; k < inputs; k++) mean[k] += x[r * inputs + k];
  for (let k = 0; k < inputs; k++) mean[k] /= n;
  for (let r = 0; r < n; r++) for (let k = 0; k < inputs; k++) std[k] += (x[r * inputs + k] - mean[k]) ** 2;
  for (let k = 0; k < inputs; k++) {
    const s = Math.sqrt(std[k] / n);
    std[k] = s > 0 ? s : 1;
  }
  for (const d of [train, test]) {
    const v = d.inputs as Float64Array;
    for (let r = 0; r < d.count; r++) for (let k = 0; k < inputs; k++) v[r * inputs + k] = (v[r * inputs + k] - mean[k]) / std[k];
  }
  return { mean, std };
}
