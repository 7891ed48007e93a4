/** `nnlab runs list|show|delete|export`: the saved runs. */
import fs from 'node:fs';
import type { Command } from 'commander';
import type { RunStore, RunSummary } from '../db/store';
import type { WritePath } from '../db/write-path';
import { csvPieces, jsonPieces, writePieces } from './export';
import { NETWORK_FORMATS, type NetworkFormat, networkExport } from './network-export';
import { parseInteger } from './spec-flags';
import { printable } from './printable';
import { DB_OPTION, openStoreFor } from './store';
import { analyse, factsOf, formatReport, LEARNED_AT_OPTION, learnedAtOption, reportJson, withOutcome } from './report';
import { METRIC_WORDS, metricsOf, NOT_COUNTED_WORDS, OUTCOME_WORDS, outcomeDefinition, outcomeOf } from '../analysis/outcome';
import { hasOutcome, isEnded, isQueuedRemote, statusText } from '../analysis/status';
import { pickTiming, summarizeTiming } from '../analysis/timing';
import { describeSpec } from './summary';
import { fieldsText, listQueried } from './runs-query';
import { RunFailedError, UsageError } from './usage';
import { StoreError } from '../db/errors';
import { RUN_STATUSES, type RunStatus, type StoredWeightCheckpoints } from '../db/store';
import { WEIGHT_CHECKPOINT_BYTES } from '../trainer/trainer';
import { outOfReachText, outputOutOfReach } from '../analysis/output-reach';
import { outputNames } from '../trainer/tasks';

/** JSON with NaN/Infinity as null. */
function json(value: unknown, indent?: number): string {
  return `${JSON.stringify(value, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v instanceof Float64Array ? Array.from(v) : v), indent)}\n`;
}

/** Opens the store for one command: 'read' falls back to a read-only store on a database this user may not write. */
async function withStore<T>(options: { db?: string }, mode: 'read' | 'write', fn: (store: RunStore, writes: WritePath) => T | Promise<T>): Promise<T> {
  const { store, writes } = await openStoreFor(options, mode);
  try {
    return await fn(store, writes);
  } finally {
    store.close();
  }
}

