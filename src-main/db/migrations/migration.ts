/** What a migration is (each lives in its own file, frozen once released: Signal-Desktop's layout). */
import type { Database } from 'better-sqlite3';

/** `PRAGMA application_id` of every nnlab database: 'nnlb' in ASCII. */
export const APPLICATION_ID = 0x6e6e6c62;

export interface Migration {
  version: number;
  up(db: Database): void;
}
