import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { configKey, migrate, MIGRATIONS, openDatabase, RunStore, SCHEMA_VERSION, schemaVersion, SERIES_CHUNK_VALUES, type Migration } from '../../src-main/db';
import { configKeyV2 } from '../../src-main/db/migrations/2-config-key';
import { configKeyV5 } from '../../src-main/db/migrations/5-spec-version';
import { specAsOfVersion, tempDir, train } from './helpers';

/**
 * Rows as a database at `version` holds them, written with that version's columns only: v1's
 * columns, plus config_key from v2 on, train_ms from v3 on, the generic score names from v7 on. A migration that adds a table or a column the app fills
 * should add its rows here.
 */
function insertOldRows(db: Database.Database, version: number): void {
  if (version < 1) return;
  const trained = train({ activation: 'sigmoid' });
  const { result } = trained;
  // the spec as a spec-version-1 nnlab wrote it (the old rows are that old)
  const spec = specAsOfVersion(trained.spec, 1);
  db.prepare("INSERT INTO experiments (id, name, kind, definition, created_at) VALUES (1, 'old sweep', 'sweep', '{\"grid\":{}}', 1000)").run();
  // v7's nnlab wrote the scores under their generic names, with a penalty (0: no regulariser)
  const scores = version >= 7 ? 'final_loss, penalty' : 'final_mse';
  const insertRun = db.prepare(`INSERT INTO runs (id, experiment_id, status, spec, init_seed, data_seed, app_version, created_at,
      finished_at, final_cost, ${scores}, failed, timing, notes, tags)
    VALUES (?, ?, ?, ?, ?, ?, '0.0.1', ?, ?, ?, ?, ${version >= 7 ? '0, ' : ''}0, ?, 'from an old nnlab', '["old"]')`);
  for (let i = 1; i <= 3; i++) {
    const s = { ...spec, initSeed: i };
    const timing = JSON.stringify({ ...result.timing, trainMs: 10 * i });
    insertRun.run(i, i === 3 ? null : 1, 'done', JSON.stringify(s), i, trained.spec.dataSeed, 1000 + i, 2000 + i, result.finalCost, result.finalMse, timing);
  }
  if (version >= 2) {
    // v2's nnlab wrote config_key with each run, by v2's rule (v5's on, by v5's, and a spec version)
    const key = version >= 5 ? configKeyV5 : configKeyV2;
    db.prepare('UPDATE runs SET config_key = ? WHERE id = ?').run(key({ ...spec, initSeed: 1 }), 1);
    db.prepare('UPDATE runs SET config_key = ? WHERE id IN (2, 3)').run(key(spec));
  }
  // v3's nnlab wrote train_ms with each run
  if (version >= 3) db.prepare("UPDATE runs SET train_ms = json_extract(timing, '$.trainMs')").run();
  // v4's nnlab stored timings with the config keys of the v2 rule
  if (version >= 4) {
    db.prepare("INSERT INTO timings (id, experiment_id, name, created_at, app_version, kernel, config_keys, measurement) VALUES (1, 1, 'old timing', 3000, '0.0.1', 'js', ?, '{\"configs\":[]}')").run(
      JSON.stringify(version >= 5 ? [configKeyV5(spec), configKeyV5({ ...spec, activation: 'relu' })] : [configKeyV2(spec), configKeyV2({ ...spec, activation: 'relu' })]),
    );
  }
  const cost = result.costHistory;
  db.prepare("INSERT INTO run_series (run_id, name, dtype, length, shape, data) VALUES (1, 'cost', 'f64', ?, ?, ?)").run(
    cost.length,
    JSON.stringify([cost.length]),
    Buffer.from(cost.buffer, cost.byteOffset, cost.byteLength),
  );
}

/** v7's new names of the score columns. */
const V7_RENAMES: Record<string, string> = { final_mse: 'final_loss', test_mse: 'test_metric', baseline_mse: 'baseline' };

function objects(db: Database.Database): string[] {
  return (db.prepare("SELECT type || ' ' || name AS o FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY o").pluck().all() as string[]);
}

