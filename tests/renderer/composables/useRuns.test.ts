// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_COLUMNS } from '@main/analysis/run-fields';
import { DEFAULT_SPEC, specChoices } from '@main/trainer/spec';
import { createLab } from '../../../src-renderer/src/composables/useLab';
import { createRuns, DEFAULT_SETTINGS, paramsToSettings, parseTags, readSettings, SETTINGS_KEY, settingsToParams } from '../../../src-renderer/src/composables/useRuns';
import { view } from '../../../src-renderer/src/composables/useNav';
import { fakeClient, flush, summary, tableOver } from '../helpers/fake-lab';

function memoryStorage() {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), m };
}

describe('renderer/composables/useRuns', () => {
  const runs = [summary(1, {}, { testMse: 0.05, tags: ['baseline'] }), summary(2, { activation: 'sigmoid' }, { status: 'running', testMse: null }), summary(3, { learningRate: 0.5 }, { testMse: 0.001 })];
  const handlers = () => ({
    'spec/defaults': () => ({ spec: DEFAULT_SPEC, choices: specChoices(), maxWeights: 1e6, version: '0.1.0' }),
    'runs/table': tableOver(() => runs),
    'experiments/list': () => ({ experiments: [] }),
    'runs/update': () => ({ updated: true }),
    'runs/delete': (req: { ids: number[] }) => ({ deleted: req.ids.length }),
  });

  it('reads tags typed with commas', () => {
    expect(parseTags(' a, b ,, a,c ')).toEqual(['a', 'b', 'c']);
  });

  it('keeps its settings, reading a damaged entry as the defaults field by field', () => {
    expect(readSettings(null)).toEqual(DEFAULT_SETTINGS);
    expect(readSettings('{oops')).toEqual(DEFAULT_SETTINGS);
    expect(readSettings(JSON.stringify({ columns: ['id', 'eps'], sort: 'r2', desc: false, group: 'activation', pinned: [3, -1, 'x', 4], baseline: 3 }))).toEqual({ columns: ['id', 'eps'], sort: 'r2', desc: false, group: 'activation', pinned: [3, 4], baseline: 3 });
    expect(readSettings(JSON.stringify({ columns: [], sort: 5 })).columns).toEqual([...DEFAULT_COLUMNS]);
  });

  it('writes the query, columns, groups, sort and baseline to the address and reads them back', () => {
    const s = { ...DEFAULT_SETTINGS, columns: ['id', 'eps', 'r2'], group: 'activation', sort: 'r2', desc: true, baseline: 7 };
    const params = settingsToParams(s, 'activation = relu and r2 < 0.5');
    expect(params).toEqual({ q: 'activation = relu and r2 < 0.5', cols: 'id,eps,r2', group: 'activation', sort: '-r2', base: '7' });
    const back = paramsToSettings(new URLSearchParams(params as Record<string, string>), DEFAULT_SETTINGS);
    expect(back).toEqual({ where: 'activation = relu and r2 < 0.5', settings: s });
    expect(settingsToParams(DEFAULT_SETTINGS, '')).toEqual({ q: undefined, cols: undefined, group: undefined, sort: undefined, base: undefined });
  });

  it('asks the lab for the table as set, checks the query as it is typed, and refreshes when runs finish', async () => {
    const client = fakeClient(handlers());
    const lab = createLab(client);
    await lab.loadDefaults();
    const store = createRuns(lab, memoryStorage());
    await store.refresh();
    expect(store.runs.value.map((r) => r.id)).toEqual([3, 2, 1]);
    expect([store.total.value, store.allTotal.value]).toEqual([3, 3]);
    store.where.value = 'lr < 1';
    await store.refresh();
    expect(store.runs.value.map((r) => r.id)).toEqual([3]);
    expect(client.calls.filter((c) => c.name === 'runs/table').at(-1)!.request).toMatchObject({ where: 'lr < 1', sort: 'id', desc: true, columns: [...DEFAULT_COLUMNS] });
    // a query that does not parse: the error points at the token, and the lab is not asked
    const asked = client.calls.length;
    store.where.value = 'lr < fast';
    expect([store.whereError.value?.position, store.whereError.value?.token]).toEqual([5, 'fast']);
    await store.refresh();
    expect(client.calls.length).toBe(asked);
    expect(store.runs.value.map((r) => r.id)).toEqual([3]); // the last answer stays
    store.where.value = '';
    store.setSort('testMse');
    await flush();
    expect(store.settings.value).toMatchObject({ sort: 'testMse', desc: false });
    expect(store.runs.value.map((r) => r.id)).toEqual([3, 1, 2]);
    store.setSort('testMse');
    await flush();
    expect(store.runs.value.map((r) => r.id)).toEqual([1, 3, 2]);
    const before = client.calls.length;
    client.emit({ type: 'run/finished', runId: 1, status: 'done', error: null });
    // refreshed after a pause (debounced): wait for the call, not for a time
    await vi.waitFor(() => expect(client.calls.length).toBeGreaterThan(before), { timeout: 20_000 });
    store.close();
    lab.close();
  });

  it('says no experiment is named so once the experiments are in, and asks the lab nothing for it', async () => {
    const client = fakeClient({ ...handlers(), 'experiments/list': () => ({ experiments: [{ id: 4, name: 'init-mean', kind: 'sweep', definition: {}, createdAt: 0, notes: '' }] }) });
    const lab = createLab(client);
    await lab.loadDefaults();
    const store = createRuns(lab, memoryStorage());
    store.where.value = 'experiment = "init mean"';
    // before the experiments are known, nothing is said of the name
    expect(store.whereError.value).toBeNull();
    await store.refresh();
    expect(store.whereError.value?.message).toBe(`'"init mean"' at column 14: no experiment is named 'init mean' (did you mean 'init-mean'?)`);
    const asked = client.calls.length;
    await store.refresh();
    expect(client.calls.length).toBe(asked);
    store.where.value = 'experiment = "Init-Mean"';
    expect(store.whereError.value).toBeNull();
  });

  it('groups, expands a group, pins runs and sets a baseline, kept in storage', async () => {
    const client = fakeClient(handlers());
    const lab = createLab(client);
    await lab.loadDefaults();
    const storage = memoryStorage();
    const store = createRuns(lab, storage);
    store.setGroup('activation');
    await flush();
    expect(store.groups.value!.map((g) => [g.label, g.count, g.runs.length])).toEqual([['relu', 2, 0], ['sigmoid', 1, 0]]);
    store.toggleGroup(store.groups.value![0].key);
    await flush();
    expect(store.runs.value.map((r) => r.id)).toEqual([3, 1]);
    store.togglePin(3);
    store.setBaseline(1);
    await flush();
    expect(store.pinnedRuns.value.map((r) => r.id)).toEqual([3, 1]);
    expect(store.baselineRun.value?.id).toBe(1);
    expect(JSON.parse(storage.m.get(SETTINGS_KEY)!)).toMatchObject({ group: 'activation', pinned: [3, 1], baseline: 1 });
    // a second session starts where this one ended
    const again = createRuns(lab, storage);
    expect(again.settings.value).toMatchObject({ group: 'activation', pinned: [3, 1], baseline: 1 });
    again.close();
    // deleting a pinned run unpins it, and the baseline goes with it
    await store.remove([1]);
    expect(store.settings.value).toMatchObject({ pinned: [3], baseline: null });
    store.close();
    lab.close();
  });

  it('asks the table’s page only while a view shows it; the experiments and the pinned runs every time', async () => {
    // failed before (session 6): a refresh on the Compare view asked the table's page too (600 kB for 500 runs on a cold open)
    const client = fakeClient(handlers());
    const lab = createLab(client);
    await lab.loadDefaults();
    const storage = memoryStorage();
    storage.setItem(SETTINGS_KEY, JSON.stringify({ ...DEFAULT_SETTINGS, pinned: [2] }));
    view.value = 'compare';
    const store = createRuns(lab, storage);
    try {
      const pageCalls = () => client.calls.filter((c) => c.name === 'runs/table' && (c.request as { where?: string }).where !== 'id in (2)').length;
      await store.refresh();
      expect(pageCalls()).toBe(0);
      expect(store.pinnedRuns.value.map((r) => r.id)).toEqual([2]);
      expect(client.calls.filter((c) => c.name === 'experiments/list')).toHaveLength(1);
      // runs finishing meanwhile: the sidebar's lists again, still no page
      client.emit({ type: 'run/finished', runId: 1, status: 'done', error: null });
      await new Promise((r) => setTimeout(r, 400));
      await flush();
      expect(pageCalls()).toBe(0);
      expect(client.calls.filter((c) => c.name === 'experiments/list')).toHaveLength(2);
      // the Runs view shown: its page at once
      view.value = 'runs';
      await flush();
      expect(pageCalls()).toBe(1);
      expect(store.runs.value.map((r) => r.id)).toEqual([3, 2, 1]);
      view.value = 'start';
      await flush();
      expect(pageCalls()).toBe(1);
    } finally {
      view.value = 'runs';
      store.close();
      lab.close();
    }
  });

  it('shows or hides a column without asking the lab again, unless groups are shown (their medians are of the shown columns)', async () => {
    const client = fakeClient(handlers());
    const lab = createLab(client);
    await lab.loadDefaults();
    const storage = memoryStorage();
    const store = createRuns(lab, storage);
    await store.refresh();
    const tables = () => client.calls.filter((c) => c.name === 'runs/table').length;
    const asked = tables();
    const rows = store.runs.value;
    store.setColumns([...DEFAULT_COLUMNS, 'batchSize']);
    await flush();
    expect(store.settings.value.columns).toEqual([...DEFAULT_COLUMNS, 'batchSize']);
    expect(JSON.parse(storage.m.get(SETTINGS_KEY)!).columns).toEqual([...DEFAULT_COLUMNS, 'batchSize']);
    expect(tables()).toBe(asked);
    expect(store.runs.value).toBe(rows);
    store.setGroup('activation');
    await flush();
    const grouped = tables();
    store.setColumns(['id', 'r2']);
    await flush();
    expect(tables()).toBe(grouped + 1);
    expect(client.calls.filter((c) => c.name === 'runs/table').at(-1)!.request).toMatchObject({ group: 'activation', columns: ['id', 'r2'] });
    store.close();
    lab.close();
  });

  it('updates notes and tags in place', async () => {
    const client = fakeClient(handlers());
    const lab = createLab(client);
    const store = createRuns(lab, memoryStorage());
    await store.refresh();
    await store.update(1, { notes: 'hello', tags: ['x'] });
    expect(store.byId(1)?.notes).toBe('hello');
    store.close();
    lab.close();
  });
});
