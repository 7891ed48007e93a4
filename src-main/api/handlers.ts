/**
 * The main-side implementation of the API contract, shared by the Electron IPC glue and the HTTP
 * server: `dispatch(name, request)` validates the name and the request, runs the handler, and
 * returns errors as data (never throws across the boundary).
 */
import { z } from 'zod';
import { StoreError } from '../db/errors';
import type { RunRecord, Series, SeriesInfo } from '../db/types';
import { PREVIEW_MAX_WEIGHTS, SERIES_POINTS } from '../limits';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { type LabEvent, type LabService, NotSteppableError, type StepAnswer } from '../lab/service';
import { isEnded } from '../analysis/status';
import { lastReachedCheckpoint } from '../analysis/checkpoints';
import { revivedOutputUnits } from '../analysis/findings';
import { KERNEL_CHOICES } from '../trainer/backends';
import { DEFAULT_MAX_WEIGHTS, DEFAULT_SPEC, parseRunSpec, type RunSpec, RunSpecSchema, SpecError, specChoices, specErrorOf, weightCount } from '../trainer/spec';
import { outOfReachText, outputOutOfReach } from '../analysis/output-reach';
import { Trainer, WEIGHT_CHECKPOINT_BYTES } from '../trainer/trainer';
import { DEFAULT_QUEUE_NAME, parseQueueTarget, QueueConfigError, ref } from '../queue/connection';
import { APP_VERSION } from '../version';
import { type ApiError, type ApiName, type ApiRequest, ApiRequests, type ApiResponses, type ApiResult, type InitPreview, costPointsFor, isApiName, type LabEventWire, MAX_COMPARE_RUNS, MAX_WEIGHT_VALUES, type NetworkFile, type PackedWireSeries, type WireSeries, type WireStepAnswer, type WireWeightCheckpoints } from './contract';

import { SEED_LINE_BATCHES } from '../analysis/seed-line';
import { QueryError } from '../analysis/query';
import { tableRequestError } from '../analysis/run-table';
import { answerQuery, keepListing, keepsListing, storeRunFields } from '../db/query-runs';
import { type NetworkFormat, networkExport } from '../cli/network-export';
import { UsageError } from '../cli/usage';
import { type RunStore, SERIES_CHUNK_VALUES } from '../db/store';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { CsvError, readCsv, readCsvFile } from '../data/csv';
import type { Table } from '../trainer/table';
import { type DataContext, taskInfo } from '../trainer/task-resolve';
import { type Task, TASK_DEFS, TASK_PARAMS, trainingSamples } from '../trainer/tasks';
import { type TableSource, taskFor } from '../data/sources';
import { isShortHash, wholeHash, withWholeDatasets } from '../data/short-hash';
import { learnedView } from './learned';

const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);

/**
 * The points a decimated series keeps, in order, or null when maxPoints keeps them all: every k-th
 * point and the last, its first and last SEED_LINE_BATCHES points kept whole when maxPoints
 * leaves room for them (the seed's closing line, analysis/seed-line, reads both ends).
 */
export function decimationIndex(n: number, maxPoints: number): number[] | null {
  if (n <= maxPoints) return null;
  // the ends take at most a quarter of the points; the middle is every k-th point of the rest
  const ends = Math.min(SEED_LINE_BATCHES, Math.floor(maxPoints / 4));
  const stride = Math.ceil((n - 2 * ends) / Math.max(1, maxPoints - 2 * ends));
  const index: number[] = [];
  for (let i = 0; i < ends; i++) index.push(i);
  for (let i = ends; i < n - ends; i += stride) index.push(i);
  for (let i = n - ends; i < n; i++) index.push(i);
  if (index[index.length - 1] !== n - 1) index.push(n - 1);
  return index;
}

/**
 * A stored series for the wire: whole, decimated to maxPoints (by default when longer than
 * SERIES_POINTS.default; see decimationIndex), or the page [from, from + count). Read one stored
 * chunk at a time, with the event loop let through between chunks, so a run of 20 M batches
 * neither fills the server's memory nor stalls it.
 */
