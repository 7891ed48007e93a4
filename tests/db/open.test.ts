import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { APPLICATION_ID, defaultDatabasePath, openDatabase, RunStore, SCHEMA_VERSION, StoreError, type StoreErrorCode } from '../../src-main/db';
import { integrityCheckOf } from '../../src-main/db/open';
import { recordFile, SETTLED_MS } from '../../src-main/db/clean-checks';
import { sha256, tempDir, train } from './helpers';

const require = createRequire(import.meta.url);

/** An nnlab database with some finished runs, closed (WAL checkpointed into the file). */
function nnlabFile(dir: string, runs = 30): string {
  const file = path.join(dir, 'runs.sqlite');
  const store = RunStore.open(file);
  const { spec, result } = train({ batches: 200 });
  for (let i = 0; i < runs; i++) store.finishRun(store.createRun({ ...spec, initSeed: i + 1 }), result);
  store.close();
  expect(fs.existsSync(`${file}-wal`)).toBe(false);
  return file;
}

function expectRefused(file: string, code: StoreErrorCode, message: RegExp): StoreError {
  const hash = sha256(file);
  const siblings = fs.readdirSync(path.dirname(file)).sort();
  let error: unknown;
  try {
    openDatabase(file).close();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(StoreError);
  const e = error as StoreError;
  expect(e.code).toBe(code);
  expect(e.file).toBe(file);
  expect(e.message).toContain(file);
  expect(e.message).toMatch(message);
  expect(sha256(file)).toBe(hash);
  if (code === 'not-sqlite' || code === 'not-nnlab') {
    // another program's file: SQLite never opened it, so no -wal/-shm files appeared beside it
    expect(fs.readdirSync(path.dirname(file)).sort()).toEqual(siblings);
  }
  // the read-only check is also what a read-only open does
  expect(() => openDatabase(file, { readonly: true })).toThrow(StoreError);
  expect(sha256(file)).toBe(hash);
  return e;
}

describe('db/location', () => {
  const home = '/home/ada';
  it('uses NNLAB_DB when set, resolved against the working directory', () => {
    expect(defaultDatabasePath({ env: { NNLAB_DB: '/data/x.sqlite' }, platform: 'linux', home })).toBe('/data/x.sqlite');
    expect(defaultDatabasePath({ env: { NNLAB_DB: 'x.sqlite' }, platform: 'linux', home, cwd: '/work' })).toBe(path.resolve('/work', 'x.sqlite'));
  });
  it("uses Electron's userData directory for an app named nnlab", () => {
    expect(defaultDatabasePath({ env: {}, platform: 'linux', home })).toBe('/home/ada/.config/nnlab/nnlab.sqlite');
    expect(defaultDatabasePath({ env: { XDG_CONFIG_HOME: '/xdg' }, platform: 'linux', home })).toBe('/xdg/nnlab/nnlab.sqlite');
    expect(defaultDatabasePath({ env: { XDG_CONFIG_HOME: 'relative' }, platform: 'linux', home })).toBe('/home/ada/.config/nnlab/nnlab.sqlite');
    expect(defaultDatabasePath({ env: {}, platform: 'darwin', home: '/Users/ada' })).toBe('/Users/ada/Library/Application Support/nnlab/nnlab.sqlite');
    expect(defaultDatabasePath({ env: { APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' }, platform: 'win32', home: 'C:\\Users\\ada' })).toBe(
      'C:\\Users\\ada\\AppData\\Roaming\\nnlab\\nnlab.sqlite',
    );
    expect(defaultDatabasePath({ env: {}, platform: 'win32', home: 'C:\\Users\\ada' })).toBe('C:\\Users\\ada\\AppData\\Roaming\\nnlab\\nnlab.sqlite');
  });
});

describe('db/open', () => {
  it('creates the directory and a new database: WAL, busy timeout, foreign keys, synchronous NORMAL, newest schema', () => {
    const file = path.join(tempDir(), 'a', 'b', 'nnlab.sqlite');
    const db = openDatabase(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('synchronous', { simple: true })).toBe(1);
    expect(db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    db.close();
    // and opens again unchanged
    const again = openDatabase(file);
    expect(again.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    again.close();
  });

  it('adopts a zero-length file and an SQLite file with no schema', () => {
    const dir = tempDir();
    const zero = path.join(dir, 'zero.sqlite');
    fs.writeFileSync(zero, '');
    openDatabase(zero).close();
    const empty = path.join(dir, 'empty.sqlite');
    const raw = new Database(empty);
    raw.exec('CREATE TABLE x (a); DROP TABLE x; VACUUM');
    raw.close();
    openDatabase(empty).close();
    for (const f of [zero, empty]) {
      const db = new Database(f, { readonly: true });
      expect(db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
      db.close();
    }
  });

  it('refuses a text file, naming it, and leaves it byte-identical', () => {
    const file = path.join(tempDir(), 'notes.sqlite');
    fs.writeFileSync(file, 'These are my notes, not a database.\n'.repeat(100));
    expectRefused(file, 'not-sqlite', /not an nnlab database: it is not an SQLite file.*nnlab did not change it.*--db PATH or NNLAB_DB/);
  });

  it("refuses another program's SQLite database (rollback journal, or WAL with an application id)", () => {
    const dir = tempDir();
    const plain = path.join(dir, 'other.db');
    const a = new Database(plain);
    a.exec("CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('ada')");
    a.close();
    expectRefused(plain, 'not-nnlab', /is not an nnlab database: it is an SQLite database of another program/);

    const wal = path.join(dir, 'wal.db');
    const b = new Database(wal);
    b.pragma('journal_mode = WAL');
    b.pragma('application_id = 1234');
    b.exec("CREATE TABLE t (x); INSERT INTO t VALUES (1)");
    b.close();
    expectRefused(wal, 'not-nnlab', /application_id 0x4d2/);

    // an empty schema but a user_version: someone else's
    const versioned = path.join(dir, 'versioned.db');
    const c = new Database(versioned);
    c.pragma('user_version = 3');
    c.close();
    expectRefused(versioned, 'not-nnlab', /another program/);
  });

  it('refuses a valid nnlab database with bytes overwritten in the middle', () => {
    const file = nnlabFile(tempDir());
    const bytes = fs.readFileSync(file);
    const pageSize = bytes.readUInt16BE(16);
    const pages = bytes.length / pageSize;
    expect(pages).toBeGreaterThan(8);
    // two whole pages in the middle, and a stretch inside another page
    const mid = Math.floor(pages / 2) * pageSize;
    bytes.fill(0xa5, mid, mid + 2 * pageSize);
    bytes.fill(0x5a, mid - pageSize + 3000, mid - pageSize + 4000);
    fs.writeFileSync(file, bytes);
    const e = expectRefused(file, 'corrupt', /is damaged .*nnlab did not change it.*Restore it from a backup/);
    expect(e.message).toMatch(/malformed|quick_check/);
  });

  it('refuses a truncated nnlab database', () => {
    const dir = tempDir();
    const file = nnlabFile(dir);
    const bytes = fs.readFileSync(file);
    fs.writeFileSync(file, bytes.subarray(0, Math.floor(bytes.length / 2)));
    expectRefused(file, 'corrupt', /is damaged/);
    fs.writeFileSync(file, bytes.subarray(0, 60));
    expectRefused(file, 'not-sqlite', /not an SQLite file \(only 60 bytes\)/);
  });

  it('refuses a database from a newer nnlab with a message saying to update', () => {
    const file = nnlabFile(tempDir(), 2);
    const raw = new Database(file);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    const e = expectRefused(file, 'too-new', /newer version of nnlab .*schema version \d+; this nnlab knows versions up to \d+\)\. Update nnlab to open it/);
    expect(e.message).toContain(String(SCHEMA_VERSION + 1));
  });

  it("opens ':memory:' as a private migrated database", () => {
    const db = openDatabase(':memory:');
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
  });

  it('refuses a directory', () => {
    const dir = tempDir();
    expect(() => openDatabase(dir)).toThrow(/is not a file/);
  });

  it('opens read-only without writing, and refuses what it cannot open read-only', () => {
    const dir = tempDir();
    expect(() => openDatabase(path.join(dir, 'missing.sqlite'), { readonly: true })).toThrow(/There is no nnlab database/);
    expect(fs.existsSync(path.join(dir, 'missing.sqlite'))).toBe(false);

    const file = nnlabFile(dir, 3);
    const hash = sha256(file);
    const db = openDatabase(file, { readonly: true });
    const store = new RunStore(db);
    expect(store.listRuns()).toHaveLength(3);
    expect(store.reapOrphans()).toEqual([]);
    expect(() => store.updateRun(1, { notes: 'x' })).toThrow(/readonly/);
    store.close();
    expect(sha256(file)).toBe(hash);

    const old = path.join(dir, 'old.sqlite');
    const raw = new Database(old);
    raw.pragma(`application_id = ${APPLICATION_ID}`);
    raw.pragma('user_version = 1');
    raw.exec('CREATE TABLE runs (id INTEGER PRIMARY KEY)');
    raw.close();
    expect(() => openDatabase(old, { readonly: true })).toThrow(/Open it once without read-only to upgrade it/);
  });

  it('takes the native binding as a path or as the loaded addon', () => {
    const binding = require.resolve('better-sqlite3/build/Release/better_sqlite3.node');
    const dir = tempDir();
    const a = openDatabase(path.join(dir, 'a.sqlite'), { nativeBinding: binding });
    expect(a.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    a.close();
    const b = openDatabase(path.join(dir, 'a.sqlite'), { nativeBinding: require(binding) as object });
    expect(b.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    b.close();
    expect(() => openDatabase(path.join(dir, 'a.sqlite'), { nativeBinding: path.join(dir, 'nope.node') })).toThrow(StoreError);
  });
});

/** Waits until a file changed now counts as settled (clean-checks.ts SETTLED_MS): only then is a clean check of it recorded. */
const settle = () => new Promise((resolve) => setTimeout(resolve, SETTLED_MS + 200));

/** How an open of `file` knew it is sound, writable and read-only. */
function opened(file: string): [string, string] {
  const w = openDatabase(file);
  const writable = integrityCheckOf(w);
  w.close();
  const r = openDatabase(file, { readonly: true });
  const readonly = integrityCheckOf(r);
  r.close();
  return [writable, readonly];
}

describe('db/open: the integrity check, once per state of the file', () => {
  it('checks a file again after any change (by nnlab, or another program with its mtime put back), and not while it stays as it was at a clean check', async () => {
    const dir = tempDir();
    const file = nnlabFile(dir);
    // changed just now: checked, but no record yet (a later write could keep its coarse time)
    expect(opened(file)).toEqual(['checked', 'checked']);
    await settle();
    expect(opened(file)).toEqual(['checked', 'unchanged since a clean check']);
    expect(opened(file)).toEqual(['unchanged since a clean check', 'unchanged since a clean check']);
    // damaged by another program, same size, its modification time put back
    const bytes = fs.readFileSync(file);
    const { mtimeNs, size, ino } = fs.statSync(file, { bigint: true });
    const pageSize = bytes.readUInt16BE(16);
    const mid = Math.floor(bytes.length / pageSize / 2) * pageSize;
    const damagedBytes = Buffer.from(bytes);
    damagedBytes.fill(0xa5, mid, mid + 2 * pageSize);
    fs.writeFileSync(file, damagedBytes);
    // to the nanosecond (Node's utimes takes seconds as a double): coreutils' touch
    execFileSync('touch', ['-m', '-d', `@${mtimeNs / 1_000_000_000n}.${String(mtimeNs % 1_000_000_000n).padStart(9, '0')}`, file]);
    expect(fs.statSync(file, { bigint: true })).toMatchObject({ size, ino, mtimeNs });
    expectRefused(file, 'corrupt', /is damaged .*Restore it from a backup/);
    await settle();
    // a failed check records nothing: refused on every open
    expectRefused(file, 'corrupt', /is damaged/);
    // mended (the bytes put back), settled: checked once, then as it was
    fs.writeFileSync(file, bytes);
    await settle();
    expect(opened(file)).toEqual(['checked', 'unchanged since a clean check']);
    // a run written by nnlab: checked again
    const store = RunStore.open(file);
    store.createRun({ ...train({ batches: 10 }).spec, initSeed: 99 });
    store.close();
    await settle();
    expect(opened(file)).toEqual(['checked', 'unchanged since a clean check']);
    // a WAL another connection keeps open with a write in it: checked, and again once it is written
    const other = new Database(file);
    other.exec("UPDATE runs SET notes = 'in the wal'");
    expect(fs.statSync(`${file}-wal`).size).toBeGreaterThan(0);
    await settle();
    expect(opened(file)).toEqual(['checked', 'unchanged since a clean check']);
    other.exec("UPDATE runs SET notes = 'in the wal, again'");
    expect(opened(file)[0]).toBe('checked');
    other.close();
  });

  it('a record garbled, of another file, or by another checker vouches for nothing', async () => {
    const dir = tempDir();
    const file = nnlabFile(dir);
    await settle();
    expect(opened(file)).toEqual(['checked', 'unchanged since a clean check']);
    const record = recordFile(file);
    const kept = JSON.parse(fs.readFileSync(record, 'utf8')) as Record<string, unknown>;
    for (const garbled of ['{', JSON.stringify({ ...kept, file: `${file}x` }), JSON.stringify({ ...kept, checker: 'quick_check 0' }), JSON.stringify({ ...kept, state: 'x' })]) {
      fs.writeFileSync(record, garbled);
      expect(opened(file), garbled).toEqual(['checked', 'unchanged since a clean check']);
    }
  });
});
