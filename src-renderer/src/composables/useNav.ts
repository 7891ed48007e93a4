/**
 * Where the person is: the view (new run, sweep, runs, compare, data sets, start), the selected runs, and
 * each view's own state (the runs table's query, columns, groups and sort), kept in the address's
 * hash — `#/compare/12,13`, `#/runs?q=activation%20%3D%20relu&group=eps&sort=-r2` — so a reload
 * or a shared address comes back to the same place.
 *
 * A view's state joins the hash through registerHashState: it says how to read its parameters
 * from the hash, how to write them, and what to watch. The hash carries the current view's
 * parameters only.
 */
import { computed, ref, shallowRef, watch, type WatchSource } from 'vue';

export const VIEWS = ['start', 'new', 'sweep', 'runs', 'compare', 'data'] as const;
export type View = (typeof VIEWS)[number];

/**
 * What each view is called: `tab`, its tab in the header (the header's tabs are VIEWS in their
 * order); `page`, the page's name while it is open (the heading and the skip link). A view
 * added to VIEWS without its names is a type error here.
 */
export const VIEW_NAMES = {
  start: { tab: 'nnlab', page: 'Start' },
  new: { tab: 'New run', page: 'New run' },
  sweep: { tab: 'Sweep', page: 'Sweep' },
  runs: { tab: 'Runs', page: 'Runs' },
  compare: { tab: 'Compare', page: 'Compare' },
  data: { tab: 'Data', page: 'Data sets' },
} as const satisfies Record<View, { tab: string; page: string }>;

export const view = ref<View>('runs');
/** Selected run ids, in the order they were picked (the comparison's order). */
export const selection = ref<number[]>([]);

/** What says a view is loading, by view (main.ts registers the comparison's and the runs table's). */
const busySources = shallowRef<{ view: View; busy: () => boolean }[]>([]);

/** Registers what says `v` is loading. Returns the function that removes it. */
export function reportBusy(v: View, busy: () => boolean): () => void {
  const entry = { view: v, busy };
  busySources.value = [...busySources.value, entry];
  return () => (busySources.value = busySources.value.filter((e) => e !== entry));
}

/** Something the current view shows is still loading: its main region says aria-busy="true". */
export const pageBusy = computed(() => busySources.value.some((e) => e.view === view.value && e.busy()));

/** A view's own state in the hash's parameters (after '?'). */
export interface HashState {
  /**
   * Takes the state from the parameters (absent ones: the view's defaults or what it kept); `ids`,
   * the runs the address's path selects (`#/runs/12,13`), which the selection becomes next;
   * `unread`, the path's entries that are no run's number (`#/runs/abc`), which select nothing.
   */
  read(params: URLSearchParams, ids: readonly number[], unread: readonly string[]): void;
  /** The state as parameters (leave out the defaults, so addresses stay short). */
  write(): Record<string, string | undefined>;
  /** What to watch: a change rewrites the hash. */
  source: WatchSource<unknown>;
  /** False while the state names the selection itself (`#/compare?experiment=12`): the ids stay out of the path. */
  idsInPath?: () => boolean;
}

const hashStates = new Map<View, HashState>();
/** Bumped when a view registers, so a hash watcher started before it picks it up. */
const registered = ref(0);

/** Registers a view's hash state (one per view: a later one replaces it). Returns the function that removes it. */
export function registerHashState(v: View, state: HashState, win: Window | undefined = typeof window === 'undefined' ? undefined : window): () => void {
  hashStates.set(v, state);
  // registered after the address was read: take its parameters now
  const h = win ? parseHash(win.location.hash) : null;
  if (h?.view === v) state.read(h.params, h.ids, h.unread);
  registered.value++;
  return () => {
    if (hashStates.get(v) === state) hashStates.delete(v);
  };
}

