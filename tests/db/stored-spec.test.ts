import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { groupByConfig } from '../../src-main/analysis/groups';
import { configKey, migrate, RunStore, StoreError } from '../../src-main/db';
import { DEFAULT_SPEC, parseRunSpec, SPEC_VERSION } from '../../src-main/trainer/spec';
import { tempDir } from './helpers';

/**
 * A run as nnlab 0.0.x stored it in a version-4 database, frozen here as text: its spec has no
 * `checkpoints` and no `dtype` (as if written before those fields existed), and its config_key
 * is the v2 rule's (the spec without seeds, every field written out).
 */
const OLD_SPEC_JSON =
  '{"task":"sincos","shape":[1,16,2],"activation":"sigmoid","outputActivation":"seed","init":"normal","eps":0.1,"initMean":0,"learningRate":1,"batchSize":32,"batches":40,"optimizer":"sgd","momentum":0.9,"beta1":0.9,"beta2":0.999,"adamEpsilon":1e-8,"initSeed":5,"dataSeed":5}';
const OLD_KEY =
  '{"activation":"sigmoid","adamEpsilon":1e-8,"batchSize":32,"batches":40,"beta1":0.9,"beta2":0.999,"eps":0.1,"init":"normal","initMean":0,"learningRate":1,"momentum":0.9,"optimizer":"sgd","outputActivation":"seed","shape":[1,16,2],"task":"sincos"}';

function insertRaw(db: Database.Database, id: number, spec: string, key: string, version?: number): void {
  const cols = version === undefined ? '' : ', spec_version';
  const vals = version === undefined ? '' : `, ${version}`;
  db.prepare(`INSERT INTO runs (id, status, spec, config_key, init_seed, data_seed, app_version, created_at${cols})
    VALUES (?, 'done', ?, ?, 5, 5, '0.0.1', 1000${vals})`).run(id, spec, key);
}

describe('db/store: stored specs are parsed on read', () => {
  it('reads an old row without a defaulted field with its default, and groups it with new replicates', () => {
    const file = path.join(tempDir(), 'old.sqlite');
    const raw = new Database(file);
    migrate(raw, 4);
    insertRaw(raw, 1, OLD_SPEC_JSON, OLD_KEY);
    raw.close();

    const store = RunStore.open(file);
    const old = store.getRun(1)!;
    expect(old.spec).toEqual(parseRunSpec({ activation: 'sigmoid', batches: 40, initSeed: 5, dataSeed: 5 }));
    expect(old.spec.checkpoints).toBe(DEFAULT_SPEC.checkpoints);
    expect(old.spec.dtype).toBe('float64');
    const id = store.createRun(parseRunSpec({ activation: 'sigmoid', batches: 40, initSeed: 6, dataSeed: 6 }));
    expect(store.getRun(id)!.configKey).toBe(old.configKey);
    expect(store.listRuns({ configKey: old.configKey }).map((r) => r.id)).toEqual([id, 1]);
    expect(groupByConfig(store.listRuns()).map((g) => g.runs.map((r) => r.id))).toEqual([[id, 1]]);
    store.close();
  });

  it('keeps a row written before any field existed in the group of new runs, whatever the field (no migration needed)', () => {
    const store = RunStore.open(path.join(tempDir(), 'fields.sqlite'));
    const full = parseRunSpec({ activation: 'tanh', batches: 30 });
    let id = 100;
    for (const field of Object.keys(DEFAULT_SPEC).filter((f) => !['initSeed', 'dataSeed', 'activation', 'batches'].includes(f))) {
      const partial: Record<string, unknown> = { ...full };
      delete partial[field];
      // as a nnlab of spec version 1 without `field` would have written it: its spec and its key
      insertRaw(store.db, ++id, JSON.stringify(partial), configKey(partial), 1);
      const run = store.getRun(id)!;
      expect(run.spec, field).toEqual(full);
      expect(run.configKey, field).toBe(configKey(full));
    }
    const newId = store.createRun(full);
    expect(store.listRuns({ configKey: configKey(full) })).toHaveLength(id - 100 + 1);
    expect(store.getRun(newId)!.configKey).toBe(configKey(full));
    store.close();
  });

  it('writes the spec version with every run', () => {
    const store = RunStore.open(path.join(tempDir(), 'v.sqlite'));
    const id = store.createRun(DEFAULT_SPEC);
    expect(store.db.prepare('SELECT spec_version FROM runs WHERE id = ?').pluck().get(id)).toBe(SPEC_VERSION);
    store.close();
  });

  it('refuses a stored spec it cannot trust, naming the run, instead of handing it on', () => {
    const store = RunStore.open(path.join(tempDir(), 'bad.sqlite'));
    insertRaw(store.db, 7, JSON.stringify({ ...DEFAULT_SPEC, activation: 'swish' }), '{}', 1);
    const err = (() => {
      try {
        store.getRun(7);
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(err).toBeInstanceOf(StoreError);
    expect(err).toMatchObject({ code: 'invalid', message: expect.stringMatching(/^run 7: its stored spec cannot be read: activation: /) });
    expect(() => store.listRuns()).toThrow(/run 7: its stored spec cannot be read/);
    store.db.prepare('DELETE FROM runs').run();

    insertRaw(store.db, 8, JSON.stringify({ ...DEFAULT_SPEC, newField: 1 }), '{}', SPEC_VERSION + 1);
    expect(() => store.getRun(8)).toThrow(expect.objectContaining({ code: 'too-new', message: expect.stringContaining(`written by a newer nnlab (spec version ${SPEC_VERSION + 1}; this nnlab reads up to ${SPEC_VERSION})`) }));
    store.close();
  });
});
