/**
 * The config key of a spec: canonical JSON (keys sorted at every level) of the spec without its
 * seeds, without the fields that hold their default value and without the fields the
 * configuration does not read (trainer/spec.ts unreadFields: an initMean beside init he, a
 * momentum beside sgd), so two specs that train the same runs have one key. Runs with equal keys
 * are replicates of one configuration, so grouping by `config_key` collects them. Stored in
 * `runs.config_key` (indexed) and `timings.config_keys`.
 *
 * Leaving defaults out keeps keys stable across spec versions: a field added later with a
 * default that means what runs did before it existed (see SPEC_VERSION in trainer/spec.ts) is
 * absent from an old row's spec and equal to its default in a new one, and both keys leave it
 * out, so old and new replicates still group, with no migration. Changing this rule, or the
 * default of an existing field, changes keys: that needs a migration that recomputes both
 * columns with a frozen copy of the new rule (as db/migrations/5-spec-version.ts and
 * 12-unread-fields.ts do).
 */
import { DEFAULT_SPEC, type RunSpec, unreadFields } from '../trainer/spec';
import { SEED_FIELDS } from '../trainer/spec-fields';

export { SEED_FIELDS };

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

/** Each default value as canonical JSON, to compare with. */
const DEFAULT_JSON: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(DEFAULT_SPEC)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => [k, canonicalJson(v)]),
);

/** The key of a spec, complete or not (a missing field counts as its default). */
export function configKey(spec: RunSpec | Record<string, unknown>): string {
  const given = Object.fromEntries(Object.entries(spec).filter(([, v]) => v !== undefined));
  const unread = new Set<string>(unreadFields({ ...DEFAULT_SPEC, ...given } as RunSpec).map((u) => u.field));
  const rest: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(given)) {
    if ((SEED_FIELDS as readonly string[]).includes(k) || unread.has(k)) continue;
    if (DEFAULT_JSON[k] !== undefined && DEFAULT_JSON[k] === canonicalJson(v)) continue;
    rest[k] = v;
  }
  return canonicalJson(rest);
}
