/** `nnlab train`: one run from flags (defaults = the seed's experiment), a summary, optional JSON. */
import type { Command } from 'commander';
import { backendFor, KERNEL_CHOICES, type KernelChoice } from '../trainer/backends';
import { driveSync } from '../trainer/drive';
import { toNested, createLayout } from '../trainer/network';
import { parseRunSpec, type RunSpec, SpecError } from '../trainer/spec';
import { CHECKPOINT_METRICS, type RunResult, Trainer } from '../trainer/trainer';
import { isTaskName, TASK_DEFS } from '../trainer/tasks';
import { runMetrics } from '../trainer/metrics';
import { readDataFile, writeOutput } from './files';
import { progressBar } from './progress';
import { addSpecFlags, describeSpecError, overlayFlags, parseInteger, specFromOptions, unreadNotes } from './spec-flags';
import { formatSummary, rowsOf } from './summary';
import { StoreError } from '../db/errors';
import { type Completion, LabService } from '../lab/service';
import { NotSavedError, tally, unsavedLines } from './saved';
import { LEARNED_AT_OPTION, learnedAtOption } from './report';
import { DEFAULT_LEARNED_AT, outcomeOf } from '../analysis/outcome';
import { DB_OPTION, keepIfMoved, openReadOnlyStoreFor, openStoreFor } from './store';
import { onStopSignals, readyUnlessStopped } from './signals';
import { InterruptedError, RunFailedError, UsageError } from './usage';
import { defaultThreads } from '../lab/threads';
import { MAX_THREADS } from '../limits';
import { kernelThreads } from '../worker/kernel-threads';
import { cliDataContext, DATA_OPTION, DATASET_FLAG, describeDataError, isShortHash, tableOption, wholeDatasetHash } from './data';
import { DataError, type Table, type TableInfo } from '../trainer/table';
import type { DataContext } from '../trainer/task-resolve';
import { DataMissingError, outputNamesOf, tablesFor, taskFor, tablesFrom } from '../data/sources';
import type { LabStore } from '../db/lab-store';

/** The end of a refusal that needs the lab's database where there is none (train --no-save --dataset). */
const noDatabaseAt = (file: string): string => `and there is no database at ${file} (--db FILE names the lab's database; --data FILE trains on a file itself)`;

export interface SpecOptions {
  spec?: string;
  maxWeights?: string;
}

/** The data a command's spec is checked against: the table of --data FILE (and that file's name), the database's data sets, Fashion-MNIST's files. */
/** A --spec file's object (none: {}), refused when the file holds anything else. */
export function specFile(path: string | undefined): Record<string, unknown> {
  const fromFile = path ? readDataFile(path) : {};
  if (fromFile === null || typeof fromFile !== 'object' || Array.isArray(fromFile)) throw new UsageError(`${path}: a spec file holds one JSON/YAML object`);
  return fromFile as Record<string, unknown>;
}

export interface CommandData {
  table?: TableInfo | null;
  file?: string;
  context?: DataContext;
  /** The database file that is not there (train --no-save without a lab): a stored data set cannot be read, and the refusal says so. */
  noDatabase?: string;
  /** The hashes of the database's data sets, which a short hash (by --dataset or in the file) is made whole from. */
  hashes?: readonly string[];
  /** Filled with a note for each field given that the run does not read (spec-flags unreadNotes). */
  notes?: string[];
}

/**
 * The run spec from `--spec FILE` (JSON or YAML) overlaid with the spec flags, validated. Errors
 * name the flag when a flag set the field, else the file.
 */
