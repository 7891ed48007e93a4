/**
 * The seed's own closing line, "29.91901 cost at the start of learning and 0.06154 at the end":
 * the blog post's `main()` prints the largest batch cost (sum of squared errors of a batch of
 * 32, the seed's unit) among the first 10 batches and among the last 10. It is the only place the
 * seed's cost is shown as such; everything else speaks MSE per sample. One definition for
 * `nnlab train` and the app's run page, so a person checking against the blog post sees the same
 * numbers in both. Pure (no Node, no DOM).
 */

/** A cost history, whole or decimated (index: batch indices of the values; length: batches in all). */
export interface CostHistory {
  data: ArrayLike<number | null>;
  index?: readonly number[];
  length?: number;
}

export interface SeedLine {
  /** Largest cost among the first 10 batches (NaN if one was not finite, as numpy's max gives). */
  start: number;
  /** Largest cost among the last 10 batches. */
  end: number;
  /** "29.91901 cost at the start of learning and 0.06154 at the end", with "(of 5 batches: the first 10 and the last 10 overlap)" below 20 batches */
  text: string;
}

/** Batches at each end that the line looks at. */
export const SEED_LINE_BATCHES = 10;

/** max(m, x) where a NaN, once seen, stays (numpy's max). */
const maxKeepingNaN = (m: number, x: number) => (Number.isNaN(m) ? m : Number.isNaN(x) || x > m ? x : m);

const fmt = (x: number) => (Number.isFinite(x) ? x.toFixed(5) : String(x));

/**
 * The line from a cost history; null when the history lacks one of the ends (a decimated series
 * keeps both ends whole: api/handlers decimationIndex). A null value (a non-finite cost over the
 * wire) makes the maximum NaN, as the seed's max over a NaN cost would.
 */
export function seedLine(h: CostHistory): SeedLine | null {
  const n = h.length ?? h.data.length;
  if (n === 0) return null;
  const at = (i: number) => (h.index ? h.index[i] : i);
  let start = -Infinity;
  let end = -Infinity;
  let seenStart = 0;
  let seenEnd = 0;
  const k = Math.min(SEED_LINE_BATCHES, n);
  for (let i = 0; i < h.data.length; i++) {
    const b = at(i);
    const v = h.data[i];
    const x = v === null || v === undefined ? NaN : v;
    if (b < k) {
      seenStart++;
      start = maxKeepingNaN(start, x);
    }
    if (b >= n - k) {
      seenEnd++;
      end = maxKeepingNaN(end, x);
    }
  }
  if (seenStart < k || seenEnd < k) return null;
  // of fewer than 20 batches the two ends share batches (of 10 or fewer, all of them): the same number twice would read as no learning
  const overlap = n < 2 * SEED_LINE_BATCHES ? ` (of ${n} batches: the first ${SEED_LINE_BATCHES} and the last ${SEED_LINE_BATCHES} overlap)` : '';
  return { start, end, text: `${fmt(start)} cost at the start of learning and ${fmt(end)} at the end${overlap}` };
}