export async function readWireSeries(store: RunStore, id: number, info: SeriesInfo, want: { maxPoints?: number; from?: number; count?: number }): Promise<WireSeries> {
  const n = info.length;
  const paged = want.from !== undefined || want.count !== undefined;
  const from = paged ? Math.min(want.from ?? 0, n) : 0;
  const end = paged ? Math.min(n, from + (want.count ?? SERIES_POINTS.max)) : n;
  const index = paged ? null : decimationIndex(n, want.maxPoints ?? SERIES_POINTS.default);
  const data: (number | null)[] = [];
  let k = 0;
  for (const p of store.seriesPieces(id, info.name)) {
    const pieceEnd = p.from + p.data.length;
    if (pieceEnd <= from) continue;
    if (p.from >= end) break;
    if (index) {
      for (; k < index.length && index[k] < pieceEnd; k++) data.push(finite(p.data[index[k] - p.from]));
    } else {
      for (let i = Math.max(from, p.from); i < Math.min(end, pieceEnd); i++) data.push(finite(p.data[i - p.from]));
    }
    await yieldToLoop();
  }
  if (paged) return { shape: info.shape, from, data, length: n };
  return index ? { shape: info.shape, index, data, length: n } : { shape: info.shape, data, length: n };
}

/** A series read whole, for the wire as readWireSeries gives it (decimated to maxPoints, default SERIES_POINTS.default). */
export function wireOfWhole(s: Series, maxPoints?: number): WireSeries {
  const index = decimationIndex(s.length, maxPoints ?? SERIES_POINTS.default);
  const data = index ? index.map((i) => finite(s.data[i])) : Array.from(s.data, finite);
  return index ? { shape: s.shape, index, data, length: s.length } : { shape: s.shape, data, length: s.length };
}

/** A wire series packed (contract.ts PackedWireSeries: float64 and uint32, little-endian, base64). */
export function packSeries(s: WireSeries): PackedWireSeries {
  const values = new Float64Array(s.data.length);
  for (let i = 0; i < values.length; i++) values[i] = s.data[i] ?? NaN;
  const out: PackedWireSeries = { shape: s.shape, length: s.length, f64: Buffer.from(values.buffer).toString('base64') };
  if (s.index) out.index32 = Buffer.from(Uint32Array.from(s.index).buffer).toString('base64');
  if (s.from !== undefined) out.from = s.from;
  return out;
}

/**
 * Where the last checkpoint the run reached lies in a checkpoint series (its first axis the run's
 * checkpoints, `shape`): the page [from, from + count) of its flat values; null when the series is
 * to go whole: its rows are not the checkpoints, the run reached none, or the findings read every
 * row (an output unit dead at init came back, and they say when).
 */
export function lastCheckpointRows(shape: readonly number[], batches: ArrayLike<number> | undefined, run: RunRecord): { from: number; count: number } | null {
  if (!batches || shape.length < 2 || shape[0] !== batches.length) return null;
  if (run.diagnostics && revivedOutputUnits(run.diagnostics).length) return null;
  const k = lastReachedCheckpoint(Array.from(batches, (b) => (Number.isFinite(b) ? b : null)), run.batchesRun);
  if (k < 0) return null;
  const count = shape.slice(1).reduce((a, b) => a * b, 1);
  return { from: k * count, count };
}

/** Entries from..from + count − 1 of a run's weight checkpoints (as many as MAX_WEIGHT_VALUES allows), or null without them. */
function wireWeights(store: RunStore, id: number, from: number, count?: number): WireWeightCheckpoints | null {
  const w = store.getWeightCheckpoints(id);
  if (!w) return null;
  const fits = Math.max(1, Math.floor(MAX_WEIGHT_VALUES / Math.max(1, w.weightCount)));
  const to = Math.min(w.batches.length, from + Math.min(count ?? fits, fits));
  const weights: (number | null)[][] = [];
  for (let k = from; k < to; k++) weights.push(Array.from(w.weights.subarray(k * w.weightCount, (k + 1) * w.weightCount), finite));
  return { batches: w.batches, weightCount: w.weightCount, checkpoints: w.checkpoints, thinned: w.thinned, maxBytes: WEIGHT_CHECKPOINT_BYTES, from, weights };
}

const NETWORK_FILE = { weights: ['json', 'application/json'], numpy: ['py', 'text/x-python'], onnx: ['onnx', 'application/octet-stream'] } as const;

