/**
 * `nnlab time`: honest timing of two (or more) configurations. The train flags give the first
 * configuration; each `--vs "field=value …"` another (the first one with those fields changed).
 * The lab trains them in one trainer process, alone: warm-up rounds first, then `--repeats`
 * rounds, each training every configuration once in a rotating order, every batch timed. Prints
 * the median and interquartile range of µs/sample for forward, backward and update, wall time per
 * run and time to a target cost, per configuration, and stores the measurement (`--no-save`
 * measures in this process and stores nothing).
 */
import { cpus, loadavg } from 'node:os';
import type { Command } from 'commander';
import { KERNEL_CHOICES } from '../trainer/backends';
import { type Stat, summarizeTiming, timingTarget, type TimingSummary } from '../analysis/timing';
import { noMseWords } from '../analysis/units';
import { StoreError } from '../db/errors';
import { LabService } from '../lab/service';
import { TIMING_DEFAULTS, TIMING_LIMITS } from '../limits';
import { backendFor } from '../trainer/backends';
import { parseRunSpec, readSpec, type RunSpec, SpecError, unreadFields } from '../trainer/spec';
import { measureTiming, TARGET_WINDOW } from '../trainer/timing';
import type { TimingEnvironment, TimingRecord } from '../db/types';
import { progressBar } from './progress';
import { writeOutput } from './files';
import { addSpecFlags, parseInteger, parseNumber, SPEC_FLAGS, unknownFieldHint } from './spec-flags';
import { DB_OPTION, openReadOnlyStoreFor, openStoreFor } from './store';
import { type CommandData, kernelOption, type SpecOptions, specFile, specFromCommand, stringifyResult } from './train';
import { cliDataContext } from './data';
import { DataMissingError, tablesFor, tablesFrom, taskFor } from '../data/sources';
import type { Table } from '../trainer/table';
import { onStopSignals } from './signals';
import { RunFailedError, UsageError } from './usage';

/** The spec flag (or field) a `--vs` key names: `activation`, `lr`, `--init-mean`, `learningRate`. */
function flagFor(key: string) {
  const k = key.replace(/^--/, '');
  return SPEC_FLAGS.find((f) => f.constant === undefined && (f.flags.split(' ')[0] === `--${k}` || f.field === k));
}

