import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRunStore, type RunStore } from '../../src-main/db';
import type { ListRunsOptions, RunSummary } from '../../src-main/db/types';
import { parseRunSpec } from '../../src-main/trainer/spec';
import { filterRuns, parseQuery, pushdown } from '../../src-main/analysis/query';
import { answerQuery, type QueriedTable, type StoreTableRequest, storeRunFields } from '../../src-main/db/query-runs';
import { PROJECTABLE, type ProjectableProp, UnprojectedError } from '../../src-main/db/store';
import { runTable } from '../../src-main/analysis/run-table';
import { Trainer } from '../../src-main/trainer/trainer';
import { storedRuns, type StoredRuns } from '../analysis/helpers/stored-runs';
import { specAsOfVersion } from './helpers';

let fx: StoredRuns;
const fields = storeRunFields();

/** answerQuery's table, whole (every run it matched as a whole summary): what these tests compare. */
function queryRuns(store: RunStore, req: StoreTableRequest, base: Omit<ListRunsOptions, 'pushdown' | 'limit' | 'offset'> = {}) {
  return answerQuery(store, req, base, (t) => {
    const rows = t.whole(t.rows);
    const byId = new Map(rows.map((r) => [r.id, r]));
    const groups = t.groups?.map((g) => ({ ...g, runs: g.runs.flatMap((r) => byId.get(r.id) ?? []) })) ?? null;
    return { rows, groups, context: t.context };
  });
}

/**
 * Writes of runs by another connection (another nnlab process), each of a kind a listing kept by
 * the first must see, `check(what)` after each: a queued run of `before` trained and finished; a
 * run created, deleted, and another created under its id (SQLite reuses the highest id); a run
 * sent to a queue; a run as a spec-version-1 nnlab wrote it; most runs changed at once. Returns
 * the reused id, the queued run's and the version-1 run's.
 */