/** Run ids as typed (`3`, `#3`); one given twice is refused (an export would hold its rows twice, a comparison count it twice). */
function parseIds(ids: string[]): number[] {
  const seen = new Map<number, string>();
  return ids.map((s) => {
    const n = parseInteger(s.replace(/^#/, ''), 'run id') as number;
    if (n < 1) throw new UsageError(`run id: expected a positive whole number, got '${s}'`);
    const before = seen.get(n);
    if (before !== undefined) throw new UsageError(`run ids: #${n} is given twice ('${before}', '${s}'): give each run once`);
    seen.set(n, s);
    return n;
  });
}

const num = (x: number | null, d = 5) => (x === null ? '–' : x.toFixed(d));

const OUTPUT_SHORT = { seed: '', linear: 'lin', sigmoid: 'sig', softmax: 'softmax' } as const;

/** `runs show`'s line of scores, in the run's kind's terms. */
function scoresLine(run: RunSummary): string {
  const penalty = run.penalty ? `, penalty ${num(run.penalty)}` : '';
  if (run.kind === 'classification') {
    const pct = (x: number | null) => (x === null ? '–' : `${(100 * x).toFixed(1)} %`);
    return `final cost ${num(run.finalCost)}, final loss ${num(run.finalLoss)} per sample${penalty}; test accuracy ${pct(run.testAccuracy)} (majority class ${pct(run.majorityShare)}), test loss ${num(run.testLoss)}`;
  }
  return `final cost ${num(run.finalCost)}, final MSE ${num(run.finalMse)} (constant baseline ${num(run.baselineMse)}), test MSE ${num(run.testMse)}${penalty}`;
}

/** The test score in its own units: "MSE 0.00159", "acc 98.4 %". */
function testScore(r: RunSummary): string {
  if (r.testMetric === null) return '–';
  return r.kind === 'classification' ? `acc ${(100 * r.testMetric).toFixed(1)} %` : `MSE ${r.testMetric.toFixed(5)}`;
}

function listTable(runs: RunSummary[], learnedAt: number): string {
  const head = ['id', 'status', 'created', 'task', 'shape', 'activation', 'lr', 'init', 'seeds', 'test score', 'r² / skill', 'outcome', 'time'];
  const rows = runs.map((r) => [
    `#${r.id}`,
    statusText(r),
    new Date(r.createdAt).toISOString().slice(0, 19).replace('T', ' '),
    r.spec.task,
    r.spec.shape.join(','),
    r.spec.activation + (r.spec.outputActivation === 'seed' ? '' : `/${OUTPUT_SHORT[r.spec.outputActivation]}`) + (r.spec.loss === 'sse' ? '' : ' CE'),
    String(r.spec.learningRate),
    r.spec.init === 'normal' ? `N(${r.spec.initMean}, ${r.spec.eps})` : r.spec.init,
    `${r.spec.initSeed}/${r.spec.dataSeed}`,
    testScore(r),
    ((o) => (o?.score.value === null || o?.score.value === undefined ? '–' : `${METRIC_WORDS[o.score.metric]} ${o.score.value.toFixed(3)}`))(outcomeOf(r, learnedAt)),
    ((o) => (o ? OUTCOME_WORDS[o.outcome] : '–'))(outcomeOf(r, learnedAt)),
    r.trainMs === null ? '–' : `${r.trainMs.toFixed(0)} ms`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  return [head, ...rows].map((cells) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd()).join('\n');
}

/** `runs show`'s line on the weights kept: at how many of the checkpoints, and whether they were thinned to fit the bound. */
function weightCheckpointsLine(w: StoredWeightCheckpoints): string {
  const mib = WEIGHT_CHECKPOINT_BYTES / 1024 / 1024;
  const at = `weights kept at ${w.batches.length} point${w.batches.length === 1 ? '' : 's'} of training (batches ${w.batches.length > 6 ? `${w.batches.slice(0, 3).join(', ')}, …, ${w.batches.slice(-2).join(', ')}` : w.batches.join(', ')})`;
  return w.thinned ? `${at}: fewer than the run's ${w.checkpoints} checkpoints, evenly spaced, to keep them within ${mib} MiB` : at;
}

/** Writes an export to a file (`-`: standard output); a file that cannot be written is a UsageError naming it. */
function writeNetwork(file: string, data: string | Uint8Array): void {
  if (file === '-') {
    process.stdout.write(data);
    return;
  }
  try {
    fs.writeFileSync(file, data);
  } catch (e) {
    throw new UsageError(`${file}: cannot write (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

function requireRuns(store: RunStore, ids: number[]): void {
  const missing = ids.filter((id) => !store.getRun(id));
  if (missing.length) throw new UsageError(`no run #${missing[0]} in ${store.file}`);
}

export function registerRuns(program: Command): void {
  const runs = program.command('runs').description('list, show, compare, delete and export saved runs (runs compare: the paired comparison and stability map of saved runs)');
  runs
    .command('list')
    .description('the saved runs, newest first')
    .option('--limit <n>', 'at most this many runs')
    .option('--status <status>', `only runs with this status (${RUN_STATUSES.join('|')})`)
    .option('--experiment <id>', 'only the runs of this experiment (sweep)')
    .option('--search <text>', 'only runs whose spec, notes, tags or error contain this text')
    .option('--where <query>', "only runs the query is true of: activation = relu and r2 < 0.5, tag:baseline, experiment = 3 (the app's runs table takes the same; nnlab runs fields lists the fields)")
    .option('--sort <field>', 'sort by any run field (ascending; --desc, or a leading -, for descending: -r2): r2, lr, testAccuracy, …')
    .option('--desc', 'sort descending')
    .option('--group-by <field>', 'one line per value of a field: its runs, outcome classes and the median of each number column')
    .option('--columns <fields>', 'the columns to print, comma-separated run fields (e.g. id,activation,eps,r2,outcome)')
    .option('--json', 'print a JSON array (all runs unless --limit); every ended run has r2 and outcome')
    .option(...LEARNED_AT_OPTION)
    .option(...DB_OPTION)
    .action(async (o: { limit?: string; status?: string; experiment?: string; search?: string; json?: boolean; db?: string; learnedAt?: string; where?: string; sort?: string; desc?: boolean; groupBy?: string; columns?: string }) => {
      const learnedAt = learnedAtOption(o.learnedAt);
      const limit = o.limit === undefined ? undefined : (parseInteger(o.limit, '--limit') as number);
      if (limit !== undefined && limit < 0) throw new UsageError('--limit: must be 0 or more');
      if (o.status !== undefined && !RUN_STATUSES.includes(o.status as RunStatus)) throw new UsageError(`--status: expected one of ${RUN_STATUSES.join('|')}, got '${o.status}'`);
      const experimentId = o.experiment === undefined ? undefined : (parseInteger(o.experiment, '--experiment') as number);
      const queried = o.where !== undefined || o.sort !== undefined || o.groupBy !== undefined || o.columns !== undefined;
      await withStore(o, 'read', (store) => {
        if (queried) {
          const out = listQueried(store, { ...o, limit, learnedAt }, { status: o.status as RunStatus | undefined, experimentId, search: o.search }, !!o.json);
          if (!o.json) process.stdout.write(out.text!);
          else if (out.runs) process.stdout.write(json(out.runs.map((r) => withOutcome(r, learnedAt))));
          else process.stdout.write(json(out.groups!.map(({ runs: members, ...g }) => ({ ...g, count: members.length, runIds: members.map((r) => r.id) }))));
          return;
        }
        const list = store.listRuns({ limit, status: o.status as RunStatus | undefined, experimentId, search: o.search });
        if (o.json) process.stdout.write(json(list.map((r) => withOutcome(r, learnedAt))));
        else process.stdout.write(list.length ? `${listTable(list, learnedAt)}\n${outcomeDefinition(learnedAt, metricsOf(list))}\n` : `${noRunsText(store, o, limit)}\n`);
      });
    });
  runs
    .command('fields')
    .description("the run fields that runs list --where, --sort, --group-by and --columns take (the app's runs table has the same)")
    .action(() => {
      process.stdout.write(fieldsText());
    });
  runs
    .command('show')
    .description('one run in full')
    .argument('<id>', 'run id')
    .option('--json', 'print it as JSON (with r2 and outcome once it ended)')
    .option(...LEARNED_AT_OPTION)
    .option(...DB_OPTION)
    .action(async (id: string, o: { json?: boolean; db?: string; learnedAt?: string }) => {
      const learnedAt = learnedAtOption(o.learnedAt);
      const [runId] = parseIds([id]);
      await withStore(o, 'read', (store) => {
        requireRuns(store, [runId]);
        const run = store.getRun(runId)!;
        if (o.json) {
          process.stdout.write(json(withOutcome(run, learnedAt), 2));
          return;
        }
        const lines = [
          `run #${run.id}  ${statusText(run)}${run.experimentId ? `  (experiment #${run.experimentId})` : ''}`,
          describeSpec(run.spec),
          `created ${new Date(run.createdAt).toISOString()}, nnlab ${run.appVersion}${run.kernel ? `, kernel ${run.kernel}` : ''}`,
        ];
        if (run.remote) lines.push(`sent to queue ${run.remote.name} on ${run.remote.redis}${isQueuedRemote(run) ? ' (waiting there: nnlab queue collect stores it)' : ''}`);
        const by = run.trainedBy;
        if (by) lines.push(`trained by worker ${by.worker} on ${by.host} (pid ${by.pid}): nnlab ${by.appVersion}, ${by.runtime}, ${by.platform}-${by.arch}, kernel ${by.kernel}`);
        if (run.finalCost !== null || run.finalLoss !== null) lines.push(scoresLine(run));
        const oc = outcomeOf(run, learnedAt);
        if (oc) lines.push(`outcome: ${OUTCOME_WORDS[oc.outcome]} (${METRIC_WORDS[oc.score.metric]} ${oc.score.value === null ? '–' : oc.score.value.toFixed(3)}; learned at ${METRIC_WORDS[oc.score.metric]} ≥ ${learnedAt})`);
        else if (!hasOutcome(run.status) && isEnded(run.status)) lines.push(`no outcome: ${NOT_COUNTED_WORDS[run.status] ?? run.status} (not counted in any rate)`);
        // as nnlab train said it when the run ended: a verdict no training could change
        const reach = oc && run.kind === 'regression' ? outOfReachOfRun(store, run) : null;
        if (reach) lines.push(`note: ${outOfReachText(reach, '--output-activation linear')}`);
        if (run.trainMs !== null) lines.push(`trained ${run.batchesRun} batches in ${run.trainMs.toFixed(1)} ms`);
        const d = run.diagnostics;
        if (d) lines.push(`dead units at init: ${d.atInit.dead.map((u) => u.length).join(', ')}; at end: ${d.atEnd.dead.map((u) => u.length).join(', ')} (per layer)`);
        // a run with an outcome can carry a note of the machinery's (a trainer that died and was retried): not an error of the run
        if (run.error) lines.push(`${hasOutcome(run.status) ? 'note' : 'error'}: ${run.error}`);
        if (run.notes) lines.push(`notes: ${run.notes}`);
        if (run.tags.length) lines.push(`tags: ${run.tags.join(', ')}`);
        lines.push(`series: ${run.series.map((s) => `${s.name} (${s.length})`).join(', ') || 'none'}`);
        const w = store.getWeightCheckpoints(run.id);
        if (w) lines.push(weightCheckpointsLine(w));
        // notes, tags, errors and worker names are anyone's text: no terminal escapes get through
        process.stdout.write(`${lines.map(printable).join('\n')}\n`);
      });
    });
  runs
    .command('delete')
    .description('delete runs and their series')
    .argument('<ids...>', 'run ids')
    .option(...DB_OPTION)
    .action(async (ids: string[], o: { db?: string }) => {
      const runIds = parseIds(ids);
      await withStore(o, 'write', async (store, writes) => {
        requireRuns(store, runIds);
        try {
          await writes.write(`the deletion of ${runIds.map((id) => `#${id}`).join(', ')}`, () => runIds.forEach((id) => store.deleteRun(id)));
        } catch (e) {
          if (e instanceof StoreError) throw new RunFailedError(`nothing was deleted: ${e.message}`);
          throw e;
        }
        process.stdout.write(`deleted ${runIds.map((id) => `#${id}`).join(', ')}\n`);
      });
    });
  runs
    .command('compare')
    .description('the report of saved runs: a line per configuration, the paired comparison of two configurations, the stability map of two or more varying fields')
    .argument('[ids...]', 'run ids (with or without --experiment)')
    .option('--experiment <id>', 'the runs of this experiment (sweep), again for more (the same sweep with more batches beside it); one experiment’s swept fields, in the sweep’s order, name the configurations', (v: string, prev: string[] = []) => [...prev, v])
    .option('--json', 'print the report as JSON')
    .option(...LEARNED_AT_OPTION)
    .option(...DB_OPTION)
    .action(async (ids: string[], o: { experiment?: string[]; json?: boolean; db?: string; learnedAt?: string }) => {
      const learnedAt = learnedAtOption(o.learnedAt);
      const runIds = parseIds(ids);
      const experimentIds = (o.experiment ?? []).map((e) => parseInteger(e, '--experiment') as number);
      if (!runIds.length && !experimentIds.length) throw new UsageError('runs compare: give run ids or --experiment ID');
      await withStore(o, 'read', (store) => {
        requireRuns(store, runIds);
        const list: RunSummary[] = [];
        let swept: string[] | undefined;
        for (const experimentId of experimentIds) {
          const exp = store.getExperiment(experimentId);
          if (!exp) throw new UsageError(`no experiment #${experimentId} in ${store.file}`);
          list.push(...store.listRuns({ experimentId, order: 'oldest' }));
          const grid = (exp.definition as { grid?: Record<string, unknown> } | null)?.grid;
          if (grid && typeof grid === 'object' && !runIds.length && experimentIds.length === 1) swept = Object.keys(grid);
        }
        for (const id of runIds) if (!list.some((r) => r.id === id)) list.push(store.getRun(id)!);
        const configKeys = [...new Set(list.map((r) => r.configKey))];
        const timing = pickTiming(store.listTimings({ configKeys: configKeys.slice(0, 100), limit: 50 }), configKeys.map((key) => ({ key, batches: list.find((r) => r.configKey === key)!.spec.batches })));
        const report = analyse(factsOf(store, list), { swept, learnedAt, timing: timing ? { summary: summarizeTiming(timing.measurement), configKeys: timing.configKeys, environment: timing.environment } : null });
        const n = report.findings.configs.length;
        process.stdout.write(o.json ? json(reportJson(report), 2) : `${list.length} run${list.length === 1 ? '' : 's'} in ${n} configuration${n === 1 ? '' : 's'}\n${formatReport(report)}\n`);
      });
    });
  runs
    .command('export')
    .description('export runs with their specs and series as JSON or CSV, or one run’s trained network: weights (JSON), numpy (a Python file that rebuilds it; --retrain retrains it) or onnx')
    .argument('<ids...>', 'run ids (one for weights, numpy and onnx)')
    .option('--format <format>', `json|csv|${NETWORK_FORMATS.join('|')}`, 'json')
    .option('--out <file>', 'write to this file (default: stdout, as - is)')
    .option(...DB_OPTION)
    .action(async (ids: string[], given: { format: string; out?: string; db?: string }) => {
      // the default said once, in the help's own words (commander's default showed '(default: "-")' beside it)
      const o = { ...given, out: given.out ?? '-' };
      const runIds = parseIds(ids);
      const network = (NETWORK_FORMATS as readonly string[]).includes(o.format);
      if (o.format !== 'json' && o.format !== 'csv' && !network) throw new UsageError(`--format: expected json, csv, ${NETWORK_FORMATS.join(', ')}, got '${o.format}'`);
      if (network && runIds.length !== 1) throw new UsageError(`--format ${o.format}: exports one run's network, got ${runIds.length} run ids`);
      if (o.format === 'onnx' && o.out === '-' && process.stdout.isTTY) throw new UsageError('--format onnx: the model is binary; give --out FILE or redirect standard output');
      await withStore(o, 'read', async (store) => {
        requireRuns(store, runIds);
        if (network) {
          writeNetwork(o.out, networkExport(store, runIds[0], o.format as NetworkFormat));
          return;
        }
        // streamed from the stored chunks: a run of any size exports with bounded memory
        await writePieces(o.out, o.format === 'csv' ? csvPieces(store, runIds) : jsonPieces(store, runIds));
      });
    });
}

/** A saved regression run's test targets out of its output layer's reach (analysis/output-reach), from its stored series. */
function outOfReachOfRun(store: RunStore, run: RunSummary) {
  const targets = store.getSeries(run.id, ['testTargets']).testTargets;
  const outputs = run.spec.shape[run.spec.shape.length - 1];
  return targets ? outputOutOfReach(run.spec, targets.data, outputs, outputNames(run.spec, outputs)) : null;
}

/**
 * Why runs list printed no run: an empty database ("try nnlab train"), or filters that match none
 * of the runs it holds (it said "no runs … yet" of a database of 40 runs and --status failed).
 */
function noRunsText(store: RunStore, o: { status?: string; experiment?: string; search?: string }, limit: number | undefined): string {
  const all = store.countRuns();
  if (!all) return `no runs in ${store.file} yet: try nnlab train`;
  const filters = [o.status !== undefined ? `--status ${o.status}` : '', o.experiment !== undefined ? `--experiment ${o.experiment}` : '', o.search !== undefined ? `--search '${printable(o.search)}'` : ''].filter(Boolean);
  const holds = `${store.file} holds ${all} run${all === 1 ? '' : 's'}`;
  if (filters.length) return `no run matches ${filters.join(' ')}; ${holds}`;
  return limit === 0 ? `--limit 0: no run listed; ${holds}` : `no runs listed; ${holds}`;
}
