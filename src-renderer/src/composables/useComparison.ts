/**
 * The comparison of the selected runs: fetches each run's record and series (once for a finished
 * run; again when a selected run finishes), merges live cost points of runs still training, and
 * computes the charts and tables (lib/compare) from the view's options. The series fetched are
 * the ones the Compare panels need (lib/compare/panels.ts COMPARE_SERIES).
 */
import { computed, type ComputedRef, reactive, type Ref, ref, shallowRef, triggerRef, watch } from 'vue';
import { LabApiError } from '@main/api/contract';
import type { ThemeName } from '../lib/colors';
import { type Comparison, compare } from '../lib/compare';
import { type CompareOptions, DEFAULT_OPTIONS, type RunData } from '../lib/compare/context';
import { COMPARE_SERIES } from '../lib/compare/panels';
import { groupByConfig } from '@main/analysis/groups';
import type { TimingInput } from '@main/analysis/findings';
import { hasSeries, isEnded } from '@main/analysis/status';
import type { Lab } from './useLab';
import { appStore } from './app-store';

/** Cost points fetched per run (longer runs are decimated by the lab, keeping the last point). */
export const COST_POINTS = 4000;
/** The other series, whole. */
const FULL_SERIES = COMPARE_SERIES.filter((n) => n !== 'cost');

/** Groups mode pays off once some configuration has several seeds. */
export function autoMode(runs: readonly { configKey: string }[]): CompareOptions['mode'] {
  return groupByConfig(runs.map((r, i) => ({ ...r, id: i, status: 'done' as const, testMse: null, baselineMse: null }))).some((g) => g.runs.length >= 3) ? 'groups' : 'runs';
}

export interface ComparisonStore {
  options: CompareOptions;
  /** The curves mode follows the selection until the person picks one. */
  modeAuto: Ref<boolean>;
  loading: Ref<boolean>;
  error: Ref<string | null>;
  /** Ids that no longer exist (deleted elsewhere). */
  missing: Ref<number[]>;
  data: ComputedRef<RunData[]>;
  /**
   * Runs loaded of the runs selected (deleted ones left out): until they are all in, every
   * statistic over runs (rates, readings, maps) would be a partial one shown as final.
   */
  progress: ComputedRef<{ loaded: number; total: number; partial: boolean }>;
  /** The honest timing of these configurations that the page shows (the reading names its speed figure from it). */
  timing: Ref<TimingInput | null>;
  comparison: ComputedRef<Comparison | null>;
  reload(): Promise<void>;
  close(): void;
}

export function createComparison(lab: Lab, ids: Ref<number[]>, theme: Ref<ThemeName>, colors: Ref<{ truth: string; muted: string }>): ComparisonStore {
  const options = reactive<CompareOptions>({ ...DEFAULT_OPTIONS });
  const modeAuto = ref(true);
  const loading = ref(false);
  const error = ref<string | null>(null);
  const missing = ref<number[]>([]);
  const store = shallowRef(new Map<number, RunData>());
  const inFlight = new Map<number, Promise<void>>();
  /** Runs that changed while their fetch was under way: fetched again when it ends. */
  const stale = new Set<number>();

  const fetchRun = (id: number, fresh = false): Promise<void> => {
    const pending = inFlight.get(id);
    if (pending) {
      if (fresh) stale.add(id);
      return pending;
    }
    const p = (async () => {
      try {
        const { run } = await lab.client.call('runs/get', { id });
        const series: RunData['series'] = {};
        if (hasSeries(run.status) && run.series.length) {
          const [cost, rest] = await Promise.all([
            lab.client.call('runs/series', { id, names: ['cost'], maxPoints: COST_POINTS }),
            lab.client.call('runs/series', { id, names: FULL_SERIES }),
          ]);
          Object.assign(series, cost.series, rest.series);
        }
        store.value.set(id, { run, series });
        triggerRef(store);
      } catch (e) {
        if (e instanceof LabApiError && e.error.name === 'NotFoundError') {
          if (!missing.value.includes(id)) missing.value = [...missing.value, id];
        } else error.value = `run #${id}: ${(e as Error).message}`;
      } finally {
        inFlight.delete(id);
        if (stale.delete(id)) void fetchRun(id);
      }
    })();
    inFlight.set(id, p);
    return p;
  };

  const load = async () => {
    const need = ids.value.filter((id) => {
      const d = store.value.get(id);
      return !d || !isEnded(d.run.status);
    });
    if (!need.length) return;
    loading.value = true;
    error.value = null;
    try {
      // a few at a time: a 40-run sweep should not open 120 requests at once
      for (let i = 0; i < need.length; i += 6) await Promise.all(need.slice(i, i + 6).map((id) => fetchRun(id)));
    } finally {
      loading.value = false;
    }
  };

  const stopIds = watch(ids, () => void load(), { immediate: true });
  const refetchSoon = new Set<number>();
  let timer: ReturnType<typeof setTimeout> | null = null;
  const off = lab.on((e) => {
    if (!e.type.startsWith('run/') || e.type === 'run/progress' || !('runId' in e) || !ids.value.includes(e.runId)) return;
    refetchSoon.add(e.runId);
    timer ??= setTimeout(() => {
      timer = null;
      const list = [...refetchSoon];
      refetchSoon.clear();
      void Promise.all(list.map((id) => fetchRun(id, true)));
    }, 150);
  });

  const data = computed<RunData[]>(() => {
    const live = lab.live.value;
    const out: RunData[] = [];
    for (const id of ids.value) {
      const d = store.value.get(id);
      if (!d) continue;
      const l = live.get(id);
      out.push(l && !d.series.cost ? { ...d, live: l } : d);
    }
    return out;
  });

  // a safety net for a missed event: the lab is idle but a compared run still looks active
  const stopIdle = watch(
    () => lab.status.value,
    (st) => {
      if (st && st.running + st.queued === 0 && data.value.some((d) => d.run.status === 'queued' || d.run.status === 'running')) void load();
    },
  );

  const stopMode = watch(
    () => data.value.map((d) => d.run.configKey).join('\n'),
    () => {
      if (modeAuto.value) options.mode = autoMode(data.value.map((d) => d.run));
    },
    { immediate: true },
  );

  const progress = computed(() => {
    const total = ids.value.filter((id) => !missing.value.includes(id)).length;
    const loaded = data.value.length;
    return { loaded, total, partial: loaded < total };
  });

  const timing = shallowRef<TimingInput | null>(null);
  const comparison = computed(() => (data.value.length ? compare(data.value, { ...options, theme: theme.value }, colors.value, { timing: timing.value, partial: progress.value.partial }) : null));

  return {
    options,
    modeAuto,
    loading,
    error,
    missing,
    data,
    progress,
    timing,
    comparison,
    reload: load,
    close() {
      stopIds();
      stopIdle();
      stopMode();
      off();
      if (timer) clearTimeout(timer);
    },
  };
}

/** The app's one comparison (of the selected runs), kept across views so its options survive a tab switch. */
const theComparison = appStore<ComparisonStore>('comparison');
export const provideComparison = theComparison.provide;
export const useComparison = theComparison.use;
