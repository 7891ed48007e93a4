/**
 * The lab's one write path to its database: outcomes, statuses, heartbeats, notes and deletes all
 * go through a WritePath, which
 *   - retries while another program holds the write lock (a backup tool, the sqlite3 shell, a sync
 *     client), with backoff, up to a limit (FAULT_LIMITS.writeRetryMs), each attempt
 *     waiting at most `attemptMs` so the event loop of `nnlab serve` never stalls for long;
 *   - groups outcomes that arrive while one is being written (or waits for the lock) into one
 *     transaction (saveOutcome), so a burst of short runs costs one commit;
 *   - keeps a finished outcome it cannot write — lock held past the limit, full disk, read-only
 *     file — in the recovery journal beside the database (db/journal.ts), and says so;
 *   - never throws out of a background write (attempt, saveOutcome): a timer must not end the
 *     process. A fault that no retry can mend (full disk, read-only, damaged, I/O error) is kept
 *     in `fault` and reported once through onFault, so the lab can stop starting new runs.
 */
import { faultLimitMs } from '../env-limits';
import type { RunSpec } from '../trainer/spec';
import { StoreError } from './errors';
import { FATAL_FAULTS, isBusy, writeFault } from './faults';
import { appendToJournal, fallbackJournalPathFor, type ImportReport, importJournal, type JournalEntry, journalPathFor, JOURNAL_FORMAT, JOURNAL_VERSION } from './journal';
import type { RunStore } from './store';
import type { RunOutcome } from './types';

/** Where an outcome ended up. */
export type SaveState = 'saved' | 'journaled' | 'lost' | 'gone';

export interface SaveReport {
  state: SaveState;
  /** Why it was not saved in the database (journaled, lost), else null. */
  reason: string | null;
}

export interface WritePathOptions {
  /** How long a write retries while another program holds the lock (default: FAULT_LIMITS.writeRetryMs, limits.ts). */
  retryLimitMs?: number;
  /** How long one attempt waits for the lock, blocking the thread (default 100 ms). */
  attemptMs?: number;
  /**
   * Outcomes arriving within this long of the last outcome write wait (up to this long after it)
   * to be written with the others of the burst in one transaction (default GROUP_MS).
   */
  groupMs?: number;
  /** A burst's outcomes are written at once when this many are waiting (default GROUP_MAX). */
  groupMax?: number;
  /** The recovery journal (default: beside the database; null: none, for ':memory:'). */
  journal?: string | null;
  log?: (line: string) => void;
  /** Why the database is open read-only, when it is (every write is then refused with this). */
  readOnlyReason?: string;
}

/**
 * Grouping of outcomes in a burst (a sweep of short runs on several trainer processes ends a run
 * every few ms). What one more run costs a commit is mostly the pages it shares with the others
 * (the runs table and its indexes, the series tree's last leaf): measured on seed-sized runs
 * (30 KB of series each, 16 KiB pages), 730 µs of the lab's CPU per run written alone, 370 in
 * fours, 345 in sixteens; the WAL grows 147, 71, 45 KiB per run. An outcome that ends a quiet
 * spell is written at once; a burst's wait for company is at most GROUP_MS, the time its run
 * spends finished but not yet in the database (a lab killed meanwhile leaves it interrupted, as
 * one killed during the transaction).
 */
const GROUP_MS = 25;
const GROUP_MAX = 32;

const FIRST_BACKOFF_MS = 25;
const MAX_BACKOFF_MS = 1000;

/** Resolves after `ms`, or at once when `abort` is aborted. */
const sleep = (ms: number, abort?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      abort?.removeEventListener('abort', done);
      resolve();
    }
    abort?.addEventListener('abort', done, { once: true });
  });

interface Waiting {
  outcome: RunOutcome;
  spec: RunSpec;
  experimentId: number | null;
  since: number;
  /** No other outcome is on its way (saveOutcome's `last`): its group does not wait for company. */
  last: boolean;
  resolve(report: SaveReport): void;
}

function seconds(ms: number): string {
  return ms < 10_000 ? (ms / 1000).toFixed(1) : String(Math.round(ms / 1000));
}

function runList(ids: readonly number[]): string {
  const tags = ids.map((id) => `#${id}`);
  return `${ids.length === 1 ? 'run' : 'runs'} ${tags.length > 6 ? `${tags.slice(0, 6).join(', ')} and ${tags.length - 6} more` : tags.join(', ')}`;
}

