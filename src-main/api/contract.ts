/**
 * The lab's API, defined once: a map from 'domain/verb' names to a request schema (validated on
 * the main side for every call, whatever the transport) and a response type, plus the events the
 * lab pushes. Electron IPC (ipcMain.handle per name) and HTTP (`POST /api/<name>`, events as
 * server-sent events) both implement it; the renderer talks to one LabClient and does not know
 * which transport is underneath. Pure TypeScript + zod: type-checked by the node and the web
 * tsconfig alike.
 */
import { z } from 'zod';
import { JsonObjectSchema } from '../json-object';
import type { Experiment, RunRecord, RunSummary, TimingRecord, Verification, VerifyReport } from '../db/types';
import { RUN_STATUSES } from '../db/types';
import type { RunSpec } from '../trainer/spec';
import type { TimingJob } from '../analysis/timing';
import type { RunGroup } from '../analysis/run-table';
import type { LabEvent, StepAnswer } from '../lab/events';
import type { DatasetSummary } from '../db/datasets';
import type { Confusion, Example, PredictedActual } from '../analysis/learned';
import type { TableInfo } from '../trainer/table';
import type { TaskDefaults, TaskKind } from '../trainer/tasks';
import { MAX_REPLICATES, MAX_STEP_BATCHES, QUERY_MAX_LENGTH, SERIES_POINTS, TIMING_DEFAULTS, TIMING_LIMITS } from '../limits';

export type { TimingJob };
export { MAX_REPLICATES, MAX_STEP_BATCHES, TIMING_DEFAULTS, TIMING_LIMITS };

// the schemas are annotated pure: the page, which never validates a request, leaves them (and zod) out of its scripts
const id = /* @__PURE__ */ z.int().positive();

/** Test images a 'runs/learned' answer carries at most. */
export const MAX_LEARNED_IMAGES = 100;
/** Predicted vs actual points per output a 'runs/learned' answer carries at most (every k-th test example beyond). */
export const MAX_LEARNED_POINTS = 2000;
/** The most runs one 'runs/compare' answers (a comparison of more fetches in several). */
export const MAX_COMPARE_RUNS = 2000;

/** Cost points fetched per run at most (longer runs are decimated by the lab, keeping the last point). */
export const COST_POINTS = 4000;
/** Cost points fetched over all the compared runs at most: a 500-run comparison takes 400 a run. */
const COST_POINTS_TOTAL = 200_000;

/** The cost points to fetch per run for a comparison of n runs: fewer a run as there are more, at least 300 (a default run's every batch). */
export function costPointsFor(n: number): number {
  return Math.max(300, Math.min(COST_POINTS, Math.floor(COST_POINTS_TOTAL / Math.max(1, n))));
}

/** The largest upload of 'datasets/import' in base64 (under the HTTP API's 64 MB body: a file of 45 MB; larger ones: nnlab data import FILE). */
export const MAX_UPLOAD_BASE64 = 60 * 1024 * 1024;

/**
 * A series over the wire: numbers (null for NaN/Infinity), all of them, decimated (with `index`),
 * or one page (with `from`).
 */
export interface WireSeries {
  shape: number[];
  /** Indices into the full series of the points sent (decimated: maxPoints, or a series longer than SERIES_POINTS.default). */
  index?: number[];
  /** A page: data[i] is point from + i. */
  from?: number;
  data: (number | null)[];
  /** Length of the full series. */
  length: number;
}

/**
 * A series as 'runs/compare' sends it when asked `packed` (the Compare page does): the same
 * values, packed. `f64` is the base64 of the values as little-endian float64 (NaN where
 * WireSeries has null), `index32` the base64 of the decimation index as little-endian uint32.
 * Lossless (a float64 is what the store keeps) and about a third of the JSON text, which the
 * server need not format number by number, nor the page parse (issue 17: a 500-run comparison's
 * answer was 16.5 MB of JSON).
 */
export interface PackedWireSeries {
  shape: number[];
  length: number;
  f64: string;
  index32?: string;
  /** A page: the values are points from, from + 1, … (as WireSeries.from). */
  from?: number;
}

/** Uint8Array.fromBase64 where there is one (Chromium 140+: the app and the browser), else atob. */
const fromBase64 = (Uint8Array as unknown as { fromBase64?: (s: string) => Uint8Array }).fromBase64;

