/**
 * Opening the run store for a CLI command: `--db`, else NNLAB_DB, else the per-user default.
 * Commands that write ask for 'write' (a database this user may not write is refused, exit 2);
 * reading commands ask for 'read' and get a read-only store then. What the opening had to tell
 * (a journal imported, results still waiting in one) goes to stderr.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { defaultDatabasePath, StoreError } from '../db';
import { type LabStore, openLabStore } from '../db/lab-store';
import { RunStore } from '../db/store';
import { UsageError } from './usage';

/** The database file a command uses: `--db`, else NNLAB_DB, else the per-user default. */
export function databaseFileFor(options: { db?: string }): string {
  return options.db ? resolve(options.db) : defaultDatabasePath();
}

/**
 * `sayMade`: a reading command whose --db named no file says that the empty database it reads was
 * made just then (it read like an empty lab: a mistyped path looked like "no runs yet"). `serve`
 * does not: a new --db is a lab's first start.
 */
export async function openStoreFor(options: { db?: string }, mode: 'read' | 'write', { sayMade = mode === 'read' }: { sayMade?: boolean } = {}): Promise<LabStore> {
  const file = databaseFileFor(options);
  const made = sayMade && Boolean(options.db) && !existsSync(file);
  let opened: LabStore;
  try {
    opened = await openLabStore(file, { mode });
  } catch (e) {
    if (e instanceof StoreError) throw new UsageError(e.message);
    throw e;
  }
  if (made) process.stderr.write(`nnlab: there was no database at ${file}: an empty one is made there now (a mistyped --db?)\n`);
  for (const notice of opened.notices) process.stderr.write(`nnlab: ${notice}\n`);
  return opened;
}

/**
 * Before a writing command closes its store: when the database file was deleted or replaced while
 * it ran, writes what the store holds where the user finds it and says so (exit 1 if it could not).
 */
export function keepIfMoved(store: RunStore): void {
  const rescued = store.rescueMoved();
  if (!rescued) return;
  process.stderr.write(`nnlab: ${rescued.message}\n`);
  if (!rescued.kept) process.exitCode = 1;
}

export const DB_OPTION = ['--db <file>', 'the run database (default: $NNLAB_DB, else nnlab.sqlite in the per-user data folder)'] as const;

/**
 * The database opened strictly read-only, for a command that must write nothing but reads what
 * the lab stored (`train --no-save --dataset HASH`): no journal import, no orphans reaped, no
 * side files (db/open.ts); null when there is no database at the file.
 */
export function openReadOnlyStoreFor(options: { db?: string }): { store: RunStore | null; file: string } {
  const file = databaseFileFor(options);
  try {
    return { store: RunStore.open(file, { readonly: true }), file };
  } catch (e) {
    if (e instanceof StoreError && e.code === 'missing') return { store: null, file };
    if (e instanceof StoreError) throw new UsageError(e.message);
    throw e;
  }
}
