/**
 * The CSV reader: a file (or any byte stream) with a header row becomes a table (trainer/table.ts)
 * of named columns, read as a stream through csv-parse (quoted fields, quotes doubled inside them,
 * line breaks inside quotes, a byte-order mark, \n, \r\n or \r line ends), so a file of hundreds
 * of megabytes is never held as text. The bytes are hashed (sha256) as they pass: the hash is the
 * data set's identity. Every column is kept as numbers where every cell is a finite number, and
 * as classes (its distinct values, sorted) where it has at most MAX_CLASSES of them; for each
 * column the first cell that is not a number and the first empty cell are remembered with their
 * line and column, so a spec that uses the column is refused with `FILE: line L, column C: reason`
 * (table.ts) while the other columns may hold anything.
 *
 * The file itself is refused (CsvError, with its line and column; the header is line 1) when it is
 * empty, is not UTF-8 text, has no data row, repeats a column name, has a row with more or fewer
 * fields than the header, or a quote that is not closed. Blank lines are skipped. The delimiter is a comma, or a
 * semicolon or tab when the header has one of those and no comma outside its quoted names, or the one a first line
 * `sep=X` names (Excel's; then the header is line 2).
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { type CellIssue, type ColumnInfo, MAX_CLASSES, type Table } from '../trainer/table';

/** Files larger than this are refused (a table is held in memory as numbers: about its size again). */
export const MAX_CSV_BYTES = 1024 ** 3;

/** A file that cannot be a table: where (line, column; null when it concerns a whole line) and why. */
export class CsvError extends Error {
  constructor(
    readonly line: number,
    readonly column: number | null,
    readonly detail: string,
  ) {
    super(column === null ? `line ${line}: ${detail}` : `line ${line}, column ${column}: ${detail}`);
    this.name = 'CsvError';
  }

  /** `FILE: line L, column C: reason`. */
  inFile(file: string): string {
    return `${file}: ${this.message}`;
  }
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
const NOT_FINITE = /^[+-]?(nan|inf|infinity)$/i;
const DECIMAL_COMMA = /^[+-]?\d+,\d+$/;
const THOUSANDS = /^[+-]?\d{1,3}(,\d{3})+$/;

/** A cell's text as a message quotes it (long text cut). */
function quoted(text: string): string {
  const t = text.length > 40 ? `${text.slice(0, 37)}…` : text;
  return `'${t.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}'`;
}

/** Why a non-empty cell is not a finite number, or null when it is one (then `out.value` holds it). */
function numberOf(text: string, out: { value: number }): string | null {
  if (NUMBER.test(text)) {
    const v = Number(text);
    if (Number.isFinite(v)) {
      out.value = v;
      return null;
    }
    return `${quoted(text)} is too large for a float64 number`;
  }
  if (NOT_FINITE.test(text)) return `${quoted(text)} is not a finite number`;
  // 1,000: a thousands separator (a quoted cell of a comma-separated file) or a decimal comma, who can say
  if (THOUSANDS.test(text)) {
    const plain = text.replace(/,/g, '');
    return /^[+-]?\d+,\d{3}$/.test(text)
      ? `${quoted(text)} is not a number (a thousands separator or a decimal comma? nnlab reads neither: write ${plain}, or ${text.replace(',', '.')})`
      : `${quoted(text)} is not a number (thousands separators? nnlab reads none: write ${plain})`;
  }
  // a spreadsheet's export in a locale that writes 1,5 for 1.5 (with ; between the fields)
  if (DECIMAL_COMMA.test(text)) return `${quoted(text)} is not a number (a decimal comma? nnlab reads a decimal point: ${text.replace(',', '.')})`;
  return `${quoted(text)} is not a number`;
}

/** Doubling buffers of numbers and class codes, one per column. */
class ColumnBuilder {
  values = new Float64Array(1024);
  codes: Uint16Array | null = new Uint16Array(1024);
  classes: Map<string, number> | null = new Map();
  distinct = 0;
  notNumber: CellIssue | null = null;
  empty: CellIssue | null = null;
  min = Infinity;
  max = -Infinity;
  private readonly scratch = { value: 0 };

  constructor(
    readonly name: string,
    readonly column: number,
  ) {}

  add(row: number, text: string, line: number): void {
    if (row === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
      if (this.codes) {
        const c = new Uint16Array(this.codes.length * 2);
        c.set(this.codes);
        this.codes = c;
      }
    }
    if (text === '') {
      this.empty ??= { line, column: this.column, reason: 'the value is empty' };
      this.notNumber ??= this.empty;
      this.values[row] = NaN;
    } else {
      const why = numberOf(text, this.scratch);
      if (why === null) {
        const v = this.scratch.value;
        this.values[row] = v;
        if (v < this.min) this.min = v;
        if (v > this.max) this.max = v;
      } else {
        this.notNumber ??= { line, column: this.column, reason: why };
        this.values[row] = NaN;
      }
    }
    if (this.classes && this.codes) {
      let code = this.classes.get(text);
      if (code === undefined) {
        code = this.distinct++;
        if (this.distinct > MAX_CLASSES) {
          // not a set of classes: stop keeping them
          this.classes = null;
          this.codes = null;
          return;
        }
        this.classes.set(text, code);
      }
      this.codes[row] = code;
    }
  }

