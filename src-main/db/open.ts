/**
 * `openDatabase`: the one way nnlab opens its SQLite database (CLI, lab service, tests, and the
 * Electron app, which passes its Electron-ABI build of better-sqlite3 as `nativeBinding`).
 *
 * An existing non-empty file is checked on a read-only connection before anything can write to
 * it — even switching to WAL rewrites the header — so a file that is not SQLite, is another
 * application's database, is damaged, or comes from a newer nnlab is refused with a StoreError
 * naming the file, and stays byte-identical. Then: WAL, busy_timeout, foreign keys, synchronous
 * NORMAL, and the migrations.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { StoreError } from './errors';
import { APPLICATION_ID, migrate, SCHEMA_VERSION } from './migrations';
import { checkedClean, fileState, recordClean } from './clean-checks';

export type Db = Database.Database;

export interface OpenOptions {
  /** better-sqlite3's native addon: a path to a `.node` file or the loaded addon (Electron ABI). */
  nativeBinding?: string | object;
  /**
   * Open read-only: nothing is written, and no file appears beside the database (see
   * openReadOnly); the database must exist at the current schema version.
   */
  readonly?: boolean;
  /** Milliseconds a statement waits for another connection's lock before SQLITE_BUSY (default 5000). */
  busyTimeoutMs?: number;
}

export const DEFAULT_BUSY_TIMEOUT_MS = 5000;
/** Page size of new databases: series BLOBs are large, so bigger pages mean shorter overflow chains. */
export const NEW_DATABASE_PAGE_SIZE = 16384;

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');
const UNCHANGED = 'nnlab did not change it.';

/** What the read-only inspection found in an existing file. */
export interface Inspection {
  /** The file has no schema at all (a fresh SQLite file nnlab may adopt). */
  empty: boolean;
  version: number;
  /** Whether `PRAGMA quick_check` ran, or was not needed: the file is as it was at its last clean check (clean-checks.ts). */
  integrity: Integrity;
}

/** How an open knew the file is sound: checked now, or unchanged since a clean check. */
export type Integrity = 'checked' | 'unchanged since a clean check' | 'new';

const integrityOf = new WeakMap<Db, Integrity>();

/** How the open of `db` knew its file is sound (openDatabase; 'new' for a file nnlab created or an in-memory database). */
export function integrityCheckOf(db: Db): Integrity {
  return integrityOf.get(db) ?? 'new';
}

type BetterSqliteOptions = Omit<Database.Options, 'nativeBinding'> & { nativeBinding?: string | object };

function driverOptions(options: OpenOptions, extra: Database.Options): Database.Options {
  const o: BetterSqliteOptions = { ...extra, timeout: options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS };
  if (options.nativeBinding !== undefined) o.nativeBinding = options.nativeBinding;
  // @types/better-sqlite3 declares nativeBinding as a string; the driver also takes the loaded addon
  return o as Database.Options;
}

/**
 * What the `bindings` package says when better-sqlite3's native part was never built (13 lines of
 * the paths it tried), said as what happened and what to do.
 */
const DRIVER_NOT_BUILT =
  "better-sqlite3's native part (better_sqlite3.node) was never built: its install script did not run " +
  "(npm 12 runs a dependency's install script only where package.json's allowScripts allows it; --ignore-scripts runs none). " +
  "Run `npm rebuild better-sqlite3` in nnlab's folder.";

function errorMessage(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  return message.startsWith('Could not locate the bindings file') ? DRIVER_NOT_BUILT : message;
}

function sqliteCode(e: unknown): string {
  return typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : '';
}

/** The hint that ends every "cannot use this file" message. */
function elsewhere(file: string): string {
  return `Move it away or choose another database with --db PATH or NNLAB_DB (nnlab creates a new database when ${path.basename(file)} does not exist).`;
}

function readHeader(file: string): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(HEADER_BYTES);
    const n = fs.readSync(fd, buf, 0, HEADER_BYTES, 0);
    return buf.subarray(0, n);
  } finally {
    fs.closeSync(fd);
  }
}

/** The file header plus page 1's b-tree header (the schema table's root). */
const HEADER_BYTES = 108;

function damaged(file: string, detail: string, cause?: unknown): StoreError {
  return new StoreError(
    'corrupt',
    `${file} is damaged (${detail}). ${UNCHANGED} Restore it from a backup, or ${elsewhere(file).replace(/^M/, 'm')}`,
    file,
    cause === undefined ? undefined : { cause },
  );
}

/**
 * Checks an existing non-empty file without writing to it. From the raw header: the SQLite
 * magic, the application id (nnlab's, or 0 with no schema at all: a fresh SQLite file nnlab may
 * adopt). Another program's database is refused without SQLite ever opening it (a read-only
 * connection to a WAL-mode file would create -wal/-shm files beside it). Then, on a read-only
 * connection: schema version not newer than this nnlab knows, and `PRAGMA quick_check` — unless
 * the file is in the state (`state`, taken before anything read it) of its last clean check
 * (clean-checks.ts); a clean check is recorded when the file did not change while it ran, nor
 * for SETTLED_MS before.
 * Returns the open read-only connection when `keep` is set (used for read-only opens).
 */