/** A run's network export as a file for the wire; a run without a trained network is a RequestError saying so. */
function networkFile(store: RunStore, id: number, format: NetworkFormat): NetworkFile {
  let data: string | Uint8Array;
  try {
    data = networkExport(store, id, format);
  } catch (e) {
    if (e instanceof UsageError) throw new RequestError('id', e.message);
    throw e;
  }
  const [ext, mediaType] = NETWORK_FILE[format];
  const fileName = `nnlab-run-${id}${format === 'weights' ? '-weights' : ''}.${ext}`;
  return typeof data === 'string' ? { fileName, mediaType, text: data } : { fileName, mediaType, base64: Buffer.from(data).toString('base64') };
}

export function toWireEvent(e: LabEvent): LabEventWire {
  if (e.type === 'run/progress') return { ...e, cost: finite(e.cost), costs: Array.from(e.costs, finite) };
  if (e.type === 'run/paused') return { ...e, cost: finite(e.cost), testLoss: finite(e.testLoss), testMetric: finite(e.testMetric) };
  return e;
}

/** A step-through answer for the wire: NaN and infinities as null, the weights as plain numbers. */
function wireStep(a: StepAnswer): WireStepAnswer {
  if (a.state !== 'paused') return a;
  const { at } = a;
  return { state: 'paused', at: { batchesDone: at.batchesDone, batches: at.batches, cost: finite(at.cost), testLoss: finite(at.testLoss), testMetric: finite(at.testMetric), weights: at.weights ? Array.from(at.weights, finite) : null } };
}

/** The init inspector: initial weights' histogram, units dead at init, pre-activation spread. */
export function previewInit(input: unknown, maxWeights?: number, data?: { context: DataContext; tables: TableSource }): InitPreview {
  // one batch of one row is enough to build the network (epochs would stand instead of batches: left out)
  const { epochs: _epochs, ...rest } = (input ?? {}) as Record<string, unknown>;
  const spec = parseRunSpec({ ...rest, batches: 1, batchSize: 1, checkpoints: 0 }, { maxWeights, data: data?.context });
  const sampling = TASK_DEFS[spec.task].sampling;
  if (sampling === 'images') {
    const def = TASK_DEFS[spec.task] as { inputs: number; width: number; height: number };
    throw new UnavailableError(
      `no init preview for ${spec.task}: its ${def.inputs} inputs are ${def.width}×${def.height} images read from the data set's files, too many to probe here; the run itself can be started, and its page shows what it learned`,
    );
  }
  // a table's task is built from its data set (the columns the spec uses)
  const trainer = new Trainer(spec, { timingEvery: 0, task: sampling === 'table' && data ? taskFor(spec, data.tables) : undefined });
  const w = trainer.params.flat;
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of w) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo === hi) {
    lo -= 0.5;
    hi += 0.5;
  }
  const bins = 30;
  const counts = new Array<number>(bins).fill(0);
  for (const v of w) counts[Math.min(bins - 1, Math.floor(((v - lo) / (hi - lo)) * bins))]++;
  const edges = Array.from({ length: bins + 1 }, (_, i) => lo + ((hi - lo) * i) / bins);
  const health = trainer.healthAtInit;
  return {
    histogram: { edges, counts },
    deadAtInit: health.dead.map((d) => d.length),
    units: spec.shape.slice(1),
    preActivation: health.preActivation,
    probe: trainer.task.probeDescription,
    outOfReach: outOfReachOf(spec, trainer.task),
  };
}

/** What the preview says of targets the output layer cannot reach, in the form's words. */
function outOfReachOf(spec: RunSpec, task: Task): string | null {
  if (task.kind !== 'regression') return null;
  const reach = outputOutOfReach(spec, task.test.targets, task.outputs, task.outputNames);
  return reach && outOfReachText(reach, 'Output layer: linear');
}

type Handlers = { [N in ApiName]: (req: z.output<(typeof ApiRequests)[N]>) => ApiResponses[N] | Promise<ApiResponses[N]> };

/** What only the desktop app can do for the DESKTOP_ONLY calls (its system dialogs). */
export interface DesktopHandlers {
  openFile(req: z.output<(typeof ApiRequests)['dialog/openFile']>): Promise<{ path: string | null }>;
}