function writeRunsElsewhere(other: RunStore, before: readonly RunSummary[], check: (what: string) => void): { reusedId: number; queuedRunId: number; versionOneId: number } {
  const queued = before.find((r) => r.status === 'queued')!;
  const trainer = new Trainer(queued.spec);
  trainer.run(Number.MAX_SAFE_INTEGER);
  other.finishRun(queued.id, trainer.result());
  check('a queued run finished');
  const gone = other.createRun(parseRunSpec({ activation: 'tanh', initSeed: 76 }));
  check('a run created elsewhere');
  other.deleteRun(gone);
  const reused = other.createRun(parseRunSpec({ activation: 'tanh', initSeed: 77 }));
  expect(reused).toBe(gone);
  check("a deleted run's id reused");
  const [{ runId }] = other.createQueuedRuns([parseRunSpec({ initSeed: 78 })], { queue: { name: 'q', redis: 'redis://h:6379' }, jobOptions: {}, jobIdOf: (id) => `run-${id}` });
  check('a queued run');
  // a run written by a spec-version-1 nnlab, inserted as that version wrote it
  const versionOneId = Number(other.db.prepare("INSERT INTO runs (status, spec, spec_version, init_seed, data_seed, app_version, created_at, notes, tags) VALUES ('queued', ?, 1, 1, 1, '0.0.1', 1, '', '[]')").run(JSON.stringify(specAsOfVersion(parseRunSpec({ activation: 'relu' }), 1))).lastInsertRowid);
  check('a run of spec version 1');
  // most runs changed at once: all listed again
  other.db.prepare("UPDATE runs SET notes = 'all'").run();
  check('every run changed');
  return { reusedId: reused, queuedRunId: runId, versionOneId };
}

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
      // tags ignore case, in SQL as in the query (found by trying: tag:Baseline matched no run tagged baseline)
      'tag:Baseline',
      'not tag:BASELINE',
      'tag != Baseline and lr < 1',
      'tag:ÜBER',
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
    expect(fx.store.listRuns({ pushdown: pushdown(parseQuery('tag:Baseline', fields)) })).toHaveLength(2);
    expect(fx.store.listRuns({ pushdown: pushdown(parseQuery('tag:über', fields)) })).toHaveLength(1);
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
      // a store's first answer reads a projected listing and keeps none (answerQuery); its second lists every run and keeps them
      listed();
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
      const { reusedId, queuedRunId: runId, versionOneId } = writeRunsElsewhere(other, before, expectFresh);
      expect(listed().find((r) => r.id === reusedId)!.spec.initSeed).toBe(77);
      expect(listed().find((r) => r.id === versionOneId)!.spec).toEqual(parseRunSpec({ activation: 'relu' }));
      // the run sent to a queue (its remote mark is the queue job's), then trained by a worker
      other.db.prepare('UPDATE queue_jobs SET trained_by = ? WHERE run_id = ?').run(JSON.stringify({ worker: 'w1' }), runId);
      expect(listed().find((r) => r.id === runId)!.remote).toEqual({ name: 'q', redis: 'redis://h:6379', worker: 'w1' });
      expectFresh('a queue job taken by a worker');
      // a queue job added to a run already listed, and one taken away
      other.db.prepare("INSERT INTO queue_jobs (run_id, job_id, queue_name, redis, enqueued_at) VALUES (?, 'late', 'q2', 'redis://h:6379', 1)").run(second.id);
      expectFresh('a queue job added to a listed run');
      other.db.prepare('DELETE FROM queue_jobs WHERE run_id = ?').run(second.id);
      expectFresh('a queue job deleted');
      other.deleteExperiment(own.experimentId);
      expectFresh('an experiment and its runs deleted');
    } finally {
      other.close();
      own.close();
    }
  });

  it('a store just opened answers every field\'s sort, group and query from a projected listing as whole summaries answer them, after every kind of write', () => {
    const own = storedRuns();
    const file = own.store.db.name;
    const other = openRunStore(file);
    const numbers = fields.fields.filter((f) => f.type === 'number').map((f) => f.key);
    // a query on each field, of its type
    const queryOn = (f: (typeof fields.fields)[number]): string | null => {
      if (f.type === 'number') return `${f.key} > 0.5`;
      if (f.type === 'enum') return `${f.key} = ${f.choices![f.choices!.length - 1]}`;
      if (f.type === 'text') return `${f.key} ~ "e"`;
      if (f.type === 'shape') return `${f.key} = 1-16-2`;
      if (f.type === 'tags') return 'tag:baseline';
      return null;
    };
    const requests = fields.fields.flatMap((f) => [
      { field: f, req: { sort: f.key, desc: true } },
      { field: f, req: { sort: f.key, desc: false, where: 'status = done or status = queued' } },
      ...(f.groupable ? [{ field: f, req: { group: f.key, columns: numbers } }] : []),
      ...(queryOn(f) ? [{ field: f, req: { where: queryOn(f)! } }] : []),
    ]);
    // what an answer reads and hands on: the matched runs in order, the field's values, the groups, whole summaries
    const answerOf = (t: QueriedTable, f: (typeof fields.fields)[number]) => ({
      ids: t.rows.map((r) => r.id),
      values: t.rows.map((r) => f.value(r, t.context)),
      groups: t.groups?.map((g) => ({ key: g.key, label: g.label, value: g.value, ids: g.runs.map((r) => r.id), outcomes: g.outcomes, medians: g.medians })) ?? null,
      whole: t.whole(t.rows.slice(0, 5)),
    });
    const check = (when: string) => {
      const all = other.listRuns();
      const experiments = new Map(other.listExperiments().map((e) => [e.id, { id: e.id, name: e.name }]));
      let projected = 0;
      for (const { field, req } of requests) {
        const what = `${when}: ${JSON.stringify(req)}`;
        const query = parseQuery(req.where ?? '', fields);
        const full = runTable(all, fields, { ...req, query }, { experiments });
        const expected = answerOf({ ...full, context: { experiments }, whole: (runs) => [...runs] }, field);
        const fresh = openRunStore(file);
        try {
          const listings: string[] = [];
          const listRuns = fresh.listRuns.bind(fresh);
          fresh.listRuns = (o) => (listings.push(o?.limit !== undefined ? 'probe' : o?.ids ? 'ids' : 'whole'), listRuns(o));
          const listRunsProjected = fresh.listRunsProjected.bind(fresh);
          const specKeys: (readonly string[] | undefined)[] = [];
          fresh.listRunsProjected = (props, o, keys) => (listings.push('projected'), specKeys.push(keys), listRunsProjected(props, o, keys));
          const got = answerQuery(fresh, req, {}, (t) => answerOf(t, field));
          expect(got, what).toStrictEqual(expected);
          if (!listings.includes('whole')) projected++;
          expect(listings, what).toContain('projected');
          // its specs projected too: read with the fields the probe saw read, never whole
          expect(specKeys, what).toEqual([expect.any(Array)]);
        } finally {
          fresh.close();
        }
      }
      // every request answered from the projection (none fell back to listing whole summaries)
      expect(projected, when).toBe(requests.length);
    };
    try {
      expect(requests.length).toBeGreaterThan(150);
      check('as stored');
      const [newest, second, third] = other.listRuns();
      other.updateRun(newest.id, { notes: 'written elsewhere', tags: ['elsewhere', 'baseline'] });
      other.db.prepare("UPDATE runs SET status = 'failed', error = 'by sqlite3', notes = 'e' WHERE id = ?").run(second.id);
      other.db.prepare("UPDATE runs SET owner_host = 'h', owner_pid = 7, heartbeat_at = 5, kernel = 'k', train_ms = 0.75 WHERE id = ?").run(third.id);
      other.createQueuedRuns([parseRunSpec({ initSeed: 78, activation: 'tanh' })], { queue: { name: 'q', redis: 'redis://h:6379' }, jobOptions: {}, jobIdOf: (id) => `run-${id}` });
      other.db.prepare("INSERT INTO runs (status, spec, spec_version, init_seed, data_seed, app_version, created_at, notes, tags) VALUES ('queued', ?, 1, 1, 1, '0.0.1', 1, '', '[]')").run(JSON.stringify(specAsOfVersion(parseRunSpec({ activation: 'relu' }), 1)));
      other.db.prepare('UPDATE runs SET experiment_id = NULL WHERE id = ?').run(other.listRuns({ experimentId: own.experimentId })[0].id);
      other.deleteRun(other.listRuns({ order: 'oldest' })[0].id);
      check('after writes here, elsewhere and in SQL');
      // specs rewritten in SQL: a field changed in place; a duplicate key (JSON.parse reads the
      // last, SQLite's -> the first: such a text is checked, never vouched for); the same spec
      // spelled with spaces; each after the listing above recorded checks for the old texts
      const [a, b, c] = other.listRuns().filter((r) => r.spec.task === 'sincos');
      const text = (id: number) => other.db.prepare('SELECT spec FROM runs WHERE id = ?').pluck().get(id) as string;
      const setSpec = (id: number, t: string) => other.db.prepare('UPDATE runs SET spec = ? WHERE id = ?').run(t, id);
      setSpec(a.id, text(a.id).replace(/"activation":"[a-zA-Z]+"/, '"activation":"sigmoid"').replace(/"learningRate":[^,]+/, '"learningRate":0.125'));
      // decoys first, the run's own values after them: JSON.parse gives the spec as it was
      const decoy = b.spec.activation === 'tanh' ? 'relu' : 'tanh';
      setSpec(b.id, `{"activation":"${decoy}","initMean":0.75,"optimizer":"adam",${text(b.id).slice(1)}`);
      expect(JSON.parse(text(b.id))).toStrictEqual(JSON.parse(JSON.stringify(b.spec)));
      expect(other.db.prepare("SELECT spec ->> '$.activation' FROM runs WHERE id = ?").pluck().get(b.id)).toBe(decoy);
      setSpec(c.id, JSON.stringify(JSON.parse(text(c.id)), null, 1));
      check('after specs rewritten in SQL');
      // and again, now that listings checked and recorded what they could of those texts
      check('after specs rewritten in SQL, listed again');
    } finally {
      other.close();
      own.close();
    }
  });

  it('a projected summary holds exactly what summaryOf gives for the properties it read, and throws for any other', () => {
    const all = fx.store.listRuns();
    const every = fx.store.listRunsProjected(Object.keys(PROJECTABLE) as ProjectableProp[]);
    expect(every.map((r) => ({ ...r }))).toStrictEqual(all);
    const some = fx.store.listRunsProjected(['tags', 'owner']);
    expect(some.map((r) => [r.id, r.status, r.spec, r.kind, r.testMse, r.testAccuracy, r.tags, r.owner])).toStrictEqual(all.map((r) => [r.id, r.status, r.spec, r.kind, r.testMse, r.testAccuracy, r.tags, r.owner]));
    expect(() => some[0].notes).toThrow(UnprojectedError);
    expect(() => some[0].remote).toThrow(/'remote', which its listing did not read/);
  });

  it('a projected spec holds exactly what the whole spec holds for the fields it was read with, and throws for any other, for enumeration and for a change', () => {
    const all = fx.store.listRuns();
    const keys = [...Object.keys(all[0].spec), 'initialWeights', 'epochs', 'noSuchField'];
    for (const k of keys) {
      const some = fx.store.listRunsProjected([], {}, [k]);
      expect(some.map((r) => r.id)).toStrictEqual(all.map((r) => r.id));
      some.forEach((r, i) => {
        const whole = all[i].spec as unknown as Record<string, unknown>;
        const spec = r.spec as unknown as Record<string, unknown>;
        expect(spec[k], `${k} of run ${r.id}`).toStrictEqual(whole[k]);
        expect(k in spec, `${k} in run ${r.id}`).toBe(k in whole);
        expect([r.kind, r.testMse, r.testAccuracy, spec.task, spec.labelColumn]).toStrictEqual([all[i].kind, all[i].testMse, all[i].testAccuracy, whole.task, whole.labelColumn]);
      });
    }
    const [r] = fx.store.listRunsProjected([], {}, ['activation']);
    const spec = r.spec as unknown as Record<string, unknown>;
    expect(() => spec.initMean).toThrow(UnprojectedError);
    expect(() => spec.initMean).toThrow(/'spec.initMean', which its listing did not read/);
    expect(() => Object.values(spec)).toThrow(UnprojectedError);
    expect(() => JSON.stringify(spec)).toThrow(UnprojectedError);
    expect(() => ({ ...spec })).toThrow(UnprojectedError);
    expect(() => 'eps' in spec).toThrow(UnprojectedError);
    expect(() => {
      spec.activation = 'tanh';
    }).toThrow(UnprojectedError);
    expect(spec.activation).toBe(all[0].spec.activation);
    // a key that is no plain name is not read in SQL: the specs are read whole
    expect(fx.store.listRunsProjected([], {}, ["a') || '"]).map((x) => x.spec)).toStrictEqual(all.map((x) => x.spec));
  });

  it('a first answer whose query enumerates a spec on a branch the newest runs did not take is answered from whole summaries, the same', () => {
    const own = storedRuns();
    try {
      // more queued runs than the probe reads, newer than every other run: for them the bare
      // word at the end is never looked at, for the older ones it reads every value of the spec
      // (the conditions before it read, for every run, the rest of what a bare word reads)
      own.store.createRuns(Array.from({ length: 70 }, (_, i) => parseRunSpec({ initSeed: 100 + i })));
      const req = { where: 'notes ~ "zz" or tag:zz or error ~ "zz" or status = queued or tanh', sort: 'id' };
      const use = (t: QueriedTable) => t.rows.map((r) => r.id);
      const expected = use({ ...runTable(own.store.listRuns(), fields, { ...req, query: parseQuery(req.where, fields) }), context: {}, whole: (r) => [...r] });
      const tanh = own.store.listRuns().filter((r) => r.status !== 'queued' && r.spec.activation === 'tanh');
      expect(tanh.length).toBeGreaterThan(0);
      expect(expected).toEqual(expect.arrayContaining(tanh.map((r) => r.id)));
      const fresh = openRunStore(own.store.db.name);
      try {
        const listings: string[] = [];
        const listRuns = fresh.listRuns.bind(fresh);
        fresh.listRuns = (o) => (listings.push(o?.limit !== undefined ? 'probe' : o?.ids ? 'ids' : 'whole'), listRuns(o));
        const listRunsProjected = fresh.listRunsProjected.bind(fresh);
        const projectedProps: ProjectableProp[][] = [];
        fresh.listRunsProjected = (props, o, keys) => (listings.push(`projected with ${JSON.stringify(keys)}`), projectedProps.push([...props]), listRunsProjected(props, o, keys));
        const got = answerQuery(fresh, req, {}, use);
        expect(got).toStrictEqual(expected);
        // the probe read no spec field; the projected listing's query met a spec enumerated
        // (UnprojectedError), so the answer is made from whole summaries
        expect(listings).toEqual(['probe', 'projected with []', 'whole']);
        expect(projectedProps).toEqual([['error', 'notes', 'tags']]);
      } finally {
        fresh.close();
      }
    } finally {
      own.close();
    }
  });

  it('a first answer that reads what the newest runs did not show it would read is answered from whole summaries, the same', () => {
    const own = storedRuns();
    try {
      // more runs than the probe reads, newer than the one failed run
      const failed = own.store.createRun(parseRunSpec({ activation: 'tanh' }));
      own.store.failRun(failed, 'failed', 'out of memory');
      own.store.createRuns(Array.from({ length: 70 }, (_, i) => parseRunSpec({ initSeed: 100 + i })));
      const use = (t: QueriedTable) => t.rows.map((r) => (r.status === 'failed' ? r.error : r.id));
      const expected = use({ ...runTable(own.store.listRuns(), fields, { query: parseQuery('', fields) }), context: {}, whole: (r) => [...r] });
      expect(expected).toContain('out of memory');
      const fresh = openRunStore(own.store.db.name);
      try {
        let calls = 0;
        const got = answerQuery(fresh, { sort: 'id' }, {}, (t) => (calls++, use(t)));
        expect(got).toStrictEqual(expected);
        // the probe, the projected answer (UnprojectedError: error was not read), the answer from whole summaries
        expect(calls).toBe(3);
      } finally {
        fresh.close();
      }
    } finally {
      own.close();
    }
  });

  it('a store just opened lists what a full recomputation lists, after every kind of write, with the spec checks it keeps made stale or garbled in SQL', () => {
    const own = storedRuns();
    const file = own.store.db.name;
    const other = openRunStore(file);
    try {
      // listRuns with every spec checked by the schema, as before v11: the checks taken away
      // inside a transaction that is rolled back (a listing inside a transaction records none)
      const recomputed = () => {
        other.db.exec('BEGIN');
        try {
          other.db.exec('DELETE FROM run_spec_checks');
          return other.listRuns();
        } finally {
          other.db.exec('ROLLBACK');
        }
      };
      const vouched = () => other.db.prepare('SELECT c.run_id FROM run_spec_checks c JOIN runs r ON r.id = c.run_id AND r.spec = c.spec AND r.spec_version = c.spec_version ORDER BY c.run_id').pluck().all() as number[];
      const opened = () => {
        const s = openRunStore(file);
        try {
          return s.listRuns();
        } finally {
          s.close();
        }
      };
      const expectFresh = (what: string) => {
        const first = opened();
        expect(first, what).toStrictEqual(recomputed());
        // and the second store opened, which reads the checks the first recorded
        expect(opened(), what).toStrictEqual(first);
        // a check vouches for exactly the runs whose stored text is their checked form, written as JSON.stringify writes it
        const texts = new Map(other.db.prepare('SELECT id, spec FROM runs').raw().all() as [number, string][]);
        const own = first.filter((r) => isDeepStrictEqual(JSON.parse(texts.get(r.id)!), r.spec) && JSON.stringify(JSON.parse(texts.get(r.id)!)) === texts.get(r.id)).map((r) => r.id);
        expect(vouched(), what).toEqual(own.sort((a, b) => a - b));
      };
      expectFresh('a store just made');
      const before = opened();
      const [newest, second] = before;
      own.store.updateRun(second.id, { notes: 'changed here' });
      expectFresh('notes written');
      other.updateRun(newest.id, { tags: ['elsewhere'] });
      expectFresh('tags written by another connection');
      other.db.prepare("UPDATE runs SET notes = 'by sqlite3' WHERE id = ?").run(before[3].id);
      expectFresh('a row changed in SQL');
      // a spec changed in SQL, to text the schema completes (a field with a default left out): a
      // check kept for the old text must not vouch for it
      const stored = JSON.parse(other.db.prepare('SELECT spec FROM runs WHERE id = ?').pluck().get(before[4].id) as string) as Record<string, unknown>;
      const { learningRate: _lr, ...shorter } = stored;
      other.db.prepare('UPDATE runs SET spec = ? WHERE id = ?').run(JSON.stringify({ ...shorter, activation: 'tanh' }), before[4].id);
      expectFresh('a spec changed in SQL');
      expect(opened().find((r) => r.id === before[4].id)!.spec).toStrictEqual(parseRunSpec({ ...shorter, activation: 'tanh' }));
      // a check garbled, one for another text, one by another checker, one for another spec version
      other.db.prepare("UPDATE run_spec_checks SET spec = 'garbled' WHERE run_id = ?").run(before[5].id);
      other.db.prepare("UPDATE run_spec_checks SET checker = 'nnlab 0.0.1, spec 1, rule 1' WHERE run_id = ?").run(before[6].id);
      other.db.prepare('UPDATE run_spec_checks SET spec_version = 1 WHERE run_id = ?').run(before[7].id);
      other.db.prepare("INSERT OR REPLACE INTO run_spec_checks (run_id, spec, spec_version, checker) SELECT id, '{}', spec_version, 'x' FROM runs WHERE id = ?").run(before[8].id);
      expectFresh('checks garbled in SQL');
      // each checked again and recorded anew, as the checks this nnlab keeps for untouched runs
      const check = (id: number) => other.db.prepare('SELECT c.spec = r.spec, c.spec_version = r.spec_version, c.checker FROM run_spec_checks c JOIN runs r ON r.id = c.run_id WHERE c.run_id = ?').raw().get(id);
      for (const r of [5, 6, 7, 8]) expect(check(before[r].id), `check ${r} recorded again`).toEqual(check(before[10].id));
      expect(check(before[10].id)).toEqual([1, 1, expect.stringMatching(/^nnlab /)]);
      // a spec the schema refuses, written in SQL over a run that had a check: refused as before, naming the run
      const valid = other.db.prepare('SELECT spec FROM runs WHERE id = ?').pluck().get(before[9].id) as string;
      other.db.prepare('UPDATE runs SET spec = ? WHERE id = ?').run(JSON.stringify({ ...JSON.parse(valid), hidden: [-3] }), before[9].id);
      expect(() => opened()).toThrow(new RegExp(`run ${before[9].id}: its stored spec cannot be read`));
      expect(() => recomputed()).toThrow(new RegExp(`run ${before[9].id}: its stored spec cannot be read`));
      other.db.prepare('UPDATE runs SET spec = ? WHERE id = ?').run(valid, before[9].id);
      expectFresh('the spec put back');
      // every check deleted: nothing lost
      other.db.exec('DELETE FROM run_spec_checks');
      expectFresh('every check deleted');
      writeRunsElsewhere(other, before, expectFresh);
      other.deleteExperiment(own.experimentId);
      expectFresh('an experiment and its runs deleted');
    } finally {
      other.close();
      own.close();
    }
  });
});

