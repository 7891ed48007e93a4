/**
 * The comparison of the selected runs: fetches each run's record and series (once for a finished
 * run; again when a selected run finishes), merges live cost points of runs still training, and
 * computes the charts and tables (lib/compare) from the view's options. The series fetched are
 * the ones the Compare panels need (lib/compare/panels.ts COMPARE_SERIES).
 */
import { computed, type ComputedRef, reactive, type Ref, ref, shallowRef, triggerRef, watch } from 'vue';
import { type ApiResponse, costPointsFor, MAX_COMPARE_RUNS, unpackSeries } from '@main/api/contract';
import type { ThemeName } from '../lib/colors';
import { type Comparison, compare } from '../lib/compare';
import { type CompareOptions, DEFAULT_OPTIONS, type RunData } from '../lib/compare/context';
import { COMPARE_SERIES } from '../lib/compare/panels';
import { groupByConfig } from '@main/analysis/groups';
import type { TimingInput } from '@main/analysis/findings';
import { hasSeries, isEnded } from '@main/analysis/status';
import type { Brush } from '../lib/parallel';
import type { Lab } from './useLab';
import { appStore } from './app-store';

/** The other series, whole (estimates: see estimatesRequest). */
const FULL_SERIES = COMPARE_SERIES.filter((n) => n !== 'cost');

/**
 * Every checkpoint's estimates are two thirds of a sweep's answer, and the page draws one
 * checkpoint's until the fit slider moves (the final fit, the last reached checkpoint's boundary):
 * the lab sends that row alone (`checkpoint: 'last'`; whole for a run whose dead-unit findings read
 * every row), and every row once the slider is off the end (fetchEstimates).
 */
const estimatesRequest = (fitAt: number | null) => (fitAt === null ? { name: 'estimates', checkpoint: 'last' as const } : { name: 'estimates' });

/** The run's estimates hold one checkpoint's row only (a page). */
const oneCheckpoint = (d: RunData): boolean => d.series.estimates?.from !== undefined;

/** Groups mode pays off once some configuration has several seeds. */
export function autoMode(runs: readonly { configKey: string }[]): CompareOptions['mode'] {
  return groupByConfig(runs.map((r, i) => ({ ...r, id: i, status: 'done' as const, testMse: null, baselineMse: null }))).some((g) => g.runs.length >= 3) ? 'groups' : 'runs';
}

export interface ComparisonStore {
  options: CompareOptions;
  /** The curves mode follows the selection until the person picks one. */
  modeAuto: Ref<boolean>;
  loading: Ref<boolean>;
  /** Some fetch is under way (a first load, or a run that changed being fetched again). */
  busy: ComputedRef<boolean>;
  error: Ref<string | null>;
  /** The selected ids this lab has no run of (deleted elsewhere, or never made: an address can name any number). */
  missing: ComputedRef<number[]>;
  data: ComputedRef<RunData[]>;
  /**
   * Runs loaded of the runs selected (deleted ones left out): until they are all in, every
   * statistic over runs (rates, readings, maps) would be a partial one shown as final.
   */
  progress: ComputedRef<{ loaded: number; total: number; partial: boolean }>;
  /** The honest timing of these configurations that the page shows (the reading names its speed figure from it). */
  timing: Ref<TimingInput | null>;
  /** The parallel coordinates' brushes (lib/parallel.ts): the other panels show only the runs they keep. */
  brushes: Ref<Brush[]>;
  comparison: ComputedRef<Comparison | null>;
  /** Fetches an experiment's runs at once (see fetchExperiment); resolves with their ids, to select. */
  fetchExperiment(experimentId: number): Promise<number[]>;
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
  /** Runs being fetched (by the call that fetches them), so a run is never asked for twice at once. */
  const inFlight = new Map<number, Promise<void>>();
  /** Runs that changed while their fetch was under way: fetched again when it ends. */
  const stale = new Set<number>();
  /** Calls under way: the page is busy (aria-busy) while any is. */
  const busy = ref(0);

  /** The series a comparison asks for, the cost curve decimated to `costPoints` a run. */
  const seriesWanted = (costPoints: number | 'comparison') => [{ name: 'cost', maxPoints: costPoints }, ...FULL_SERIES.map((name) => (name === 'estimates' ? estimatesRequest(options.fitAt) : { name }))];
  /** Keeps the runs of a 'runs/compare' answer. */
  const keep = (answer: ApiResponse<'runs/compare'>) => {
    for (const { run, series: got } of answer.runs) {
      const unpacked: RunData['series'] = {};
      if (hasSeries(run.status) && run.series.length) for (const [name, s] of Object.entries(got)) unpacked[name as keyof RunData['series']] = unpackSeries(s);
      store.value.set(run.id, { run, series: unpacked });
    }
    if (answer.missing.length) missing.value = [...new Set([...missing.value, ...answer.missing])];
    triggerRef(store);
  };

  /**
   * Fetches these runs' records and series in one 'runs/compare' call (several for more than
   * MAX_COMPARE_RUNS), the cost curves decimated by the lab to costPointsFor(the comparison's size).
   */
  const fetchRuns = (list: readonly number[], fresh = false): Promise<void> => {
    const waits: Promise<void>[] = [];
    const want: number[] = [];
    for (const id of list) {
      const pending = inFlight.get(id);
      if (pending) {
        if (fresh) stale.add(id);
        waits.push(pending);
      } else want.push(id);
    }
    for (let i = 0; i < want.length; i += MAX_COMPARE_RUNS) {
      const chunk = want.slice(i, i + MAX_COMPARE_RUNS);
      const p = (async () => {
        busy.value++;
        try {
          keep(await lab.client.call('runs/compare', { ids: chunk, series: seriesWanted(costPointsFor(ids.value.length)), packed: true }));
        } catch (e) {
          error.value = `${chunk.length === 1 ? `run #${chunk[0]}` : `${chunk.length} runs (#${chunk[0]} … #${chunk[chunk.length - 1]})`}: ${(e as Error).message}`;
        } finally {
          busy.value--;
          for (const id of chunk) inFlight.delete(id);
          const again = chunk.filter((id) => stale.delete(id));
          if (again.length) void fetchRuns(again);
          // the slider moved while these were asked for one checkpoint's estimates
          void fetchEstimates();
        }
      })();
      for (const id of chunk) inFlight.set(id, p);
      waits.push(p);
    }
    return Promise.all(waits).then(() => undefined);
  };

