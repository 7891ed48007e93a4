/**
 * The recovery journal: outcomes of finished runs that could not be written to the database
 * (another program held the lock past the retry limit, the disk filled, the file turned
 * read-only) are appended to `<database>.pending.jsonl` beside it, one JSON object a line, each
 * line fsync'd before the lab reports where the result is. The next nnlab process that opens
 * the database for writing imports every line in one transaction and removes the file.
 *
 * Series must come back bit for bit, so Float64Arrays are written as base64 of their bytes
 * (`{"$f64": "..."}`, native byte order as in the database's BLOBs) and numbers JSON cannot hold
 * (NaN, ±Infinity, −0) as `{"$num": "NaN"}`.
 *
 * Importing claims the file first (renames it to `.importing-<pid>`), inside the write
 * transaction, so two processes opening the database at once do not both import it; a claimed
 * file whose process died is imported by the next one. An appender that finds its file was
 * claimed while it wrote appends its line again: an outcome may then be imported twice, which
 * writes the same row twice, never loses one.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RunSpec } from '../trainer/spec';
import { canonicalJson } from './config-key';
import { errorCode, writeFault } from './faults';
import { isProcessAlive } from './owner';
import { float64FromBlob, type RunStore } from './store';
import type { RunOutcome } from './types';

export const JOURNAL_FORMAT = 'nnlab-pending';
export const JOURNAL_VERSION = 1;

/** One line of the journal. */
export interface JournalEntry {
  format: typeof JOURNAL_FORMAT;
  version: typeof JOURNAL_VERSION;
  /** Why the outcome went to the journal instead of the database. */
  reason: string;
  journaledAt: number;
  /** The run's spec, to recognise its row on import (and to record the run again if its row is gone). */
  spec: RunSpec;
  experimentId: number | null;
  outcome: RunOutcome;
}

export function journalPathFor(databaseFile: string): string {
  return `${databaseFile}.pending.jsonl`;
}

/**
 * Where outcomes go when the journal beside the database cannot be written either (its disk is
 * full, its folder read-only): a file in the temporary folder named after the database's path,
 * which the import looks at too. A temporary folder may be emptied at restart, so the message
 * that names it says to open the database soon.
 */
export function fallbackJournalPathFor(databaseFile: string): string {
  const id = createHash('sha256').update(path.resolve(databaseFile)).digest('hex').slice(0, 16);
  return path.join(os.tmpdir(), `nnlab-pending-${path.basename(databaseFile)}-${id}.jsonl`);
}

/** Lines that could not be imported (damaged, or refused by the store) are moved here, never dropped. */
export function rejectedPathFor(databaseFile: string): string {
  return `${databaseFile}.pending.rejected.jsonl`;
}

const F64 = '$f64';
const NUM = '$num';

/** One journal line: JSON with Float64Arrays as base64 of their bytes and exact non-finite numbers. */
export function encodeEntry(entry: JournalEntry): string {
  return JSON.stringify(entry, function (key, value: unknown) {
    // `this[key]` is the value before toJSON: a Float64Array arrives here as itself
    const raw = (this as Record<string, unknown>)[key];
    if (raw instanceof Float64Array) return { [F64]: Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('base64') };
    if (typeof raw === 'number' && (!Number.isFinite(raw) || Object.is(raw, -0))) return { [NUM]: Object.is(raw, -0) ? '-0' : String(raw) };
    return value;
  });
}

export function decodeEntry(line: string): JournalEntry {
  const entry = JSON.parse(line, (_key, value: unknown) => {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const o = value as Record<string, unknown>;
      const keys = Object.keys(o);
      if (keys.length === 1 && typeof o[F64] === 'string') return float64FromBlob(Buffer.from(o[F64] as string, 'base64'));
      if (keys.length === 1 && typeof o[NUM] === 'string') {
        const n = o[NUM] === '-0' ? -0 : Number(o[NUM]);
        if (Number.isNaN(n) && o[NUM] !== 'NaN') throw new Error(`bad number ${String(o[NUM])}`);
        return n;
      }
    }
    return value;
  }) as JournalEntry;
  if (entry?.format !== JOURNAL_FORMAT) throw new Error('not an nnlab journal line');
  if (entry.version !== JOURNAL_VERSION) throw new Error(`journal version ${String(entry.version)}, this nnlab reads version ${JOURNAL_VERSION}`);
  if (!entry.outcome || !Number.isInteger(entry.outcome.runId) || typeof entry.spec !== 'object') throw new Error('incomplete journal line');
  return entry;
}

