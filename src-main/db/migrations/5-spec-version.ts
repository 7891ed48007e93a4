/**
 * v5: runs.spec_version (the spec format a run was written in; every earlier run is version 1),
 * and config keys without default values: runs.config_key recomputed from the stored specs, and
 * every key in timings.config_keys recomputed from itself (an old key is the spec without seeds,
 * so dropping its default values gives the new key). From here on a spec field added with a
 * default leaves keys unchanged, so old and new replicates group without another migration.
 *
 * The rule and the defaults are copied here as they were at v5 (spec version 1), not imported:
 * this step must do the same whatever the live configKey and DEFAULT_SPEC become.
 */
import type { Migration } from './migration';

/** DEFAULT_SPEC of spec version 1. */
const DEFAULTS_V5: Readonly<Record<string, unknown>> = {
  task: 'sincos',
  shape: [1, 16, 2],
  activation: 'relu',
  outputActivation: 'seed',
  init: 'normal',
  eps: 0.1,
  initMean: 0,
  learningRate: 1,
  batchSize: 32,
  batches: 300,
  optimizer: 'sgd',
  momentum: 0.9,
  beta1: 0.9,
  beta2: 0.999,
  adamEpsilon: 1e-8,
  initSeed: 2,
  dataSeed: 1,
  dtype: 'float64',
  checkpoints: 20,
};

function canonicalJsonV5(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJsonV5).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJsonV5(obj[k])}`).join(',')}}`;
}

const DEFAULT_JSON = Object.fromEntries(Object.entries(DEFAULTS_V5).map(([k, v]) => [k, canonicalJsonV5(v)]));

/** The v5 config key: the canonical JSON of the spec without its seeds and its default values. */
export function configKeyV5(spec: Record<string, unknown>): string {
  const rest: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(spec)) {
    if (k === 'initSeed' || k === 'dataSeed' || v === undefined) continue;
    if (DEFAULT_JSON[k] !== undefined && DEFAULT_JSON[k] === canonicalJsonV5(v)) continue;
    rest[k] = v;
  }
  return canonicalJsonV5(rest);
}

/** An older key (canonical JSON of a spec without seeds) by the v5 rule; text that is not one stays as it is. */
function rekey(key: string): string {
  try {
    const spec = JSON.parse(key) as unknown;
    return spec !== null && typeof spec === 'object' && !Array.isArray(spec) ? configKeyV5(spec as Record<string, unknown>) : key;
  } catch {
    return key; // not a key this nnlab wrote: nothing to recompute, and nothing to lose
  }
}

export const addSpecVersion: Migration = {
  version: 5,
  up(db) {
    db.exec('ALTER TABLE runs ADD COLUMN spec_version INTEGER NOT NULL DEFAULT 1');
    const updateRun = db.prepare('UPDATE runs SET config_key = ? WHERE id = ?');
    // .all(), not .iterate(): better-sqlite3 refuses other statements while an iterator is open
    for (const row of db.prepare('SELECT id, spec FROM runs').all() as { id: number; spec: string }[]) {
      updateRun.run(configKeyV5(JSON.parse(row.spec) as Record<string, unknown>), row.id);
    }
    const updateTiming = db.prepare('UPDATE timings SET config_keys = ? WHERE id = ?');
    for (const row of db.prepare('SELECT id, config_keys FROM timings').all() as { id: number; config_keys: string }[]) {
      const keys = JSON.parse(row.config_keys) as unknown;
      if (Array.isArray(keys)) updateTiming.run(JSON.stringify(keys.map((k) => (typeof k === 'string' ? rekey(k) : k))), row.id);
    }
  },
};
