/**
 * Config diff for the app: the rows of "what differs" between runs (or replicate groups) and
 * their short labels, from analysis/config-diff (the one definition of which fields differ and
 * how a configuration is named, shared with the CLI). Pure.
 */
import { differingFields, displayValue, SEED_FIELDS, shortLabel } from '@main/analysis/config-diff';

export { SEED_FIELDS };

export interface DiffRow {
  field: string;
  /** One value per compared item, as text, in the items' order. */
  values: string[];
}

/**
 * Rows for the fields whose values are not all equal across `specs` (analysis/config-diff
 * differingFields: the field table's order, seeds only when nothing else differs); fields in
 * `ignore` are left out. A field missing from a spec shows as "(default)".
 */
export function configDiff(specs: readonly object[], ignore: readonly string[] = []): DiffRow[] {
  return differingFields(specs)
    .filter((f) => !ignore.includes(f))
    .map((field) => ({ field, values: specs.map((s) => displayValue((s as Record<string, unknown>)[field])) }));
}

/**
 * A label from the differing fields' values: "sigmoid", "mean −0.1", "sigmoid · lr 0.5" — every
 * differing field (a legend that cut it to three and "…" hid the one a sweep varied), or `max`.
 */
export function diffLabel(rows: readonly DiffRow[], i: number, max = Infinity): string {
  return shortLabel(
    rows.map((r) => r.field),
    (_, k) => rows[k].values[i],
    max,
  );
}
