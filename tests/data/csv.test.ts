/**
 * The CSV reader (data/csv.ts) and the table checks a spec meets (trainer/table.ts): quoted
 * fields, header, delimiters and line ends read as RFC 4180 says; every refusal says the line and
 * column (the header is line 1); the content hash is the file's sha256; a big file is streamed.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { CsvError, readCsv, readCsvFile } from '../../src-main/data/csv';
import { parseRunSpec, SpecError } from '../../src-main/trainer/spec';
import { DataError, type Table } from '../../src-main/trainer/table';
import { resolveSpecTask } from '../../src-main/trainer/task-resolve';

/** A CSV text as a stream of small chunks (so records cross chunk boundaries). */
function stream(text: string | Buffer, chunk = 7): Readable {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  const parts: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunk) parts.push(bytes.subarray(i, i + chunk));
  return Readable.from(parts);
}

const read = (text: string | Buffer, chunk?: number) => readCsv(stream(text, chunk), 'data.csv');

async function csvError(text: string): Promise<CsvError> {
  try {
    await read(text);
  } catch (e) {
    if (e instanceof CsvError) return e;
    throw e;
  }
  throw new Error(`${JSON.stringify(text)} was read`);
}

/** The error of a spec over a table, as the CLI writes it. */
function specOver(table: Table, input: Record<string, unknown>): string {
  const data = { table: (sha: string) => (sha === table.sha256 ? table : undefined) };
  try {
    parseRunSpec({ task: 'csv', dataset: table.sha256, ...input }, { data });
  } catch (e) {
    if (e instanceof DataError) return e.inFile('data.csv');
    if (e instanceof SpecError) return e.message;
    throw e;
  }
  return 'accepted';
}