function inspect(file: string, options: OpenOptions, keep: boolean, openPath: string = file, state: ReturnType<typeof fileState> = fileState(file)): { info: Inspection; db: Db | null } {
  let header: Buffer;
  try {
    header = readHeader(file);
  } catch (e) {
    throw new StoreError('unreadable', `Cannot read the nnlab database ${file}: ${errorMessage(e)}`, file, { cause: e });
  }
  if (header.length < 100 || !header.subarray(0, 16).equals(SQLITE_MAGIC)) {
    throw new StoreError(
      'not-sqlite',
      `${file} is not an nnlab database: it is not an SQLite file${header.length < 100 ? ` (only ${header.length} bytes)` : ''}. ${UNCHANGED} ${elsewhere(file)}`,
      file,
    );
  }
  const appId = header.readUInt32BE(68);
  const headerVersion = header.readUInt32BE(60);
  if (appId !== APPLICATION_ID) {
    // page 1 holds the schema table: a leaf table page (0x0d) with no cells means no tables at all
    const noSchema = header.length >= 105 && header[100] === 0x0d && header.readUInt16BE(103) === 0;
    if (appId !== 0 || headerVersion !== 0 || !noSchema) {
      const whose = appId === 0 ? 'an SQLite database of another program' : `an SQLite database of another program (application_id 0x${appId.toString(16)})`;
      throw new StoreError('not-nnlab', `${file} is not an nnlab database: it is ${whose}. ${UNCHANGED} ${elsewhere(file)}`, file);
    }
  }
  let db: Db | null = null;
  try {
    db = new Database(openPath, driverOptions(options, { readonly: true, fileMustExist: true }));
    // the connection's view includes the WAL, so it is authoritative over the raw header
    const version = db.pragma('user_version', { simple: true }) as number;
    const objects = (db.prepare('SELECT count(*) AS n FROM sqlite_schema').get() as { n: number }).n;
    const empty = objects === 0 && version === 0;
    if (version > SCHEMA_VERSION) {
      throw new StoreError(
        'too-new',
        `${file} was written by a newer version of nnlab (database schema version ${version}; this nnlab knows versions up to ${SCHEMA_VERSION}). Update nnlab to open it. ${UNCHANGED}`,
        file,
      );
    }
    let integrity: Integrity = 'unchanged since a clean check';
    if (state === null || !checkedClean(file, state.key)) {
      const check = db.pragma('quick_check(5)') as { quick_check: string }[];
      const problems = check
        .flatMap((r) => r.quick_check.split('\n'))
        .filter((m) => m && m !== 'ok' && !m.startsWith('***'));
      if (problems.length) throw damaged(file, `SQLite quick_check: ${problems.slice(0, 3).join('; ')}${problems.length > 3 ? '; …' : ''}`);
      integrity = 'checked';
      // recorded only for a file that stayed unchanged, while checked and for SETTLED_MS before
      if (state?.settled && fileState(file)?.key === state.key) recordClean(file, state.key);
    }
    const info = { empty, version, integrity };
    if (keep) return { info, db };
    db.close();
    return { info, db: null };
  } catch (e) {
    db?.close();
    if (e instanceof StoreError) throw e;
    const code = sqliteCode(e);
    if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB' || code === 'SQLITE_IOERR_SHORT_READ') throw damaged(file, errorMessage(e), e);
    throw new StoreError('unreadable', `Cannot open the nnlab database ${file}: ${errorMessage(e)}. ${UNCHANGED}`, file, { cause: e });
  }
}

/** Connections to a private copy, and the file they are a copy of. */
const copies = new WeakMap<Db, string>();

/** The database file a connection stands for: its own file, or the one it reads a private copy of. */
export function databaseFile(db: Db): string {
  return copies.get(db) ?? db.name;
}

/**
 * A read-only connection that leaves nothing beside the database. SQLite opens a WAL database
 * only with its -wal and -shm files, creating them when they are missing even for a read-only
 * connection (and leaving them, read-only, behind), or failing when the folder is read-only;
 * better-sqlite3 12 is built without URI file names, so `?immutable=1` is not there to ask for.
 * So: when both files already exist (another connection keeps them), the database is opened in
 * place and nothing new appears; otherwise nnlab reads a private copy of it (and of its -wal, if
 * one is there) in a temporary folder, removed when the connection closes. A copy rather than an
 * in-memory image (`new Database(buffer)`): it costs disk, not memory, for a database of many
 * large runs, it takes the WAL's frames along, and it creates nothing a concurrent writer of the
 * original could trip over (unlike removing side files this process made once it closes).
 */
