/**
 * v12: config keys without the fields a configuration does not read. Two specs that train the same
 * runs — init he with an initMean written beside it, sgd with a momentum — had two keys, so the
 * lab counted one configuration as two (and offered no saved run as the same). From v12 a field
 * the trainer does not read leaves the key as a default value does (db/config-key.ts, with
 * trainer/spec.ts unreadFields): every runs.config_key and every key in timings.config_keys is
 * recomputed from itself, as v5 did for timings (a key is the spec without seeds and defaults, so
 * dropping the unread fields from it gives the new key). Only rows whose key changes are written.
 *
 * The rule is copied here as it was at v12, not imported: this step must do the same whatever the
 * live configKey and unreadFields become.
 */
import type { Migration } from './migration';

function canonicalJsonV12(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJsonV12).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJsonV12(obj[k])}`).join(',')}}`;
}

/** The fields of a key (spec without seeds and defaults) that its configuration does not read, at v12. */
function unreadV12(key: Record<string, unknown>): string[] {
  const out: string[] = [];
  // a missing field is at its default: init normal, optimizer sgd, no initial weights
  if (key.initialWeights !== undefined) out.push('init', 'eps', 'initMean');
  else if (key.init !== undefined && key.init !== 'normal') out.push('eps', 'initMean');
  const optimizer = key.optimizer ?? 'sgd';
  if (optimizer !== 'momentum') out.push('momentum');
  if (optimizer !== 'adam') out.push('beta1', 'beta2', 'adamEpsilon');
  return out;
}

/** A v5 key by the v12 rule; text that is not a key stays as it is. */
export function rekeyV12(key: string): string {
  let spec: unknown;
  try {
    spec = JSON.parse(key);
  } catch {
    return key; // not a key this nnlab wrote: nothing to recompute, and nothing to lose
  }
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) return key;
  const rest: Record<string, unknown> = { ...(spec as Record<string, unknown>) };
  for (const field of unreadV12(rest)) delete rest[field];
  return canonicalJsonV12(rest);
}

export const dropUnreadFromKeys: Migration = {
  version: 12,
  up(db) {
    const updateRun = db.prepare('UPDATE runs SET config_key = ? WHERE id = ?');
    // .all(), not .iterate(): better-sqlite3 refuses other statements while an iterator is open
    for (const row of db.prepare('SELECT id, config_key FROM runs').all() as { id: number; config_key: string }[]) {
      const key = rekeyV12(row.config_key);
      if (key !== row.config_key) updateRun.run(key, row.id);
    }
    const updateTiming = db.prepare('UPDATE timings SET config_keys = ? WHERE id = ?');
    for (const row of db.prepare('SELECT id, config_keys FROM timings').all() as { id: number; config_keys: string }[]) {
      let keys: unknown;
      try {
        keys = JSON.parse(row.config_keys);
      } catch {
        continue; // not a list this nnlab wrote: left as it is
      }
      if (!Array.isArray(keys)) continue;
      const rekeyed = JSON.stringify(keys.map((k) => (typeof k === 'string' ? rekeyV12(k) : k)));
      if (rekeyed !== row.config_keys) updateTiming.run(rekeyed, row.id);
    }
  },
};
