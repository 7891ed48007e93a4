/** Opening the run store for a CLI command: `--db`, else NNLAB_DB, else the per-user default. */
import { resolve } from 'node:path';
import { defaultDatabasePath, openRunStore, type RunStore, StoreError } from '../db';
import { UsageError } from './usage';

export function openStoreFor(options: { db?: string }): RunStore {
  const file = options.db ? resolve(options.db) : defaultDatabasePath();
  try {
    const store = openRunStore(file);
    // every nnlab process that opens the database marks runs whose owner is gone
    store.reapOrphans();
    return store;
  } catch (e) {
    if (e instanceof StoreError) throw new UsageError(e.message);
    throw e;
  }
}

export const DB_OPTION = ['--db <file>', 'the run database (default: $NNLAB_DB, else nnlab.sqlite in the per-user data folder)'] as const;