function openReadOnly(abs: string, options: OpenOptions): { info: Inspection; db: Db } {
  const sides = [`${abs}-wal`, `${abs}-shm`];
  // the file's state before anything reads it: the copy's check vouches for this state only
  const state = fileState(abs);
  if (sides.every((p) => fs.existsSync(p))) {
    try {
      const { info, db } = inspect(abs, options, true, abs, state);
      return { info, db: db! };
    } catch (e) {
      // side files this user cannot read (another user's): fall back to the copy
      if (!(e instanceof StoreError && e.code === 'unreadable')) throw e;
    }
  }
  let dir: string;
  try {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nnlab-readonly-'));
  } catch (e) {
    throw new StoreError('unreadable', `Cannot read the nnlab database ${abs} read-only: no temporary folder for its copy (${errorMessage(e)})`, abs, { cause: e });
  }
  const remove = () => fs.rmSync(dir, { recursive: true, force: true });
  const copy = path.join(dir, path.basename(abs));
  try {
    fs.copyFileSync(abs, copy, fs.constants.COPYFILE_FICLONE);
    if (fs.existsSync(sides[0])) fs.copyFileSync(sides[0], `${copy}-wal`, fs.constants.COPYFILE_FICLONE);
  } catch (e) {
    remove();
    const code = sqliteCode(e);
    throw new StoreError('unreadable', `Cannot read the nnlab database ${abs}: ${code === 'ENOSPC' ? `no room for a private copy in ${os.tmpdir()}` : errorMessage(e)}`, abs, { cause: e });
  }
  let opened: { info: Inspection; db: Db | null };
  try {
    opened = inspect(abs, options, true, copy, state);
  } catch (e) {
    remove();
    throw e;
  }
  const db = opened.db!;
  // messages, the journal's place and `runs list` name the user's file, not the copy
  copies.set(db, abs);
  // the copy goes with the connection (and with the process, if it never closes it)
  const close = db.close.bind(db);
  const onExit = () => remove();
  process.once('exit', onExit);
  db.close = () => {
    close();
    process.off('exit', onExit);
    remove();
    return db;
  };
  return { info: opened.info, db };
}

/**
 * Opens (creating if needed) and migrates the nnlab database at `file`; ':memory:' opens a
 * private in-memory database. Throws StoreError (file untouched) for a file nnlab must not use.
 * Creates the file's directory when missing (not in read-only mode).
 */
export function openDatabase(file: string, options: OpenOptions = {}): Db {
  const memory = file === ':memory:';
  const abs = memory ? file : path.resolve(file);
  let fresh = true;
  let integrity: Integrity = 'new';
  if (!memory) {
    let stat: fs.Stats | null = null;
    try {
      stat = fs.statSync(abs);
    } catch (e) {
      if (sqliteCode(e) !== 'ENOENT') {
        throw new StoreError('unreadable', `Cannot read the nnlab database ${abs}: ${errorMessage(e)}`, abs, { cause: e });
      }
    }
    if (stat && !stat.isFile()) {
      throw new StoreError('not-a-file', `${abs} is not a file, so it cannot be an nnlab database. ${elsewhere(abs)}`, abs);
    }
    if (options.readonly) {
      if (!stat || stat.size === 0) {
        throw new StoreError('missing', `There is no nnlab database at ${abs} (${stat ? 'the file is empty' : 'no such file'}).`, abs);
      }
      const { info, db } = openReadOnly(abs, options);
      integrityOf.set(db, info.integrity);
      if (info.version < SCHEMA_VERSION) {
        db.close();
        throw new StoreError(
          'needs-upgrade',
          `${abs} has database schema version ${info.version}, older than this nnlab's ${SCHEMA_VERSION}; it cannot be upgraded read-only. Open it once without read-only to upgrade it.`,
          abs,
        );
      }
      return db;
    }
    if (stat && stat.size > 0) {
      const { info } = inspect(abs, options, false);
      fresh = info.empty;
      integrity = info.integrity;
    } else if (!stat) {
      try {
        fs.mkdirSync(path.dirname(abs), { recursive: true });
      } catch (e) {
        throw new StoreError('unreadable', `Cannot create the directory of the nnlab database ${abs}: ${errorMessage(e)}`, abs, { cause: e });
      }
    }
  }

  let db: Db;
  try {
    db = new Database(abs, driverOptions(options, {}));
  } catch (e) {
    throw new StoreError('unreadable', `Cannot open the nnlab database ${abs}: ${errorMessage(e)}`, abs, { cause: e });
  }
  try {
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS}`);
    if (fresh) db.pragma(`page_size = ${NEW_DATABASE_PAGE_SIZE}`);
    if (!memory) db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
  } catch (e) {
    db.close();
    throw new StoreError('unreadable', `Cannot set up the nnlab database ${abs}: ${errorMessage(e)}`, abs, { cause: e });
  }
  const before = db.pragma('user_version', { simple: true }) as number;
  try {
    migrate(db);
  } catch (e) {
    const now = db.pragma('user_version', { simple: true }) as number;
    db.close();
    throw new StoreError(
      'migration-failed',
      `Upgrading the nnlab database ${abs} from schema version ${before} failed: ${errorMessage(e)}. The failed step was rolled back; the database is at version ${now}.`,
      abs,
      { cause: e },
    );
  }
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    // another process upgraded it between the check and now
    db.close();
    throw new StoreError('too-new', `${abs} was upgraded by a newer version of nnlab (schema version ${version}; this nnlab knows up to ${SCHEMA_VERSION}). Update nnlab to open it.`, abs);
  }
  integrityOf.set(db, integrity);
  return db;
}