export class WritePath {
  readonly file: string;
  readonly journal: string | null;
  readonly retryLimitMs: number;
  readonly attemptMs: number;
  /** The first fault no retry can mend (disk full, read-only, damaged, I/O error, closed), or null. */
  fault: StoreError | null = null;
  /** Runs whose outcome this process put in the journal, and the file it is in. */
  readonly journaled = new Map<number, string>();
  /** Runs whose outcome could be kept nowhere, with the reason. */
  readonly lost = new Map<number, string>();
  private readonly log: (line: string) => void;
  private readonly normalTimeoutMs: number;
  private readonly queue: Waiting[] = [];
  private pumping: Promise<void> | null = null;
  private readonly groupMs: number;
  private readonly groupMax: number;
  /** When outcomes were last written (performance.now(); -Infinity: never). */
  private lastOutcomeWriteAt = -Infinity;
  /** Ends the pump's wait for a burst's company (enough outcomes are waiting, or flush). */
  private endGroupWait: (() => void) | null = null;
  /** flush() calls under way: nothing waits for company meanwhile. */
  private flushing = 0;
  /** When the current wait for another program's lock began (for one notice per wait). */
  private lockedSince: number | null = null;
  private backgroundFailure: string | null = null;
  /** Background writes (heartbeats) skipped because another program held the lock. */
  lockSkips = 0;
  private readonly faultListeners = new Set<(fault: StoreError) => void>();

  constructor(
    readonly store: RunStore,
    options: WritePathOptions = {},
  ) {
    this.file = store.file;
    const memory = store.db.memory;
    this.journal = options.journal !== undefined ? options.journal : memory ? null : journalPathFor(this.file);
    this.retryLimitMs = options.retryLimitMs ?? faultLimitMs('writeRetryMs');
    this.attemptMs = options.attemptMs ?? 100;
    this.groupMs = options.groupMs ?? GROUP_MS;
    this.groupMax = options.groupMax ?? GROUP_MAX;
    this.log = options.log ?? ((line) => process.stderr.write(`nnlab: ${line}\n`));
    this.normalTimeoutMs = store.db.pragma('busy_timeout', { simple: true }) as number;
    if (store.db.readonly) {
      this.fault = new StoreError('read-only', `${this.file} is open read-only${options.readOnlyReason ? ` (${options.readOnlyReason})` : ''}: nothing can be saved or changed in it`, this.file);
    }
  }

  /** Calls `listener` once, when a fault no retry can mend first appears; returns the unsubscribe function. */
  watchFaults(listener: (fault: StoreError) => void): () => void {
    this.faultListeners.add(listener);
    return () => this.faultListeners.delete(listener);
  }

  /** One attempt of `fn` in an IMMEDIATE transaction, waiting at most waitMs for the lock. */
  private once<T>(fn: () => T, waitMs: number): T {
    if (waitMs === this.normalTimeoutMs) return this.store.transaction(fn);
    this.store.db.pragma(`busy_timeout = ${Math.max(0, Math.round(waitMs))}`);
    try {
      return this.store.transaction(fn);
    } finally {
      this.store.db.pragma(`busy_timeout = ${this.normalTimeoutMs}`);
    }
  }

  private setFault(fault: StoreError): void {
    if (this.fault) return;
    this.fault = fault;
    this.log(fault.message);
    for (const l of this.faultListeners) l(fault);
  }

  /**
   * Runs fn in one transaction, retrying while another program holds the lock, up to the retry
   * limit (or `limitMs`). Throws the StoreError of the fault (code 'locked' once the limit is
   * past), or fn's own error; with `abort`, stops waiting once it is aborted (throwing its reason).
   */
  async write<T>(what: string, fn: () => T, limitMs: number = this.retryLimitMs, abort?: AbortSignal): Promise<T> {
    if (this.fault) throw this.fault;
    const start = Date.now();
    let delay = FIRST_BACKOFF_MS;
    for (;;) {
      try {
        const value = this.once(fn, this.attemptMs);
        this.noteUnlocked(what);
        return value;
      } catch (e) {
        if (!isBusy(e)) {
          const fault = writeFault(e, this.file);
          if (fault && (FATAL_FAULTS as readonly string[]).includes(fault.code)) this.setFault(fault);
          throw fault ?? e;
        }
        this.noteLocked(what);
        abort?.throwIfAborted();
        const waited = Date.now() - start;
        if (waited >= limitMs) {
          throw new StoreError('locked', `${this.file} stayed locked by another program for ${seconds(waited)} s, so ${what} was not written`, this.file, { cause: e });
        }
        await sleep(Math.min(delay, limitMs - waited + 1), abort);
        abort?.throwIfAborted();
        delay = Math.min(delay * 2, MAX_BACKOFF_MS);
      }
    }
  }

  /**
   * Waits, retrying as write() does, until the database takes a write transaction: the CLI and
   * the API call it before starting runs, so a lock held by another program delays a start
   * instead of failing it. Throws the fault when the wait is over, or `abort`'s reason once it is
   * aborted (Ctrl-C while waiting).
   */
  async ready(what: string, abort?: AbortSignal): Promise<void> {
    await this.write(what, () => undefined, this.retryLimitMs, abort);
  }

