/**
 * What the CLI says about where finished runs are: the runs in the database, the runs whose
 * results wait in the recovery journal (and where), the runs not started, and any lost. Nothing
 * prints "saved" for a run that is not in the database; a command with any run not saved ends
 * with exit code 1 (NotSavedError).
 */
import type { WritePath } from '../db/write-path';
import type { Completion } from '../lab/service';
import { RunFailedError } from './usage';

export interface SaveTally {
  saved: number[];
  /** Results waiting in a recovery journal: run → journal file. */
  journaled: Map<number, string>;
  /** Results that could be kept nowhere, with why. */
  lost: { runId: number; reason: string }[];
  /** Runs the lab did not start after a fault (their rows stay queued; the next process marks them interrupted). */
  notStarted: number[];
  /** Ends without a result (failed, cancelled) that could not be recorded: the next process marks them interrupted. */
  unrecorded: number[];
  /** Runs deleted while they trained. */
  gone: number[];
}

/**
 * Sorts the completions by where their outcomes are now: a run the write path journaled but whose
 * journal was imported since (when the lab closed) counts as saved.
 */
export function tally(completions: readonly (Completion | null)[], writes: WritePath): SaveTally {
  const t: SaveTally = { saved: [], journaled: new Map(), lost: [], notStarted: [], unrecorded: [], gone: [] };
  for (const c of completions) {
    if (!c) continue;
    const stillJournaled = c.saved === 'journaled' && writes.journaled.has(c.runId);
    if (c.status === 'interrupted' && c.error?.startsWith('not started')) t.notStarted.push(c.runId);
    else if (c.saved === 'gone') t.gone.push(c.runId);
    else if (!c.result && (c.saved === 'lost' || stillJournaled)) t.unrecorded.push(c.runId);
    else if (c.saved === 'lost') t.lost.push({ runId: c.runId, reason: c.notSaved ?? 'unknown' });
    else if (stillJournaled) t.journaled.set(c.runId, writes.journaled.get(c.runId)!);
    else t.saved.push(c.runId);
  }
  return t;
}

function tags(ids: readonly number[]): string {
  return ids.map((id) => `#${id}`).join(', ');
}

/** Runs, with "run"/"runs" as their number asks. */
function runs(ids: readonly number[]): string {
  return `${ids.length === 1 ? 'run' : 'runs'} ${tags(ids)}`;
}

/** True when every run that finished is in the database. */
export function allSaved(t: SaveTally): boolean {
  return t.journaled.size === 0 && t.lost.length === 0 && t.notStarted.length === 0 && t.unrecorded.length === 0;
}

/** Runs that are not in the database as they ended. */
export function unsavedIds(t: SaveTally): number[] {
  return [...t.journaled.keys(), ...t.lost.map((l) => l.runId), ...t.unrecorded, ...t.notStarted].sort((a, b) => a - b);
}

/** The lines that say what is not in the database and where it is (empty when everything is). */
export function unsavedLines(t: SaveTally, writes: WritePath): string[] {
  const lines: string[] = [];
  if (writes.fault && !allSaved(t)) lines.push(writes.fault.message);
  const byFile = new Map<string, number[]>();
  for (const [id, file] of t.journaled) byFile.set(file, [...(byFile.get(file) ?? []), id]);
  for (const [file, ids] of byFile) {
    const temporary = file !== writes.journal;
    lines.push(
      `the result${ids.length === 1 ? '' : 's'} of ${runs(ids)} ${ids.length === 1 ? 'is' : 'are'} not in ${writes.file}: kept in ${file}, which nnlab adds to the database the next time it opens it` +
        (temporary ? ' (a temporary folder, emptied at restart on some systems: open the database with nnlab soon, once it can be written)' : ''),
    );
  }
  const byReason = new Map<string, number[]>();
  for (const l of t.lost) byReason.set(l.reason, [...(byReason.get(l.reason) ?? []), l.runId]);
  for (const [reason, ids] of byReason) lines.push(`the result${ids.length === 1 ? '' : 's'} of ${runs(ids)} ${ids.length === 1 ? 'is' : 'are'} lost: ${reason}`);
  if (t.unrecorded.length) lines.push(`the end of ${runs(t.unrecorded)} (no result) could not be recorded; the next nnlab that opens the database marks ${t.unrecorded.length === 1 ? 'it' : 'them'} interrupted`);
  if (t.notStarted.length) lines.push(`${t.notStarted.length} run${t.notStarted.length === 1 ? ' was' : 's were'} not started (${tags(t.notStarted)})`);
  return lines;
}

/** A command whose runs are not all in the database: exit code 1, the message says where they are. */
export class NotSavedError extends RunFailedError {
  constructor(lines: string[]) {
    super(lines.join('\nnnlab: '));
    this.name = 'NotSavedError';
  }
}
