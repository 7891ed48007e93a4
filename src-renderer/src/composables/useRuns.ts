/**
 * The runs table's state and data: the query (analysis/query.ts, parsed here as it is typed so an
 * error points at its token at once, and by the lab again), the shown columns, the sort, the
 * field runs are grouped by and the expanded groups, the pinned runs and the baseline. The lab
 * answers 'runs/table' with a page of runs or the groups' aggregates. Columns, sort, groups, pins
 * and the baseline are kept between sessions (localStorage); query, columns, groups, sort and
 * baseline are in the address too (useNav). Refreshes itself (debounced) when runs are queued,
 * start or finish, asking the table's page only while a view shows it. The experiments list (the
 * sidebar's, Compare's) and the pinned runs come along.
 */
import { computed, type ComputedRef, type Ref, ref, shallowRef, watch } from 'vue';
import type { RunsTableGroup, RunsTablePage } from '@main/api/contract';
import type { Experiment, RunSummary } from '@main/db/types';
import { checkExperimentNames, parseQuery, QueryError } from '@main/analysis/query';
import { createRunFields, DEFAULT_COLUMNS, type FieldContext, type RunFieldTable } from '@main/analysis/run-fields';
import { debounce, type Lab } from './useLab';
import { appStore } from './app-store';
import { registerHashState, selection, setSelected, view } from './useNav';

/** Where the runs page lists every field a query takes (RunsTable's column chooser, each with its query name). */
export const FIELDS_LISTED_HERE = 'Columns lists every field, with its name in a query';

/** Runs loaded per page of the table (and per expanded group). */
export const PAGE = 500;

/** What the table keeps between sessions. */
export interface TableSettings {
  columns: string[];
  sort: string;
  desc: boolean;
  group: string | null;
  pinned: number[];
  baseline: number | null;
}

export const DEFAULT_SETTINGS: TableSettings = { columns: [...DEFAULT_COLUMNS], sort: 'id', desc: true, group: null, pinned: [], baseline: null };
export const SETTINGS_KEY = 'nnlab.runsTable.v1';

/** Settings from storage; anything unreadable falls back to the default, field by field. */
export function readSettings(text: string | null): TableSettings {
  let raw: Record<string, unknown> = {};
  try {
    const parsed: unknown = text ? JSON.parse(text) : {};
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) raw = parsed as Record<string, unknown>;
  } catch {
    // a damaged entry: the defaults
  }
  const ids = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is number => Number.isInteger(x) && x > 0) : []);
  const words = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x.length < 60) : null);
  return {
    columns: words(raw.columns)?.length ? words(raw.columns)! : [...DEFAULT_SETTINGS.columns],
    sort: typeof raw.sort === 'string' ? raw.sort : DEFAULT_SETTINGS.sort,
    desc: typeof raw.desc === 'boolean' ? raw.desc : DEFAULT_SETTINGS.desc,
    group: typeof raw.group === 'string' ? raw.group : null,
    pinned: ids(raw.pinned),
    baseline: Number.isInteger(raw.baseline) && (raw.baseline as number) > 0 ? (raw.baseline as number) : null,
  };
}

/** The settings and query as the address's parameters (defaults left out). */
export function settingsToParams(s: TableSettings, where: string): Record<string, string | undefined> {
  return {
    q: where.trim() || undefined,
    cols: s.columns.join(',') === DEFAULT_SETTINGS.columns.join(',') ? undefined : s.columns.join(','),
    group: s.group ?? undefined,
    sort: s.sort === 'id' && s.desc ? undefined : `${s.desc ? '-' : ''}${s.sort}`,
    base: s.baseline === null ? undefined : String(s.baseline),
  };
}

/** The address's parameters over the kept settings. */
export function paramsToSettings(p: URLSearchParams, kept: TableSettings): { settings: TableSettings; where: string } {
  const sort = p.get('sort');
  const base = Number(p.get('base'));
  const cols = p.get('cols');
  return {
    where: p.get('q') ?? '',
    settings: {
      ...kept,
      columns: cols ? cols.split(',').filter(Boolean) : kept.columns,
      group: p.get('group') ?? (p.has('q') || p.has('cols') || p.has('sort') ? null : kept.group),
      sort: sort ? sort.replace(/^-/, '') : kept.sort,
      desc: sort ? sort.startsWith('-') : kept.desc,
      baseline: Number.isInteger(base) && base > 0 ? base : kept.baseline,
    },
  };
}