function bytesOf(base64: string): Uint8Array {
  if (fromBase64) return fromBase64.call(Uint8Array, base64);
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** A series as WireSeries has it, packed (PackedWireSeries) or not (returned as it is). */
export function unpackSeries(s: WireSeries | PackedWireSeries): WireSeries {
  if (!('f64' in s)) return s;
  const values = new Float64Array(bytesOf(s.f64).buffer);
  const data: (number | null)[] = new Array(values.length);
  for (let i = 0; i < values.length; i++) data[i] = Number.isNaN(values[i]) ? null : values[i];
  const out: WireSeries = { shape: s.shape, data, length: s.length };
  if (s.index32 !== undefined) out.index = Array.from(new Uint32Array(bytesOf(s.index32).buffer));
  if (s.from !== undefined) out.from = s.from;
  return out;
}

/** A group of the runs table: its aggregates, and its runs when it is expanded (a page of them). */
export interface RunsTableGroup extends Omit<RunGroup, 'runs'> {
  count: number;
  /** The first `limit` runs when the request expanded the group, else none. */
  runs: RunSummary[];
}

export interface RunsTablePage {
  /** The page of matching runs (none when grouped: the groups hold them). */
  rows: RunSummary[];
  /** Runs the query matched. */
  total: number;
  /** Runs in the database. */
  allTotal: number;
  groups: RunsTableGroup[] | null;
}

/** The most weight values one 'runs/weights' answer carries (ask again with `from` for the rest). */
export const MAX_WEIGHT_VALUES = 4_000_000;

/** A run's weights at its kept checkpoints, over the wire (db/types StoredWeightCheckpoints). */
export interface WireWeightCheckpoints {
  /** The batch of every kept entry (all of them, not only those sent). */
  batches: number[];
  weightCount: number;
  /** How many checkpoints the run had, and whether fewer were kept to fit maxBytes. */
  checkpoints: number;
  thinned: boolean;
  maxBytes: number;
  /** Entries from, from + 1, …: each the flat weights (null for NaN/Infinity). */
  from: number;
  weights: (number | null)[][];
}

/** A step-through answer over the wire (lab/events StepAnswer): numbers null for NaN/Infinity, the weights as plain numbers. */
export type WireStepAnswer = StepAnswer extends infer A ? (A extends { state: 'paused' } ? { state: 'paused'; at: WirePausedAt } : A) : never;

/** Where a paused run stopped, over the wire (lab/events PausedAt). */
export interface WirePausedAt {
  batchesDone: number;
  batches: number;
  cost: number | null;
  testLoss: number | null;
  testMetric: number | null;
  weights: (number | null)[] | null;
}

/** A network export over the wire: text (weights, numpy), or base64 of the bytes (onnx). */
export interface NetworkFile {
  fileName: string;
  mediaType: string;
  text?: string;
  base64?: string;
}

export interface SpecDefaults {
  spec: RunSpec;
  choices: Record<string, readonly string[]>;
  maxWeights: number;
  version: string;
}

export interface InitPreview {
  /** Histogram of the initial weights: bin edges (bins + 1) and counts. */
  histogram: { edges: number[]; counts: number[] };
  /** Units with no slope anywhere on the probe grid, per layer (hidden…, output). */
  deadAtInit: number[];
  units: number[];
  /** Spread of each layer's pre-activations over the probe grid (min, mean, max). */
  preActivation: { min: number; mean: number; max: number }[];
  /** Where "dead" was looked for, in words: "a 101-point grid over the input range", "the 250 training points". */
  probe: string;
  /** A regression whose test targets the output layer cannot reach (analysis/output-reach), in words; null when it can. */
  outOfReach: string | null;
}


/**
 * What a spec's task is, as a form needs it to fit the network and its batch: its kind, input and
 * output widths, the values it gives the fields a spec leaves out, and the size of its training
 * set. Null where the task cannot be known yet (a csv task without a data set of this database).
 */
export interface SpecTask {
  name: string;
  kind: TaskKind;
  inputs: number;
  outputs: number;
  defaults: TaskDefaults;
  /** Samples in the training set (a batch holds at most these); null for a task that draws fresh samples for every batch. */
  trainSamples: number | null;
}

export interface LabStatus {
  version: string;
  poolSize: number;
  queued: number;
  running: number;
  database: string;
  /** True in the desktop app, where the DESKTOP_ONLY calls work (absent or false elsewhere). */
  desktop?: boolean;
  /** Why the database is open read-only (runs can be browsed, not started or changed), or null. */
  readOnly: string | null;
  /** A fault that stopped the lab writing (a full disk, an I/O error), or null. */
  fault: string | null;
  /** Runs whose results this lab kept in the recovery journal because the database could not take them. */
  journaled: number[];
  /** What opening the database did that the user should hear (runs of a process that is gone marked interrupted, a journal imported). */
  opened?: string[];
}

/** What the desktop app's menu asks the page to do (sent as an 'app/command' event). */
export const APP_COMMANDS = ['new-run', 'new-sweep', 'open-comparison', 'runs', 'import-data', 'theme'] as const;
export type AppCommand = (typeof APP_COMMANDS)[number];

/**
 * Request schemas; the response types are in ApiResponses. Strict, as the CLI is: an unknown key
 * (a misspelt field, `__proto__`) is refused with its name, never dropped.
 */
export const ApiRequests = /* @__PURE__ */ (() => ({
  'lab/status': z.strictObject({}),
  'spec/defaults': z.strictObject({}),
  'spec/preview': z.strictObject({ spec: JsonObjectSchema }),
  /** The task a spec's task settings make (the rest of the spec is not read): its widths and defaults, for a form to fit its network to. */
  'spec/task': z.strictObject({ spec: JsonObjectSchema }),
  /** `paused`: the run starts paused at batch 0 and waits for runs/control (step-through). */
  'runs/start': z.strictObject({ spec: JsonObjectSchema, notes: z.string().max(10_000).optional(), tags: z.array(z.string().max(100)).max(50).optional(), paused: z.boolean().optional() }),
  /** The saved runs identical to a run of this spec (same configuration key, seeds and app version; done or diverged), oldest first. */
  'runs/identical': z.strictObject({ spec: JsonObjectSchema }),
  'runs/list': z.strictObject({
    limit: z.int().min(0).max(100_000).optional(),
    offset: z.int().min(0).optional(),
    status: z.enum(RUN_STATUSES).optional(),
    experimentId: id.optional(),
    search: z.string().max(200).optional(),
  }),
  /** The ids of an experiment's runs, in id order: what `#/compare?experiment=N` compares (runs/list would send every record). */
  'runs/ids': z.strictObject({ experimentId: id }),
  /**
   * The runs table: the runs a query (analysis/query.ts) matches, sorted by any run field, a page
   * of them, or grouped by a field with each group's aggregates and the runs of the expanded
   * groups (a page each).
   */
  'runs/table': z.strictObject({
    where: z.string().max(QUERY_MAX_LENGTH).optional(),
    sort: z.string().max(60).optional(),
    desc: z.boolean().optional(),
    group: z.string().max(60).optional(),
    columns: z.array(z.string().max(60)).max(200).optional(),
    expanded: z.array(z.string().max(4000)).max(1000).optional(),
    offset: z.int().min(0).optional(),
    limit: z.int().min(1).max(10_000).optional(),
    learnedAt: z.number().gt(0).max(1).optional(),
  }),
  'runs/get': z.strictObject({ id }),
  /** Each named series whole, decimated to maxPoints (default: SERIES_POINTS.default), or the page [from, from + count). */
  'runs/series': z.strictObject({
    id,
    names: z.array(z.string().max(40)).max(20).optional(),
    maxPoints: z.int().min(2).max(SERIES_POINTS.max).optional(),
    from: z.int().min(0).optional(),
    count: z.int().min(1).max(SERIES_POINTS.max).optional(),
  }),
  /**
   * The records and series of many runs in one answer (a comparison of a sweep): each run's record
   * and the named series, each decimated on the server to its maxPoints (default
   * SERIES_POINTS.default). Runs that do not exist are listed in `missing`, not refused.
   */
  'runs/compare': z
    .strictObject({
      ids: z.array(id).min(1).max(MAX_COMPARE_RUNS).optional(),
      /**
       * Instead of ids: the experiment's runs, in id order (those runs/ids gives), the first
       * MAX_COMPARE_RUNS of them; the answer lists them all (`ids`). What `#/compare?experiment=N`
       * asks at once, without waiting for runs/ids.
       */
      experimentId: id.optional(),
      series: z
        .array(
          z.strictObject({
            name: z.string().max(40),
            /** 'comparison': costPointsFor(the number of runs compared — the ids asked, or the experiment's runs), the page's rule. */
            maxPoints: z.union([z.int().min(2).max(SERIES_POINTS.max), z.literal('comparison')]).optional(),
            /**
             * 'last', for a series with a row per checkpoint (estimates: checkpoints × points ×
             * outputs): the row of the last checkpoint the run reached only (analysis/checkpoints), as
             * a page (`from`) — what the Compare page draws until the fit slider moves. Whole for a run
             * whose findings read every row (an output unit dead at init came back: they say when).
             */
            checkpoint: z.literal('last').optional(),
          }),
        )
        .max(20),
      /** Each series as a PackedWireSeries (unpackSeries reads it) instead of a WireSeries. */
      packed: z.boolean().optional(),
    })
    .refine((r) => (r.ids === undefined) !== (r.experimentId === undefined), { error: 'give the runs’ ids or an experimentId, one of the two', path: ['ids'] }),
  /**
   * A run's weights at its kept checkpoints: entries `from` to `from + count − 1` (default: all,
   * up to MAX_WEIGHT_VALUES values; the answer says which it sent).
   */
  'runs/weights': z.strictObject({ id, from: z.int().min(0).optional(), count: z.int().min(1).optional() }),
  /** What a finished run learned on its test set (api/learned.ts): a confusion matrix, up to `images` test images, predicted vs actual. */
  'runs/learned': z.strictObject({ id, images: z.int().min(0).max(MAX_LEARNED_IMAGES).optional() }),
  /** One run's trained network as a file (cli/network-export): weights JSON, a numpy script, or an ONNX model. */
  'runs/exportNetwork': z.strictObject({ id, format: z.enum(['weights', 'numpy', 'onnx']) }),
  'runs/cancel': z.strictObject({ id }),
  /**
   * Step-through of a run this lab trains (issue 15): pause it (after the chunk of batches it is
   * in), step it `batches` more (default 1; pausing first when it runs), or resume it. Answers
   * where it stopped, with its weights (pause, step), that it runs on (resume), or how it ended
   * when it ended first. A run not training here is refused in words (409), never with a trace.
   */
  'runs/control': z
    .strictObject({ id, action: z.enum(['pause', 'step', 'resume']), batches: z.int().min(1).max(MAX_STEP_BATCHES).optional() })
    .refine((r) => r.action === 'step' || r.batches === undefined, { error: 'only a step runs batches (leave batches out of a pause or resume)', path: ['batches'] }),
  'runs/update': z.strictObject({ id, notes: z.string().max(10_000).optional(), tags: z.array(z.string().max(100)).max(50).optional() }),
  'runs/delete': z.strictObject({ ids: z.array(id).min(1).max(10_000) }),
  'runs/replicate': z.strictObject({ id, k: z.int().min(1).max(MAX_REPLICATES) }),
  /** Re-run a saved run (in a trainer process) and compare its cost history bit for bit. */
  'runs/verify': z.strictObject({ id }),
  /** `queue`: send the runs to the job queue the lab is connected to (queue/connect) instead of training them here. */
  'sweeps/start': z.strictObject({ sweep: JsonObjectSchema, queue: z.strictObject({ allowMismatch: z.boolean().optional() }).optional() }),
  /**
   * Connects the lab to a job queue on Redis for `nnlab worker`s (the URL's password is used for
   * the connection only: never stored, never echoed); the runs of this database waiting there are
   * collected from then on.
   */
  'queue/connect': z.strictObject({ url: z.string().min(1).max(2048), name: z.string().min(1).max(64).optional() }),
  /** The job queue the lab is connected to (no password), and how many of its runs wait there. */
  'queue/status': z.strictObject({}),
  /** Honest timing of 1 to TIMING_LIMITS.configs configurations (specs), run alone in one trainer process. */
  'timings/start': z.strictObject({
    specs: z.array(JsonObjectSchema).min(1).max(TIMING_LIMITS.configs),
    repeats: z.int().min(1).max(TIMING_LIMITS.repeats).optional(),
    warmup: z.int().min(0).max(TIMING_LIMITS.warmup).optional(),
    targetMse: z.number().positive().max(1e6).optional(),
    name: z.string().min(1).max(200).optional(),
    experimentId: id.optional(),
  }),
  'timings/cancel': z.strictObject({ jobId: z.int().positive() }),
  /** Timings queued or running now. */
  'timings/active': z.strictObject({}),
  'timings/get': z.strictObject({ id }),
  /** Newest first: all, an experiment's, or those that timed any of these configurations (config keys). */
  'timings/list': z.strictObject({ experimentId: id.optional(), configKeys: z.array(z.string().max(10_000)).max(100).optional(), limit: z.int().min(1).max(1000).optional() }),
  'timings/delete': z.strictObject({ id }),
  'experiments/list': z.strictObject({}),
  /** The data sets in the database (tables imported from CSV files, by content hash), newest first, with the runs that name each. */
  'datasets/list': z.strictObject({}),
  /**
   * Imports a CSV file into the database, stored once by the sha256 of its bytes: the file the
   * desktop app's open dialog chose (`path`: desktop only), or a file's bytes uploaded from browser
   * mode (`name` and `base64`: the bytes themselves, so the hash is the file's). A file that cannot
   * be a table is refused with `NAME: line L, column C: reason` (field 'file').
   */
  'datasets/import': z
    .strictObject({
      path: z.string().min(1).max(4096).optional(),
      name: z.string().min(1).max(255).optional(),
      base64: z.string().max(MAX_UPLOAD_BASE64).optional(),
    })
    .refine((r) => (r.path === undefined) !== (r.base64 === undefined), { error: 'give a path (desktop) or a file’s bytes (base64), not both' }),
  /**
   * Desktop app only (see DESKTOP_ONLY): the system's open dialog, for data imports. Answers the
   * path the user chose, or null when they cancelled; elsewhere an UnavailableError.
   */
  'dialog/openFile': z.strictObject({
    title: z.string().max(200).optional(),
    filters: z
      .array(z.strictObject({ name: z.string().min(1).max(100), extensions: z.array(z.string().regex(/^(\*|[A-Za-z0-9]{1,16})$/, 'an extension without its dot, or *')).min(1).max(20) }))
      .max(10)
      .optional(),
  }),
}) as const)();

/** Calls only the desktop app answers (it has the system's dialogs); browser mode refuses them with an UnavailableError. */
export const DESKTOP_ONLY = ['dialog/openFile'] as const satisfies readonly (keyof typeof ApiRequests)[];

/** A lab's job queue as the API shows it: `queue nnlab on redis://:***@host:6379/0`, and its runs waiting there. */
export interface QueueConnection {
  queue: string;
  waiting: number;
}

/** Runs of this database waiting in a job queue the lab is not connected to (sent by an earlier nnlab process). */
export interface QueueWaiting {
  /** The queue's name and Redis address, without credentials (as the runs record them). */
  name: string;
  redis: string;
  runs: number;
}

/** What a finished run learned on its test set, from the outputs stored for each test example. */
export interface LearnedView {
  kind: 'classification' | 'regression';
  task: string;
  /** The names of the outputs: a classification's classes, a regression's targets. */
  outputNames: string[];
  /** Test examples the figures are over (0: the run kept no test set, e.g. a task that draws fresh samples). */
  testPoints: number;
  confusion: Confusion | null;
  /** Test images with their labels, misclassified first (Fashion-MNIST); null where there are none. */
  images: { width: number; height: number; misclassified: number; examples: (Example & { pixels: string })[] } | null;
  /** Why a run of an image task shows no images (its files are missing, or another version of them is here). */
  imagesNote: string | null;
  predicted: PredictedActual | null;
}

export interface ApiResponses {
  'lab/status': LabStatus;
  'spec/defaults': SpecDefaults;
  'spec/preview': InitPreview;
  'spec/task': { task: SpecTask | null };
  'runs/start': { runId: number };
  'runs/identical': { runs: RunSummary[] };
  'runs/list': { runs: RunSummary[]; total: number };
  'runs/ids': { ids: number[] };
  'runs/table': RunsTablePage;
  'runs/get': { run: RunRecord };
  'runs/series': { series: Record<string, WireSeries> };
  /** In the order asked (missing ones left out); a run without stored series has none. */
  'runs/compare': {
    runs: { run: RunRecord; series: Record<string, WireSeries | PackedWireSeries> }[];
    missing: number[];
    /** Asked by experimentId: the experiment's runs, in id order (all of them; `runs` holds the first MAX_COMPARE_RUNS). */
    ids?: number[];
  };
  /** null: the run has no weight checkpoints (not finished, or finished by an nnlab before they were kept). */
  'runs/weights': { weights: WireWeightCheckpoints | null };
  'runs/learned': LearnedView;
  'runs/exportNetwork': NetworkFile;
  'runs/cancel': { cancelled: boolean };
  'runs/control': WireStepAnswer;
  'runs/update': { updated: boolean };
  'runs/delete': { deleted: number };
  'runs/replicate': { experimentId: number; runIds: number[] };
  'runs/verify': { report: VerifyReport; verification: Verification };
  'sweeps/start': { experimentId: number; runIds: number[]; timingJobId?: number };
  'queue/connect': QueueConnection;
  'queue/status': { connection: QueueConnection | null; waiting: QueueWaiting[] };
  'timings/start': { jobId: number };
  'timings/cancel': { cancelled: boolean };
  'timings/active': { jobs: TimingJob[] };
  'timings/get': { timing: TimingRecord };
  'timings/list': { timings: TimingRecord[] };
  'timings/delete': { deleted: boolean };
  'experiments/list': { experiments: Experiment[] };
  'dialog/openFile': { path: string | null };
  'datasets/list': { datasets: DatasetSummary[] };
  'datasets/import': { dataset: TableInfo; created: boolean };
}

export type ApiName = keyof typeof ApiRequests;
export type ApiRequest<N extends ApiName> = z.input<(typeof ApiRequests)[N]>;
export type ApiResponse<N extends ApiName> = ApiResponses[N];
export const API_NAMES = /* @__PURE__ */ Object.keys(ApiRequests) as ApiName[];

export function isApiName(name: string): name is ApiName {
  return Object.prototype.hasOwnProperty.call(ApiRequests, name);
}

/** Events the lab pushes to every client. Progress carries the new (decimated) cost points. */
export type LabEventWire =
  | WireEvent<LabEvent>
  /** From the desktop app's menu, not the lab: a command for the page. */
  | { type: 'app/command'; command: AppCommand };

/** A lab event as it crosses a process boundary (handlers' toWireEvent): progress costs as plain numbers, null for NaN/Infinity. */
type WireEvent<E> = E extends { type: 'run/progress' }
  ? Omit<E, 'cost' | 'costs'> & { cost: number | null; costs: (number | null)[] }
  : E extends { type: 'run/paused' }
    ? Omit<E, 'cost' | 'testLoss' | 'testMetric'> & { cost: number | null; testLoss: number | null; testMetric: number | null }
    : E;

/** Errors as data (VS Code's ipc.ts): the other side rebuilds an Error from this. */
export interface ApiError {
  name: string;
  message: string;
  /** The offending field, for spec and request validation errors. */
  field?: string;
}

export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiError };

