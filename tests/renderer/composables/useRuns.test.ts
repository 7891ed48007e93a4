import { describe, expect, it } from 'vitest';
import { createLab } from '../../../src-renderer/src/composables/useLab';
import { createRuns, parseTags, sortRuns } from '../../../src-renderer/src/composables/useRuns';
import { fakeClient, flush, summary } from '../helpers/fake-lab';

describe('renderer/composables/useRuns', () => {
  const runs = [summary(1, {}, { finalMse: 0.5 }), summary(2, { activation: 'sigmoid' }, { finalMse: null }), summary(3, {}, { finalMse: 0.1 })];

  it('sorts by a column, missing values last, ties newest first', () => {
    expect(sortRuns(runs, 'id', true).map((r) => r.id)).toEqual([3, 2, 1]);
    expect(sortRuns(runs, 'finalMse', false).map((r) => r.id)).toEqual([3, 1, 2]);
    expect(sortRuns(runs, 'activation', false).map((r) => r.id)).toEqual([3, 1, 2]);
  });

  it('reads tags typed with commas', () => {
    expect(parseTags(' a, b ,, a,c ')).toEqual(['a', 'b', 'c']);
  });

  it('asks the lab with the search and status, and refreshes when runs are queued or finish', async () => {
    const client = fakeClient({
      'runs/list': (req) => ({ runs: req.limit === 0 ? [] : runs, total: 3 }),
      'experiments/list': () => ({ experiments: [] }),
    });
    const lab = createLab(client);
    const store = createRuns(lab);
    await store.refresh();
    expect(store.runs.value).toHaveLength(3);
    expect(store.allTotal.value).toBe(3);
    store.search.value = ' sigmoid ';
    store.status.value = 'done';
    await store.refresh();
    expect(client.calls.filter((c) => c.name === 'runs/list').map((c) => c.request)).toContainEqual({ limit: 500, search: 'sigmoid', status: 'done' });
    const before = client.calls.length;
    client.emit({ type: 'run/finished', runId: 1, status: 'done', error: null });
    await new Promise((r) => setTimeout(r, 300));
    expect(client.calls.length).toBeGreaterThan(before);
    store.close();
    lab.close();
  });

  it('updates notes and tags, deletes and reloads', async () => {
    const client = fakeClient({
      'runs/list': () => ({ runs: runs.map((r) => ({ ...r })), total: 3 }),
      'experiments/list': () => ({ experiments: [] }),
      'runs/update': () => ({ updated: true }),
      'runs/delete': (req) => ({ deleted: req.ids.length }),
    });
    const lab = createLab(client);
    const store = createRuns(lab);
    await store.refresh();
    await store.update(1, { notes: 'hello', tags: ['x'] });
    expect(store.byId(1)?.notes).toBe('hello');
    expect(await store.remove([1, 2])).toBe(2);
    await flush();
    expect(client.calls.some((c) => c.name === 'runs/delete')).toBe(true);
    store.close();
    lab.close();
  });
});