export interface RunsStore {
  /** The rows shown: the page of runs, or the runs of the expanded groups. */
  runs: Ref<RunSummary[]>;
  groups: Ref<RunsTableGroup[] | null>;
  /** Runs the query matched. */
  total: Ref<number>;
  /** Total runs in the database, whatever the query (0: show the empty state). */
  allTotal: Ref<number | null>;
  loading: Ref<boolean>;
  error: Ref<string | null>;
  /** The query as typed. */
  where: Ref<string>;
  /** The query's error, as it is typed (null: it parses, or the fields are not loaded yet). */
  whereError: ComputedRef<QueryError | null>;
  /** The query (trimmed) whose answer the table shows: the last one that could be read and was answered. */
  answeredWhere: Ref<string>;
  settings: Ref<TableSettings>;
  expanded: Ref<Set<string>>;
  /** The run fields (from the lab's spec choices); null until they are loaded. */
  fields: ComputedRef<RunFieldTable | null>;
  context: ComputedRef<FieldContext>;
  pinnedRuns: Ref<RunSummary[]>;
  baselineRun: ComputedRef<RunSummary | null>;
  experiments: Ref<Experiment[]>;
  /**
   * Runs the address's path selected (`#/runs/999`) that this lab does not have: they were taken
   * out of the selection, and the page says so; and the path's entries that are no run's number
   * (`#/runs/abc`), which selected nothing. null: nothing to say (cleared when the selection
   * changes again).
   */
  addressNotice: Ref<{ missing: number[]; unread: string[] } | null>;
  limit: Ref<number>;
  refresh(): Promise<void>;
  refreshSoon(): void;
  setSort(key: string): void;
  setColumns(keys: string[]): void;
  setGroup(key: string | null): void;
  toggleGroup(key: string): void;
  togglePin(id: number): void;
  setBaseline(id: number | null): void;
  update(id: number, patch: { notes?: string; tags?: string[] }): Promise<void>;
  remove(ids: number[]): Promise<number>;
  byId(id: number): RunSummary | undefined;
  close(): void;
}

/** Tags typed as "a, b ,c" → ['a', 'b', 'c'] (no empties, no duplicates). */
export function parseTags(text: string): string[] {
  return [...new Set(text.split(',').map((t) => t.trim()).filter(Boolean))];
}

/** The direction a first click on a column sorts in: newest first, best score first, else ascending. */
export function firstDirection(fields: RunFieldTable | null, key: string): boolean {
  const f = fields?.find(key);
  if (!f) return false;
  if (f.key === 'id' || f.key === 'created') return true;
  return f.higherIsBetter === true;
}

interface Storage {
  getItem(k: string): string | null;
  setItem(k: string, v: string): void;
}

function browserStorage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null; // storage refused (a sandboxed page): the settings last the session
  }
}

