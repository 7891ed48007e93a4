/**
 * The runs list: what the Runs table and the sidebar show. Search and status filter go to the
 * lab (the store searches specs, notes, tags and errors); sorting is done here on the loaded
 * page. Refreshes itself (debounced) when runs are queued, start or finish.
 */
import { computed, type ComputedRef, type Ref, ref } from 'vue';
import type { Experiment, RunStatus, RunSummary } from '@main/db/types';
import { debounce, type Lab } from './useLab';
import { appStore } from './app-store';

export type SortKey = 'id' | 'status' | 'activation' | 'initMean' | 'learningRate' | 'finalMse' | 'testAccuracy' | 'trainMs' | 'createdAt';

/** Runs loaded per page of the table. */
export const PAGE = 500;

export interface RunsStore {
  runs: Ref<RunSummary[]>;
  total: Ref<number>;
  /** Total runs in the database, whatever the filter (0: show the empty state). */
  allTotal: Ref<number | null>;
  loading: Ref<boolean>;
  error: Ref<string | null>;
  search: Ref<string>;
  status: Ref<RunStatus | ''>;
  sortKey: Ref<SortKey>;
  sortDesc: Ref<boolean>;
  sorted: ComputedRef<RunSummary[]>;
  experiments: Ref<Experiment[]>;
  limit: Ref<number>;
  refresh(): Promise<void>;
  refreshSoon(): void;
  setSort(key: SortKey): void;
  update(id: number, patch: { notes?: string; tags?: string[] }): Promise<void>;
  remove(ids: number[]): Promise<number>;
  byId(id: number): RunSummary | undefined;
  close(): void;
}

function sortValue(r: RunSummary, key: SortKey): number | string {
  switch (key) {
    case 'activation':
      return r.spec.activation;
    case 'initMean':
      return r.spec.initMean;
    case 'learningRate':
      return r.spec.learningRate;
    case 'finalMse':
      return r.finalMse ?? Infinity;
    case 'testAccuracy':
      return r.testAccuracy ?? -Infinity;
    case 'trainMs':
      return r.trainMs ?? Infinity;
    default:
      return r[key];
  }
}

/** Runs sorted by a column, ties by id (newest first). */
export function sortRuns(runs: readonly RunSummary[], key: SortKey, desc: boolean): RunSummary[] {
  const dir = desc ? -1 : 1;
  return [...runs].sort((a, b) => {
    const x = sortValue(a, key);
    const y = sortValue(b, key);
    const c = x < y ? -1 : x > y ? 1 : 0;
    return c * dir || b.id - a.id;
  });
}

/** Tags typed as "a, b ,c" → ['a', 'b', 'c'] (no empties, no duplicates). */
export function parseTags(text: string): string[] {
  return [...new Set(text.split(',').map((t) => t.trim()).filter(Boolean))];
}

export function createRuns(lab: Lab): RunsStore {
  const runs = ref<RunSummary[]>([]);
  const total = ref(0);
  const allTotal = ref<number | null>(null);
  const loading = ref(false);
  const error = ref<string | null>(null);
  const search = ref('');
  const status = ref<RunStatus | ''>('');
  const sortKey = ref<SortKey>('id');
  const sortDesc = ref(true);
  const experiments = ref<Experiment[]>([]);
  const limit = ref(PAGE);
  let seq = 0;

  const refresh = async () => {
    const mine = ++seq;
    loading.value = true;
    try {
      const filtered = search.value.trim() !== '' || status.value !== '';
      const [list, all, ex] = await Promise.all([
        lab.client.call('runs/list', { limit: limit.value, search: search.value.trim() || undefined, status: status.value || undefined }),
        filtered ? lab.client.call('runs/list', { limit: 0 }) : null,
        lab.client.call('experiments/list', {}),
      ]);
      if (mine !== seq) return; // a newer refresh is under way
      runs.value = list.runs;
      total.value = list.total;
      allTotal.value = all ? all.total : list.total;
      experiments.value = ex.experiments;
      error.value = null;
    } catch (e) {
      if (mine === seq) error.value = (e as Error).message;
    } finally {
      if (mine === seq) loading.value = false;
    }
  };
  const refreshSoon = debounce(() => void refresh(), 250);
  const off = lab.on((e) => {
    if (e.type !== 'run/progress') refreshSoon();
  });

  return {
    runs,
    total,
    allTotal,
    loading,
    error,
    search,
    status,
    sortKey,
    sortDesc,
    experiments,
    limit,
    sorted: computed(() => sortRuns(runs.value, sortKey.value, sortDesc.value)),
    refresh,
    refreshSoon,
    setSort(key) {
      if (sortKey.value === key) sortDesc.value = !sortDesc.value;
      else {
        sortKey.value = key;
        sortDesc.value = key === 'id' || key === 'createdAt';
      }
    },
    async update(id, patch) {
      await lab.client.call('runs/update', { id, ...patch });
      const r = runs.value.find((x) => x.id === id);
      if (r) {
        if (patch.notes !== undefined) r.notes = patch.notes;
        if (patch.tags !== undefined) r.tags = patch.tags;
      }
    },
    async remove(ids) {
      const { deleted } = await lab.client.call('runs/delete', { ids });
      await refresh();
      return deleted;
    },
    byId: (id) => runs.value.find((r) => r.id === id),
    close() {
      refreshSoon.cancel();
      off();
    },
  };
}

const theRuns = appStore<RunsStore>('run list');
export const provideRuns = theRuns.provide;
export const useRuns = theRuns.use;
