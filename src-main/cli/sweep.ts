/**
 * `nnlab sweep`: the train flags with comma-separated values (a grid), times `--replicates K`
 * seeds, or a JSON/YAML sweep file; trains it on the process pool with one progress bar and ends
 * with a summary per configuration.
 */
import type { Command } from 'commander';
import { summarizeTiming } from '../analysis/timing';
import { LabService } from '../lab/service';
import { expandSweep, parseSweep, SweepDefinitionSchema, type SweepInput } from '../lab/sweep';

/** A sweep file's own top-level keys. */
const SWEEP_KEYS = Object.keys(SweepDefinitionSchema.shape);
import { cliDataContext, DATA_OPTION, describeDataError, tableOption, wholeDatasetHash } from './data';
import { DataError, type Table } from '../trainer/table';
import { PRESET_NAMES, PRESETS, type PresetName } from '../analysis/presets';
import { readFindings } from '../analysis/reading';
import { KERNEL_CHOICES } from '../trainer/backends';
import { SpecError } from '../trainer/spec';
import { SPEC_KEYS } from '../trainer/spec-fields';
import { readDataFile } from './files';
import { analyse, factsOf, formatReport, LEARNED_AT_OPTION, learnedAtOption, withOutcome } from './report';
import { processCount, addProcessesOption } from './processes';
import { progressBar } from './progress';
import { addSpecFlags, parseInteger, SPEC_FLAGS, optionKey, flagForField, overlayFlags, unknownFieldHint } from './spec-flags';
import { DB_OPTION, keepIfMoved, openStoreFor } from './store';
import { formatTiming } from './time';
import { kernelOption, THREADS_OPTION, threadsOption } from './train';
import { attachQueue, queueInfo, trainedByLine } from './queue';
import { addQueueOptions, QUEUE_URL_HELP, queueTargetOf } from './queue-options';
import { DEFAULT_QUEUE_NAME } from '../queue/connection';
import type { RunQueue } from '../queue/lab-queue';
import { onStopSignals, readyUnlessStopped } from './signals';
import { RunFailedError, UsageError } from './usage';
import type { RunSummary } from '../db/types';
import { StoreError } from '../db/errors';
import { allSaved, NotSavedError, tally, unsavedIds, unsavedLines } from './saved';
import { namesShortDataset, withWholeDatasets } from '../data/short-hash';

/** Sweep definition from a sweep file overlaid with flags (a flag with several values becomes a grid axis). */
export function sweepFromCommand(options: Record<string, unknown>): SweepInput {
  if (options.preset !== undefined && !PRESET_NAMES.includes(options.preset as PresetName)) {
    throw new UsageError(`--preset: expected one of ${PRESET_NAMES.join('|')}, got '${options.preset}'`);
  }
  if (options.preset !== undefined && options.spec !== undefined) throw new UsageError('--preset and --spec: give one or the other');
  const fromFile = options.preset ? structuredClone(PRESETS[options.preset as PresetName].sweep) : options.spec ? readDataFile(String(options.spec)) : {};
  if (fromFile === null || typeof fromFile !== 'object' || Array.isArray(fromFile)) throw new UsageError(`${options.spec}: a sweep file holds one JSON/YAML object`);
  const def = { base: {}, grid: {}, ...(fromFile as Record<string, unknown>) } as { base: Record<string, unknown>; grid: Record<string, unknown[]>; replicates?: number; name?: string };
  def.base = { ...def.base };
  def.grid = { ...def.grid };
  const flagged: Record<string, unknown> = {};
  for (const f of SPEC_FLAGS) {
    const raw = options[optionKey(f.flags)];
    if (raw === undefined) continue;
    const flag = f.flags.split(' ')[0];
    if (f.constant !== undefined) {
      def.base[f.field] = f.constant;
      continue;
    }
    const values = String(raw)
      .split(f.listSeparator ?? ',')
      .map((v) => f.parse(v, flag));
    if (values.length === 1) def.base[f.field] = values[0];
    else def.grid[f.field] = values;
    flagged[f.field] = true;
  }
  def.base = overlayFlags(def.base, Object.fromEntries(Object.keys(flagged).filter((k) => k in def.base).map((k) => [k, def.base[k]])));
  if (options.replicates !== undefined) def.replicates = parseInteger(String(options.replicates), '--replicates') as number;
  if (options.name !== undefined) def.name = String(options.name);
  return def;
}

