/**
 * The config key of a spec: canonical JSON (keys sorted at every level) of the spec without its
 * seeds. Runs with equal keys are replicates of one configuration, so grouping by `config_key`
 * collects them. Stored in `runs.config_key` (indexed); a change here needs a migration that
 * recomputes the column.
 */
import type { RunSpec } from '../trainer/spec';

/** Spec fields that vary between replicates of one configuration. */
export const SEED_FIELDS = ['initSeed', 'dataSeed'] as const;

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

export function configKey(spec: RunSpec | Record<string, unknown>): string {
  const rest: Record<string, unknown> = { ...spec };
  for (const f of SEED_FIELDS) delete rest[f];
  return canonicalJson(rest);
}