function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // not every platform can fsync a folder (Windows): the file's own fsync is what matters most
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/**
 * Appends entries to the journal and fsyncs it. On failure (a full disk) the file is cut back to
 * its size before, so no half line is left, and the error is thrown.
 */
export function appendToJournal(file: string, entries: readonly JournalEntry[]): void {
  const text = entries.map((e) => `${encodeEntry(e)}\n`).join('');
  for (let attempt = 0; attempt < 2; attempt++) {
    const existed = fs.existsSync(file);
    const fd = fs.openSync(file, 'a', 0o600);
    let size = 0;
    try {
      size = fs.fstatSync(fd).size;
      fs.writeSync(fd, text);
      fs.fsyncSync(fd);
    } catch (e) {
      try {
        fs.ftruncateSync(fd, size);
      } catch {
        // the write failed and so does cutting it back: the reader skips a damaged last line
      }
      fs.closeSync(fd);
      if (!existed && size === 0) fs.rmSync(file, { force: true });
      throw e;
    }
    const mine = fs.fstatSync(fd);
    fs.closeSync(fd);
    if (!existed) fsyncDir(path.dirname(file));
    let now: fs.Stats | null = null;
    try {
      now = fs.statSync(file);
    } catch {
      now = null;
    }
    // an importer claimed (renamed) the file while this line was written: write it again
    if (now && now.ino === mine.ino && now.dev === mine.dev) return;
  }
}

export interface ImportReport {
  /** Runs whose outcome came into the database; `recordedAs` when the run's row was gone and it was recorded anew. */
  imported: { runId: number; status: string; withResult: boolean; recordedAs?: number }[];
  /** The journal files the entries came from. */
  files: string[];
  /** Lines that could not be imported, kept in the rejected file. */
  rejected: { line: number; reason: string }[];
  /** Where the rejected lines went (when there were any). */
  rejectedFile: string | null;
}

/** Journal files waiting to be imported: the journal, its fallback, and claims of processes that died. */
function waitingFiles(databaseFile: string): string[] {
  const found: string[] = [];
  for (const journal of [journalPathFor(databaseFile), fallbackJournalPathFor(databaseFile)]) {
    const dir = path.dirname(journal);
    const base = path.basename(journal);
    if (fs.existsSync(journal)) found.push(journal);
    let names: string[] = [];
    try {
      names = fs.readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      const m = name.startsWith(`${base}.importing-`) ? /\.importing-(\d+)$/.exec(name) : null;
      if (m && (Number(m[1]) === process.pid || !isProcessAlive(Number(m[1])))) found.push(path.join(dir, name));
    }
  }
  return found;
}

/** The journal a waiting file belongs to (itself, or the one it was claimed from). */
function journalOf(file: string): string {
  return file.replace(/\.importing-\d+$/, '');
}

/** Whether a journal is waiting beside this database (cheap: one or two stat calls). */
export function hasJournal(databaseFile: string): boolean {
  return waitingFiles(databaseFile).length > 0;
}

/** The journal files waiting beside (or for) this database. */
export function waitingJournals(databaseFile: string): string[] {
  return [...new Set(waitingFiles(databaseFile).map(journalOf))];
}

/** The run ids whose outcomes wait in the journal (damaged lines are skipped). */
export function journaledRunIds(databaseFile: string): number[] {
  const ids: number[] = [];
  for (const file of waitingFiles(databaseFile)) {
    for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      try {
        ids.push(decodeEntry(line).outcome.runId);
      } catch {
        // counted by the import as rejected
      }
    }
  }
  return ids;
}