  /**
   * One attempt that never throws, for background writes (heartbeats, reaping): returns undefined
   * when it could not write. A lock is skipped quietly (the next tick tries again); any other
   * fault is logged once.
   */
  attempt<T>(what: string, fn: () => T, waitMs: number = this.attemptMs): T | undefined {
    if (this.fault) return undefined;
    try {
      const value = this.once(fn, waitMs);
      this.backgroundFailure = null;
      return value;
    } catch (e) {
      if (isBusy(e)) {
        this.lockSkips++;
        return undefined;
      }
      const fault = writeFault(e, this.file);
      if (fault && (FATAL_FAULTS as readonly string[]).includes(fault.code)) {
        this.setFault(fault);
        return undefined;
      }
      const message = `could not write ${what}: ${(fault ?? (e as Error)).message}`;
      if (message !== this.backgroundFailure) this.log(message);
      this.backgroundFailure = message;
      return undefined;
    }
  }

  private noteLocked(what: string): void {
    if (this.lockedSince !== null) return;
    this.lockedSince = Date.now();
    this.log(`${this.file} is locked by another program; waiting up to ${seconds(this.retryLimitMs)} s to write ${what}`);
  }

  private noteUnlocked(what: string): void {
    if (this.lockedSince === null) return;
    this.log(`the lock on ${this.file} was released after ${seconds(Date.now() - this.lockedSince)} s; ${what} written`);
    this.lockedSince = null;
  }

  /**
   * Saves a run's outcome: written with the other outcomes waiting at that moment in one
   * transaction, retried while the database is locked, and kept in the journal when it cannot
   * be written. Never throws; the report says where the outcome is. `last`: the caller knows no
   * other outcome is on its way (the lab: no other run of it is training), so the burst's wait
   * for company ends (or is not begun) and what is waiting is written at once.
   */
  saveOutcome(outcome: RunOutcome, run: { spec: RunSpec; experimentId: number | null }, options: { last?: boolean } = {}): Promise<SaveReport> {
    return new Promise((resolve) => {
      const last = options.last ?? false;
      this.queue.push({ outcome, spec: run.spec, experimentId: run.experimentId, since: Date.now(), last, resolve });
      if (last || this.queue.length >= this.groupMax) this.endGroupWait?.();
      this.pumping ??= this.pump().finally(() => {
        this.pumping = null;
      });
    });
  }

  /** Resolves when every outcome handed to saveOutcome so far is saved, journaled or lost. */
  async flush(): Promise<void> {
    this.flushing++;
    try {
      while (this.pumping) {
        this.endGroupWait?.();
        await this.pumping;
      }
    } finally {
      this.flushing--;
    }
  }

