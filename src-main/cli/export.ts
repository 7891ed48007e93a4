/**
 * Exports of saved runs, streamed: tidy CSV (one row per run and batch: cost, MSE, the spec
 * fields and what trained the run: the nnlab version and kernel) and the versioned JSON (runs with their specs, summaries, diagnostics and every
 * series). Both are produced piece by piece from the store's chunks (RunStore.seriesPieces), so a
 * run at the spec's maximum (20 M batches, 49 M weights) exports with bounded memory, and
 * written with backpressure, yielding to the event loop between pieces. `nnlab runs export` and
 * the app's File › Export Runs use them.
 */
import { once } from 'node:events';
import fs from 'node:fs';
import type { RunStore } from '../db/store';
import { writePieces as writeTo } from '../json-pieces';
import { fieldMeta, SPEC_KEYS } from '../trainer/spec-fields';
import { isTaskParam, taskUses } from '../trainer/tasks';
import { WEIGHT_CHECKPOINT_BYTES } from '../trainer/trainer';
import { UsageError } from './usage';

/** The spec fields the CSV has a column for (the field table's `csv`), in its order. */
const SPEC_COLUMNS = SPEC_KEYS.filter((k) => fieldMeta(k).csv);

/**
 * Rows of CSV text (about 60 KB), and numbers of JSON (about 80 KB), per piece written: pieces
 * below V8's large-object size (128 KB) are young garbage that the next scavenge takes, where
 * megabyte pieces pile up in the large-object space until a full collection (a 20 M-row export
 * reached 700 MB that way).
 */
const CSV_ROWS_PER_PIECE = 512;
const JSON_NUMBERS_PER_PIECE = 4096;

/** CSV field quoting (RFC 4180). */
function csvCell(v: unknown): string {
  const s = v === null || v === undefined ? '' : typeof v === 'number' && !Number.isFinite(v) ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Tidy CSV, in pieces: the header, then the rows of each run a stored chunk at a time. */
export function* csvPieces(store: RunStore, ids: readonly number[]): Generator<string> {
  // the last two columns say what trained each run (the JSON's provenance): an nnlab version, a kernel
  yield `${['run_id', 'status', 'batch', 'cost', 'mse', ...SPEC_COLUMNS, 'app_version', 'kernel'].join(',')}\n`;
  for (const id of ids) {
    const run = store.getRun(id)!;
    // a task parameter the run's task does not read (samples of a task that draws fresh ones) is left empty, not given a value it never had
    const spec = SPEC_COLUMNS.map((c) => (isTaskParam(c) && !taskUses(run.spec.task, c) ? '' : csvCell(fieldMeta(c).kind === 'shape' ? (run.spec[c] as number[]).join('-') : run.spec[c]))).join(',');
    const mse = store.seriesPieces(id, 'mse');
    for (const cost of store.seriesPieces(id, 'cost')) {
      const m = mse.next();
      const mseData = m.done ? null : m.value.data;
      // numbers need no quoting: the hot loop only formats them (20 M rows for the biggest run)
      const head = `${id},${csvCell(run.status)},`;
      const tail = `,${spec},${csvCell(run.appVersion)},${csvCell(run.kernel)}\n`;
      for (let at = 0; at < cost.data.length; at += CSV_ROWS_PER_PIECE) {
        let text = '';
        for (let i = at; i < Math.min(cost.data.length, at + CSV_ROWS_PER_PIECE); i++) {
          const c = cost.data[i];
          const m = mseData ? mseData[i] : NaN;
          text += `${head}${cost.from + i},${Number.isFinite(c) ? c : ''},${Number.isFinite(m) ? m : ''}${tail}`;
        }
        yield text;
      }
    }
  }
}

/** JSON numbers with NaN and ±Infinity as null, as JSON.stringify writes them. */
function numbers(data: Float64Array): string {
  let text = '';
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    text += i ? (Number.isFinite(v) ? `,${v}` : ',null') : Number.isFinite(v) ? `${v}` : 'null';
  }
  return text;
}

/** Stands in for a run's series in its JSON until they are streamed there (no run field holds it). */
const SERIES_HOLE = `nnlab-series-${Math.random().toString(36).slice(2)}`;

