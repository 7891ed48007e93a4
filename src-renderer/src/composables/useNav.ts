/**
 * Where the person is: the view (new run, sweep, runs, compare, start) and the selected runs,
 * kept in the address's hash (#/compare/12,13) so a reload comes back to the same place.
 */
import { ref, watch } from 'vue';

export const VIEWS = ['start', 'new', 'sweep', 'runs', 'compare'] as const;
export type View = (typeof VIEWS)[number];

export const view = ref<View>('runs');
/** Selected run ids, in the order they were picked (the comparison's order). */
export const selection = ref<number[]>([]);

export function parseHash(hash: string): { view: View | null; ids: number[] } {
  const [v, ids] = hash.replace(/^#\/?/, '').split('/');
  return {
    view: (VIEWS as readonly string[]).includes(v) ? (v as View) : null,
    ids: (ids ?? '')
      .split(',')
      .map((s) => Number(s))
      .filter((n) => Number.isInteger(n) && n > 0)
      .filter((n, i, a) => a.indexOf(n) === i),
  };
}

export function formatHash(v: View, ids: readonly number[]): string {
  return `#/${v}${ids.length ? `/${ids.join(',')}` : ''}`;
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

/** Syncs view and selection with location.hash (both ways). Returns the stop function. */
export function syncWithHash(win: Window = window): () => void {
  const read = () => {
    const h = parseHash(win.location.hash);
    if (h.view) view.value = h.view;
    selection.value = h.ids;
  };
  const hadHash = parseHash(win.location.hash).view !== null;
  if (hadHash) read();
  const stop = watch([view, selection], () => {
    const next = formatHash(view.value, selection.value);
    if (win.location.hash !== next) win.history.replaceState(null, '', next);
  });
  win.addEventListener('hashchange', read);
  return () => {
    stop();
    win.removeEventListener('hashchange', read);
  };
}

/** True when the page was opened with a view in its hash (a reload): the app does not pick a start view. */
export function hashHasView(win: Window = window): boolean {
  return parseHash(win.location.hash).view !== null;
}
