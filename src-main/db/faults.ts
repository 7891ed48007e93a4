/**
 * What went wrong with a write, in words a user can act on: SQLite's and the file system's error
 * codes sorted into the store's write faults (a lock held by another program, a full disk, a
 * read-only file or folder, an I/O error, a damaged file), each a StoreError naming the file.
 * Also the check, before anything is opened, of whether this user may write a database at all.
 */
import fs from 'node:fs';
import path from 'node:path';
import { StoreError } from './errors';

/** Write faults after which no further write can succeed until the user acts. */
export const FATAL_FAULTS = ['disk-full', 'read-only', 'io-error', 'corrupt', 'closed'] as const;

export function errorCode(e: unknown): string {
  return typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : '';
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** SQLite says another connection holds the lock (the write may succeed if tried again). */
export function isBusy(e: unknown): boolean {
  const code = errorCode(e);
  return code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED');
}

/** Free space of the file system holding `dir`, in words ("12 KB free"), or '' if unknown. */
export function freeSpace(dir: string): { bytes: number; text: string } | null {
  try {
    const s = fs.statfsSync(dir);
    const bytes = s.bavail * s.bsize;
    const text = bytes < 1024 ? `${bytes} bytes free` : bytes < 1024 ** 2 ? `${Math.floor(bytes / 1024)} KB free` : `${(bytes / 1024 ** 2).toFixed(1)} MB free`;
    return { bytes, text };
  } catch {
    return null;
  }
}

/** Less than this much free space when a write fails with an I/O error: the disk is full. */
const NEARLY_FULL_BYTES = 256 * 1024;

export function diskFull(file: string, detail: string): StoreError {
  const free = freeSpace(path.dirname(file));
  return new StoreError(
    'disk-full',
    `the disk is full: ${file} could not be written (${detail}; the file system of ${path.dirname(file)} has ${free ? free.text : 'no space left'})`,
    file,
  );
}

/**
 * Why this user cannot write the database at `file`, or null if it can (as far as permissions
 * tell: the file and its folder, which must take the -wal and -shm files). A missing file needs a
 * writable folder (or one to create).
 */
export function writeRefusal(file: string): string | null {
  const dir = path.dirname(file);
  const denied = (p: string): string | null => {
    try {
      fs.accessSync(p, fs.constants.W_OK);
      return null;
    } catch (e) {
      const code = errorCode(e);
      if (code === 'ENOENT') return null;
      return code === 'EROFS' ? 'the file system is mounted read-only' : `permission denied (${code || messageOf(e)})`;
    }
  };
  if (!fs.existsSync(file)) {
    let d = dir;
    while (!fs.existsSync(d) && path.dirname(d) !== d) d = path.dirname(d);
    const why = denied(d);
    return why && `the folder ${d} is read-only for this user: ${why}`;
  }
  const fileWhy = denied(file);
  if (fileWhy) return `the file is read-only for this user: ${fileWhy}`;
  for (const side of [`${file}-wal`, `${file}-shm`]) {
    const why = fs.existsSync(side) ? denied(side) : null;
    if (why) return `${path.basename(side)} beside it is read-only for this user: ${why}`;
  }
  // SQLite creates (and on close removes) -wal and -shm beside the database
  if (!(fs.existsSync(`${file}-wal`) && fs.existsSync(`${file}-shm`))) {
    const why = denied(dir);
    if (why) return `its folder ${dir} is read-only for this user (nnlab writes ${path.basename(file)}-wal and -shm there): ${why}`;
  }
  return null;
}

/**
 * Turns an exception from a write into the store's StoreError for it, or returns null when it is
 * not a storage fault (a bug, invalid data: the caller rethrows those). SQLITE_BUSY comes back as
 * 'locked' only because the caller has given up retrying.
 */
export function writeFault(e: unknown, file: string): StoreError | null {
  if (e instanceof StoreError && (e.code === 'locked' || (FATAL_FAULTS as readonly string[]).includes(e.code))) return e;
  const code = errorCode(e);
  const msg = messageOf(e);
  if (isBusy(e)) return new StoreError('locked', `${file} is locked by another program (${msg})`, file, { cause: e });
  if (code === 'SQLITE_FULL' || code === 'ENOSPC') return diskFull(file, `${msg}, ${code}`);
  if (code.startsWith('SQLITE_READONLY') || code === 'EROFS' || code === 'EACCES' || code === 'EPERM') {
    const why = writeRefusal(file) ?? msg;
    return new StoreError('read-only', `${file} cannot be written: ${why} (${code})`, file, { cause: e });
  }
  if (code.startsWith('SQLITE_IOERR') || code === 'SQLITE_CANTOPEN' || code === 'EIO') {
    const free = freeSpace(path.dirname(file));
    if (free && free.bytes < NEARLY_FULL_BYTES) return diskFull(file, `${msg}, ${code}`);
    return new StoreError('io-error', `${file} could not be written: ${msg} (${code})`, file, { cause: e });
  }
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') {
    return new StoreError('corrupt', `${file} is damaged (${msg}); nnlab stopped writing to it`, file, { cause: e });
  }
  if (e instanceof TypeError && /database connection is not open/.test(msg)) {
    return new StoreError('closed', `${file} was closed before the write`, file, { cause: e });
  }
  return null;
}