export function createRuns(lab: Lab, storage: Storage | null = browserStorage()): RunsStore {
  const runs = ref<RunSummary[]>([]);
  const groups = shallowRef<RunsTableGroup[] | null>(null);
  const total = ref(0);
  const allTotal = ref<number | null>(null);
  const loading = ref(false);
  const error = ref<string | null>(null);
  const where = ref('');
  const settings = ref<TableSettings>(readSettings(storage?.getItem(SETTINGS_KEY) ?? null));
  const expanded = ref(new Set<string>());
  const experiments = ref<Experiment[]>([]);
  const pinnedRuns = ref<RunSummary[]>([]);
  const limit = ref(PAGE);
  const addressNotice: RunsStore['addressNotice'] = ref(null);
  let seq = 0;

  const fields = computed(() => {
    const choices = lab.defaults.value?.choices;
    return choices ? createRunFields(choices) : null;
  });
  const context = computed<FieldContext>(() => ({ experiments: new Map(experiments.value.map((e) => [e.id, e])) }));
  const answeredWhere = ref('');
  /** The experiments have been listed once: a query's experiment names can be checked against them. */
  const experimentsKnown = ref(false);
  const whereError = computed(() => {
    if (!fields.value) return null;
    try {
      const q = parseQuery(where.value, fields.value, FIELDS_LISTED_HERE);
      if (experimentsKnown.value) checkExperimentNames(q, experiments.value);
      return null;
    } catch (e) {
      if (e instanceof QueryError) return e;
      throw e;
    }
  });

  /**
   * The table's page is asked only while a view shows it (the Runs view; the start screen's "no
   * runs yet"): on a cold Compare open it was 600 kB for 500 runs, on the lab's one thread beside
   * the comparison's own answer, for nothing on screen. The experiments and the pinned runs (the
   * sidebar's) come every time.
   */
  const shown = computed(() => view.value === 'runs' || view.value === 'start');
  const refresh = async () => {
    const mine = ++seq;
    if (whereError.value) return; // the page says what is wrong with the query; the last answer stays
    if (!experimentsKnown.value && fields.value && parseQuery(where.value, fields.value, FIELDS_LISTED_HERE).experimentNames?.length) {
      // a query naming an experiment before the experiments are known: know them first, so the page can say which name is none
      try {
        const ex = await lab.client.call('experiments/list', {});
        experiments.value = ex.experiments;
        experimentsKnown.value = true;
      } catch {
        // the refresh below asks again, and says what failed
      }
      if (mine !== seq || whereError.value) return;
    }
    loading.value = true;
    const s = settings.value;
    const asked = where.value.trim();
    try {
      const pins = s.baseline !== null && !s.pinned.includes(s.baseline) ? [...s.pinned, s.baseline] : s.pinned;
      const [page, ex, pinned] = await Promise.all([
        shown.value
          ? lab.client.call('runs/table', {
              where: asked || undefined,
              sort: s.sort,
              desc: s.desc,
              group: s.group ?? undefined,
              columns: s.columns,
              expanded: s.group ? [...expanded.value] : undefined,
              limit: limit.value,
            })
          : null,
        lab.client.call('experiments/list', {}),
        pins.length ? lab.client.call('runs/table', { where: `id in (${pins.join(', ')})`, limit: pins.length }) : null,
      ]);
      if (mine !== seq) return; // a newer refresh is under way
      if (page) {
        apply(page);
        answeredWhere.value = asked;
      }
      experiments.value = ex.experiments;
      experimentsKnown.value = true;
      pinnedRuns.value = pinned ? s.pinned.flatMap((id) => pinned.rows.filter((r) => r.id === id)).concat(pinned.rows.filter((r) => r.id === s.baseline && !s.pinned.includes(r.id))) : [];
      error.value = null;
    } catch (e) {
      if (mine === seq) error.value = (e as Error).message;
    } finally {
      if (mine === seq) loading.value = false;
    }
  };
  const apply = (page: RunsTablePage) => {
    total.value = page.total;
    allTotal.value = page.allTotal;
    groups.value = page.groups;
    runs.value = page.groups ? page.groups.flatMap((g) => g.runs) : page.rows;
  };
  const refreshSoon = debounce(() => void refresh(), 300);
  const off = lab.on((e) => {
    if (e.type !== 'run/progress') refreshSoon();
  });
  const save = () => storage?.setItem(SETTINGS_KEY, JSON.stringify(settings.value));
  const stopWatches = [
    watch(settings, save, { deep: true }),
    watch(where, () => refreshSoon()),
    // the fields arrive with the lab's defaults: a query typed (or in the address) before then is checked now (no query: nothing to check, the table as it was)
    watch(fields, () => {
      if (where.value.trim()) refreshSoon();
    }),
    // the table shown again: what changed while it was not
    watch(shown, (now) => {
      if (now) void refresh();
    }),
    watch(selection, (sel) => {
      if (addressNotice.value && (sel.length !== noticeOver.length || sel.some((id, i) => id !== noticeOver[i]))) addressNotice.value = null;
    }),
  ];
  /** The selection the notice was said over: a selection other than it clears the notice. */
  let noticeOver: number[] = [];
  let checking = 0;
  /** Which of the runs the address selects this lab has: those it has not leave the selection, and the page says so. */
  const checkAddressIds = async (ids: readonly number[], unread: readonly string[]) => {
    if (unread.length) {
      // said at once: no lookup can make "abc" a run
      noticeOver = [...ids];
      addressNotice.value = { missing: [], unread: [...unread] };
    }
    if (!ids.length) return; // nothing selected by the address: what was said stays until the selection changes
    const mine = ++checking;
    const found = new Set<number>();
    try {
      // in slices, so each query stays well inside the grammar's length limit
      for (let i = 0; i < ids.length; i += 200) {
        const part = ids.slice(i, i + 200);
        const page = await lab.client.call('runs/table', { where: `id in (${part.join(', ')})`, columns: ['id'], limit: part.length });
        for (const r of page.rows) found.add(r.id);
      }
    } catch {
      return; // the table's own refresh says what failed
    }
    if (mine !== checking) return; // another address since
    const missing = ids.filter((id) => !found.has(id));
    if (!missing.length) return; // a selection other than the notice's clears it (the watch below)
    noticeOver = selection.value.filter((id) => !missing.includes(id));
    setSelected(noticeOver);
    addressNotice.value = { missing, unread: [...unread] };
  };
  const offHash = registerHashState('runs', {
    read(p, ids, unread) {
      const next = paramsToSettings(p, settings.value);
      where.value = next.where;
      settings.value = next.settings;
      void refresh();
      void checkAddressIds(ids, unread);
    },
    write: () => settingsToParams(settings.value, where.value),
    source: () => [where.value, settings.value],
  });

  const change = (patch: Partial<TableSettings>) => {
    settings.value = { ...settings.value, ...patch };
    void refresh();
  };

  return {
    runs,
    groups,
    total,
    allTotal,
    loading,
    error,
    where,
    whereError,
    answeredWhere,
    settings,
    expanded,
    fields,
    context,
    pinnedRuns,
    baselineRun: computed(() => pinnedRuns.value.find((r) => r.id === settings.value.baseline) ?? null),
    experiments,
    addressNotice,
    limit,
    refresh,
    refreshSoon,
    setSort(key) {
      if (settings.value.sort === key) change({ desc: !settings.value.desc });
      else change({ sort: key, desc: firstDirection(fields.value, key) });
    },
    setColumns(keys) {
      const columns = keys.length ? [...new Set(keys)] : [...DEFAULT_COLUMNS];
      // the lab's answer depends on the columns only through the groups' medians: without groups
      // the rows it would send are the ones shown, and asking again re-renders every row for nothing
      if (settings.value.group === null) settings.value = { ...settings.value, columns };
      else change({ columns });
    },
    setGroup(key) {
      expanded.value = new Set();
      change({ group: key });
    },
    toggleGroup(key) {
      const next = new Set(expanded.value);
      if (!next.delete(key)) next.add(key);
      expanded.value = next;
      void refresh();
    },
    togglePin(id) {
      const pinned = settings.value.pinned.includes(id) ? settings.value.pinned.filter((x) => x !== id) : [...settings.value.pinned, id];
      change({ pinned, baseline: settings.value.baseline === id && !pinned.includes(id) ? null : settings.value.baseline });
    },
    setBaseline(id) {
      change({ baseline: id, pinned: id !== null && !settings.value.pinned.includes(id) ? [...settings.value.pinned, id] : settings.value.pinned });
    },
    async update(id, patch) {
      await lab.client.call('runs/update', { id, ...patch });
      for (const r of [...runs.value, ...pinnedRuns.value]) {
        if (r.id !== id) continue;
        if (patch.notes !== undefined) r.notes = patch.notes;
        if (patch.tags !== undefined) r.tags = patch.tags;
      }
      // a refresh asked for before the edit may answer after it: a newer one supersedes it (seq)
      void refresh();
    },
    async remove(ids) {
      const { deleted } = await lab.client.call('runs/delete', { ids });
      const s = settings.value;
      if (s.pinned.some((id) => ids.includes(id)) || (s.baseline !== null && ids.includes(s.baseline))) {
        settings.value = { ...s, pinned: s.pinned.filter((id) => !ids.includes(id)), baseline: s.baseline !== null && ids.includes(s.baseline) ? null : s.baseline };
      }
      await refresh();
      return deleted;
    },
    byId: (id) => runs.value.find((r) => r.id === id) ?? pinnedRuns.value.find((r) => r.id === id),
    close() {
      for (const stop of stopWatches) stop();
      refreshSoon.cancel();
      off();
      offHash();
    },
  };
}

const theRuns = appStore<RunsStore>('run list');
export const provideRuns = theRuns.provide;
export const useRuns = theRuns.use;
