/**
 * The comparison in the address: `#/compare?experiment=12` opens experiment 12's comparison (its
 * runs, whatever their ids), `#/compare/3,5` those runs, and the view's options follow —
 * `&y=lin&x=log&smooth=0.8&mode=runs` (useNav's registerHashState; defaults are left out). A link
 * copied from the app opens the same view in `nnlab serve` and after a reload. Values that cannot
 * be read leave the option as it was.
 */
import { type Ref, ref, watch } from 'vue';
import { type CompareOptions, DEFAULT_OPTIONS } from '../lib/compare/context';
import type { XAxis } from '../lib/series';
import type { ComparisonStore } from './useComparison';
import { go, registerHashState, selection, setSelected } from './useNav';

const X_AXES: readonly XAxis[] = ['batch', 'samples', 'seconds'];

/** The options as address parameters (defaults left out; the mode only once the person picked it). */
export function optionsToParams(o: CompareOptions, modeAuto: boolean): Record<string, string | undefined> {
  const d = DEFAULT_OPTIONS;
  return {
    y: o.logY === d.logY ? undefined : o.logY ? 'log' : 'lin',
    x: o.logX === d.logX ? undefined : o.logX ? 'log' : 'lin',
    axis: o.xAxis === d.xAxis ? undefined : o.xAxis,
    metric: o.yMetric === d.yMetric ? undefined : o.yMetric,
    smooth: o.smoothing === d.smoothing ? undefined : String(o.smoothing),
    mode: modeAuto ? undefined : o.mode,
    centre: o.aggregate === d.aggregate ? undefined : o.aggregate,
  };
}

/** Reads the options from address parameters into `o`; returns whether the mode was given (then it no longer follows the selection). */
export function paramsToOptions(p: URLSearchParams, o: CompareOptions): { modeGiven: boolean } {
  const d = DEFAULT_OPTIONS;
  const scale = (v: string | null, dflt: boolean) => (v === 'log' ? true : v === 'lin' ? false : dflt);
  o.logY = scale(p.get('y'), d.logY);
  o.logX = scale(p.get('x'), d.logX);
  const axis = p.get('axis');
  o.xAxis = X_AXES.includes(axis as XAxis) ? (axis as XAxis) : d.xAxis;
  const metric = p.get('metric');
  o.yMetric = metric === 'cost' || metric === 'mse' ? metric : d.yMetric;
  const smooth = p.get('smooth');
  const s = smooth === null ? NaN : Number(smooth);
  o.smoothing = Number.isFinite(s) && s >= 0 && s < 1 ? s : d.smoothing;
  const centre = p.get('centre');
  o.aggregate = centre === 'mean' || centre === 'median' ? centre : d.aggregate;
  const mode = p.get('mode');
  if (mode === 'runs' || mode === 'groups') {
    o.mode = mode;
    return { modeGiven: true };
  }
  return { modeGiven: false };
}

export interface CompareAddress {
  /** The experiment whose runs are compared, while the selection is exactly its runs. */
  experiment: Ref<number | null>;
  /**
   * What is wrong with the address's experiment, for the page to say: a value that is no
   * experiment's number (`experiment=abc`), or an experiment with no runs to compare (none has that
   * number, or its runs were deleted). null: nothing.
   */
  notice: Ref<{ kind: 'unreadable'; raw: string } | { kind: 'empty'; id: number } | null>;
  /**
   * The address's path entries that are no run's number (`#/compare/3,abc,0`: "abc", "0"), as
   * written, for the page to say beside the runs the lab has not; kept while the selection is the
   * address's (picking other runs clears them).
   */
  unread: Ref<string[]>;
  /** Compares experiment `id`'s runs (its address: `#/compare?experiment=id`). */
  openExperiment(id: number): Promise<void>;
  close(): void;
}

let current: CompareAddress | null = null;

/** Puts the app's comparison (its experiment or runs, and its options) in the address. */
export function createCompareAddress(cmp: ComparisonStore): CompareAddress {
  const experiment = ref<number | null>(null);
  const notice: CompareAddress['notice'] = ref(null);
  const unread = ref<string[]>([]);
  /** The runs the address selected beside its unread entries: a selection other than these clears them. */
  let unreadOver: number[] = [];
  /** The experiment's runs, as fetched: a selection that differs from them is no longer "the experiment". */
  let experimentIds: number[] = [];
  let asked = 0;
  /** The experiment's runs are being fetched: the selection meanwhile (the address's, none) does not leave it. */
  let pending = false;
  /** The experiment whose runs are being fetched, and that fetch: the address read twice at start-up (its view registering, then the hash) asks once. */
  let fetching: { id: number; done: Promise<void> } | null = null;
  const load = (id: number): Promise<void> => {
    if (pending && fetching?.id === id) return fetching.done;
    const mine = ++asked;
    experiment.value = id;
    pending = true;
    const done = (async () => {
      try {
        // the runs with their records and series in one call: the lab starts on them now, not after a runs/ids round trip
        const ids = await cmp.fetchExperiment(id);
        if (mine !== asked) return;
        experimentIds = [...ids].sort((a, b) => a - b);
        experiment.value = id;
        notice.value = ids.length ? null : { kind: 'empty', id };
        setSelected(experimentIds);
      } finally {
        if (mine === asked) pending = false;
      }
    })();
    fetching = { id, done };
    return done;
  };
  const same = (a: readonly number[], b: readonly number[]) => a.length === b.length && [...a].sort((x, y) => x - y).every((x, i) => x === b[i]);
  const stopSel = watch(selection, (sel) => {
    // picking other runs leaves the experiment (its runs are then in the address by id)
    if (!pending && experiment.value !== null && !same(sel, experimentIds)) experiment.value = null;
    if (sel.length) notice.value = null;
    if (unread.value.length && !same(sel, unreadOver)) unread.value = [];
  });
  const off = registerHashState('compare', {
    read(p, ids, entries) {
      // what the address asks for now: the app rewrites its own address with replaceState, which
      // reads nothing, so an address read without such entries is one a person typed (or the
      // first one), and a sentence about "abc" no longer in it would be about another address
      unreadOver = [...ids].sort((a, b) => a - b);
      unread.value = [...entries];
      const { modeGiven } = paramsToOptions(p, cmp.options);
      cmp.modeAuto.value = !modeGiven;
      const raw = p.get('experiment');
      const e = Number(raw);
      notice.value = raw === null || (Number.isInteger(e) && e > 0) ? null : { kind: 'unreadable', raw };
      if (Number.isInteger(e) && e > 0) {
        void load(e).catch((err: Error) => (cmp.error.value = `experiment ${e}: ${err.message}`));
      } else experiment.value = null;
    },
    write: () => ({ experiment: experiment.value === null ? undefined : String(experiment.value), ...optionsToParams(cmp.options, cmp.modeAuto.value) }),
    idsInPath: () => experiment.value === null,
    source: () => [experiment.value, optionsToParams(cmp.options, cmp.modeAuto.value)],
  });
  const address: CompareAddress = {
    experiment,
    notice,
    unread,
    async openExperiment(id) {
      await load(id);
      go('compare');
    },
    close() {
      stopSel();
      off();
    },
  };
  current?.close();
  current = address;
  return address;
}

/** The app's comparison address (main.ts creates it). */
export function useCompareAddress(): CompareAddress {
  if (!current) throw new Error("the app's comparison address is used before main.ts created it");
  return current;
}