describe('data/csv: reading', () => {
  it('reads a header row, quoted fields (commas, doubled quotes, line breaks inside), a BOM and any line end', async () => {
    const text = '\ufeff"a","b, c",label\r\n1,"2.5",yes\n"-3e2",4,"say ""no"""\r5,6,"two\nlines"\n';
    const t = await read(text, 3);
    expect(t.columns.map((c) => c.name)).toEqual(['a', 'b, c', 'label']);
    expect(t.rows).toBe(3);
    expect(Array.from(t.values[0].values!)).toEqual([1, -300, 5]);
    expect(Array.from(t.values[1].values!)).toEqual([2.5, 4, 6]);
    expect(t.columns[2].classes).toEqual(['say "no"', 'two\nlines', 'yes']);
    expect(Array.from(t.values[2].codes!)).toEqual([2, 0, 1]);
    expect(t.sha256).toBe(createHash('sha256').update(Buffer.from(text, 'utf8')).digest('hex'));
    expect(t.bytes).toBe(Buffer.byteLength(text));
  });

  it('sorts numeric classes by value and keeps a column of text as classes only', async () => {
    const t = await read('x,k\n1,10\n2,2\n3,10\n4,1\n');
    expect(t.columns[1].classes).toEqual(['1', '2', '10']);
    expect(Array.from(t.values[1].codes!)).toEqual([2, 1, 2, 0]);
  });

  it('takes a semicolon or tab as the delimiter when the header has no comma', async () => {
    expect((await read('a;b\n1;2\n')).values[1].values![0]).toBe(2);
    expect((await read('a\tb\n1\t2\n')).values[1].values![0]).toBe(2);
  });

  it('refuses a file that cannot be a table, with its line and column', async () => {
    expect((await csvError('')).message).toBe('line 1: the file is empty: a CSV needs a header row and at least one data row');
    expect((await csvError('a,b\n')).message).toBe('line 2: no data rows after the header');
    expect((await csvError('a,b,c\n1,2,3\n4,5\n')).message).toBe('line 3, column 3: 2 fields where the header has 3');
    expect((await csvError('a,b\n1,2\n3,4,5\n')).message).toBe('line 3, column 3: 3 fields where the header has 2');
    // a quoted line break moves the lines that follow
    expect((await csvError('a,b\n"x\ny",2\n3\n')).message).toBe('line 4, column 2: 1 field where the header has 2');
    expect((await csvError('a,a\n1,2\n')).message).toBe("line 1, column 2: column name 'a' repeats column 1's");
    // a file without a header row: its first data row is read as the header
    expect((await csvError('0,0,1\n1,2,0\n')).message).toBe("line 1, column 2: column name '0' repeats column 1's (the first line is read as the header, and this one holds numbers: add a header row naming the columns)");
    expect((await csvError('a,b\n1,"2\n')).message).toMatch(/^line 2, column \d+: a quoted field is not closed/);
  });

  it('names the column of a stray quote inside a field that is not quoted, and what to write instead', async () => {
    expect((await csvError('a,b,y\n1,2,3\n4,5",6\n')).message).toBe('line 3, column 2: a " inside a field that is not quoted (put the whole field in quotes and write the " as "")');
  });

  it('sniffs the delimiter outside quoted header names: a ;-separated file with a comma in a quoted name', async () => {
    const t = await read('"a,x";b;y\n1;2;3\n4;5;6\n');
    expect(t.columns.map((c) => c.name)).toEqual(['a,x', 'b', 'y']);
    expect(Array.from(t.values[2].values!)).toEqual([3, 6]);
  });

  it('takes the delimiter from a first line sep=; (as Excel writes it), counting it as line 1', async () => {
    for (const chunk of [1, 7, 1 << 20]) {
      const t = await read('sep=;\r\na;b\r\n1;2\r\n3;4\r\n', chunk);
      expect(t.columns.map((c) => c.name)).toEqual(['a', 'b']);
      expect(Array.from(t.values[1].values!)).toEqual([2, 4]);
    }
    expect((await read('sep=,\na;b,c\n1,2\n')).columns.map((c) => c.name)).toEqual(['a;b', 'c']);
    expect((await csvError('sep=,\na,b\n1,2\n3\n')).message).toBe('line 4, column 2: 1 field where the header has 2');
  });

  it('refuses a file that is not UTF-8, naming its first cell that is not, in chunks of any size, instead of keeping mangled names (a Latin-1 "température" read "temp\uFFFDrature")', async () => {
    const refused = async (bytes: Buffer, chunk?: number) => {
      try {
        await read(bytes, chunk);
      } catch (e) {
        if (e instanceof CsvError) return e.message;
        throw e;
      }
      return 'read';
    };
    const says = (where: string, cell: string) => `${where}: '${cell}' is not UTF-8 text (a Latin-1 or Windows-1252 file? save it as UTF-8)`;
    const latin1 = Buffer.from('température,y\n1,2\n3,4\n', 'latin1');
    for (const chunk of [1, 7, 1 << 20]) expect(await refused(latin1, chunk)).toBe(says('line 1, column 1', 'temp\uFFFDrature'));
    // further down, across chunks and \r\n line ends split between two chunks
    for (const chunk of [1, 3, 7, 64]) expect(await refused(Buffer.from('x,label\r\n1,ok\r\n2,ok\r\n3,caf\u00e9\r\n', 'latin1'), chunk)).toBe(says('line 4, column 2', 'caf\uFFFD'));
    // a file that ends inside a character
    expect(await refused(Buffer.concat([Buffer.from('x,y\n1,2\n3,'), Buffer.from([0xe2, 0x82])]))).toBe(says('line 3, column 2', '\uFFFD'));
    // the same file in UTF-8 reads, its characters cut between chunks
    for (const chunk of [1, 3]) expect((await read(Buffer.from('température,y\n1,2\n3,4\n', 'utf8'), chunk)).columns.map((c) => c.name)).toEqual(['température', 'y']);
  });

  it('says where each column stops being numbers, and a spec that uses the column is refused there', async () => {
    const t = await read('a,b,c,d\n1,2,3,x\n4,NaN,6,y\n7,inf,,x\n1e999,5,6,y\n');
    expect(specOver(t, { inputColumns: ['b'], targetColumns: ['d'] })).toBe("data.csv: line 3, column 2: b: 'NaN' is not a finite number");
    expect(specOver(t, { inputColumns: ['c'], labelColumn: 'd' })).toBe('data.csv: line 4, column 3: c: the value is empty');
    expect(specOver(t, { inputColumns: ['a'], labelColumn: 'd' })).toBe("data.csv: line 5, column 1: a: '1e999' is too large for a float64 number");
    expect(specOver(t, { inputColumns: ['d'], labelColumn: 'c' })).toBe("data.csv: line 2, column 4: d: 'x' is not a number");
    expect(specOver(t, { inputColumns: ['a', 'zz'], labelColumn: 'd' })).toBe("data.csv: line 1: no column named 'zz' (the header has a, b, c, d)");
  });

  it('says a number with a comma may be a thousands separator as well as a decimal comma ("1,000" read "a decimal comma? … 1.000")', async () => {
    const t = await read('a,b,y\n1,"1,000",2\n2,"1,5",3\n');
    expect(specOver(t, { inputColumns: ['b'], targetColumns: ['y'] })).toBe("data.csv: line 2, column 2: b: '1,000' is not a number (a thousands separator or a decimal comma? nnlab reads neither: write 1000, or 1.000)");
    const u = await read('a;b;y\n1;2,5;2\n2;1,5;3\n');
    expect(specOver(u, { inputColumns: ['b'], targetColumns: ['y'] })).toBe("data.csv: line 2, column 2: b: '2,5' is not a number (a decimal comma? nnlab reads a decimal point: 2.5)");
  });

  it('refuses a label column of one class, and a choice of columns that is not a task', async () => {
    const t = await read('a,b,k\n1,2,x\n3,4,x\n5,6,x\n');
    expect(specOver(t, { inputColumns: ['a'], labelColumn: 'k' })).toBe("data.csv: line 2, column 3: label column 'k' has one class ('x'): classification needs at least two");
    expect(specOver(t, { inputColumns: ['a'], targetColumns: ['b'], labelColumn: 'k' })).toMatch(/^labelColumn: give target columns \(regression\) or a label column \(classification\), not both/);
    expect(specOver(t, { inputColumns: ['a'] })).toMatch(/^targetColumns: give target columns/);
    // the message read "column 'a' is already used as in inputColumns", "… already used as one of the same"
    expect(specOver(t, { inputColumns: ['a'], targetColumns: ['a'] })).toBe("targetColumns: column 'a' is already an input (inputColumns): a column is an input or a target, not both");
    expect(specOver(t, { inputColumns: ['a'], targetColumns: ['b', 'b'] })).toBe("targetColumns: column 'b' is named twice");
    expect(specOver(t, { inputColumns: ['a'], targetColumns: ['b'] })).toBe('accepted');
  });

  it('says a target column of classes is a label (it said only "cls: \'neg\' is not a number")', async () => {
    const t = await read('a,b,cls\n1,2,neg\n3,4,pos\n5,6,neg\n7,8,pos\n');
    expect(specOver(t, { inputColumns: ['a'], targetColumns: ['cls'] })).toBe("data.csv: line 2, column 3: cls: 'neg' is not a number (a column of 2 classes: classify on it as the label column, labelColumn)");
    expect(specOver(t, { inputColumns: ['cls'], targetColumns: ['a'] })).toBe("data.csv: line 2, column 3: cls: 'neg' is not a number");
    // values that do not repeat are no classes; a decimal comma keeps its own hint
    const u = await read('a;b\n1;2,5\n3;1,5\n5;2,5\n7;4,5\n');
    expect(specOver(u, { inputColumns: ['a'], targetColumns: ['b'] })).toBe("data.csv: line 2, column 2: b: '2,5' is not a number (a decimal comma? nnlab reads a decimal point: 2.5)");
    const v = await read('a,name\n1,ann\n2,bob\n3,cy\n');
    expect(specOver(v, { inputColumns: ['a'], targetColumns: ['name'] })).toBe("data.csv: line 2, column 2: name: 'ann' is not a number");
  });

  it('refuses a label column with fewer than 2 rows per class (a continuous column as a label trained 60 classes of one row each: "test accuracy 0.0 %, vs 0.0 %")', async () => {
    const rows = Array.from({ length: 20 }, (_, i) => `${i},${(i * 0.37).toFixed(2)},${i % 2 ? 'odd' : 'even'}`);
    const t = await read(`a,y,k\n${rows.join('\n')}\n`);
    expect(specOver(t, { inputColumns: ['a'], labelColumn: 'y' })).toBe("data.csv: line 2, column 2: label column 'y' has 20 distinct values in 20 rows: fewer than 2 rows per class, so most test points' classes are never trained on; a column of numbers is a regression target (targetColumns)");
    expect(specOver(t, { inputColumns: ['a'], labelColumn: 'k' })).toBe('accepted');
  });

  it('refuses target columns that hold one number in every row (was trained: r² −9.3e24 against a constant predictor that is exact)', async () => {
    const t = await read('a,b,k,y\n1,2,3,x\n3,4,3,y\n5,6,3,x\n7,8,3,y\n');
    expect(specOver(t, { inputColumns: ['a'], targetColumns: ['k'] })).toBe("targetColumns: column 'k' holds one number (3) in every row: there is nothing to learn (the best constant predictor is exact, so no r² can be computed); choose a target that varies");
    expect(specOver(t, { inputColumns: ['a'], targetColumns: ['k', 'b'] })).toBe('accepted');
    expect(specOver(t, { inputColumns: ['k'], targetColumns: ['b'] })).toBe('accepted');
  });

  it('makes a task: inputs and one-hot classes from the chosen columns, split by the data seed, standardised over the training part', async () => {
    const rows = Array.from({ length: 40 }, (_, i) => `${i},${i * 10},${i % 3 === 0 ? 'red' : 'blue'}`);
    const t = await read(`u,v,colour\n${rows.join('\n')}\n`);
    const data = { table: (sha: string) => (sha === t.sha256 ? t : undefined) };
    const spec = parseRunSpec({ task: 'csv', dataset: t.sha256, inputColumns: ['v', 'u'], labelColumn: 'colour', trainFraction: 0.75, standardize: true }, { data });
    expect(spec.shape).toEqual([2, 16, 2]);
    expect(spec).toMatchObject({ loss: 'cross-entropy', outputActivation: 'softmax' });
    const task = resolveSpecTask(spec, { table: t });
    expect(task.kind).toBe('classification');
    expect(task.outputNames).toEqual(['blue', 'red']);
    expect(task.train!.count).toBe(30);
    expect(task.test.count).toBe(10);
    // every row once, as (v, u) with its class
    const seen = new Set<number>();
    const mean = [0, 0];
    for (const d of [task.train!, task.test]) {
      for (let r = 0; r < d.count; r++) {
        const [v, u] = [d.inputs[2 * r], d.inputs[2 * r + 1]];
        if (d === task.train) {
          mean[0] += v / 30;
          mean[1] += u / 30;
        }
        seen.add(Math.round(v * 1e9) / 1e9);
        // both inputs are one row's u and 10·u, scaled by the same kind of map: their standard scores agree
        expect(u).toBeCloseTo(v, 10);
      }
    }
    expect(seen.size).toBe(40);
    expect(mean[0]).toBeCloseTo(0, 12);
    expect(mean[1]).toBeCloseTo(0, 12);
    // the same seed splits the same way; another splits otherwise
    expect(resolveSpecTask(spec, { table: t }).test.inputs).toEqual(task.test.inputs);
    const other = parseRunSpec({ ...spec, dataSeed: spec.dataSeed + 1 }, { data });
    expect(resolveSpecTask(other, { table: t }).test.inputs).not.toEqual(task.test.inputs);
  });

  it('refuses a table that is not the one the spec names', async () => {
    const t = await read('a,b\n1,2\n3,4\n5,6\n');
    const spec = parseRunSpec({ task: 'csv', dataset: 'a'.repeat(64), inputColumns: ['a'], targetColumns: ['b'], shape: [1, 4, 1] });
    expect(() => resolveSpecTask(spec, { table: t })).toThrow(`the spec names data set ${'a'.repeat(64)}, but data.csv is ${t.sha256}`);
  });

  it('streams a 10 MB file with a hash over its bytes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nnlab-csv-'));
    const file = join(dir, 'big.csv');
    const lines = ['x1,x2,x3,y'];
    for (let i = 0; lines.length < 300_000; i++) lines.push(`${(i * 0.001).toFixed(3)},${Math.sin(i).toFixed(6)},${i % 7},${(i * 1e-3) ** 2}`);
    const text = `${lines.join('\n')}\n`;
    writeFileSync(file, text);
    expect(text.length).toBeGreaterThan(10e6);
    const t = await readCsvFile(file);
    expect(t.rows).toBe(299_999);
    expect(t.name).toBe('big.csv');
    expect(t.values[2].values![8]).toBe(1);
    expect(t.columns[2].classes).toEqual(['0', '1', '2', '3', '4', '5', '6']);
    expect(t.columns[0].classes).toBeNull();
    expect(t.sha256).toBe(createHash('sha256').update(text).digest('hex'));
  });
});
