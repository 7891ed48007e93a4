import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRunStore } from '../../src-main/db';
import { parseRunSpec } from '../../src-main/trainer/spec';
import { filterRuns, parseQuery, pushdown } from '../../src-main/analysis/query';
import { queryRuns, storeRunFields } from '../../src-main/db/query-runs';
import { Trainer } from '../../src-main/trainer/trainer';
import { storedRuns, type StoredRuns } from '../analysis/helpers/stored-runs';
import { specAsOfVersion } from './helpers';

let fx: StoredRuns;
const fields = storeRunFields();

describe('db/query-runs', () => {
  beforeAll(() => {
    fx = storedRuns();
  });
  afterAll(() => fx.close());

  it('narrows in SQL to a superset of what the query keeps, and the query then keeps the same runs as over every run', () => {
    const e = fx.experimentId;
    const queries = [
      `experiment = ${e}`,
      `experiment != ${e}`,
      `experiment in (${e}, 99) and activation = sigmoid`,
      'status = done and r2 < 0.5',
      'status != done',
      'status in (cancelled, queued)',
      'tag:baseline',
      'not tag:baseline',
      'tag != baseline and lr < 1',
      'tag:Über',
      'tag:über',
      `id > 3 and id <= 8`,
      `id = 2`,
      `#4`,
      'status = done or tag:exercise',
    ];
    const all = fx.store.listRuns();
    for (const text of queries) {
      const q = parseQuery(text, fields);
      const narrowed = fx.store.listRuns({ pushdown: pushdown(q) });
      const viaSql = filterRuns(narrowed, q).map((r) => r.id);
      expect(viaSql, text).toEqual(filterRuns(all, q).map((r) => r.id));
      // the SQL keeps no run the conditions it checked are false of: exactly the query's runs when it pushed everything
      if (q.root && (q.root.kind !== 'and' ? 1 : q.root.items.length) === pushdown(q).length) expect(narrowed.map((r) => r.id), text).toEqual(viaSql);
    }
    expect(fx.store.listRuns({ pushdown: pushdown(parseQuery(`experiment = ${e}`, fields)) })).toHaveLength(5);
  });

  it('answers a table request from the store: the query, the sort and the groups, experiments by name', () => {
    const t = queryRuns(fx.store, { where: 'experiment = "init-mean"', sort: 'r2', desc: true, group: 'initMean', columns: ['r2'] });
    expect(t.rows.map((r) => r.experimentId)).toEqual(Array(5).fill(fx.experimentId));
    expect(t.groups!.map((g) => g.label)).toEqual(['-0.1', '0']);
    expect(() => queryRuns(fx.store, { where: 'activation = rellu' })).toThrow(/activation is one of/);
  });

  it('answers from the kept listing only while the database is unchanged: a write here or by another connection shows at once', () => {
    const own = storedRuns();
    const other = openRunStore(own.store.db.name);
    try {
      const ids = (where: string) => queryRuns(own.store, { where, sort: 'id', desc: false }).rows.map((r) => r.id);
      const all = own.store.listRuns().map((r) => r.id).sort((a, b) => a - b);
      expect(ids('')).toEqual(all); // listed and kept
      expect(ids('lr > 0')).toEqual(ids('lr > 0'));
      expect(ids('notes ~ "kept?"')).toEqual([]);
      // written through this connection
      own.store.updateRun(all[0], { notes: 'kept? no' });
      expect(ids('notes ~ "kept?"')).toEqual([all[0]]);
      // written by another connection (another process: a trainer, the CLI)
      other.updateRun(all[1], { notes: 'kept? no' });
      expect(ids('notes ~ "kept?"')).toEqual([all[0], all[1]]);
      const added = other.createRun(parseRunSpec({ activation: 'tanh' }));
      expect(ids('')).toEqual([...all, added]);
      other.deleteRun(all[0]);
      expect(ids('notes ~ "kept?"')).toEqual([all[1]]);
      own.store.deleteRun(all[1]);
      expect(ids('notes ~ "kept?"')).toEqual([]);
      expect(ids('')).toEqual([...all.slice(2), added]);
      // an experiment renamed elsewhere is named anew
      const e = other.createExperiment({ name: 'fresh', kind: 'sweep' });
      other.createRun(parseRunSpec({}), { experimentId: e });
      expect(queryRuns(own.store, { where: 'experiment = "fresh"' }).rows).toHaveLength(1);
    } finally {
      other.close();
      own.close();
    }
  });
  it('brings the kept listing up to date by reading again only the runs that changed, and answers as a fresh listing does after every kind of write', () => {
    const own = storedRuns();
    const other = openRunStore(own.store.db.name);
    try {
      const listed = () => queryRuns(own.store, { sort: 'id', desc: true }).rows;
      // what a listing from nothing says: the answer must be the same, field for field
      const expectFresh = (what: string) => expect(listed(), what).toEqual(other.listRuns());
      const before = listed();
      const [newest, second] = before;
      own.store.updateRun(second.id, { notes: 'changed here' });
      const after = listed();
      // only the changed run was read again: every other summary is the one kept
      expect(after.filter((r, i) => r !== before[i]).map((r) => r.id)).toEqual([second.id]);
      expect(after[1].notes).toBe('changed here');
      expectFresh('notes written here');
      other.updateRun(newest.id, { tags: ['elsewhere'] });
      expectFresh('tags written by another connection');
      // a write by another program, straight in SQL (the triggers keep the revision, not the store)
      other.db.prepare("UPDATE runs SET notes = 'by sqlite3' WHERE id = ?").run(before[3].id);
      expectFresh('a row changed in SQL');
      // a run finished elsewhere: status, scores, timing
      const queued = before.find((r) => r.status === 'queued')!;
      const trainer = new Trainer(queued.spec);
      trainer.run(Number.MAX_SAFE_INTEGER);
      other.finishRun(queued.id, trainer.result());
      expectFresh('a queued run finished');
      // a new run listed, deleted, and another created under its id (SQLite reuses the highest id)
      const gone = other.createRun(parseRunSpec({ activation: 'tanh', initSeed: 76 }));
      expectFresh('a run created elsewhere');
      other.deleteRun(gone);
      const reused = other.createRun(parseRunSpec({ activation: 'tanh', initSeed: 77 }));
      expect(reused).toBe(gone);
      expectFresh('a deleted run\'s id reused');
      expect(listed()[0].spec.initSeed).toBe(77);
      // a run sent to a queue (its remote mark is the queue job's), then trained by a worker
      const [{ runId }] = other.createQueuedRuns([parseRunSpec({ initSeed: 78 })], { queue: { name: 'q', redis: 'redis://h:6379' }, jobOptions: {}, jobIdOf: (id) => `run-${id}` });
      expectFresh('a queued run');
      other.db.prepare('UPDATE queue_jobs SET trained_by = ? WHERE run_id = ?').run(JSON.stringify({ worker: 'w1' }), runId);
      expect(listed().find((r) => r.id === runId)!.remote).toEqual({ name: 'q', redis: 'redis://h:6379', worker: 'w1' });
      expectFresh('a queue job taken by a worker');
      // a queue job added to a run already listed, and one taken away
      other.db.prepare("INSERT INTO queue_jobs (run_id, job_id, queue_name, redis, enqueued_at) VALUES (?, 'late', 'q2', 'redis://h:6379', 1)").run(second.id);
      expectFresh('a queue job added to a listed run');
      other.db.prepare('DELETE FROM queue_jobs WHERE run_id = ?').run(second.id);
      expectFresh('a queue job deleted');
      // a run written by a spec-version-1 nnlab, inserted as that version wrote it
      other.db.prepare("INSERT INTO runs (status, spec, spec_version, init_seed, data_seed, app_version, created_at, notes, tags) VALUES ('queued', ?, 1, 1, 1, '0.0.1', 1, '', '[]')").run(JSON.stringify(specAsOfVersion(parseRunSpec({ activation: 'relu' }), 1)));
      expectFresh('a run of spec version 1');
      expect(listed()[0].spec).toEqual(parseRunSpec({ activation: 'relu' }));
      // most runs changed at once: all listed again
      other.db.prepare("UPDATE runs SET notes = 'all'").run();
      expectFresh('every run changed');
      other.deleteExperiment(own.experimentId);
      expectFresh('an experiment and its runs deleted');
    } finally {
      other.close();
      own.close();
    }
  });
});
