/**
 * The store's one error type. Every problem with a database file — not an SQLite file, another
 * application's database, damaged, written by a newer nnlab, unreadable — is a StoreError whose
 * message names the file and says what to do; `code` lets callers tell them apart.
 */
export type StoreErrorCode =
  | 'not-a-file'
  | 'missing'
  | 'unreadable'
  | 'not-sqlite'
  | 'not-nnlab'
  | 'corrupt'
  | 'too-new'
  | 'needs-upgrade'
  | 'migration-failed'
  | 'no-such-run'
  | 'invalid'
  /** Write faults (db/faults.ts): another program held the lock past the retry limit, ... */
  | 'locked'
  | 'disk-full'
  | 'read-only'
  | 'io-error'
  | 'closed'
  /** The database file was deleted or replaced while it was open (RunStore.fileMoved). */
  | 'moved';

export class StoreError extends Error {
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    /** The database file concerned (absolute path), if any. */
    readonly file?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StoreError';
  }
}
