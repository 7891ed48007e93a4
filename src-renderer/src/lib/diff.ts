/** Config diff: the spec fields whose values differ between runs (or replicate groups). Pure. */
import { fmtValue } from './format';
import { SPEC_FIELDS } from './spec-form';

export interface DiffRow {
  field: string;
  /** One value per compared item, as text, in the items' order. */
  values: string[];
}

export const SEED_FIELDS = ['initSeed', 'dataSeed'] as const;

function fieldOrder(keys: Iterable<string>): string[] {
  const known = SPEC_FIELDS.map((f) => f.key as string);
  const all = new Set(keys);
  return [...known.filter((k) => all.has(k)), ...[...all].filter((k) => !known.includes(k)).sort()];
}

/**
 * Rows for the fields whose values are not all equal across `specs` (compared as JSON, so
 * [1, 16, 2] equals [1, 16, 2]), in form order; fields in `ignore` are left out. A field missing
 * from a spec shows as "(default)".
 */
export function configDiff(specs: readonly Record<string, unknown>[], ignore: readonly string[] = []): DiffRow[] {
  if (specs.length < 2) return [];
  const keys = new Set<string>();
  for (const s of specs) for (const k of Object.keys(s)) keys.add(k);
  const rows: DiffRow[] = [];
  for (const field of fieldOrder(keys)) {
    if (ignore.includes(field)) continue;
    const json = specs.map((s) => JSON.stringify(s[field]));
    if (json.every((j) => j === json[0])) continue;
    rows.push({ field, values: specs.map((s) => fmtValue(s[field])) });
  }
  return rows;
}

/** Short names for labels; enum fields (activation, optimizer…) show their value alone. */
const SHORT: Record<string, string> = { initMean: 'mean', learningRate: 'lr', batchSize: 'batch', initSeed: 'seed', dataSeed: 'data seed', checkpoints: 'checkpoints', adamEpsilon: 'adam ε' };

/** A short label from the differing fields' values: "sigmoid", "mean −0.1", "sigmoid · lr 0.5". */
export function diffLabel(rows: readonly DiffRow[], i: number, max = 3): string {
  const enums = new Set(SPEC_FIELDS.filter((f) => f.kind === 'enum').map((f) => f.key as string));
  const parts = rows.slice(0, max).map((r) => (enums.has(r.field) ? r.values[i] : `${SHORT[r.field] ?? r.field} ${r.values[i]}`));
  if (rows.length > max) parts.push('…');
  return parts.join(' · ');
}
