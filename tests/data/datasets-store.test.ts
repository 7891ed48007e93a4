/**
 * Data sets in the database (db/datasets.ts, migration v9): stored once by content hash, read back
 * bit for bit (only the columns asked for), never changed, and kept while a run names them. And
 * the IDX reader Fashion-MNIST's files go through (data/idx.ts).
 */
import { gzipSync } from 'node:zlib';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readCsv } from '../../src-main/data/csv';
import { gunzipIfNeeded, IdxError, readIdx, writeIdx } from '../../src-main/data/idx';
import { openDatabase } from '../../src-main/db/open';
import { RunStore } from '../../src-main/db/store';
import { parseRunSpec } from '../../src-main/trainer/spec';
import { tempDir } from '../db/helpers';
import path from 'node:path';

const csv = 'x,y,k\n0.1,-2.5e-300,a\n1e300,5,b\n-0,7,a\n';

async function stored() {
  const store = new RunStore(openDatabase(path.join(tempDir(), 'd.sqlite')));
  const table = await readCsv(Readable.from([Buffer.from(csv)]), 'd.csv');
  return { store, table };
}

describe('db/datasets', () => {
  it('stores a table once by its hash and reads its columns back bit for bit', async () => {
    const { store, table } = await stored();
    expect(store.datasets.put(table)).toEqual({ id: 1, created: true });
    expect(store.datasets.put(table)).toEqual({ id: 1, created: false });
    const back = store.datasets.table(table.sha256)!;
    expect(back.values[0].values).toEqual(table.values[0].values);
    expect(Object.is(back.values[0].values![2], -0)).toBe(true);
    expect(back.values[1].values![0]).toBe(-2.5e-300);
    expect(Array.from(back.values[2].codes!)).toEqual([0, 1, 0]);
    // the description is JSON (its -0 minimum reads back as 0); the values are the bits
    expect(back.columns).toEqual(JSON.parse(JSON.stringify(table.columns)));
    const some = store.datasets.table(table.sha256, ['y'])!;
    expect(some.values[0]).toEqual({ values: null, codes: null });
    expect(some.values[1].values).toEqual(table.values[1].values);
    expect(store.datasets.list()).toMatchObject([{ sha256: table.sha256, name: 'd.csv', rows: 3, runs: 0 }]);
    expect(store.datasets.table('0'.repeat(64))).toBeUndefined();
    store.close();
  });

  it('never changes a data set, and keeps one while a run names it', async () => {
    const { store, table } = await stored();
    store.datasets.put(table);
    expect(() => store.db.prepare("UPDATE datasets SET name = 'other'").run()).toThrow(/a data set never changes/);
    expect(() => store.db.prepare('UPDATE dataset_columns SET numbers = NULL').run()).toThrow(/a data set never changes/);
    const spec = parseRunSpec({ task: 'csv', dataset: table.sha256, inputColumns: ['x'], labelColumn: 'k', shape: [1, 4, 2], batches: 5 });
    const [id] = store.createRuns([spec]);
    expect(store.datasets.list()[0].runs).toBe(1);
    expect(() => store.datasets.delete(table.sha256)).toThrow(/1 run was trained on data set/);
    expect(() => store.db.prepare('DELETE FROM datasets').run()).toThrow(/runs were trained on this data set/);
    store.deleteRun(id);
    expect(store.datasets.delete(table.sha256)).toBe(true);
    expect(store.datasets.list()).toEqual([]);
    store.close();
  });
});

describe('data/idx', () => {
  it('reads unsigned-byte IDX arrays, gzipped or not, and refuses a damaged one naming the file', () => {
    const data = Uint8Array.from({ length: 2 * 3 * 4 }, (_, i) => i * 10);
    const bytes = writeIdx([2, 3, 4], data);
    expect(readIdx(bytes, 'f')).toEqual({ dims: [2, 3, 4], data });
    expect(Uint8Array.from(readIdx(gunzipIfNeeded(gzipSync(bytes), 'f.gz'), 'f.gz').data)).toEqual(data);
    expect(() => readIdx(bytes.subarray(0, bytes.length - 1), 'f')).toThrow(new IdxError('f: 23 bytes of values, where dimensions [2, 3, 4] need 24'));
    const wrongType = bytes.slice();
    wrongType[2] = 0x0d;
    expect(() => readIdx(wrongType, 'f')).toThrow(/only unsigned bytes \(0x08\)/);
    expect(() => readIdx(Uint8Array.from([1, 2, 3, 4]), 'f')).toThrow(/not an IDX file/);
    expect(() => gunzipIfNeeded(gzipSync(bytes).subarray(0, 20), 'f.gz')).toThrow(/f\.gz: the gzip data is damaged/);
  });
});