export function specFromCommand(options: Record<string, unknown> & SpecOptions, data: CommandData = {}): RunSpec {
  const fromFile = specFile(options.spec);
  const fromFlags = specFromOptions(options);
  if (data.table) {
    if (fromFlags.dataset !== undefined) throw new UsageError('--data and --dataset: give one or the other');
    // --data FILE: the table's task, named by the file's content hash
    Object.assign(fromFlags, { task: fromFlags.task ?? 'csv', dataset: data.table.sha256 });
  }
  const merged = overlayFlags(fromFile, fromFlags as Record<string, unknown>);
  // a short hash from `data list`, by --dataset or in the file, made whole from the database's data sets
  if (!data.table && isShortHash(merged.dataset) && (data.hashes || data.noDatabase)) {
    const where = 'dataset' in fromFlags || !options.spec ? DATASET_FLAG : `${options.spec}: dataset`;
    if (!data.hashes) throw new UsageError(`${where}: '${merged.dataset}' is a short hash, made whole from the data sets in the lab's database, ${noDatabaseAt(data.noDatabase!)}`);
    merged.dataset = wholeDatasetHash(merged.dataset, data.hashes, where);
  }
  // a stored data set without the database it is stored in: the database is missing, not the data set in it
  const task = merged.task === undefined ? 'csv' : String(merged.task);
  if (data.noDatabase && !data.table && typeof merged.dataset === 'string' && merged.dataset !== '' && isTaskName(task) && TASK_DEFS[task].sampling === 'table') {
    const e = new SpecError('dataset', `data set ${merged.dataset.slice(0, 12)} is read from the lab's database, ${noDatabaseAt(data.noDatabase)}`);
    throw new UsageError(describeSpecError(e, 'dataset' in fromFlags || !options.spec ? undefined : options.spec));
  }
  const maxWeights = options.maxWeights === undefined ? undefined : (parseInteger(options.maxWeights, '--max-weights') as number);
  try {
    const spec = parseRunSpec(merged, { maxWeights, data: data.context });
    data.notes?.push(...unreadNotes(spec, merged, fromFlags as Record<string, unknown>, options.spec));
    return spec;
  } catch (e) {
    if (e instanceof DataError) throw new UsageError(describeDataError(e, data.file, data.context && { dataset: merged.dataset, context: data.context }));
    if (!(e instanceof SpecError)) throw e;
    const top = e.field.split(/[.[]/)[0];
    const setByFlag = top in fromFlags || (top === 'shape' && !('shape' in fromFile));
    throw new UsageError(describeSpecError(e, setByFlag || !options.spec ? undefined : options.spec));
  }
}

/** The full result as the JSON that `--json` writes: plain arrays, one row per test point. */
export function resultToJson(spec: RunSpec, r: RunResult, learnedAt = DEFAULT_LEARNED_AT): Record<string, unknown> {
  const o = outcomeOf({ status: r.status, testMse: r.testMse, baselineMse: r.baselineMse, testAccuracy: r.testAccuracy, majorityShare: r.majorityShare }, learnedAt);
  const nIn = spec.shape[0];
  const nOut = spec.shape[spec.shape.length - 1];
  const perCheckpoint = (r.viewInputs.length / nIn) * nOut;
  const metrics = CHECKPOINT_METRICS.length;
  // regression keeps the seed's names; classification says accuracy instead (runMetrics, one definition with runs list)
  return {
    spec,
    status: r.status,
    kernel: r.kernel,
    kind: r.kind,
    loss: r.loss,
    batchesRun: r.batchesRun,
    finalCost: r.finalCost,
    ...runMetrics(r),
    penalty: r.penalty,
    failed: r.failed,
    score: o?.score ?? null,
    r2: o?.r2 ?? null,
    outcome: o?.outcome ?? null,
    learnedAt,
    costHistory: Array.from(r.costHistory),
    mseHistory: Array.from(r.mseHistory),
    testInputs: rowsOf(r.testInputs, nIn),
    testEstimates: rowsOf(r.testEstimates, nOut),
    testTargets: rowsOf(r.testTargets, nOut),
    viewInputs: rowsOf(r.viewInputs, nIn),
    viewGrid: r.viewGrid,
    checkpoints: r.checkpoints.batches.map((batch, k) => ({
      batch,
      estimates: rowsOf(r.checkpoints.estimates.subarray(k * perCheckpoint, (k + 1) * perCheckpoint), nOut),
      gradNorms: Array.from(r.checkpoints.gradNorms.subarray(k * (spec.shape.length - 1), (k + 1) * (spec.shape.length - 1))),
      ...Object.fromEntries(CHECKPOINT_METRICS.map((name, i) => [name, r.checkpoints.metrics[k * metrics + i]])),
    })),
    finalWeights: toNested(createLayout(spec.shape), r.finalWeights),
    timing: r.timing,
    diagnostics: r.diagnostics,
  };
}

/** JSON.stringify with NaN/Infinity as null (valid JSON for any reader). */
export function stringifyResult(value: unknown): string {
  return `${JSON.stringify(value, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v))}\n`;
}

/** The --kernel option's value, checked. */
export function kernelOption(raw: string | undefined): KernelChoice {
  const k = (raw ?? 'auto') as KernelChoice;
  if (!KERNEL_CHOICES.includes(k)) throw new UsageError(`--kernel: expected one of ${KERNEL_CHOICES.join('|')}, got '${raw}'`);
  return k;
}

/** The --threads option's value, checked (undefined: the default, lab/threads.ts). */
export function threadsOption(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = parseInteger(raw, '--threads') as number;
  if (!(n >= 1 && n <= MAX_THREADS)) throw new UsageError(`--threads: expected a whole number from 1 to ${MAX_THREADS}, got '${raw}'`);
  return n;
}

export const THREADS_OPTION = ['--threads <n>', 'threads per run: large layers split their products over them, with the same results (default: the cores the running trainers leave free)'] as const;

/** Trains in this process (`--no-save`), on `threads` threads (default: every core, as the one trainer running). */
export function trainInProcess(spec: RunSpec, progress = true, kernel: KernelChoice = 'auto', threads = defaultThreads(1), tables: readonly Table[] = []): RunResult {
  let task;
  try {
    task = taskFor(spec, tablesFrom(tables));
  } catch (e) {
    if (e instanceof DataMissingError) throw new UsageError(e.message);
    throw e;
  }
  const trainer = new Trainer(spec, { task, backend: backendFor(kernel, kernelThreads(threads)) });
  const bar = progressBar(spec.batches, 'training', progress && process.stderr.isTTY === true);
  driveSync(trainer, { onProgress: (p) => bar.update(p.batchesDone, { info: `cost ${p.cost.toPrecision(4)}` }) });
  bar.stop();
  return trainer.result();
}

export function registerTrain(program: Command): void {
  const cmd = program
    .command('train')
    .description("train one network (defaults reproduce the seed's experiment) and print a summary");
  addSpecFlags(cmd)
    .option('--spec <file>', 'read the spec from a JSON or YAML file (flags override it)')
    .option('--max-weights <n>', 'raise the cap on network size (default 50,000,000 weights)')
    .option('--json <file>', 'write the full result as JSON (- for stdout)')
    .option('--kernel <name>', `matrix kernels: ${KERNEL_CHOICES.join('|')} (auto: WebAssembly SIMD where available)`)
    .option(...THREADS_OPTION)
    .option('--no-progress', 'no progress bar')
    .option('--no-save', 'train in this process and save nothing (no database)')
    .option(...LEARNED_AT_OPTION)
    .option(...DB_OPTION)
    .option(...DATA_OPTION)
    .action(async (options: Record<string, unknown> & SpecOptions & { json?: string; progress: boolean; kernel?: string; threads?: string; save: boolean; db?: string; learnedAt?: string; data?: string }) => {
      const learnedAt = learnedAtOption(options.learnedAt);
      const kernel = kernelOption(options.kernel);
      const threads = threadsOption(options.threads);
      const out = options.json === '-' ? process.stderr : process.stdout;
      // --no-save writes nothing, but a data set named by --dataset or the --spec file lives in the lab's database: read it there, read-only
      const named = options.save ? undefined : (options.dataset ?? specFile(options.spec).dataset);
      // the database first (when saving): a file already stored there is found by its hash, not read again
      const opened = options.save ? await openStoreFor(options, 'write') : null;
      const reading = typeof named === 'string' ? openReadOnlyStoreFor(options) : null;
      const store = opened?.store ?? reading?.store ?? null;
      let result: RunResult;
      let spec: RunSpec;
      let notSaved: string[] = [];
      let names: readonly string[] | undefined;
      try {
        const data = options.data ? await tableOption(options.data, store) : null;
        const context = cliDataContext(data?.info ?? null, store);
        const hashes = store?.datasets.list().map((d) => d.sha256);
        const notes: string[] = [];
        spec = specFromCommand(options, { table: data?.info ?? null, file: options.data, context, noDatabase: reading && !reading.store ? reading.file : undefined, hashes, notes });
        for (const note of notes) process.stderr.write(`nnlab: note: ${note}\n`);
        names = outputNamesOf(spec, context);
        if (opened) {
          const trained = await trainAndSave(spec, kernel, threads, options, opened, data?.table ?? null);
          result = trained.result;
          notSaved = trained.notSaved;
          if (!notSaved.length) out.write(`run #${trained.runId} saved in ${trained.file}\n`);
        } else {
          // a stored data set's columns the spec uses, read from the database opened read-only
          const tables = data?.table ? [data.table] : reading?.store ? tablesFor([spec], (sha256, columns) => reading.store!.datasets.table(sha256, columns)) : [];
          result = trainInProcess(spec, options.progress, kernel, threads, tables);
        }
      } finally {
        opened?.store.close();
        reading?.store?.close();
      }
      out.write(`${formatSummary(spec, result, learnedAt, names)}\n`);
      if (options.json) writeOutput(options.json, stringifyResult(resultToJson(spec, result, learnedAt)));
      // the result is shown, but it is not (yet) in the database: say where it is, exit 1
      if (notSaved.length) throw new NotSavedError(notSaved);
    });
}

/**
 * Trains one run through the lab (a trainer process) and saves it; exits 1 if the run fails.
 * `notSaved` says where the result is when the database could not take it (empty when saved).
 */
async function trainAndSave(spec: RunSpec, kernel: KernelChoice, threads: number | undefined, options: { progress: boolean }, opened: LabStore, table: Table | null) {
  const { store, writes } = opened;
  const lab = new LabService({ store, writes, poolSize: 1, kernel, threads });
  const bar = progressBar(spec.batches, 'training', options.progress && process.stderr.isTTY === true);
  lab.on((e) => {
    if (e.type === 'run/progress') bar.update(e.batchesDone, { info: `cost ${e.cost.toPrecision(4)}` });
  });
  // Ctrl-C (SIGTERM, SIGHUP): the run ends interrupted (and is saved so); the command says so and exits 130 (143, 129)
  const signals = onStopSignals(() => void lab.close());
  let runId: number;
  let done: Completion | null;
  try {
    // another program may hold the lock: wait for it (up to the write path's limit) before starting
    await readyUnlessStopped(lab.writes, 'a new run', signals);
    // a table read from --data is stored once, by content hash, before the run that names it
    if (table) await lab.writes.write(`the data set ${table.name}`, () => store.datasets.put(table));
    runId = lab.startRun(spec);
    done = await lab.wait(runId);
    bar.stop();
  } catch (e) {
    if (e instanceof StoreError) throw new RunFailedError(e.message);
    throw e;
  } finally {
    // closing may still bring a journaled result in (the lock that kept it out may be gone)
    await lab.close();
    keepIfMoved(store);
    signals.off();
  }
  if (!done?.result && signals.received && done?.status === 'interrupted') {
    const unsaved = unsavedLines(tally([done], writes), writes);
    throw new InterruptedError([`interrupted (${signals.label}): run #${runId} did not finish${unsaved.length ? '' : `; it is saved as interrupted in ${store.file}`}`, ...unsaved].join('\nnnlab: '), signals.exitCode);
  }
  if (!done?.result) throw new RunFailedError(`run #${runId} ${done?.status ?? 'failed'}: ${done?.error ?? 'no result'}`);
  return { runId, result: done.result, file: store.file, notSaved: unsavedLines(tally([done], writes), writes) };
}