function expectOldRowsIntact(store: RunStore): void {
  const { result } = train({ activation: 'sigmoid' });
  const runs = store.listRuns({ order: 'oldest' });
  expect(runs.map((r) => [r.id, r.status, r.experimentId, r.notes, r.tags])).toEqual([
    [1, 'done', 1, 'from an old nnlab', ['old']],
    [2, 'done', 1, 'from an old nnlab', ['old']],
    [3, 'done', null, 'from an old nnlab', ['old']],
  ]);
  expect(runs[0].spec.activation).toBe('sigmoid');
  expect(runs[0].finalCost).toBe(result.finalCost);
  // v3 filled train_ms from the timing JSON
  expect(runs.map((r) => r.trainMs)).toEqual([10, 20, 30]);
  const series = store.getSeries(1);
  expect(series.cost.data).toEqual(result.costHistory);
  expect(series.mse.data).toEqual(result.mseHistory);
  expect(store.listExperiments().map((e) => [e.name, e.runCounts])).toEqual([['old sweep', { done: 2 }]]);
}

describe('db/migrations', () => {
  it('are numbered 1, 2, … in order', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(SCHEMA_VERSION).toBe(MIGRATIONS.length);
  });

  it('build the whole schema from an empty file', () => {
    const file = path.join(tempDir(), 'new.sqlite');
    const db = openDatabase(file);
    expect(schemaVersion(db)).toBe(SCHEMA_VERSION);
    expect(objects(db)).toEqual([
      'index queue_jobs_queue',
      'index runs_config',
      'index runs_experiment',
      'index runs_status',
      'index timings_experiment',
      'index verifications_run',
      'table dataset_columns',
      'table datasets',
      'table experiments',
      'table queue_jobs',
      'table run_series',
      'table run_series_chunks',
      'table run_spec_checks',
      'table runs',
      'table timings',
      'table verifications',
      'trigger dataset_columns_never_change',
      'trigger datasets_kept_for_runs',
      'trigger datasets_never_change',
      'trigger queue_jobs_rev_delete',
      'trigger queue_jobs_rev_insert',
      'trigger queue_jobs_rev_update',
      'trigger runs_rev_insert',
      'trigger runs_rev_update',
      'trigger runs_spec_checks_delete',
    ]);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    db.close();
  });

  for (let from = 0; from < SCHEMA_VERSION; from++) {
    it(`upgrade a file at version ${from} with old rows in it, step by step, to version ${SCHEMA_VERSION}`, () => {
      const file = path.join(tempDir(), `v${from}.sqlite`);
      const raw = new Database(file);
      raw.pragma('journal_mode = WAL');
      expect(migrate(raw, from)).toEqual(MIGRATIONS.filter((m) => m.version <= from).map((m) => m.version));
      insertOldRows(raw, from);
      const rowsBefore = from >= 1 ? raw.prepare('SELECT * FROM runs ORDER BY id').all() : [];
      for (let v = from + 1; v <= SCHEMA_VERSION; v++) {
        expect(migrate(raw, v)).toEqual([v]);
        expect(schemaVersion(raw)).toBe(v);
        const rows = raw.prepare('SELECT * FROM runs ORDER BY id').all() as Record<string, unknown>[];
        expect(rows.length).toBe(rowsBefore.length);
        // every column stays, but for config_key, which v5 recomputes by its rule (checked below),
        // and the scores v7 renames (their values kept) and completes: an old run's test loss is its
        // test MSE, its penalty 0
        rows.forEach((row, i) => {
          const { config_key: _key, ...before } = rowsBefore[i] as Record<string, unknown>;
          const renamed = v >= 7 && from < 7 ? Object.fromEntries(Object.entries(before).map(([k, x]) => [V7_RENAMES[k] ?? k, x])) : before;
          expect(row).toMatchObject(renamed);
          if (v >= 7 && from < 7) expect([row.test_loss, row.penalty]).toEqual([row.test_metric, row.final_cost === null ? null : 0]);
        });
      }
      raw.close();

      // and the same file, reset to `from` by a fresh copy, through openDatabase at once
      const file2 = path.join(path.dirname(file), `v${from}-direct.sqlite`);
      const raw2 = new Database(file2);
      migrate(raw2, from);
      insertOldRows(raw2, from);
      raw2.close();
      for (const f of [file, file2]) {
        const store = RunStore.open(f);
        expect(schemaVersion(store.db)).toBe(SCHEMA_VERSION);
        if (from >= 1) {
          expectOldRowsIntact(store);
          // v2 backfilled config_key from the stored specs, v5 recomputed it without default values:
          // equal across the seeds, and what configKey says today
          const keys = store.listRuns().map((r) => r.configKey);
          expect(new Set(keys).size).toBe(1);
          expect(keys[0]).toBe(configKey(store.listRuns()[0].spec));
          expect(keys[0]).toBe('{"activation":"sigmoid","batches":20}');
          expect(store.listRuns().map((r) => r.spec.activation)).toEqual(['sigmoid', 'sigmoid', 'sigmoid']);
          if (from >= 4) {
            // v5 recomputed the old timing's keys too: it is still found by its runs' key
            expect(store.getTiming(1)!.configKeys).toEqual([keys[0], '{"batches":20}']);
            expect(store.listTimings({ configKeys: [keys[0]] }).map((t) => t.name)).toEqual(['old timing']);
          }
        }
        // new rows work beside the old ones
        const { spec, result } = train();
        const id = store.createRun(spec);
        store.finishRun(id, result);
        expect(store.getSeries(id, ['cost']).cost.data).toEqual(result.costHistory);
        // v4: re-run checks and timings of old and new runs
        store.saveVerification({ runId: from >= 1 ? 1 : id, verdict: 'different-app-version', firstDifferentBatch: 0, maxRelativeDifference: 1e-16, batches: 20, verifiedAt: 5000, appVersion: 'x', kernel: 'js-blocked' });
        expect(store.getRun(from >= 1 ? 1 : id)!.verification?.verdict).toBe('different-app-version');
        const timing = store.saveTiming({ experimentId: from >= 1 ? 1 : null, name: 't', kernel: 'js', configKeys: [configKey(spec)], measurement: { configs: [] }, environment: { platform: 'linux', arch: 'x64', cpus: 2, cpuModel: '', runtime: 'node', loadAverage: { start: 0, end: 0 }, concurrentJobs: 0 } });
        // the old timing's second configuration is this run's: relu, 20 batches
        expect(store.listTimings({ configKeys: [configKey(spec)] }).map((t) => t.id)).toEqual(from >= 4 ? [timing, 1] : [timing]);
        expect(store.db.pragma('foreign_key_check')).toEqual([]);
        store.close();
      }
    });
  }

  it('v10 gives every run a revision: 0 for the rows it finds, moved by any later write, drawn (and exact in JavaScript) for a new run', () => {
    const raw = new Database(path.join(tempDir(), 'v9.sqlite'));
    migrate(raw, 9);
    insertOldRows(raw, 9);
    expect(migrate(raw, 10)).toEqual([10]);
    const revs = () => raw.prepare('SELECT rev FROM runs ORDER BY id').pluck().all() as number[];
    expect(revs()).toEqual([0, 0, 0]);
    raw.prepare("UPDATE runs SET notes = 'x' WHERE id = 2").run();
    raw.prepare("UPDATE runs SET notes = 'y' WHERE id = 2").run();
    expect(revs()).toEqual([0, 2, 0]);
    raw.prepare("INSERT INTO runs (status, spec, init_seed, data_seed, app_version, created_at) SELECT status, spec, 9, 1, '0.0.1', 1 FROM runs WHERE id = 1").run();
    const drawn = revs()[3];
    expect(drawn).toBeGreaterThan(0);
    expect(drawn + 2 ** 20).toBeLessThan(Number.MAX_SAFE_INTEGER);
    raw.close();
  });

  it('v11 adds run_spec_checks empty: a v10 file lists as before, and its first listing records the specs it found in their checked form', () => {
    const file = path.join(tempDir(), 'v10.sqlite');
    const raw = new Database(file);
    migrate(raw, 10);
    insertOldRows(raw, 10);
    raw.close();
    const store = RunStore.open(file);
    expect(schemaVersion(store.db)).toBe(SCHEMA_VERSION);
    expect(store.db.prepare('SELECT count(*) FROM run_spec_checks').pluck().get()).toBe(0);
    expectOldRowsIntact(store);
    const listed = store.listRuns();
    // the old rows were written at spec version 1: their checked form is an upgrade, not their JSON, so none vouched for
    expect(store.db.prepare('SELECT count(*) FROM run_spec_checks').pluck().get()).toBe(0);
    const id = store.createRun(train().spec);
    store.listRuns();
    expect(store.db.prepare('SELECT run_id FROM run_spec_checks').pluck().all()).toEqual([id]);
    expect(store.listRuns().slice(1)).toStrictEqual(listed);
    store.deleteRun(id);
    expect(store.db.prepare('SELECT count(*) FROM run_spec_checks').pluck().get()).toBe(0);
    store.close();
  });

  it('v12 gives runs that differ only in fields their configuration does not read one key, and their timings too (init he with an initMean beside it was another configuration)', () => {
    const file = path.join(tempDir(), 'v11.sqlite');
    const raw = new Database(file);
    migrate(raw, 11);
    insertOldRows(raw, 11);
    // as v11's nnlab wrote them: its key kept every field that is not a seed or a default
    const specs: Record<string, unknown>[] = ([
      { init: 'he', initMean: -0.1, eps: 0.3 },
      { init: 'he' },
      { momentum: 0.5 },
      { optimizer: 'adam', momentum: 0.5, beta2: 0.99 },
      { optimizer: 'adam', beta2: 0.99 },
    ] as const).map((v) => specAsOfVersion(train({ ...v, batches: 20 }).spec, 1));
    const insert = raw.prepare("INSERT INTO runs (status, spec, init_seed, data_seed, app_version, created_at, config_key) VALUES ('done', ?, 2, 1, '0.0.1', 1, ?)");
    const ids = specs.map((s) => Number(insert.run(JSON.stringify(s), configKeyV5(s)).lastInsertRowid));
    raw.prepare("INSERT INTO timings (id, experiment_id, name, created_at, app_version, kernel, config_keys, measurement) VALUES (2, NULL, 'he timing', 3000, '0.0.1', 'js', ?, '{\"configs\":[]}')").run(JSON.stringify([configKeyV5(specs[0]), configKeyV5(specs[2])]));
    const revs = () => raw.prepare('SELECT id, rev FROM runs ORDER BY id').raw().all() as [number, number][];
    const before = revs();
    expect(migrate(raw, 12)).toEqual([12]);
    // only the rows whose key changed were written (their revision moved: the runs table re-reads them)
    expect(revs().filter(([, rev], i) => rev !== before[i][1]).map(([id]) => id)).toEqual([ids[0], ids[2], ids[3]]);
    raw.close();
    const store = RunStore.open(file);
    const key = (id: number) => store.getRun(id)!.configKey;
    expect(ids.map(key)).toEqual(['{"batches":20,"init":"he"}', '{"batches":20,"init":"he"}', '{"batches":20}', '{"batches":20,"beta2":0.99,"optimizer":"adam"}', '{"batches":20,"beta2":0.99,"optimizer":"adam"}']);
    for (const id of ids) expect(key(id)).toBe(configKey(store.getRun(id)!.spec));
    expect(store.getTiming(2)!.configKeys).toEqual([key(ids[0]), '{"batches":20}']);
    // the old rows (no unread field) kept their key
    expect(store.getRun(1)!.configKey).toBe('{"activation":"sigmoid","batches":20}');
    store.close();
  });

  it('v8 splits the long series of a v7 database into chunks, bit for bit, and keeps short ones inline', () => {
    const file = path.join(tempDir(), 'v7.sqlite');
    const raw = new Database(file);
    migrate(raw, 7);
    insertOldRows(raw, 7);
    const long = Float64Array.from({ length: 2 * SERIES_CHUNK_VALUES + 17 }, (_, i) => Math.sin(i) * 1e-300 * (i % 3 === 0 ? -1 : 1));
    long[5] = NaN;
    long[6] = -0;
    raw.prepare("INSERT INTO run_series (run_id, name, dtype, length, shape, data) VALUES (2, 'cost', 'f64', ?, ?, ?)").run(long.length, JSON.stringify([long.length]), Buffer.from(long.buffer));
    expect(migrate(raw, 8)).toEqual([8]);
    expect(raw.prepare("SELECT run_id, chunked FROM run_series WHERE name = 'cost' ORDER BY run_id").raw().all()).toEqual([[1, 0], [2, 1]]);
    expect(raw.prepare("SELECT seq, length(data) FROM run_series_chunks WHERE run_id = 2 ORDER BY seq").raw().all()).toEqual([[0, 8 * SERIES_CHUNK_VALUES], [1, 8 * SERIES_CHUNK_VALUES], [2, 8 * 17]]);
    expect(raw.pragma('foreign_key_check')).toEqual([]);
    raw.close();
    const store = RunStore.open(file);
    expectOldRowsIntact(store);
    const back = store.getSeries(2, ['cost']).cost.data;
    expect(Buffer.from(back.buffer).equals(Buffer.from(long.buffer))).toBe(true);
    const pieces = [...store.seriesPieces(2, 'cost')];
    expect(pieces.map((p) => [p.from, p.data.length])).toEqual([[0, SERIES_CHUNK_VALUES], [SERIES_CHUNK_VALUES, SERIES_CHUNK_VALUES], [2 * SERIES_CHUNK_VALUES, 17]]);
    // deleting the run takes its chunks along
    store.deleteRun(2);
    expect(store.db.prepare('SELECT count(*) FROM run_series_chunks').pluck().get()).toBe(0);
    store.close();
  });

  it('roll back a failing step and leave the version where it was', () => {
    const file = path.join(tempDir(), 'fail.sqlite');
    const db = new Database(file);
    const broken: Migration[] = [
      ...MIGRATIONS,
      {
        version: SCHEMA_VERSION + 1,
        up(d) {
          d.exec('CREATE TABLE half_done (x)');
          d.exec('ALTER TABLE no_such_table ADD COLUMN y');
        },
      },
    ];
    expect(() => migrate(db, SCHEMA_VERSION + 1, broken)).toThrow(/no such table/);
    expect(schemaVersion(db)).toBe(SCHEMA_VERSION);
    expect(objects(db)).not.toContain('table half_done');
    db.close();
  });

  it('are applied once when two connections open a fresh file', () => {
    const file = path.join(tempDir(), 'race.sqlite');
    const a = new Database(file);
    const b = new Database(file);
    expect(migrate(a)).toHaveLength(SCHEMA_VERSION);
    expect(migrate(b)).toEqual([]);
    a.close();
    b.close();
  });
});

