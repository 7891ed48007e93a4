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
  /** Results (or ends) waiting in the journal. */
  journaled: number[];
  /** Outcomes that could be kept nowhere, with why. */
  lost: { runId: number; reason: string }[];
  /** Runs the lab did not start after a fault. */
  notStarted: number[];
  /** Runs deleted while they trained. */
  gone: number[];
}

/**
 * Sorts the completions by where their outcomes are now: a run the write path journaled but whose
 * journal was imported since (when the lab closed) counts as saved.
 */
export function tally(completions: readonly (Completion | null)[], writes: WritePath): SaveTally {
  const t: SaveTally = { saved: [], journaled: [], lost: [], notStarted: [], gone: [] };
  for (const c of completions) {
    if (!c) continue;
    if (c.saved === 'gone') t.gone.push(c.runId);
    else if (c.saved === 'lost') t.lost.push({ runId: c.runId, reason: c.notSaved ?? 'unknown' });
    else if (c.saved === 'journaled' && writes.journaled.has(c.runId)) {
      if (c.result) t.journaled.push(c.runId);
      else t.notStarted.push(c.runId);
    } else if (c.status === 'interrupted' && c.error?.startsWith('not started')) t.notStarted.push(c.runId);
    else t.saved.push(c.runId);
  }
  return t;
}

function tags(ids: readonly number[]): string {
  return ids.map((id) => `#${id}`).join(', ');
}

/** True when every run that finished is in the database. */
export function allSaved(t: SaveTally): boolean {
  return t.journaled.length === 0 && t.lost.length === 0 && t.notStarted.length === 0;
}

/** The lines that say what is not in the database and where it is (empty when everything is). */
export function unsavedLines(t: SaveTally, writes: WritePath): string[] {
  const lines: string[] = [];
  const fault = writes.fault ? ` (${writes.fault.message})` : '';
  if (t.journaled.length) {
    lines.push(
      `the result${t.journaled.length === 1 ? '' : 's'} of ${t.journaled.length === 1 ? 'run' : 'runs'} ${tags(t.journaled)} ${t.journaled.length === 1 ? 'is' : 'are'} not in ${writes.file}: kept in ${writes.journal}, which nnlab adds to the database the next time it opens it${fault}`,
    );
  }
  for (const l of t.lost) lines.push(`the result of run #${l.runId} is lost: ${l.reason}`);
  if (t.notStarted.length) lines.push(`${t.notStarted.length} run${t.notStarted.length === 1 ? ' was' : 's were'} not started (${tags(t.notStarted)})${fault}`);
  return lines;
}

/** A command whose runs are not all in the database: exit code 1, the message says where they are. */
export class NotSavedError extends RunFailedError {
  constructor(lines: string[]) {
    super(lines.join('\nnnlab: '));
    this.name = 'NotSavedError';
  }
}
