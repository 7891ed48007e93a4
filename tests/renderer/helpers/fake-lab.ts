/**
 * A LabClient for renderer tests: answers calls from a handler table (an unknown call fails as
 * the lab would), records every call, and emits lab events on demand. Plus fixtures of runs.
 */
import { runMetrics } from '@main/trainer/metrics';
import { taskKind } from '@main/trainer/tasks';
import { type ApiName, type ApiRequest, type ApiResponse, costPointsFor, LabApiError, type LabClient, type LabEventWire, MAX_COMPARE_RUNS } from '@main/api/contract';
import { configKey } from '@main/db/config-key';
import type { RunRecord, RunSummary } from '@main/db/types';
import { DEFAULT_SPEC, type RunSpec, specChoices } from '@main/trainer/spec';
import { parseQuery } from '@main/analysis/query';
import { createRunFields } from '@main/analysis/run-fields';
import { runTable } from '@main/analysis/run-table';

export type Handlers = { [N in ApiName]?: (req: ApiRequest<N>) => ApiResponse<N> | Promise<ApiResponse<N>> };

export interface FakeClient extends LabClient {
  calls: { name: ApiName; request: unknown }[];
  emit(e: LabEventWire): void;
  handlers: Handlers;
}

export function fakeClient(handlers: Handlers = {}): FakeClient {
  const listeners = new Set<(e: LabEventWire) => void>();
  const calls: { name: ApiName; request: unknown }[] = [];
  return {
    calls,
    handlers,
    async call<N extends ApiName>(name: N, request: ApiRequest<N>): Promise<ApiResponse<N>> {
      calls.push({ name, request });
      if (name === 'runs/compare' && !handlers['runs/compare']) return compareFrom(handlers, request as ApiRequest<'runs/compare'>) as Promise<ApiResponse<N>>;
      const h = handlers[name] as ((r: ApiRequest<N>) => ApiResponse<N> | Promise<ApiResponse<N>>) | undefined;
      if (!h) throw new LabApiError({ name: 'NotFoundError', message: `no handler for ${name}` });
      return h(request);
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit(e) {
      for (const l of listeners) l(e);
    },
  };
}

/**
 * 'runs/compare' answered as the lab answers it, from a fake's 'runs/get' and 'runs/series'
 * (each run's record, then its named series at their maxPoints; a run 'runs/get' does not have is
 * missing), so a fake written for one run at a time serves the batched call too.
 */
async function compareFrom(handlers: Handlers, req: ApiRequest<'runs/compare'>): Promise<ApiResponse<'runs/compare'>> {
  const get = handlers['runs/get'];
  if (!get) throw new LabApiError({ name: 'NotFoundError', message: 'no handler for runs/compare (nor runs/get)' });
  // asked by experiment: its runs as the fake's 'runs/ids' gives them (the lab's own list), all of them listed in the answer
  const all = req.ids ?? (await idsOf(handlers, req.experimentId!));
  const out: ApiResponse<'runs/compare'> = req.ids ? { runs: [], missing: [] } : { runs: [], missing: [], ids: all };
  for (const id of req.ids ?? all.slice(0, MAX_COMPARE_RUNS)) {
    let run: RunRecord;
    try {
      ({ run } = await get({ id }));
    } catch (e) {
      if (e instanceof LabApiError && e.error.name === 'NotFoundError') {
        out.missing.push(id);
        continue;
      }
      throw e;
    }
    const series: ApiResponse<'runs/series'>['series'] = {};
    const seriesOf = handlers['runs/series'];
    // the lab answers the series a run has stored: a fake's record lists none when it has none
    if (seriesOf && run.series.length)
      for (const { name, maxPoints } of req.series) Object.assign(series, (await seriesOf({ id, names: [name], maxPoints: maxPoints === 'comparison' ? costPointsFor(all.length) : maxPoints })).series);
    out.runs.push({ run, series });
  }
  return out;
}

async function idsOf(handlers: Handlers, experimentId: number): Promise<number[]> {
  const ids = handlers['runs/ids'];
  if (!ids) throw new LabApiError({ name: 'NotFoundError', message: 'no handler for runs/compare by experiment (nor runs/ids)' });
  return (await ids({ experimentId })).ids;
}

/** Lets pending promises (and Vue's scheduler) run. */
export async function flush(times = 5): Promise<void> {
  for (let i = 0; i < times; i++) await new Promise((r) => setTimeout(r, 0));
}


export function summary(id: number, spec: Partial<RunSpec> = {}, over: Partial<RunSummary> = {}): RunSummary {
  const full: RunSpec = { ...DEFAULT_SPEC, ...spec };
  return {
    id,
    experimentId: null,
    status: 'done',
    spec: full,
    configKey: configKey(full),
    initSeed: full.initSeed,
    dataSeed: full.dataSeed,
    appVersion: '0.1.0',
    createdAt: 1_700_000_000_000 + id,
    startedAt: 1_700_000_000_000 + id,
    finishedAt: 1_700_000_000_100 + id,
    owner: null,
    heartbeatAt: null,
    batchesRun: full.batches,
    kind: taskKind(full),
    finalCost: 0.05,
    ...runMetrics(
      taskKind(full) === 'regression'
        ? { kind: 'regression', finalLoss: 0.05 / full.batchSize, testLoss: 0.002, testMetric: 0.002, baseline: 0.0806 }
        : { kind: 'classification', finalLoss: 0.05 / full.batchSize, testLoss: 0.1, testMetric: 0.96, baseline: 0.5 },
    ),
    penalty: 0,
    failed: false,
    kernel: 'js',
    trainMs: 30,
    error: null,
    notes: '',
    tags: [],
    remote: null,
    ...over,
  };
}

export function record(s: RunSummary, over: Partial<RunRecord> = {}): RunRecord {
  const hidden = s.spec.shape.slice(1, -1);
  return {
    ...s,
    timing: { trainMs: s.trainMs ?? 30, samplesPerSecond: 300_000, usPerSample: { forward: 1, backward: 0.5, update: 0.25 }, sampledBatches: 10 },
    diagnostics: {
      probePoints: 101,
      atInit: { dead: [...hidden.map(() => [0, 1]), []], saturation: [...hidden.map(() => 0), 0], preActivation: [] },
      atEnd: { dead: [...hidden.map(() => [0, 1, 2]), []], saturation: [...hidden.map(() => 0), 0], preActivation: [] },
      divergedAtBatch: null,
    },
    series: [],
    ...over,
  };
}

/** A 'runs/get' handler over these records: a run it does not have is a NotFoundError, as the lab says it. */
export function runsGet(records: ReadonlyMap<number, RunRecord>): NonNullable<Handlers['runs/get']> {
  return (req) => {
    const run = records.get(req.id);
    if (!run) throw new LabApiError({ name: 'NotFoundError', message: `there is no run ${req.id}` });
    return { run };
  };
}

/**
 * A 'runs/table' handler over a list of summaries, answered by the real query, sort and groups
 * (analysis/query, run-table), paged as the lab pages them.
 */
export function tableOver(list: () => RunSummary[]): NonNullable<Handlers['runs/table']> {
  const fields = createRunFields(specChoices());
  return (req) => {
    const t = runTable(list(), fields, { query: parseQuery(req.where ?? '', fields), sort: req.sort, desc: req.desc, group: req.group, columns: req.columns });
    const limit = req.limit ?? 500;
    const offset = req.offset ?? 0;
    const expanded = new Set(req.expanded ?? []);
    return {
      rows: t.groups ? [] : t.rows.slice(offset, offset + limit),
      total: t.rows.length,
      allTotal: list().length,
      groups: t.groups ? t.groups.map((g) => ({ ...g, count: g.runs.length, runs: expanded.has(g.key) ? g.runs.slice(0, limit) : [] })) : null,
    };
  };
}