/**
 * Imports every waiting journal into `store` in ONE write transaction, then removes the files.
 * An entry whose run's row still exists (same spec and seeds) finishes that row; one whose row
 * is gone (deleted, or another database under the same name) is recorded as a new run with a
 * note. Throws (files untouched) when the transaction cannot be had or fails; SQLITE_BUSY
 * included, so callers decide whether to wait.
 */
export function importJournal(store: RunStore, databaseFile: string = store.file): ImportReport {
  const report: ImportReport = { imported: [], files: [], rejected: [], rejectedFile: null };
  if (waitingFiles(databaseFile).length === 0) return report;
  const claimed: { file: string; size: number; journal: string }[] = [];
  const rejectedLines: string[] = [];
  try {
    store.transaction(() => {
      for (const file of waitingFiles(databaseFile)) {
        const journal = journalOf(file);
        const claim = file === journal ? `${journal}.importing-${process.pid}` : file;
        if (claim !== file) {
          if (fs.existsSync(claim)) mergeInto(claim, file);
          else fs.renameSync(file, claim);
        }
        const text = fs.readFileSync(claim, 'utf8');
        claimed.push({ file: claim, size: Buffer.byteLength(text), journal });
        if (!report.files.includes(journal)) report.files.push(journal);
        text.split('\n').forEach((line, i) => {
          if (!line.trim()) return;
          let entry: JournalEntry;
          try {
            entry = decodeEntry(line);
          } catch (e) {
            report.rejected.push({ line: i + 1, reason: `damaged line: ${(e as Error).message}` });
            rejectedLines.push(line);
            return;
          }
          try {
            report.imported.push(importEntry(store, entry, journalPathFor(databaseFile)));
          } catch (e) {
            if (writeFault(e, databaseFile)) throw e;
            report.rejected.push({ line: i + 1, reason: (e as Error).message });
            rejectedLines.push(line);
          }
        });
      }
    });
  } catch (e) {
    // rolled back: give every claimed line back to the journal
    for (const c of claimed) restoreClaim(c.file, c.journal);
    throw e;
  }
  if (rejectedLines.length) {
    report.rejectedFile = rejectedPathFor(databaseFile);
    fs.appendFileSync(report.rejectedFile, rejectedLines.map((l) => `${l}\n`).join(''));
  }
  for (const c of claimed) {
    // lines appended after the file was read (a claim that raced an appender) go back to the journal
    const size = fs.statSync(c.file).size;
    if (size > c.size) {
      const fd = fs.openSync(c.file, 'r');
      const late = Buffer.alloc(size - c.size);
      fs.readSync(fd, late, 0, late.length, c.size);
      fs.closeSync(fd);
      fs.appendFileSync(c.journal, late);
    }
    fs.unlinkSync(c.file);
  }
  return report;
}

function mergeInto(target: string, source: string): void {
  fs.appendFileSync(target, fs.readFileSync(source));
  fs.unlinkSync(source);
}

function restoreClaim(claim: string, journal: string): void {
  if (claim === journal || !fs.existsSync(claim)) return;
  try {
    if (fs.existsSync(journal)) mergeInto(journal, claim);
    else fs.renameSync(claim, journal);
  } catch (e) {
    // the claim stays under its own name; the next process imports it (its pid is ours, gone by then)
    if (errorCode(e) !== 'ENOENT') return;
  }
}

function importEntry(store: RunStore, entry: JournalEntry, journal: string): ImportReport['imported'][number] {
  const o = entry.outcome;
  const row = store.getRun(o.runId);
  if (row && canonicalJson(row.spec) === canonicalJson(entry.spec)) {
    store.recordOutcome(o);
    return { runId: o.runId, status: o.status, withResult: o.result !== null };
  }
  const experimentId = entry.experimentId !== null && store.getExperiment(entry.experimentId) ? entry.experimentId : null;
  const note = `recovered from ${path.basename(journal)}: the outcome of run #${o.runId}, whose row was ${row ? 'another run' : 'gone'} when it was imported`;
  const id = store.createRun(entry.spec, { experimentId, notes: note });
  store.recordOutcome({ ...o, runId: id });
  return { runId: o.runId, status: o.status, withResult: o.result !== null, recordedAs: id };
}
