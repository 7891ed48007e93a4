/**
 * The record of clean integrity checks: which database files `PRAGMA quick_check` found sound, in
 * which state of the file. `openDatabase` checks a file on every open unless it is in the very
 * state of its last clean check; the check reads the whole file (O(file size): ~0.3–0.5 s for a
 * 358 MB lab of 10,000 runs), more than most commands cost otherwise, and a file nobody wrote
 * since it was checked has nothing new to find.
 *
 * A file's state is what the file system says of it and of its -wal: device, inode, size,
 * modification and change times (nanoseconds; the -wal's without its ctime, which SQLite moves
 * when run as root). Any write to either by any program (nnlab's own SQLite writes included)
 * changes its size or times, and the database's change time (ctime) cannot be set back by a
 * program (utimes sets mtime and atime only), so a file damaged, truncated or replaced since its
 * check is checked again. What this does not see: damage below the file
 * system that changes no time (a failing disk's bits); SQLite meets that when it reads the
 * damaged pages (SQLITE_CORRUPT, which nnlab reports as a damaged file naming it), not before.
 *
 * The records live outside the database (a check must not change what it vouches for, and a
 * read-only open may write nothing beside the file): one small JSON file per database, in a
 * folder of this user in the temporary directory (a cache: losing it costs one check). A
 * record that cannot be read or written is no record.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** What a record vouches for: this kind of check (raise it when what the check covers changes). */
const CHECKER = 'quick_check 1';

/** The folder of this user's records (0700). */
function recordsDir(): string {
  const who = typeof process.getuid === 'function' ? String(process.getuid()) : os.userInfo().username;
  return path.join(os.tmpdir(), `nnlab-clean-checks-${who}`);
}

/** A folder of this user, not a link: in a shared temporary directory, another user's folder holds no record of ours. */
function ownFolder(dir: string): boolean {
  const st = fs.lstatSync(dir);
  return st.isDirectory() && (typeof process.getuid !== 'function' || st.uid === process.getuid());
}

/** The file that holds the record of `file`'s last clean check. */
export function recordFile(file: string): string {
  return path.join(recordsDir(), `${createHash('sha1').update(file).digest('hex')}.json`);
}

function statOf(p: string): fs.BigIntStats | null {
  try {
    return fs.statSync(p, { bigint: true });
  } catch {
    return null;
  }
}

const keyOf = (s: fs.BigIntStats) => [s.dev, s.ino, s.size, s.mtimeNs, s.ctimeNs].join(':');
// SQLite running as root fchowns the -wal to the database's owner on every open, which moves its ctime
const walKeyOf = (s: fs.BigIntStats) => [s.dev, s.ino, s.size, s.mtimeNs].join(':');

/**
 * Milliseconds a file must have stayed unchanged before a clean check of it is recorded. File
 * systems stamp times coarsely (a kernel tick, up to a second or two on some), so a write soon
 * after another can leave both times as they were; a file whose last change is older than this
 * gets a new time from any later write.
 */
export const SETTLED_MS = 2000;

/**
 * The state of the database `file` (absolute) and of its -wal, or null when the file cannot be
 * stat'ed: `key`, and `settled`: whether both were last changed more than SETTLED_MS ago. A -wal
 * that is missing or empty holds nothing: either is 'empty' (SQLite creates an empty one for a
 * connection, and removes it when the last one closes).
 */
export function fileState(file: string, now = Date.now()): { key: string; settled: boolean } | null {
  const main = statOf(file);
  if (!main) return null;
  const wal = statOf(`${file}-wal`);
  const walHolds = wal !== null && wal.size > 0n;
  const newest = Math.max(Number(main.mtimeNs / 1_000_000n), Number(main.ctimeNs / 1_000_000n), walHolds ? Number(wal.mtimeNs / 1_000_000n) : 0);
  return { key: `${keyOf(main)} wal ${walHolds ? walKeyOf(wal) : 'empty'}`, settled: now - newest > SETTLED_MS };
}

/** Whether `file` was found sound by a check when it was in `state` (fileState's key). */
export function checkedClean(file: string, state: string): boolean {
  try {
    if (!ownFolder(recordsDir())) return false;
    const r = JSON.parse(fs.readFileSync(recordFile(file), 'utf8')) as { file?: unknown; state?: unknown; checker?: unknown };
    return r.file === file && r.state === state && r.checker === CHECKER;
  } catch {
    return false;
  }
}

/** Records that a check found `file` sound in `state` (fileState's key; best effort: a cache). */
export function recordClean(file: string, state: string): void {
  try {
    const dir = recordsDir();
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!ownFolder(dir)) return;
    const target = recordFile(file);
    const tmp = `${target}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify({ file, state, checker: CHECKER, checkedAt: Date.now() }), { mode: 0o600 });
    fs.renameSync(tmp, target);
  } catch {
    // no record: the next open checks again
  }
}