export function createHandlers(lab: LabService, info: { database: string; maxWeights?: number; desktop?: DesktopHandlers; log?: (line: string) => void; opened?: readonly string[] }): Handlers {
  const { store, writes } = lab;
  /** A call that changes the database: refused at once when the lab cannot write, else it waits out another program's lock. */
  const change = async <T>(what: string, fn: () => T): Promise<T> => writes.write(what, fn);
  /** Before starting runs: a lock held by another program delays the start (up to the write path's limit). */
  const beforeStart = async () => {
    if (lab.refusal) throw lab.refusal;
    await writes.ready('a new run');
  };
  /** A short data set hash (as the app and `nnlab data list` show it) made whole from the database's data sets, or refused naming the field. */
  const wholeDataset = (prefix: string): string => {
    const found = wholeHash(prefix, store.datasets.list().map((d) => d.sha256), 'Data lists them');
    if ('hash' in found) return found.hash;
    throw new SpecError('dataset', found.reason);
  };
  const requireRun = (id: number) => {
    const run = store.getRun(id);
    if (!run) throw new NotFoundError(`there is no run ${id}`);
    return run;
  };
  return {
    'lab/status': () => {
      return {
        version: APP_VERSION,
        poolSize: lab.poolSize,
        queued: store.countRuns({ status: 'queued' }),
        running: store.countRuns({ status: 'running' }),
        database: info.database,
        desktop: !!info.desktop,
        readOnly: store.db.readonly ? (lab.refusal?.message ?? `${info.database} is open read-only`) : null,
        fault: !store.db.readonly && lab.refusal ? lab.refusal.message : null,
        journaled: [...writes.journaled.keys()],
        opened: [...(info.opened ?? [])],
      };
    },
    'spec/defaults': () => ({
      spec: DEFAULT_SPEC,
      choices: { ...specChoices(), kernel: KERNEL_CHOICES },
      maxWeights: info.maxWeights ?? DEFAULT_MAX_WEIGHTS,
      version: APP_VERSION,
    }),
    'spec/preview': (req) => {
      // the preview builds the network here, on the server's thread: a big one is refused, not waited for
      // the spec is checked as the run will read it: epochs (they stand instead of batches) as given, else
      // one batch; the batch as given, so a form hears before Run of a batch its training set cannot fill
      const given = req.spec as Record<string, unknown>;
      const spec = parseRunSpec(given.epochs !== undefined ? { ...given, checkpoints: 0 } : { ...given, batches: 1, checkpoints: 0 }, { maxWeights: info.maxWeights, data: lab.data });
      const weights = weightCount(spec.shape);
      if (weights > PREVIEW_MAX_WEIGHTS) {
        throw new UnavailableError(
          `the init preview is drawn for networks of up to ${PREVIEW_MAX_WEIGHTS.toLocaleString('en-US')} weights, and this one has ${weights.toLocaleString('en-US')}; the run itself can be started`,
        );
      }
      return previewInit(req.spec, info.maxWeights, { context: lab.data, tables: lab.tables });
    },
    'spec/task': (req) => {
      // only the task's own settings are read: a form whose shape does not fit its task yet asks what would
      const settings: Record<string, unknown> = {};
      for (const key of ['task', 'dataSeed', ...TASK_PARAMS]) if (req.spec[key] !== undefined) settings[key] = req.spec[key];
      const parsed = RunSpecSchema.safeParse(settings);
      if (!parsed.success) throw specErrorOf(parsed.error);
      const info = taskInfo(parsed.data, lab.data);
      const table = parsed.data.dataset ? lab.data.table?.(parsed.data.dataset) : undefined;
      return { task: info && { name: info.name, kind: info.kind, inputs: info.inputs, outputs: info.outputs, defaults: info.defaults, trainSamples: trainingSamples(parsed.data, table) } };
    },
    'runs/start': async (req) => {
      await beforeStart();
      const spec = isShortHash(req.spec.dataset) ? { ...req.spec, dataset: wholeDataset(req.spec.dataset) } : req.spec;
      return { runId: lab.startRun(spec, { notes: req.notes, tags: req.tags, paused: req.paused }) };
    },
    'runs/identical': (req) => ({ runs: lab.identicalRuns(req.spec) }),
    'runs/list': (req) => ({ runs: store.listRuns(req), total: store.countRuns({ status: req.status, experimentId: req.experimentId, search: req.search }) }),
    'runs/ids': (req) => ({ ids: store.runIds({ experimentId: req.experimentId }) }),
    'runs/table': (req) => runsTablePage(store, req),
    'runs/get': (req) => ({ run: requireRun(req.id) }),
    'runs/series': async (req) => {
      const run = requireRun(req.id);
      const out: Record<string, WireSeries> = {};
      for (const name of req.names ?? run.series.map((s) => s.name)) {
        const info = store.seriesInfo(req.id, name);
        if (info) out[name] = await readWireSeries(store, req.id, info, req);
      }
      return { series: out };
    },
    'runs/compare': async (req) => {
      const runs: ApiResponses['runs/compare']['runs'] = [];
      const missing: number[] = [];
      const all = req.ids ?? store.runIds({ experimentId: req.experimentId });
      const costPoints = costPointsFor(all.length);
      for (const id of req.ids ?? all.slice(0, MAX_COMPARE_RUNS)) {
        const run = store.getRun(id);
        if (!run) {
          missing.push(id);
          continue;
        }
        const series: Record<string, WireSeries | PackedWireSeries> = {};
        // the record lists the run's series: the short ones are read in one query, a long one a stored chunk at a time
        const infos = new Map(run.series.map((i) => [i.name, i]));
        const short = req.series.filter(({ name }) => (infos.get(name)?.length ?? Infinity) <= SERIES_CHUNK_VALUES).map((w) => w.name);
        // a checkpoint series' last row is found by the run's checkpoint batches
        const lastRow = req.series.some((w) => w.checkpoint === 'last') && infos.has('checkpointBatches');
        if (lastRow && !short.includes('checkpointBatches')) short.push('checkpointBatches');
        const whole = short.length ? store.getSeries(id, short) : {};
        for (const { name, maxPoints: asked, checkpoint } of req.series) {
          const maxPoints = asked === 'comparison' ? costPoints : asked;
          const info = infos.get(name);
          if (!info) continue;
          const read = whole[name];
          const rows = checkpoint === 'last' ? lastCheckpointRows(info.shape, whole.checkpointBatches?.data, run) : null;
          let wire: WireSeries;
          if (rows && read) wire = { shape: read.shape, from: rows.from, data: Array.from(read.data.subarray(rows.from, rows.from + rows.count), finite), length: read.length };
          else if (rows) wire = await readWireSeries(store, id, info, rows);
          else wire = read ? wireOfWhole(read, maxPoints) : await readWireSeries(store, id, info, { maxPoints });
          series[name] = req.packed ? packSeries(wire) : wire;
        }
        runs.push({ run, series });
        await yieldToLoop();
      }
      return req.ids ? { runs, missing } : { runs, missing, ids: all };
    },
    'runs/weights': (req) => {
      requireRun(req.id);
      return { weights: wireWeights(store, req.id, req.from ?? 0, req.count) };
    },
    'runs/learned': (req) => learnedView(store, requireRun(req.id), lab.data, req.images),
    'runs/exportNetwork': (req) => {
      requireRun(req.id);
      return networkFile(store, req.id, req.format);
    },
    'runs/cancel': (req) => ({ cancelled: lab.cancel(req.id) }),
    'runs/control': async (req) => {
      const run = requireRun(req.id);
      try {
        return wireStep(await lab.control(req.id, req.action === 'step' ? { type: 'step', batches: req.batches ?? 1 } : { type: req.action }));
      } catch (e) {
        if (!(e instanceof NotSteppableError)) throw e;
        // the store says why when the run has ended (a step on a finished run is a user's doing: a message, no trace)
        const now = store.getRun(req.id)?.status ?? run.status;
        throw new UnavailableError(isEnded(now) ? `run #${req.id} has ended (${now}): there is nothing left to pause, step or resume` : e.message);
      }
    },
    'runs/update': async (req) => ({ updated: await change(`the notes of run #${req.id}`, () => store.updateRun(req.id, { notes: req.notes, tags: req.tags })) }),
    'runs/delete': async (req) => {
      if (lab.refusal) throw lab.refusal;
      for (const id of req.ids) lab.cancel(id);
      return { deleted: await change(`the deletion of ${req.ids.length} run(s)`, () => req.ids.filter((id) => store.deleteRun(id)).length) };
    },
    'runs/replicate': async (req) => {
      await beforeStart();
      return lab.replicate(req.id, req.k);
    },
    'runs/verify': async (req) => {
      requireRun(req.id);
      let report;
      try {
        report = await lab.verify(req.id);
      } catch (e) {
        if (e instanceof RangeError) throw new UnavailableError(e.message);
        throw e;
      }
      const verification = store.latestVerification(req.id);
      if (!verification) throw new Error(`the check of run ${req.id} was not stored`);
      return { report, verification };
    },
    'sweeps/start': async (req) => {
      await beforeStart();
      if (req.queue && !lab.attachedQueue) throw new SpecError('queue', 'connect the lab to a job queue first (queue/connect)');
      return lab.startSweep(withWholeDatasets(req.sweep, wholeDataset), req.queue ? { queue: req.queue } : {});
    },
    'queue/connect': async (req) => {
      let target;
      try {
        target = parseQueueTarget(req.url, req.name ?? DEFAULT_QUEUE_NAME, 'url');
      } catch (e) {
        if (e instanceof QueueConfigError) throw new SpecError(e.field === '--queue-name' ? 'name' : 'url', e.reason);
        throw e;
      }
      const attached = lab.attachedQueue;
      if (attached) {
        if (attached.ref.name === ref(target).name && attached.ref.redis === ref(target).redis) return { queue: attached.description, waiting: lab.remoteWaiting };
        throw new UnavailableError(`the lab is connected to ${attached.description}; restart it to use another queue`);
      }
      // loaded on first use: BullMQ takes a few hundred ms to load
      const [{ RunQueue }, { QueueUnreachableError }] = await Promise.all([import('../queue/lab-queue'), import('../queue/redis')]);
      let queue;
      try {
        queue = await RunQueue.open(target, { log: info.log ?? ((line) => process.stderr.write(`nnlab: ${line}\n`)) });
      } catch (e) {
        if (e instanceof QueueUnreachableError) throw new UnavailableError(e.message);
        throw e;
      }
      await lab.attachQueue(queue);
      return { queue: queue.description, waiting: lab.remoteWaiting };
    },
    'queue/status': () => {
      const q = lab.attachedQueue;
      // the attached queue's runs are being collected; the others wait for a connection
      const waiting = store.queuesWaiting().filter((w) => !(q && w.name === q.ref.name && w.redis === q.ref.redis));
      return { connection: q ? { queue: q.description, waiting: lab.remoteWaiting } : null, waiting };
    },
    'timings/start': async (req) => {
      await beforeStart();
      return lab.startTiming(req);
    },
    'timings/cancel': (req) => ({ cancelled: lab.cancelTiming(req.jobId) }),
    'timings/active': () => ({ jobs: lab.timingsActive() }),
    'timings/get': (req) => {
      const timing = store.getTiming(req.id);
      if (!timing) throw new NotFoundError(`there is no timing ${req.id}`);
      return { timing };
    },
    'timings/list': (req) => ({ timings: store.listTimings(req) }),
    'timings/delete': async (req) => ({ deleted: await change(`the deletion of timing #${req.id}`, () => store.deleteTiming(req.id)) }),
    'experiments/list': () => ({ experiments: store.listExperiments() }),
    'dialog/openFile': (req) => {
      if (!info.desktop) throw new UnavailableError('dialog/openFile is available in the desktop app only (browser mode has no system dialogs: use a file input)');
      return info.desktop.openFile(req);
    },
    'datasets/list': () => ({ datasets: store.datasets.list() }),
    'datasets/import': async (req) => {
      // a path is what the desktop's own dialog chose; a browser page may only send a file's bytes
      if (req.path !== undefined && !info.desktop) throw new RequestError('path', 'path: browser mode imports a file’s bytes (name and base64), not a path on the lab’s machine');
      const name = req.path !== undefined ? basename(req.path) : (req.name ?? 'upload.csv');
      let table: Table;
      try {
        table = req.path !== undefined ? await readCsvFile(req.path) : await readCsv(Readable.from([Buffer.from(req.base64!, 'base64')]), name);
      } catch (e) {
        if (e instanceof CsvError) throw new RequestError('file', e.inFile(name));
        throw e;
      }
      const { created } = await change(`the data set ${table.name}`, () => store.datasets.put(table));
      const { values: _values, ...dataset } = table;
      return { dataset, created };
    },
  };
}

