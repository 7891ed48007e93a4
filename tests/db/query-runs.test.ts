import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRunStore } from '../../src-main/db';
import { parseRunSpec } from '../../src-main/trainer/spec';
import { filterRuns, parseQuery, pushdown } from '../../src-main/analysis/query';
import { queryRuns, storeRunFields } from '../../src-main/db/query-runs';
import { storedRuns, type StoredRuns } from '../analysis/helpers/stored-runs';

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
});
