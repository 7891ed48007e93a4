/**
 * Opening the database for an nnlab process (the CLI's commands, `nnlab serve`, the app): the
 * one place that decides between writing and read-only, imports the recovery journal, and marks
 * the runs of processes that are gone.
 *
 * - `mode: 'write'` (train, sweep, delete, ...): a database this user may not write is refused
 *   with a StoreError('read-only') naming the file and the permission, before anything opens it.
 * - `mode: 'read'` (runs list/show/export/compare, the app's browsing): such a database is opened
 *   read-only instead (db/open.ts: without leaving any file beside it), and `readOnly` says why.
 * A writable database then gets its journal imported (one attempt: a lock held by another
 * program leaves the journal for the next process, with a notice) and its orphans reaped.
 */
import type { OpenOptions } from './open';
import { StoreError } from './errors';
import { writeRefusal } from './faults';
import { hasJournal, journaledRunIds, waitingJournals } from './journal';
import { RunStore, type RunStoreOptions } from './store';
import type { ReapedRun } from './types';
import { WritePath, type WritePathOptions } from './write-path';

export interface LabStoreOptions extends OpenOptions, RunStoreOptions, Omit<WritePathOptions, 'readOnlyReason' | 'journal'> {
  mode: 'read' | 'write';
  /** Heartbeats older than this mark a run's owner as gone (reapOrphans). */
  staleMs?: number;
}

export interface LabStore {
  store: RunStore;
  writes: WritePath;
  /** Why the database is open read-only, or null when it is writable. */
  readOnly: string | null;
  /** What the opening did or could not do that the user should hear (journal imported or waiting). */
  notices: string[];
}

function runTags(ids: readonly number[]): string {
  return ids.map((id) => `#${id}`).join(', ');
}

/** What the open marked: "marked #1, #2 interrupted: their owner, process 123 on host, is no longer running", a line per owner. */
export function reapedNotices(reaped: readonly ReapedRun[]): string[] {
  const byOwner = new Map<string, ReapedRun[]>();
  for (const r of reaped) byOwner.set(`${r.owner}, ${r.gone}`, [...(byOwner.get(`${r.owner}, ${r.gone}`) ?? []), r]);
  return [...byOwner].map(([owner, runs]) => `marked ${runTags(runs.map((r) => r.id).sort((a, b) => a - b))} interrupted: ${runs.length === 1 ? 'its' : 'their'} owner, ${owner}`);
}

export async function openLabStore(file: string, options: LabStoreOptions): Promise<LabStore> {
  const refusal = file === ':memory:' ? null : writeRefusal(file);
  if (refusal && options.mode === 'write') {
    throw new StoreError('read-only', `cannot save runs in ${file}: ${refusal}. Reading commands (runs list, show, export, compare) still work on it.`, file);
  }
  const readonly = refusal !== null;
  const store = RunStore.open(file, { ...options, readonly });
  const writes = new WritePath(store, { ...options, readOnlyReason: refusal ?? undefined });
  const notices: string[] = [];
  if (readonly) {
    if (hasJournal(file)) {
      notices.push(`the results of ${runTags(journaledRunIds(file))} wait in ${waitingJournals(file).join(' and ')}; they are added when nnlab opens the database with write permission`);
    }
    return { store, writes, readOnly: refusal, notices };
  }
  if (hasJournal(file)) {
    const waiting = journaledRunIds(file);
    const { report, error } = await writes.importJournal(0);
    if (report) {
      if (report.imported.length) {
        const byId = (a: { runId: number }, b: { runId: number }) => a.runId - b.runId;
        const results = report.imported.filter((r) => r.withResult).sort(byId);
        const ends = report.imported.filter((r) => !r.withResult).sort(byId);
        const moved = report.imported.filter((r) => r.recordedAs !== undefined);
        const parts = [
          results.length ? `the results of ${runTags(results.map((r) => r.runId))}` : '',
          ends.length ? `the ends of ${runTags(ends.map((r) => r.runId))} (${[...new Set(ends.map((r) => r.status))].join(', ')})` : '',
        ].filter(Boolean);
        notices.push(
          `added ${parts.join(' and ')} from ${report.files.join(' and ')} to the database` +
            (moved.length ? ` (${moved.map((r) => `run #${r.runId} as #${r.recordedAs}, its row was gone`).join('; ')})` : ''),
        );
      }
      if (report.rejected.length) {
        notices.push(`${report.rejected.length} line${report.rejected.length === 1 ? '' : 's'} of the journal could not be imported (${report.rejected[0].reason}); kept in ${report.rejectedFile}`);
      }
    } else if (error) {
      notices.push(`the results of ${runTags(waiting)} wait in ${waitingJournals(file).join(' and ')} and could not be added yet (${error.message}); nnlab adds them the next time it opens the database`);
    }
  }
  const reaped = writes.attempt('the runs of processes that are gone as interrupted', () => store.reapOrphans({ staleMs: options.staleMs }), 1000) ?? [];
  notices.push(...reapedNotices(reaped));
  return { store, writes, readOnly: null, notices };
}