export class NotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotFoundError';
  }
}

/** A request the schema lets through but the lab refuses (a field name it does not know), naming the field. */
export class RequestError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'RequestError';
  }
}

/** Runs shown per page (and per expanded group) unless the request says. */
export const TABLE_PAGE = 500;

/**
 * 'runs/table': the default view (every run, newest first, no groups) is a page straight from
 * SQL; anything else lists the runs the query's column conditions leave and decides in
 * analysis/ (db/query-runs.ts).
 */
export function runsTablePage(store: RunStore, req: ApiRequest<'runs/table'>): ApiResponses['runs/table'] {
  const limit = req.limit ?? TABLE_PAGE;
  const offset = req.offset ?? 0;
  const allTotal = store.countRuns();
  const refusal = tableRequestError(storeRunFields(), req);
  if (refusal) throw new RequestError(refusal.split(':')[0], refusal);
  const plain = !(req.where ?? '').trim() && (req.sort === undefined || storeRunFields().find(req.sort)?.key === 'id') && req.desc !== false && req.group === undefined;
  if (plain) return { rows: store.listRuns({ limit, offset }), total: allTotal, allTotal, groups: null };
  const expanded = new Set(req.expanded ?? []);
  // a first answer (a projected listing, db/query-runs.ts) keeps no listing: list every run once
  // the answer is sent, so that the next answer reads only what changed
  if (!keepsListing(store)) {
    setImmediate(() => {
      if (!store.db.open) return;
      try {
        keepListing(store);
      } catch {
        // a listing that fails here fails again in the next answer, which says why
      }
    });
  }
  return answerQuery(store, req, {}, (t) => {
    if (!t.groups) return { rows: t.whole(t.rows.slice(offset, offset + limit)), total: t.rows.length, allTotal, groups: null };
    return {
      rows: [],
      total: t.rows.length,
      allTotal,
      groups: t.groups.map((g) => ({ ...g, count: g.runs.length, runs: expanded.has(g.key) ? t.whole(g.runs.slice(0, limit)) : [] })),
    };
  });
}