  /** In a burst (outcomes written moments ago), waits up to groupMs after that write for more to join. */
  private async waitForGroup(): Promise<void> {
    const left = this.lastOutcomeWriteAt + this.groupMs - performance.now();
    if (!(left > 0) || this.queue.length >= this.groupMax || this.flushing > 0 || this.queue.some((w) => w.last)) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => this.endGroupWait?.(), left);
      this.endGroupWait = () => {
        clearTimeout(timer);
        this.endGroupWait = null;
        resolve();
      };
    });
  }

  private take(items: readonly Waiting[]): void {
    for (const w of items) this.queue.splice(this.queue.indexOf(w), 1);
  }

  private async pump(): Promise<void> {
    // let outcomes that end in the same turn of the event loop join the first transaction
    await new Promise<void>((resolve) => setImmediate(resolve));
    await this.waitForGroup();
    let delay = FIRST_BACKOFF_MS;
    while (this.queue.length) {
      if (this.fault) {
        this.keep(this.queue.splice(0), this.fault.message);
        continue;
      }
      const batch = this.queue.slice();
      try {
        const found = this.once(() => this.store.recordOutcomes(batch.map((w) => w.outcome), batch.map((w) => w.spec)), this.attemptMs);
        this.lastOutcomeWriteAt = performance.now();
        this.take(batch);
        this.noteUnlocked(runList(batch.map((w) => w.outcome.runId)));
        batch.forEach((w, i) => w.resolve({ state: found[i] ? 'saved' : 'gone', reason: null }));
        delay = FIRST_BACKOFF_MS;
      } catch (e) {
        if (isBusy(e)) {
          this.noteLocked(runList(batch.map((w) => w.outcome.runId)));
          const now = Date.now();
          const expired = batch.filter((w) => now - w.since >= this.retryLimitMs);
          if (expired.length) {
            this.take(expired);
            this.keep(expired, `${this.file} stayed locked by another program for ${seconds(now - Math.min(...expired.map((w) => w.since)))} s`);
            continue;
          }
          const oldest = Math.min(...batch.map((w) => w.since));
          await sleep(Math.max(1, Math.min(delay, oldest + this.retryLimitMs - now)));
          delay = Math.min(delay * 2, MAX_BACKOFF_MS);
          continue;
        }
        const fault = writeFault(e, this.file);
        if (fault) {
          if ((FATAL_FAULTS as readonly string[]).includes(fault.code)) this.setFault(fault);
          this.take(batch);
          this.keep(batch, fault.message);
          continue;
        }
        // not a storage fault: one outcome the store refuses (a bug). Alone, it is kept in the
        // journal with the reason; in a group, write each alone to find it.
        if (batch.length === 1) {
          this.take(batch);
          this.log(`could not save the outcome of run ${batch[0].outcome.runId}: ${(e as Error).message}`);
          this.keep(batch, (e as Error).message);
        } else {
          for (const w of batch) {
            this.take([w]);
            this.queue.unshift(w);
            await this.pumpOne();
          }
        }
      }
    }
  }

  /** Writes the first queued outcome alone (isolating one the store refuses). */
  private async pumpOne(): Promise<void> {
    const w = this.queue[0];
    try {
      const [found] = this.once(() => this.store.recordOutcomes([w.outcome], [w.spec]), this.attemptMs);
      this.take([w]);
      w.resolve({ state: found ? 'saved' : 'gone', reason: null });
    } catch (e) {
      if (isBusy(e)) return; // the main loop retries it
      this.take([w]);
      const fault = writeFault(e, this.file);
      if (fault && (FATAL_FAULTS as readonly string[]).includes(fault.code)) this.setFault(fault);
      if (!fault) this.log(`could not save the outcome of run ${w.outcome.runId}: ${(e as Error).message}`);
      this.keep([w], (fault ?? (e as Error)).message);
    }
  }

  /**
   * Appends outcomes to the journal (fsync'd): beside the database, else (its disk full, its
   * folder read-only) in the fallback journal in the temporary folder; those it cannot keep
   * anywhere are lost, and said so. Only outcomes with a trained result are worth a log line:
   * the others are ends (not started, cancelled) that the next process records anyway.
   */
  private keep(items: readonly Waiting[], reason: string): void {
    if (!items.length) return;
    const results = items.filter((w) => w.outcome.result).map((w) => w.outcome.runId);
    const lose = (why: string) => {
      for (const w of items) {
        this.lost.set(w.outcome.runId, why);
        w.resolve({ state: 'lost', reason: why });
      }
      if (results.length) this.log(`the result${results.length === 1 ? '' : 's'} of ${runList(results)} could not be kept: ${why}`);
    };
    if (!this.journal) return lose(`${reason} (an in-memory database has no journal)`);
    const entries: JournalEntry[] = items.map((w) => ({
      format: JOURNAL_FORMAT,
      version: JOURNAL_VERSION,
      reason,
      journaledAt: Date.now(),
      spec: w.spec,
      experimentId: w.experimentId,
      outcome: w.outcome,
    }));
    const failures: string[] = [];
    for (const file of [this.journal, fallbackJournalPathFor(this.file)]) {
      try {
        appendToJournal(file, entries);
      } catch (e) {
        failures.push(`${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
        continue;
      }
      for (const w of items) {
        this.journaled.set(w.outcome.runId, file);
        w.resolve({ state: 'journaled', reason });
      }
      if (results.length) this.log(`could not save ${runList(results)} in ${this.file}: ${reason}. Kept in ${file}; nnlab adds it to the database the next time it opens it`);
      return;
    }
    lose(`${reason}; and no recovery journal could be written either (${failures.join('; ')})`);
  }

  /**
   * Imports the recovery journal into the database (one transaction), retrying a lock up to
   * `waitMs`. Returns the report, or null when it could not (the journal stays; the reason is
   * returned in `error`). Runs this process journaled and that are now in the database leave
   * `journaled`.
   */
  async importJournal(waitMs = 0): Promise<{ report: ImportReport | null; error: StoreError | null }> {
    try {
      const report = await this.write('the recovery journal', () => importJournal(this.store, this.file), waitMs);
      for (const r of report.imported) this.journaled.delete(r.runId);
      return { report, error: null };
    } catch (e) {
      const fault = writeFault(e, this.file);
      if (fault) return { report: null, error: fault };
      throw e;
    }
  }

  /** Checkpoints the WAL into the database file (never throws; false when it could not complete). */
  checkpoint(): boolean {
    if (this.fault) return false;
    try {
      this.store.db.pragma(`busy_timeout = ${this.attemptMs}`);
      return this.store.checkpoint();
    } catch (e) {
      if (!isBusy(e)) {
        const fault = writeFault(e, this.file);
        if (fault && (FATAL_FAULTS as readonly string[]).includes(fault.code)) this.setFault(fault);
      }
      return false;
    } finally {
      this.store.db.pragma(`busy_timeout = ${this.normalTimeoutMs}`);
    }
  }
}
