/**
 * Opening the run store for a CLI command: `--db`, else NNLAB_DB, else the per-user default.
 * Commands that write ask for 'write' (a database this user may not write is refused, exit 2);
 * reading commands ask for 'read' and get a read-only store then. What the opening had to tell
 * (a journal imported, results still waiting in one) goes to stderr.
 */
import { resolve } from 'node:path';
import { defaultDatabasePath, StoreError } from '../db';
import { type LabStore, openLabStore } from '../db/lab-store';
import { UsageError } from './usage';

export async function openStoreFor(options: { db?: string }, mode: 'read' | 'write'): Promise<LabStore> {
  const file = options.db ? resolve(options.db) : defaultDatabasePath();
  let opened: LabStore;
  try {
    opened = await openLabStore(file, { mode });
  } catch (e) {
    if (e instanceof StoreError) throw new UsageError(e.message);
    throw e;
  }
  for (const notice of opened.notices) process.stderr.write(`nnlab: ${notice}\n`);
  return opened;
}

export const DB_OPTION = ['--db <file>', 'the run database (default: $NNLAB_DB, else nnlab.sqlite in the per-user data folder)'] as const;