/** One `--vs` value: whitespace-separated `key=value` pairs changing the first configuration. */
export function parseVs(text: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const pairs = text.trim().split(/\s+/).filter(Boolean);
  if (pairs.length === 0) throw new UsageError(`--vs: expected field=value (e.g. --vs activation=sigmoid), got '${text}'`);
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--vs: expected field=value (e.g. --vs activation=sigmoid), got '${pair}'`);
    const key = pair.slice(0, eq);
    const flag = flagFor(key);
    if (!flag) throw new UsageError(`--vs: '${key}' is not a spec field or flag${unknownFieldHint(new SpecError(key.replace(/^--/, ''), 'unknown field')) || ' (see nnlab train --help)'}`);
    out[flag.field] = flag.parse(pair.slice(eq + 1), `--vs ${key}`);
  }
  return out;
}

/**
 * The configurations to time: the first from the train flags, one more per `--vs`; `data`: the
 * database's data sets they are checked against (a stored table's shape and batch, a short hash).
 */
export function specsFromCommand(options: Record<string, unknown> & SpecOptions & { vs?: string[] }, data: CommandData = {}): RunSpec[] {
  const first = specFromCommand(options, data);
  const specs = [first];
  // the fields that act, as a sweep compares its grid points: one configuration twice would be timed as two
  const acting = (spec: RunSpec) => JSON.stringify(readSpec(spec));
  for (const vs of options.vs ?? []) {
    const changes = parseVs(vs);
    let spec: RunSpec;
    try {
      spec = parseRunSpec({ ...first, ...changes }, { data: data.context });
    } catch (e) {
      if (e instanceof SpecError) throw new UsageError(`--vs '${vs}': ${e.field}: ${e.reason}`);
      throw e;
    }
    const same = specs.findIndex((s) => acting(s) === acting(spec));
    if (same >= 0) {
      const unread = unreadFields(spec);
      const why = Object.keys(changes)
        .map((k) => unread.find((u) => u.field === k)?.why ?? `${k} is ${JSON.stringify(spec[k as keyof RunSpec]).replace(/^"(.*)"$/, '$1')} there too`)
        .join('; ');
      throw new UsageError(`--vs '${vs}': the same configuration as config ${same + 1} (${why}): its timing would differ by noise alone; change a field that acts`);
    }
    specs.push(spec);
  }
  if (specs.length > TIMING_LIMITS.configs) throw new UsageError(`--vs: at most ${TIMING_LIMITS.configs} configurations in one timing`);
  return specs;
}

/** The target MSE per sample from --target-mse, or --target-cost (the seed's cost: squared error of a batch). */
export function targetFrom(options: { targetCost?: string; targetMse?: string }, specs: readonly RunSpec[]): number {
  if (options.targetCost !== undefined && options.targetMse !== undefined) throw new UsageError('--target-cost and --target-mse: give one or the other');
  if (options.targetMse !== undefined) {
    const v = parseNumber(options.targetMse, '--target-mse') as number;
    if (!(v > 0)) throw new UsageError('--target-mse: must be positive');
    return v;
  }
  if (options.targetCost !== undefined) {
    const v = parseNumber(options.targetCost, '--target-cost') as number;
    if (!(v > 0)) throw new UsageError('--target-cost: must be positive');
    const sizes = new Set(specs.map((s) => s.batchSize));
    if (sizes.size > 1) throw new UsageError('--target-cost: the configurations have different batch sizes, so one batch cost means different things; give --target-mse (per sample) instead');
    return v / specs[0].batchSize;
  }
  return TIMING_DEFAULTS.targetMse;
}

const num = (x: number, digits: number) => (Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 10 ? x.toFixed(Math.max(0, digits - 2)) : x.toFixed(digits));

/** "1.446 [1.431–1.462]": the median and the interquartile range. */
export function statText(s: Stat | null, digits = 3, unit = ''): string {
  if (!s) return '–';
  return `${num(s.median, digits)}${unit} [${num(s.q1, digits)}–${num(s.q3, digits)}]`;
}

/** The timing table: one row per configuration, then what the numbers mean and where they were taken. */
export function formatTiming(summary: TimingSummary, info: { kernel: string; environment?: TimingEnvironment; id?: number | null }): string {
  // the target as the seed's cost too, when the configurations share a batch size
  const sizes = new Set(summary.configs.map((c) => c.spec.batchSize));
  const batchSize = sizes.size === 1 ? [...sizes][0] : null;
  const targetCost = batchSize ? ` (cost ${num(summary.targetMse * batchSize, 3)})` : '';
  // the target in the configurations' own loss: an MSE beside sse runs, a cross-entropy per sample of cross-entropy runs alone
  const target = timingTarget(summary);
  const head = ['config', 'forward µs/sample', 'backward', 'update', 'wall per run', `to ${target.at(String(summary.targetMse))}${targetCost}`];
  const rows = summary.configs.map((c) => [
    c.label,
    statText(c.forward),
    statText(c.backward),
    statText(c.update),
    statText(c.wallMs, 2, ' ms'),
    c.otherLoss ? `another loss (${c.spec.loss})` : c.reached ? `${statText(c.msToTarget, 2, ' ms')} at batch ${c.batchesToTarget} (${c.reached}/${c.n})` : `not reached in ${c.batches} batches`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  const title = `${info.id ? `timing #${info.id}: ` : ''}${summary.configs.length} configuration${summary.configs.length === 1 ? '' : 's'} × ${summary.repeats} repeats after ${summary.warmup} warm-up round${summary.warmup === 1 ? '' : 's'}, interleaved, every batch timed (${info.kernel})`;
  const out = [title, line(head), ...rows.map(line)];
  out.push(`median [interquartile range] over the ${summary.repeats} timed repeats; forward includes drawing the batch; time to target: the first batch whose mean ${target.name} over the last ${TARGET_WINDOW} batches is at or below the target, in training time`);
  // beside sse configurations the target is an MSE (analysis/timing summarizeTiming): say whose loss is none
  for (const c of summary.configs.filter((x) => x.otherLoss)) out.push(`${c.label} ${noMseWords(c.spec.loss)}: no time to ${target.at(String(summary.targetMse))}`);
  if (summary.configs.length >= 2) {
    const base = summary.configs[0];
    const ratios = summary.configs.slice(1).map((c, i) => {
      const r = summary.wallRatio[i + 1];
      return r === null ? `${c.label}: –` : `${c.label} ${r.toFixed(2)}× ${base.label}`;
    });
    out.push(`wall time per run (medians): ${ratios.join('; ')}`);
  }
  const notes: string[] = [];
  if (summary.clockOverheadUs !== null) notes.push(`clock: ${num(summary.clockOverheadUs, 3)} µs per reading, 4 per batch`);
  if (info.environment) {
    const e = info.environment;
    notes.push(`${e.cpus} cpus (${e.cpuModel || e.arch}), load average ${e.loadAverage.start.toFixed(2)} → ${e.loadAverage.end.toFixed(2)}, ${e.runtime}`);
  }
  const broken = summary.configs.filter((c) => !c.costsIdentical);
  notes.push(broken.length ? `WARNING: ${broken.map((c) => c.label).join(', ')} did not reproduce its costs across repeats` : 'every repeat reproduced its costs bit for bit');
  out.push(notes.join('; '));
  return out.join('\n');
}

function environmentHere(loadStart: number): TimingEnvironment {
  const cpu = cpus();
  return { platform: process.platform, arch: process.arch, cpus: cpu.length, cpuModel: cpu[0]?.model.trim() ?? '', runtime: `node ${process.versions.node}`, loadAverage: { start: loadStart, end: loadavg()[0] }, concurrentJobs: 0 };
}

export function registerTime(program: Command): void {
  const cmd = program
    .command('time')
    .description('honest timing: configurations trained alternately after warm-up, every batch timed; median and IQR per phase (e.g. --vs activation=sigmoid)');
  addSpecFlags(cmd)
    .option('--vs <changes>', 'another configuration: the first with these fields changed ("activation=sigmoid", "lr=0.5 batch=64"); repeat for more', (v: string, prev: string[] = []) => [...prev, v])
    .option('--repeats <n>', `timed rounds, each training every configuration once (default ${TIMING_DEFAULTS.repeats})`)
    .option('--warmup <n>', `untimed rounds first (default ${TIMING_DEFAULTS.warmup})`)
    .option('--target-cost <c>', "time to reach this cost (the seed's: squared error of a batch; of cross-entropy configurations alone, their cross-entropy of a batch)")
    .option('--target-mse <x>', `time to reach this MSE per sample (of cross-entropy configurations alone: cross-entropy per sample; default ${TIMING_DEFAULTS.targetMse})`)
    .option('--spec <file>', 'the first configuration from a JSON or YAML spec file (flags override it)')
    .option('--kernel <name>', `matrix kernels: ${KERNEL_CHOICES.join('|')}`)
    .option('--json [file]', 'write the timing (measurement and summary) as JSON (- or no file: stdout)')
    .option('--no-progress', 'no progress bar')
    .option('--no-save', 'measure in this process and store nothing')
    .option(...DB_OPTION)
    .action(async (options: Record<string, unknown> & SpecOptions & { vs?: string[]; repeats?: string; warmup?: string; targetCost?: string; targetMse?: string; kernel?: string; json?: string | boolean; progress: boolean; save: boolean; db?: string }) => {
      const repeats = options.repeats === undefined ? TIMING_DEFAULTS.repeats : (parseInteger(options.repeats, '--repeats') as number);
      const warmup = options.warmup === undefined ? TIMING_DEFAULTS.warmup : (parseInteger(options.warmup, '--warmup') as number);
      if (repeats < 1 || repeats > TIMING_LIMITS.repeats) throw new UsageError(`--repeats: must be from 1 to ${TIMING_LIMITS.repeats}`);
      if (warmup < 0 || warmup > TIMING_LIMITS.warmup) throw new UsageError(`--warmup: must be from 0 to ${TIMING_LIMITS.warmup}`);
      const kernel = kernelOption(options.kernel);
      // the database before the specs, as train: a stored data set's columns and rows give a csv run its shape and batch
      const opened = options.save ? await openStoreFor(options, 'write') : null;
      const reading = !options.save && typeof (options.dataset ?? specFile(options.spec).dataset) === 'string' ? openReadOnlyStoreFor(options) : null;
      const store = opened?.store ?? reading?.store ?? null;
      let specs: RunSpec[];
      let targetMse: number;
      let tables: Table[] = [];
      try {
        const hashes = store?.datasets.list().map((d) => d.sha256);
        specs = specsFromCommand(options, { context: cliDataContext(null, store), hashes, noDatabase: reading && !reading.store ? reading.file : undefined });
        targetMse = targetFrom(options, specs);
        // --no-save times in this process: the columns the specs use, read from the database opened read-only
        if (reading?.store) tables = tablesFor(specs, (sha256, columns) => reading.store!.datasets.table(sha256, columns));
      } catch (e) {
        opened?.store.close();
        throw e;
      } finally {
        reading?.store?.close();
      }
      const total = specs.length * (repeats + warmup);
      const bar = progressBar(total, 'timing', options.progress && process.stderr.isTTY === true);
      let record: Pick<TimingRecord, 'measurement' | 'environment' | 'kernel'> & { id: number | null };
      if (!options.save) {
        const loadStart = loadavg()[0];
        const tasks = specs.map((spec) => {
          try {
            return taskFor(spec, tablesFrom(tables));
          } catch (e) {
            throw e instanceof DataMissingError ? new UsageError(e.message) : e;
          }
        });
        const m = await measureTiming(specs, { repeats, warmup, targetMse, backend: backendFor(kernel), tasks, onProgress: (d) => bar.update(d) });
        bar.stop();
        record = { id: null, measurement: m!, environment: environmentHere(loadStart), kernel: m!.configs[0].kernel };
      } else {
        const { store, writes } = opened!;
        const lab = new LabService({ store, writes, poolSize: 1, kernel });
        lab.on((e) => {
          if (e.type === 'timing/progress') bar.update(e.done);
        });
        const signals = onStopSignals(() => void lab.close());
        try {
          await writes.ready('a new timing').catch((e: unknown) => {
            throw e instanceof StoreError ? new RunFailedError(e.message) : e;
          });
          const { jobId } = lab.startTiming({ specs, repeats, warmup, targetMse });
          const done = await lab.waitTiming(jobId);
          bar.stop();
          if (!done || done.status !== 'done' || done.timingId === null) throw new RunFailedError(`the timing ${done?.status ?? 'failed'}: ${done?.error ?? 'no result'}`);
          record = store.getTiming(done.timingId)!;
          process.stderr.write(`timing #${done.timingId} saved in ${store.file}\n`);
        } finally {
          await lab.close();
          store.close();
          signals.off();
        }
      }
      const summary = summarizeTiming(record.measurement);
      if (options.json !== undefined && options.json !== false) {
        const json = stringifyResult({ id: record.id, kernel: record.kernel, environment: record.environment, summary, measurement: record.measurement });
        if (options.json === true || options.json === '-') process.stdout.write(json);
        else {
          writeOutput(options.json, json);
          process.stdout.write(`${formatTiming(summary, { kernel: record.kernel, environment: record.environment, id: record.id})}\n`);
        }
      } else {
        process.stdout.write(`${formatTiming(summary, { kernel: record.kernel, environment: record.environment, id: record.id})}\n`);
      }
    });
}