export interface ParsedHash {
  view: View | null;
  ids: number[];
  /** The path's entries that are no run's number (`abc`, `0`, `1.5`), as written: said, not dropped in silence. */
  unread: string[];
  params: URLSearchParams;
}

/** A path entry as the person typed it (`%20` back to a space); one that does not decode stays as written. */
function decodeEntry(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export function parseHash(hash: string): ParsedHash {
  const body = hash.replace(/^#\/?/, '');
  const q = body.indexOf('?');
  const path = q < 0 ? body : body.slice(0, q);
  const [v, ids] = path.split('/');
  const entries = (ids ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const isId = (s: string) => /^[0-9]+$/.test(s) && Number.isSafeInteger(Number(s)) && Number(s) > 0;
  return {
    view: (VIEWS as readonly string[]).includes(v) ? (v as View) : null,
    ids: entries
      .filter(isId)
      .map((s) => Number(s))
      .filter((n, i, a) => a.indexOf(n) === i),
    unread: entries.filter((s) => !isId(s)).map((s) => decodeEntry(s)),
    params: new URLSearchParams(q < 0 ? '' : body.slice(q + 1)),
  };
}

export function formatHash(v: View, ids: readonly number[], params: Record<string, string | undefined> = {}): string {
  const p = new URLSearchParams();
  for (const [k, x] of Object.entries(params)) if (x !== undefined) p.set(k, x);
  const query = p.toString().replace(/\+/g, '%20');
  return `#/${v}${ids.length ? `/${ids.join(',')}` : ''}${query ? `?${query}` : ''}`;
}

export function go(v: View, ids?: readonly number[]): void {
  if (ids) selection.value = [...ids];
  view.value = v;
}

export function toggleSelected(id: number, on?: boolean): void {
  const has = selection.value.includes(id);
  const want = on ?? !has;
  if (want && !has) selection.value = [...selection.value, id];
  if (!want && has) selection.value = selection.value.filter((x) => x !== id);
}

export function setSelected(ids: readonly number[]): void {
  selection.value = [...new Set(ids)];
}

/** Syncs view, selection and the views' own state with location.hash (both ways). Returns the stop function. */
export function syncWithHash(win: Window = window): () => void {
  const read = () => {
    const h = parseHash(win.location.hash);
    if (h.view) {
      view.value = h.view;
      hashStates.get(h.view)?.read(h.params, h.ids, h.unread);
    }
    selection.value = h.ids;
  };
  const hadHash = parseHash(win.location.hash).view !== null;
  if (hadHash) read();
  /** The address the app last wrote itself, until the next one read. */
  let written: string | null = null;
  const writeHash = () => {
    const state = hashStates.get(view.value);
    const next = formatHash(view.value, state?.idsInPath?.() === false ? [] : selection.value, state?.write());
    if (win.location.hash === next) return;
    win.history.replaceState(null, '', next);
    written = next;
  };
  // a hashchange is a person's address (typed, pasted, a link): replaceState fires none in a
  // browser, but some environments (happy-dom) fire one for it, and reading the app's own
  // rewrite as typed would take it for an edit (dropping what was said about the typed one)
  const changed = () => {
    const own = written !== null && win.location.hash === written;
    written = null;
    if (!own) read();
  };
  const stop = watch(() => [view.value, selection.value, registered.value], writeHash, { deep: true });
  // the current view's own state: watched through its source
  const stopState = watch(
    () => {
      const s = hashStates.get(view.value)?.source;
      return typeof s === 'function' ? (s as () => unknown)() : (s as { value?: unknown } | undefined)?.value;
    },
    writeHash,
    { deep: true },
  );
  win.addEventListener('hashchange', changed);
  return () => {
    stop();
    stopState();
    win.removeEventListener('hashchange', changed);
  };
}

/** True when the page was opened with a view in its hash (a reload): the app does not pick a start view. */
export function hashHasView(win: Window = window): boolean {
  return parseHash(win.location.hash).view !== null;
}