describe('db/query plans', () => {
  function plan(db: Database.Database, sql: string, params: unknown[]): string {
    return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail).join(' | ');
  }

  it('list runs, look up series and find orphans through indexes, without sorting', () => {
    const store = RunStore.open(path.join(tempDir(), 'plans.sqlite'));
    const db = store.db;
    const summary = 'SELECT id FROM runs';
    const cases: [string, { sql: string; params: unknown[] }, RegExp][] = [
      ['all runs', store.listQuery(summary, { limit: 50 }, true), /^SCAN runs$/],
      ['oldest first', store.listQuery(summary, { limit: 50, order: 'oldest' }, true), /^SCAN runs$/],
      ['by status', store.listQuery(summary, { status: 'done', limit: 50 }, true), /SEARCH runs USING (COVERING )?INDEX runs_status \(status=\?\)/],
      ['by experiment', store.listQuery(summary, { experimentId: 1 }, true), /SEARCH runs USING (COVERING )?INDEX runs_experiment \(experiment_id=\?\)/],
      ['by config', store.listQuery(summary, { configKey: '{}' }, false), /SEARCH runs USING (COVERING )?INDEX runs_config \(config_key=\?\)/],
      ['count by status', store.listQuery('SELECT count(*) FROM runs', { status: 'queued' }, false), /USING (COVERING )?INDEX runs_status/],
    ];
    const stmts = store['stmt'];
    cases.push(
      ['series by name', { sql: stmts.seriesNamed.source, params: [1, '["cost"]'] }, /SEARCH run_series USING INDEX sqlite_autoindex_run_series_1 \(run_id=\? AND name=\?\)/],
      ['all series', { sql: stmts.seriesAll.source, params: [1] }, /SEARCH run_series USING INDEX sqlite_autoindex_run_series_1 \(run_id=\?\)/],
      ['orphans', { sql: stmts.activeOwned.source, params: [] }, /SEARCH runs USING INDEX runs_status \(status=\?\)/],
      ['heartbeat', { sql: stmts.heartbeat.source, params: [0, '[1,2]'] }, /SEARCH runs USING (INTEGER PRIMARY KEY \(rowid=\?\)|COVERING INDEX runs_status \(status=\? AND rowid=\?\))/],
      ['experiment runs', { sql: 'SELECT id FROM runs WHERE experiment_id = ?', params: [1] }, /USING (COVERING )?INDEX runs_experiment/],
    );
    for (const [name, q, expected] of cases) {
      const p = plan(db, q.sql, q.params);
      expect(p, name).toMatch(expected);
      expect(p, name).not.toMatch(/TEMP B-TREE/);
    }
    store.close();
  });
});