  /** The column's description and values for `rows` rows: classes sorted, codes renumbered to match. */
  finish(rows: number): { info: ColumnInfo; values: Float64Array | null; codes: Uint16Array | null } {
    const numeric = this.notNumber === null && rows > 0;
    let classes: string[] | null = null;
    let codes: Uint16Array | null = null;
    if (this.classes && this.codes) {
      const seen = [...this.classes.keys()];
      const allNumbers = seen.every((t) => t !== '' && NUMBER.test(t) && Number.isFinite(Number(t)));
      const order = seen.map((t, code) => ({ t, code }));
      // by value when every class is a number (2 before 10), else by code point (deterministic, locale-free)
      order.sort(allNumbers ? (a, b) => Number(a.t) - Number(b.t) || (a.t < b.t ? -1 : a.t > b.t ? 1 : 0) : (a, b) => (a.t < b.t ? -1 : a.t > b.t ? 1 : 0));
      const renumber = new Uint16Array(seen.length);
      order.forEach((o, i) => (renumber[o.code] = i));
      classes = order.map((o) => o.t);
      codes = new Uint16Array(rows);
      for (let r = 0; r < rows; r++) codes[r] = renumber[this.codes[r]];
    }
    return {
      info: {
        name: this.name,
        notNumber: this.notNumber,
        empty: this.empty,
        classes,
        distinct: this.classes ? this.distinct : MAX_CLASSES + 1,
        min: numeric ? this.min : null,
        max: numeric ? this.max : null,
      },
      values: numeric ? this.values.slice(0, rows) : null,
      codes,
    };
  }
}

/** Excel's first line naming the delimiter (`sep=;`), which is no row of the table. */
const SEP_LINE = /^\uFEFF?sep=(.)[ \t]*$/i;

/**
 * The delimiter of a file whose first lines are `head`: the one a first line `sep=X` names (then
 * the header is line 2), else a comma, or else a semicolon or tab the header line has, quoted names
 * left out (`"a,x";b` is separated by semicolons).
 */
function delimiterOf(head: string): { delimiter: string; sepLine: boolean } {
  const lines = head.split(/\r\n|\n|\r/);
  const sep = SEP_LINE.exec(lines[0] ?? '');
  if (sep && lines.length > 1) return { delimiter: sep[1], sepLine: true };
  const line = (lines[0] ?? '').replace(/"[^"]*"/g, '');
  const delimiter = line.includes(',') ? ',' : line.includes(';') ? ';' : line.includes('\t') ? '\t' : ',';
  return { delimiter, sepLine: false };
}

/** Line breaks inside a record's fields (each \r\n counts once). */
function breaksIn(record: readonly string[]): number {
  let n = 0;
  for (const f of record) {
    if (f.length === 0) continue;
    for (let i = 0; i < f.length; i++) {
      const c = f.charCodeAt(i);
      if (c === 10) n++;
      else if (c === 13 && f.charCodeAt(i + 1) !== 10) n++;
    }
  }
  return n;
}

/**
 * Reads a CSV stream into a table (see the file header). `name` is the file's name as the data
 * set is called. Rejects with CsvError for a file that cannot be a table.
 */
export function readCsv(source: Readable, name: string, maxBytes: number = MAX_CSV_BYTES): Promise<Table> {
  return new Promise<Table>((resolve, reject) => {
    const hash = createHash('sha256');
    let bytes = 0;
    let parser: ReturnType<typeof parse> | null = null;
    let header: string[] | null = null;
    let columns: ColumnBuilder[] = [];
    let rows = 0;
    /** The line the next record starts on (1-based; the header is line 1). */
    let line = 1;
    let failed = false;
    const pending: Buffer[] = [];

    const fail = (e: unknown) => {
      if (failed) return;
      failed = true;
      source.destroy();
      parser?.destroy();
      reject(e);
    };

    const onRecord = (record: string[]) => {
      if (failed) return;
      const at = line;
      line += 1 + breaksIn(record);
      // bytes that are not UTF-8 (a Latin-1 or Windows-1252 export) were decoded as U+FFFD: the names
      // and classes would be stored as 'temp�rature', so the file is refused where it first happens
      for (let c = 0; c < record.length; c++) {
        if (record[c].includes('\uFFFD')) throw new CsvError(at, c + 1, `${quoted(record[c])} is not UTF-8 text (a Latin-1 or Windows-1252 file? save it as UTF-8)`);
      }
      if (!header) {
        if (record.length === 1 && record[0] === '') return; // blank lines before the header
        const seen = new Map<string, number>();
        record.forEach((n, i) => {
          const before = seen.get(n);
          if (n !== '' && before !== undefined) throw new CsvError(at, i + 1, `column name '${n}' repeats column ${before + 1}'s${record.every(isNumberText) ? ' (the first line is read as the header, and this one holds numbers: add a header row naming the columns)' : ''}`);
          seen.set(n, i);
        });
        header = record;
        columns = record.map((n, i) => new ColumnBuilder(n, i + 1));
        return;
      }
      if (record.length === 1 && record[0] === '' && header.length > 1) return; // a blank line
      if (record.length !== header.length) {
        const column = Math.min(record.length, header.length) + 1;
        throw new CsvError(at, column, `${record.length} field${record.length === 1 ? '' : 's'} where the header has ${header.length}`);
      }
      for (let c = 0; c < record.length; c++) columns[c].add(rows, record[c], at);
      rows++;
    };

    const start = (first: Buffer) => {
      const { delimiter, sepLine } = delimiterOf(first.toString('utf8', 0, Math.min(first.length, 65536)));
      if (sepLine) line = 2;
      parser = parse({ bom: true, relax_column_count: true, trim: true, delimiter, from_line: sepLine ? 2 : 1, record_delimiter: ['\r\n', '\n', '\r'] });
      parser.on('data', (record: string[]) => {
        try {
          onRecord(record);
        } catch (e) {
          fail(e);
        }
      });
      parser.on('error', (e: Error & { code?: string; lines?: number; column?: number }) => {
        if (e.code === 'CSV_QUOTE_NOT_CLOSED') fail(new CsvError(line, typeof e.column === 'number' ? e.column + 1 : null, 'a quoted field is not closed (a " opens it and no " ends it)'));
        else if (e.code === 'INVALID_OPENING_QUOTE') fail(new CsvError(e.lines ?? line, typeof e.column === 'number' ? e.column + 1 : null, 'a " inside a field that is not quoted (put the whole field in quotes and write the " as "")'));
        else if (e.code === 'CSV_INVALID_CLOSING_QUOTE' || e.code === 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE') fail(new CsvError(e.lines ?? line, typeof e.column === 'number' ? e.column + 1 : null, 'a quoted field goes on after its closing quote (write a " inside quotes as "")'));
        else fail(new CsvError(e.lines ?? line, null, `cannot be read as CSV: ${e.message}`));
      });
      parser.on('end', () => {
        if (failed) return;
        if (!header) return fail(new CsvError(1, null, 'the file is empty: a CSV needs a header row and at least one data row'));
        if (rows === 0) return fail(new CsvError(2, null, 'no data rows after the header'));
        const done = columns.map((c) => c.finish(rows));
        resolve({ name, sha256: hash.digest('hex'), bytes, rows, columns: done.map((d) => d.info), values: done.map((d) => ({ values: d.values, codes: d.codes })) });
      });
    };

    source.on('data', (chunk: Buffer) => {
      if (failed) return;
      bytes += chunk.length;
      if (bytes > maxBytes) return fail(new CsvError(line, null, `the file is larger than ${Math.round(maxBytes / 1024 / 1024).toLocaleString('en-US')} MB, the most nnlab reads`));
      hash.update(chunk);
      if (!parser) {
        pending.push(chunk);
        // the delimiter is sniffed from the header line: wait for its end (or 64 kB)
        const head = Buffer.concat(pending);
        if (!/[\r\n]/.test(head.toString('utf8', 0, Math.min(head.length, 65536))) && head.length < 65536) return;
        pending.length = 0;
        start(head);
        parser!.write(head);
        return;
      }
      if (!parser.write(chunk)) {
        source.pause();
        parser.once('drain', () => source.resume());
      }
    });
    source.on('error', (e: NodeJS.ErrnoException) => fail(new CsvError(line, null, `cannot be read: ${e.code === 'ENOENT' ? 'no such file' : e.code === 'EISDIR' ? 'it is a folder' : e.code === 'EACCES' ? 'permission denied' : e.message}`)));
    source.on('end', () => {
      if (failed) return;
      if (!parser) {
        const head = Buffer.concat(pending);
        if (head.length === 0 || head.toString('utf8').trim() === '') return fail(new CsvError(1, null, 'the file is empty: a CSV needs a header row and at least one data row'));
        start(head);
        parser!.write(head);
      }
      parser!.end();
    });
  });
}

/** A header cell that reads as a number: a file without a header row has its first data row there. */
const isNumberText = (cell: string): boolean => cell.trim() !== '' && Number.isFinite(Number(cell));

/** Reads a CSV file (see readCsv); the data set is called by the file's name. */
export function readCsvFile(path: string, maxBytes?: number): Promise<Table> {
  return readCsv(createReadStream(path, { highWaterMark: 1 << 20 }), basename(path), maxBytes);
}

/** sha256 of a file's bytes, read as a stream (to find a data set already stored before reading it again). */
export function hashFile(path: string): Promise<{ sha256: string; bytes: number }> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    let bytes = 0;
    createReadStream(path, { highWaterMark: 1 << 20 })
      .on('data', (c: Buffer | string) => {
        const b = typeof c === 'string' ? Buffer.from(c) : c;
        bytes += b.length;
        hash.update(b);
      })
      .on('error', (e: NodeJS.ErrnoException) => reject(new CsvError(1, null, `cannot be read: ${e.code === 'ENOENT' ? 'no such file' : e.code === 'EISDIR' ? 'it is a folder' : e.message}`)))
      .on('end', () => resolve({ sha256: hash.digest('hex'), bytes }));
  });
}