/** The one client interface the renderer uses, over IPC or HTTP. */
export interface LabClient {
  call<N extends ApiName>(name: N, request: ApiRequest<N>): Promise<ApiResponse<N>>;
  /** Subscribes to lab events; returns the unsubscribe function. */
  onEvent(listener: (event: LabEventWire) => void): () => void;
}

/**
 * What the Electron preload exposes to the page: the calls' results as data, never thrown. An Error
 * crossing contextBridge (or any structured clone) loses its class and custom properties (`field`),
 * so the page rebuilds the LabApiError itself, with unwrap(), as the HTTP client does.
 */
export interface LabBridge {
  call<N extends ApiName>(name: N, request: ApiRequest<N>): Promise<ApiResult<ApiResponse<N>>>;
  onEvent(listener: (event: LabEventWire) => void): () => void;
}

/** An error returned by the lab, rebuilt on the client side. */
export class LabApiError extends Error {
  constructor(
    readonly error: ApiError,
  ) {
    super(error.message);
    this.name = error.name;
  }
  get field(): string | undefined {
    return this.error.field;
  }
}

/** The value of a result, or its error rebuilt as a LabApiError: the one way both transports end a call. */
export function unwrap<T>(result: ApiResult<T>): T {
  if (result.ok) return result.value;
  throw new LabApiError(result.error);
}