/** The sweep's short data set hashes (as `data list` prints them), base and grid, made whole from the database, read only when there is one. */
async function wholeDatasetHashes<T extends { base: Record<string, unknown>; grid: Record<string, unknown[]> }>(input: T, options: { db?: string }): Promise<T> {
  if (!namesShortDataset(input)) return input;
  const { store } = await openStoreFor(options, 'read');
  try {
    const hashes = store.datasets.list().map((d) => d.sha256);
    return withWholeDatasets(input, (prefix) => wholeDatasetHash(prefix, hashes));
  } finally {
    store.close();
  }
}

export function registerSweep(program: Command): void {
  const cmd = program
    .command('sweep')
    .description('train a grid of configurations × seeds (e.g. --activation relu,sigmoid --init-mean 0,-eps --replicates 10); ends with a line per configuration, the paired comparison of two configurations, and the stability map of two or more swept fields');
  addProcessesOption(addSpecFlags(cmd, true))
    .option('--replicates <k>', 'seeds per configuration (default 1; paired: replicate r of every configuration shares its seeds)')
    .option('--spec <file>', 'a JSON/YAML sweep file: { name, base: {spec fields}, grid: {field: [values]}, replicates }')
    .option('--name <text>', 'name of the experiment')
    .option('--preset <name>', `one of the seed's exercises: ${PRESET_NAMES.join('|')} (flags adjust it)`)
    .option('--kernel <name>', `matrix kernels: ${KERNEL_CHOICES.join('|')}`)
    .option(...THREADS_OPTION)
    .option('--json', 'print the runs (id, status, spec, testMse, r2, outcome…) as JSON instead of the table')
    .option(...LEARNED_AT_OPTION)
    .option('--no-progress', 'no progress bar');
  addQueueOptions(cmd, { flags: '--queue [url]', help: `send the runs to a job queue for \`nnlab worker\`s on other machines instead of training them here; the lab collects the results into its database. ${QUEUE_URL_HELP}` })
    .option('--allow-mismatch', 'with --queue: let workers with another nnlab version or kernel train the runs too (their results may differ in the last bits; each run records what trained it)')
    .option(...DATA_OPTION)
    .option(...DB_OPTION)
    .action(async (options: Record<string, unknown> & { processes?: string; workers?: string; kernel?: string; threads?: string; json?: boolean; progress: boolean; db?: string; learnedAt?: string; data?: string }) => {
      const learnedAt = learnedAtOption(options.learnedAt);
      const input = await wholeDatasetHashes(sweepFromCommand(options) as { base: Record<string, unknown>; grid: Record<string, unknown[]> }, options);
      const def = (() => {
        try {
          return parseSweep(input);
        } catch (e) {
          if (e instanceof SpecError) throw new UsageError(describe(e, options));
          throw e;
        }
      })();
      const processes = processCount(options);
      const target = queueTargetOf(options as { queue?: string | boolean; queueName?: string }, false);
      if (!target && options.allowMismatch) throw new UsageError('--allow-mismatch: goes with --queue');
      const { store, writes } = await openStoreFor(options, 'write');
      // --data FILE: every run's data set is that file's table (found in the database by its hash, else read and stored below)
      let table: Table | null = null;
      if (options.data) {
        if (def.base.dataset !== undefined || def.grid.dataset !== undefined) {
          store.close();
          throw new UsageError('--data and --dataset: give one or the other');
        }
        let data: Awaited<ReturnType<typeof tableOption>>;
        try {
          data = await tableOption(options.data, store);
        } catch (e) {
          store.close();
          throw e;
        }
        table = data.table;
        def.base = { ...def.base, task: def.base.task ?? 'csv', dataset: data.info.sha256 };
      }
      const lab = new LabService({ store, writes, poolSize: processes, kernel: kernelOption(options.kernel), threads: threadsOption(options.threads) });
      // Ctrl-C (SIGTERM, SIGHUP): the runs in training end interrupted (and are saved so); a later signal does not cut that short
      const signals = onStopSignals(() => void lab.close());
      let queue: RunQueue | null = null;
      let unsaved: string[] = [];
      try {
        if (target) queue = await attachQueue(lab, target);
        let started: { experimentId: number; runIds: number[]; timingJobId?: number };
        try {
          // another program may hold the lock: wait for it (up to the write path's limit) before starting
          await readyUnlessStopped(writes, 'a new sweep', signals);
          // the specs are checked against the file's table before it is stored: a bad column stores nothing
          if (table) {
            const read = table;
            expandSweep(def, { data: cliDataContext(read, store) });
            await writes.write(`the data set ${read.name}`, () => store.datasets.put(read));
          }
          started = lab.startSweep(def, queue ? { queue: { allowMismatch: options.allowMismatch === true } } : {});
        } catch (e) {
          if (e instanceof DataError) throw new UsageError(describeDataError(e, options.data, { dataset: def.base.dataset, context: cliDataContext(null, store) }));
          if (e instanceof SpecError) throw new UsageError(describe(e, options));
          if (e instanceof StoreError) throw new RunFailedError(e.message);
          throw e;
        }
        const completions = Promise.all(started.runIds.map((id) => lab.wait(id)));
        const total = started.runIds.length;
        const bar = progressBar(total, `sweep (${total} runs${queue ? ' on the queue' : ''})`, options.progress && process.stderr.isTTY === true);
        const mine = new Set(started.runIds);
        const info = queueInfo();
        let finished = 0;
        let failed = 0;
        lab.on((e) => {
          if (!('runId' in e) || !mine.has(e.runId)) return;
          if (e.type === 'run/started' || e.type === 'run/refused') info.see(e);
          if (e.type === 'run/finished') {
            finished++;
            if (e.status !== 'done') failed++;
          }
          if (e.type === 'run/finished' || e.type === 'run/refused') bar.update(finished, { info: [failed ? `${failed} not done` : '', info.text()].filter(Boolean).join(' · ') });
        });
        // a queue sweep waits for its own runs (an earlier sweep's runs are collected as they come, not waited for)
        if (queue) await Promise.all(started.runIds.map((id) => lab.wait(id)));
        else await lab.idle();
        bar.stop();
        // Ctrl-C, or a database that can take no more writes: the rest stays in the queue, safe
        const left = queue ? store.countRuns({ experimentId: started.experimentId, status: ['queued', 'running'] }) : 0;
        if (queue && left > 0) {
          process.stderr.write(
            `nnlab: ${signals.received ? `interrupted${signals.received === 'SIGINT' ? '' : ` (${signals.label})`}` : `stopped (${writes.fault?.message ?? 'the lab closed'})`}: ${total - left} of ${total} runs of experiment #${started.experimentId} are stored; ${left} wait in ${queue.description}.\n` +
              `nnlab queue collect --queue URL${target!.name !== DEFAULT_QUEUE_NAME ? ` --queue-name ${target!.name}` : ''} --db ${store.file} collects them (as does the next sweep on this queue).\n`,
          );
          process.exitCode = signals.received ? signals.exitCode : 1;
          return;
        }
        // Ctrl-C: the runs it stopped are written as interrupted once the lab has closed
        if (signals.received) await lab.close();
        // bring in what waited in the journal, if the lock that kept it out is gone by now
        if (writes.journaled.size && !writes.fault) await writes.importJournal(0);
        const saves = tally(await completions, writes);
        unsaved = unsavedLines(saves, writes);
        const runs = store.listRuns({ experimentId: started.experimentId, order: 'oldest' });
        // what Ctrl-C left, as the database holds it: runs trained to the end, and those it stopped
        const stopped = signals.received ? interruptedLine(started.experimentId, runs, total, store.file, signals.label) : null;
        if (stopped) process.exitCode = signals.exitCode;
        if (options.json) {
          if (stopped) process.stderr.write(`nnlab: ${stopped}\n`);
          process.stdout.write(`${JSON.stringify(runs.map((r) => withOutcome(r, learnedAt)), (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v))}\n`);
        } else {
          process.stdout.write(
            stopped
              ? `experiment #${started.experimentId}: ${stopped}${allSaved(saves) ? '' : `; not saved: ${unsavedIds(saves).map((id) => `#${id}`).join(', ')} (see below)`}\n`
              : allSaved(saves)
                ? `experiment #${started.experimentId}: ${total} run${total === 1 ? '' : 's'} saved in ${store.file}\n`
                : `experiment #${started.experimentId}: ${saves.saved.length} of ${total} runs saved in ${store.file}; not saved: ${unsavedIds(saves).map((id) => `#${id}`).join(', ')} (see below)\n`,
          );
          if (queue) process.stdout.write(`${trainedByLine(runs)}\n`);
          // a sweep that asked to be timed (the relu-vs-sigmoid exercise): the honest timing, measured after its runs
          const timing = started.timingJobId !== undefined ? store.listTimings({ experimentId: started.experimentId, limit: 1 })[0] : undefined;
          const summary = timing ? summarizeTiming(timing.measurement) : null;
          // the summary per configuration, the paired comparison (two configurations), the stability map (two or more swept fields)
          const report = analyse(factsOf(store, runs), { swept: Object.keys(def.grid), learnedAt, timing: timing && summary ? { summary, configKeys: timing.configKeys, environment: timing.environment } : null });
          process.stdout.write(`${formatReport(report, { reading: false })}\n`);
          if (timing && summary) process.stdout.write(`\n${formatTiming(summary, { kernel: timing.kernel, environment: timing.environment, id: timing.id })}\n`);
          // the reading, from the same findings
          const reading = readFindings(report.findings);
          const question = options.preset ? `${PRESETS[options.preset as PresetName].question}\n` : '';
          if (reading.paragraphs.length) process.stdout.write(`\n${question}${reading.paragraphs.join('\n')}\n`);
          if (reading.offerBatches) process.stdout.write(`more steps: the same command with --batches ${reading.offerBatches}, then nnlab runs compare --experiment ${started.experimentId} --experiment <the new one>\n`);
        }
      } finally {
        await lab.close();
        await queue?.close();
        keepIfMoved(store);
        store.close();
        signals.off();
      }
      if (unsaved.length) throw new NotSavedError(unsaved);
    });
}