/** The request is fine, but the thing asked about cannot be done (a run without a cost history to re-run). */
export class UnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnavailableError';
  }
}

/** Turns anything thrown by a handler into an ApiError (and says which kinds are the caller's fault). */
export function toApiError(e: unknown): { error: ApiError; status: number } {
  if (e instanceof SpecError) return { error: { name: 'SpecError', message: e.message, field: e.field }, status: 400 };
  if (e instanceof z.ZodError) {
    const { field, message } = specErrorOf(e);
    return { error: { name: 'RequestError', message, field }, status: 400 };
  }
  if (e instanceof QueryError) return { error: { name: 'QueryError', message: e.message, field: 'where' }, status: 400 };
  if (e instanceof RequestError) return { error: { name: 'RequestError', message: e.message, field: e.field }, status: 400 };
  if (e instanceof NotFoundError) return { error: { name: e.name, message: e.message }, status: 404 };
  if (e instanceof UnavailableError) return { error: { name: e.name, message: e.message }, status: 409 };
  if (e instanceof StoreError) {
    // faults of the database, not of the request: each with the status that says so and a message naming the file
    if (e.code === 'read-only') return { error: { name: 'ReadOnlyError', message: e.message }, status: 409 };
    if (e.code === 'disk-full') return { error: { name: 'DiskFullError', message: e.message }, status: 507 };
    if (e.code === 'locked') return { error: { name: 'LockedError', message: e.message }, status: 503 };
    if (e.code === 'moved') return { error: { name: 'MovedError', message: e.message }, status: 409 };
    return { error: { name: 'StoreError', message: e.message }, status: 500 };
  }
  const err = e instanceof Error ? e : new Error(String(e));
  return { error: { name: 'Error', message: err.message }, status: 500 };
}

/** Validates and runs one call. Never throws: errors come back as data with an HTTP-like status. */
export async function dispatch(handlers: Handlers, name: string, raw: unknown): Promise<{ result: ApiResult<unknown>; status: number }> {
  if (!isApiName(name)) return { result: { ok: false, error: { name: 'NotFoundError', message: `unknown API call '${name}'` } }, status: 404 };
  try {
    const request = ApiRequests[name].parse(raw ?? {});
    const handler = handlers[name] as (r: unknown) => unknown;
    return { result: { ok: true, value: await handler(request) }, status: 200 };
  } catch (e) {
    const { error, status } = toApiError(e);
    return { result: { ok: false, error }, status };
  }
}