const jsonReplacer = (_k: string, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v instanceof Float64Array ? Array.from(v) : v);

/**
 * The versioned JSON export, in pieces: `{format: 'nnlab-runs', version: 1, exportedAt, runs:
 * [{...run, series: {name: {shape, data}}, weightCheckpoints}]}` — the same document a
 * JSON.stringify of the whole would give, never held whole.
 */
export function* jsonPieces(store: RunStore, ids: readonly number[], exportedAt: Date = new Date()): Generator<string> {
  yield `{"format":"nnlab-runs","version":1,"exportedAt":${JSON.stringify(exportedAt.toISOString())},"runs":[`;
  for (const [i, id] of ids.entries()) {
    const run = store.getRun(id)!;
    // the run's fields as JSON.stringify writes them, with the series streamed in their place
    const [before, after] = JSON.stringify({ ...run, series: SERIES_HOLE }, jsonReplacer).split(`"${SERIES_HOLE}"`);
    yield `${i ? ',' : ''}${before}{`;
    for (const [j, info] of run.series.filter((x) => !WEIGHT_SERIES.has(x.name)).entries()) {
      yield `${j ? ',' : ''}${JSON.stringify(info.name)}:{"shape":${JSON.stringify(info.shape)},"data":[`;
      let first = true;
      for (const piece of store.seriesPieces(id, info.name)) {
        for (let at = 0; at < piece.data.length; at += JSON_NUMBERS_PER_PIECE) {
          yield `${first ? '' : ','}${numbers(piece.data.subarray(at, at + JSON_NUMBERS_PER_PIECE))}`;
          first = false;
        }
      }
      yield ']}';
    }
    yield `}${after.slice(0, -1)},"weightCheckpoints":`;
    yield* weightCheckpointPieces(store, id);
    yield '}';
  }
  yield ']}\n';
}

/** The series the JSON export gives as weightCheckpoints (one row of weights per batch) instead of as series. */
const WEIGHT_SERIES = new Set(['weightBatches', 'weights']);

/**
 * A run's weightCheckpoints in the JSON export: `{batches, weights: [[…], …], checkpoints, thinned,
 * maxBytes}` — each row the flat weights at a kept checkpoint in finalWeights' order, the last row
 * finalWeights — or null for a run without them; the rows streamed from the stored chunks.
 */
function* weightCheckpointPieces(store: RunStore, id: number): Generator<string> {
  const info = store.weightCheckpointsInfo(id);
  if (!info) {
    yield 'null';
    return;
  }
  const n = info.weightCount;
  yield `{"batches":${JSON.stringify(info.batches)},"weights":[`;
  let at = 0; // values written so far
  for (const piece of store.seriesPieces(id, 'weights')) {
    let text = '';
    for (let i = 0; i < piece.data.length; i++, at++) {
      const v = piece.data[i];
      const col = at % n;
      text += `${col === 0 ? (at ? '],[' : '[') : ','}${Number.isFinite(v) ? v : 'null'}`;
      if (text.length > 60_000) {
        yield text;
        text = '';
      }
    }
    yield text;
  }
  yield `${at ? ']' : ''}],"checkpoints":${info.checkpoints},"thinned":${info.thinned},"maxBytes":${WEIGHT_CHECKPOINT_BYTES}}`;
}

/** The whole CSV as one string (small exports and tests; a big one should be streamed with writePieces). */
export function runsToCsv(store: RunStore, ids: readonly number[]): string {
  return [...csvPieces(store, ids)].join('');
}

/**
 * Writes the pieces to `file` (`-`: standard output) with backpressure, so memory holds a piece
 * or two at a time. A file that cannot be written is a UsageError naming it.
 */
export async function writePieces(file: string, pieces: Iterable<string>): Promise<void> {
  if (file === '-') {
    await writeTo(process.stdout, pieces);
    return;
  }
  const out = fs.createWriteStream(file);
  const failed = new Promise<never>((_, reject) => out.once('error', reject));
  try {
    await Promise.race([once(out, 'open'), failed]);
    await Promise.race([writeTo(out, pieces), failed]);
    out.end();
    await Promise.race([once(out, 'finish'), failed]);
  } catch (e) {
    out.destroy();
    throw new UsageError(`${file}: cannot write (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}
