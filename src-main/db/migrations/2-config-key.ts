/**
 * v2: runs.config_key (canonical spec without seeds) backfilled from the stored specs, indexed.
 * The key is computed by this file's own copy of the v2 rule, not the live configKey, so this
 * step does what it did when it was released, whatever the rule becomes later.
 */
import type { Migration } from './migration';

/** Canonical JSON: keys sorted at every level, undefined members left out (as of v2). */
function canonicalJsonV2(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJsonV2).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJsonV2(obj[k])}`).join(',')}}`;
}

/** The v2 config key: the canonical JSON of the spec without its seeds. */
export function configKeyV2(spec: Record<string, unknown>): string {
  const rest: Record<string, unknown> = { ...spec };
  delete rest.initSeed;
  delete rest.dataSeed;
  return canonicalJsonV2(rest);
}

export const addConfigKey: Migration = {
  version: 2,
  up(db) {
    db.exec(`ALTER TABLE runs ADD COLUMN config_key TEXT NOT NULL DEFAULT ''`);
    const update = db.prepare('UPDATE runs SET config_key = ? WHERE id = ?');
    // .all(), not .iterate(): better-sqlite3 refuses other statements while an iterator is open
    for (const row of db.prepare('SELECT id, spec FROM runs').all() as { id: number; spec: string }[]) {
      update.run(configKeyV2(JSON.parse(row.spec) as Record<string, unknown>), row.id);
    }
    db.exec('CREATE INDEX runs_config ON runs (config_key)');
  },
};