describe('run_spec_checks on a full disk', () => {
  it('a listing on a disk that cannot take the spec checks still answers, and records them once there is room', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'nnlab-checks-full-')), 'lab.sqlite');
    const own = openRunStore(file);
    // 100 queued runs: their spec texts (~50 KB) need pages the file does not have yet
    own.createRuns(Array.from({ length: 100 }, (_, i) => parseRunSpec({ activation: i % 2 ? 'relu' : 'sigmoid', initSeed: i + 1 })));
    own.db.exec('DELETE FROM run_spec_checks');
    const expected = own.listRuns();
    own.db.exec('DELETE FROM run_spec_checks');
    own.db.exec('VACUUM'); // no free pages left in the file for the checks to reuse
    own.close();
    const s = openRunStore(file);
    try {
      // the file may not grow: a write that needs a page more fails with SQLITE_FULL, as on a full disk
      s.db.pragma(`max_page_count = ${s.db.pragma('page_count', { simple: true }) as number}`);
      let listed: ReturnType<typeof s.listRuns> = [];
      expect(() => (listed = s.listRuns())).not.toThrow();
      expect(listed).toEqual(expected);
      expect(s.db.prepare('SELECT count(*) FROM run_spec_checks').pluck().get()).toBe(0);
      s.db.pragma('max_page_count = 1073741823');
      expect(s.listRuns()).toEqual(expected);
      expect(s.db.prepare('SELECT count(*) FROM run_spec_checks').pluck().get()).toBe(100);
    } finally {
      s.close();
    }
  });
});