  /** Runs whose every checkpoint's estimates are being fetched. */
  const estimatesInFlight = new Set<number>();
  /**
   * With the fit slider off the end, every checkpoint's estimates of the loaded runs that hold one
   * checkpoint's row (in one 'runs/compare' call asking for estimates alone); the page is busy
   * meanwhile, and draws the fits at the slider's checkpoint once every run has them.
   */
  const fetchEstimates = async (): Promise<void> => {
    if (options.fitAt === null) return;
    const want = ids.value.filter((id) => {
      const d = store.value.get(id);
      return d && oneCheckpoint(d) && !estimatesInFlight.has(id) && !inFlight.has(id);
    });
    for (let i = 0; i < want.length; i += MAX_COMPARE_RUNS) {
      const chunk = want.slice(i, i + MAX_COMPARE_RUNS);
      for (const id of chunk) estimatesInFlight.add(id);
      busy.value++;
      try {
        const answer = await lab.client.call('runs/compare', { ids: chunk, series: [{ name: 'estimates' }], packed: true });
        for (const { run, series: got } of answer.runs) {
          const d = store.value.get(run.id);
          if (d && got.estimates) store.value.set(run.id, { ...d, series: { ...d.series, estimates: unpackSeries(got.estimates) } });
        }
        triggerRef(store);
      } catch (e) {
        error.value = `every checkpoint’s estimates of ${chunk.length === 1 ? `run #${chunk[0]}` : `${chunk.length} runs (#${chunk[0]} … #${chunk[chunk.length - 1]})`}: ${(e as Error).message}`;
      } finally {
        busy.value--;
        for (const id of chunk) estimatesInFlight.delete(id);
      }
    }
  };
  const stopFitAt = watch(
    () => options.fitAt,
    (at) => {
      if (at !== null) void fetchEstimates();
    },
  );

  /**
   * Experiment `experimentId`'s runs, their records and series in one 'runs/compare' call asked by
   * the experiment (the lab picks its runs and decimates the cost curves by costPointsFor their
   * number, as fetchRuns does), so `#/compare?experiment=N` does not wait for runs/ids before the
   * lab starts on them; resolves with the experiment's run ids, in id order, for the selection. Its
   * runs beyond MAX_COMPARE_RUNS, and those still training, are fetched once selected (load).
   * Should that call fail, the ids come from runs/ids, and the runs' own fetch once they are
   * selected says what failed, naming them (fetchRuns), as before.
   */
  const fetchExperiment = async (experimentId: number): Promise<number[]> => {
    busy.value++;
    try {
      const answer = await lab.client.call('runs/compare', { experimentId, series: seriesWanted('comparison'), packed: true });
      keep(answer);
      return answer.ids ?? [];
    } catch {
      return (await lab.client.call('runs/ids', { experimentId })).ids;
    } finally {
      busy.value--;
    }
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
      await fetchRuns(need);
    } finally {
      loading.value = false;
    }
  };

  const brushes = shallowRef<Brush[]>([]);
  const stopIds = watch(
    ids,
    (now, before) => {
      // the brushes were drawn on the runs compared before: another selection starts without
      if (before && now.join() !== before.join()) brushes.value = [];
      void load();
    },
    { immediate: true },
  );
  const refetchSoon = new Set<number>();
  let timer: ReturnType<typeof setTimeout> | null = null;
  const off = lab.on((e) => {
    if (!e.type.startsWith('run/') || e.type === 'run/progress' || !('runId' in e) || !ids.value.includes(e.runId)) return;
    refetchSoon.add(e.runId);
    timer ??= setTimeout(() => {
      timer = null;
      const list = [...refetchSoon];
      refetchSoon.clear();
      void fetchRuns(list, true);
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
  // until every run has every checkpoint's estimates, the fits stay as they were drawn (the end's), not some runs at the slider's checkpoint
  const fitAt = computed(() => (options.fitAt !== null && data.value.some(oneCheckpoint) ? null : options.fitAt));
  const comparison = computed(() =>
    data.value.length ? compare(data.value, { ...options, fitAt: fitAt.value, theme: theme.value }, colors.value, { timing: timing.value, partial: progress.value.partial, brushes: brushes.value }) : null,
  );

  return {
    options,
    modeAuto,
    loading,
    busy: computed(() => busy.value > 0 || loading.value),
    error,
    // of the ones the lab said it has not, those still selected: a run deselected is no longer "left out"
    missing: computed(() => missing.value.filter((id) => ids.value.includes(id))),
    data,
    progress,
    timing,
    brushes,
    comparison,
    fetchExperiment,
    reload: load,
    close() {
      stopIds();
      stopIdle();
      stopMode();
      stopFitAt();
      off();
      if (timer) clearTimeout(timer);
    },
  };
}

/** The app's one comparison (of the selected runs), kept across views so its options survive a tab switch. */
const theComparison = appStore<ComparisonStore>('comparison');
export const provideComparison = theComparison.provide;
export const useComparison = theComparison.use;