/**
 * The sweep Ctrl-C stopped, from its stored runs: "interrupted (Ctrl-C): 5 of 20 runs trained and
 * saved in FILE; 15 saved as interrupted, not trained to the end" (and any that ended otherwise).
 */
function interruptedLine(experimentId: number, runs: readonly RunSummary[], total: number, file: string, signal: string): string {
  const trained = runs.filter((r) => r.status === 'done' || r.status === 'diverged').length;
  const stopped = runs.filter((r) => r.status === 'interrupted').length;
  const other = runs.length - trained - stopped;
  const rest = [`${stopped} saved as interrupted, not trained to the end`, other ? `${other} ended otherwise (nnlab runs list --experiment ${experimentId})` : ''].filter(Boolean).join('; ');
  return `interrupted (${signal}): ${trained} of ${total} runs trained and saved in ${file}; ${rest}`;
}

function describe(e: SpecError, options: Record<string, unknown>): string {
  const top = e.field.split(/[.[]/)[0];
  // --replicates is the sweep's own flag, no spec field's
  const flag = top === 'replicates' ? '--replicates' : flagForField(top === 'grid' || top === 'base' ? e.field.split('.')[1] ?? top : top);
  if (flag && options[optionKey(flag)] !== undefined) return `${flag} (${e.field}): ${e.reason}`;
  // a spec field at the sweep file's top level belongs under base: (or grid:)
  const misplaced = e.reason === 'unknown field' && !e.field.includes('.') && (SPEC_KEYS as readonly string[]).includes(e.field);
  // a sweep file's own key misspelt (`gird:`, `replicate:`)
  const hint = misplaced ? ' (a sweep file’s spec fields go under base: or grid:)' : unknownFieldHint(e, e.field.includes('.') ? undefined : SWEEP_KEYS);
  return `${options.spec ? `${options.spec}: ${e.message}` : e.message}${hint}`;
}
