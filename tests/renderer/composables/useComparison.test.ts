import { describe, expect, it } from 'vitest';
import { nextTick, ref } from 'vue';
import type { RunRecord } from '@main/db/types';
import { costPointsFor, LabApiError } from '@main/api/contract';
import { autoMode, createComparison } from '../../../src-renderer/src/composables/useComparison';
import { createLab } from '../../../src-renderer/src/composables/useLab';
import { fakeClient, flush, record, summary } from '../helpers/fake-lab';

const series = (n: number) => ({
  cost: { shape: [n], data: Array.from({ length: n }, (_, i) => 10 / (i + 1)), length: n },
});

function setup(records: Map<number, RunRecord>, gate?: Promise<void>) {
  const client = fakeClient({
    'runs/get': async (req) => {
      await gate;
      const r = records.get(req.id);
      if (!r) throw new LabApiError({ name: 'NotFoundError', message: `there is no run ${req.id}` });
      return { run: r };
    },
    'runs/series': (req) => ({ series: req.names?.includes('cost') ? series(300) : {} }),
  });
  const lab = createLab(client);
  const ids = ref<number[]>([]);
  const cmp = createComparison(lab, ids, ref('light'), ref({ truth: '#000000', muted: '#777777' }));
  return { client, lab, ids, cmp };
}

const withSeries = (r: RunRecord): RunRecord => ({ ...r, series: [{ name: 'cost', dtype: 'f64', length: 300, shape: [300] }] });

describe('renderer/composables/useComparison', () => {
  it('picks groups mode once a configuration has three seeds', () => {
    expect(autoMode([{ configKey: 'a' }, { configKey: 'b' }])).toBe('runs');
    expect(autoMode([{ configKey: 'a' }, { configKey: 'a' }, { configKey: 'a' }, { configKey: 'b' }])).toBe('groups');
  });

  it('fetches the selected runs and their series, and computes the comparison', async () => {
    const records = new Map([
      [1, withSeries(record(summary(1)))],
      [2, withSeries(record(summary(2, { activation: 'sigmoid' })))],
    ]);
    const { ids, cmp, client, lab } = setup(records);
    ids.value = [1, 2];
    await flush(10);
    expect(cmp.data.value.map((d) => d.run.id)).toEqual([1, 2]);
    expect(cmp.comparison.value?.diff.map((r) => r.field)).toEqual(['activation']);
    expect(cmp.comparison.value?.views.cost?.model.series.filter((s) => s.role === 'smoothed')).toHaveLength(2);
    // one call for both runs' records and series, the cost decimated by the lab
    const batched = client.calls.filter((c) => c.name === 'runs/compare');
    expect(batched).toHaveLength(1);
    const req = batched[0].request as { ids: number[]; series: { name: string; maxPoints?: number }[] };
    expect(req.ids).toEqual([1, 2]);
    expect(req.series[0]).toEqual({ name: 'cost', maxPoints: 4000 });
    expect(client.calls.filter((c) => c.name === 'runs/series' || c.name === 'runs/get')).toEqual([]);
    // a finished run is not fetched again when the selection changes
    ids.value = [2];
    await flush(10);
    expect(client.calls.filter((c) => c.name === 'runs/compare')).toHaveLength(1);
    cmp.close();
    lab.close();
  });

  it('shows only the runs the parallel coordinates\' brushes keep, and starts another selection without them', async () => {
    const specs = [
      { activation: 'relu', learningRate: 0.1 },
      { activation: 'relu', learningRate: 1 },
      { activation: 'tanh', learningRate: 0.1 },
      { activation: 'tanh', learningRate: 1 },
    ] as const;
    const records = new Map(specs.map((spec, i) => [i + 1, withSeries(record(summary(i + 1, spec)))]));
    const { ids, cmp, lab } = setup(records);
    ids.value = [1, 2, 3, 4];
    await flush(10);
    expect(cmp.comparison.value?.views.parallel?.model.lines).toHaveLength(4);
    cmp.brushes.value = [{ axis: 'activation', values: ['tanh'] }];
    expect(cmp.comparison.value?.brushed).toEqual({ kept: 2, total: 4 });
    expect(cmp.comparison.value?.items.map((it) => it.key)).toEqual(['run-3', 'run-4']);
    ids.value = [1, 2, 3];
    await flush(10);
    expect(cmp.brushes.value).toEqual([]);
    expect(cmp.comparison.value?.brushed).toBeNull();
    expect(cmp.comparison.value?.items).toHaveLength(3);
    cmp.close();
    lab.close();
  });

  it('says which runs a failed fetch was for, the gone ones apart, and is busy only while it fetches', async () => {
    const records = new Map([[1, withSeries(record(summary(1)))]]);
    const { ids, cmp, client, lab } = setup(records);
    ids.value = [1, 7];
    await nextTick();
    expect(cmp.busy.value).toBe(true);
    await flush(10);
    expect(cmp.busy.value).toBe(false);
    expect(cmp.missing.value).toEqual([7]);
    expect(cmp.data.value.map((d) => d.run.id)).toEqual([1]);
    client.handlers['runs/compare'] = () => {
      throw new LabApiError({ name: 'StoreError', message: 'the database is locked' });
    };
    ids.value = [1, 2, 3, 4];
    await flush(10);
    expect(cmp.error.value).toBe('3 runs (#2 … #4): the database is locked');
    cmp.close();
    lab.close();
  });

  it('asks fewer cost points a run as a comparison grows: 4000 for a few runs, 400 each for 500', () => {
    expect(costPointsFor(2)).toBe(4000);
    expect(costPointsFor(72)).toBe(2777);
    expect(costPointsFor(500)).toBe(400);
    expect(costPointsFor(5000)).toBe(300);
  });

  it('fetches a run again when it finishes, even if the event comes while it is being fetched', async () => {
    const records = new Map([[3, record(summary(3, {}, { status: 'queued', finalMse: null, failed: null }))]]);
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    const { ids, cmp, client, lab } = setup(records, gate);
    ids.value = [3];
    await flush();
    // the run ends while its first fetch is still under way
    records.set(3, withSeries(record(summary(3))));
    client.emit({ type: 'run/finished', runId: 3, status: 'done', error: null });
    await new Promise((r) => setTimeout(r, 200));
    open();
    await flush(20);
    expect(cmp.data.value[0].run.status).toBe('done');
    expect(cmp.data.value[0].series.cost?.length).toBe(300);
    cmp.close();
    lab.close();
  });

  it('draws a run in training from its progress events', async () => {
    const records = new Map([[4, record(summary(4, {}, { status: 'running', finalMse: null, failed: null, trainMs: null }))]]);
    const { ids, cmp, client, lab } = setup(records);
    ids.value = [4];
    await flush();
    client.emit({ type: 'run/progress', runId: 4, batchesDone: 3, batches: 300, cost: 5, elapsedMs: 3, from: 0, stride: 1, costs: [9, 7, 5] });
    expect(cmp.data.value[0].live?.cost).toEqual([9, 7, 5]);
    expect(cmp.comparison.value?.views.cost?.model.series[0].points).toHaveLength(3);
    cmp.close();
    lab.close();
  });

  it('notes runs that no longer exist', async () => {
    const { ids, cmp, lab } = setup(new Map());
    ids.value = [99];
    await flush();
    expect(cmp.missing.value).toEqual([99]);
    expect(cmp.comparison.value).toBeNull();
    cmp.close();
    lab.close();
  });
});
