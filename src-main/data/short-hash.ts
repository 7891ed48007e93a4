/**
 * Data sets named by a short hash: the first digits of a data set's sha256 as `nnlab data list`
 * and the app show them (12), or any 4 or more that only one data set's hash starts with. A run's
 * spec always names the whole hash; the CLI and the lab's API make a short one whole here, from
 * the hashes of the database's data sets. Pure.
 */

const SHORT_HASH = /^[0-9a-f]{4,63}$/;

/** Whether `value` is a shortened data set hash. */
export function isShortHash(value: unknown): value is string {
  return typeof value === 'string' && SHORT_HASH.test(value);
}

/**
 * The whole hash of the one data set among `hashes` whose hash starts with `prefix`, or why there
 * is none: no data set's, or several's. `listed`: where the data sets are listed, as the refusal
 * of a prefix no data set has ends.
 */
export function wholeHash(prefix: string, hashes: readonly string[], listed: string): { hash: string } | { reason: string } {
  const found = hashes.filter((h) => h.startsWith(prefix));
  if (found.length === 1) return { hash: found[0] };
  if (found.length === 0) return { reason: `no data set in this database has a hash that starts with '${prefix}' (${listed})` };
  return { reason: `'${prefix}' starts the hashes of ${found.length} data sets (${found.map((h) => h.slice(0, 16)).join(', ')}): give more of its digits` };
}

type SweepLike = { base?: unknown; grid?: unknown };

/** A sweep input's base data set and grid of data sets, as far as they are there. */
function datasetsOf(input: SweepLike): { base: Record<string, unknown> | null; grid: unknown[] } {
  return { base: isRecord(input.base) ? input.base : null, grid: isRecord(input.grid) && Array.isArray(input.grid.dataset) ? input.grid.dataset : [] };
}

/** Whether a sweep's input names a data set by a short hash, in its base or its grid (the database's hashes are needed then). */
export function namesShortDataset(input: SweepLike): boolean {
  const { base, grid } = datasetsOf(input);
  return isShortHash(base?.dataset) || grid.some(isShortHash);
}

/**
 * A sweep's input with its short data set hashes (the base's and the grid's) made whole by
 * `whole`; the input itself where it has none (the hashes are then never read).
 */
export function withWholeDatasets<T extends SweepLike>(input: T, whole: (prefix: string) => string): T {
  if (!namesShortDataset(input)) return input;
  const { base, grid } = datasetsOf(input);
  const made = (v: unknown) => (isShortHash(v) ? whole(v) : v);
  return {
    ...input,
    ...(base ? { base: { ...base, dataset: made(base.dataset) } } : {}),
    ...(grid.length ? { grid: { ...(input.grid as Record<string, unknown>), dataset: grid.map(made) } } : {}),
  };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
