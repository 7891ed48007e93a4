/** The API's runs table: queries, sorts and groups answered from the store, errors as data naming the field. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers, dispatch, runsTablePage } from '../../src-main/api/handlers';
import { openRunStore } from '../../src-main/db';
import { keepsListing } from '../../src-main/db/query-runs';
import type { RunsTablePage } from '../../src-main/api/contract';
import { parseRunSpec } from '../../src-main/trainer/spec';
import { Trainer } from '../../src-main/trainer/trainer';
import { createTestLab, type TestLab } from '../helpers/lab';

let t: TestLab;
let handlers: ReturnType<typeof createHandlers>;
const call = (req: unknown) => dispatch(handlers, 'runs/table', req);
const page = async (req: unknown) => {
  const r = await call(req);
  expect(r.status, JSON.stringify(r.result)).toBe(200);
  // through JSON, as over HTTP
  return JSON.parse(JSON.stringify((r.result as { ok: true; value: RunsTablePage }).value)) as RunsTablePage;
};

beforeAll(() => {
  t = createTestLab();
  handlers = createHandlers(t.lab, { database: t.file });
  // relu with mean −eps: both output units dead (learned nothing); linear with lr 3 diverges; the seed learns
  for (const [i, input] of [{}, { initMean: '-eps' }, { activation: 'linear', learningRate: 3 }, { activation: 'linear', learningRate: 3, initSeed: 9 }, { activation: 'sigmoid' }].entries()) {
    const spec = parseRunSpec(input);
    const id = t.store.createRun(spec, { tags: i === 0 ? ['baseline'] : [] });
    const trainer = new Trainer(spec);
    trainer.run(Number.MAX_SAFE_INTEGER);
    t.store.finishRun(id, trainer.result());
  }
});

afterAll(async () => {
  await t.close();
});

describe('api: runs/table', () => {
  it('answers its first query from a projected listing, then keeps a listing once the answer is out, for the next answer to bring up to date', async () => {
    const store = openRunStore(t.file);
    try {
      expect(keepsListing(store)).toBe(false);
      const first = runsTablePage(store, { sort: 'r2', desc: true });
      expect(keepsListing(store)).toBe(false);
      await new Promise((resolve) => setImmediate(resolve));
      expect(keepsListing(store)).toBe(true);
      expect(runsTablePage(store, { sort: 'r2', desc: true })).toStrictEqual(first);
    } finally {
      store.close();
    }
  });

  it('pages every run newest first, and what a query matches sorted by any field', async () => {
    const all = await page({ limit: 2 });
    expect(all.rows.map((r) => r.id)).toEqual([5, 4]);
    expect([all.total, all.allTotal]).toEqual([5, 5]);
    const q = await page({ where: 'activation = relu and lr < 2', sort: 'initMean' });
    expect(q.rows.map((r) => r.id)).toEqual([2, 1]);
    expect([q.total, q.allTotal]).toEqual([2, 5]);
    expect((await page({ where: 'tag:baseline' })).rows.map((r) => r.id)).toEqual([1]);
    expect((await page({ sort: 'id', desc: false, offset: 1, limit: 2 })).rows.map((r) => r.id)).toEqual([2, 3]);
  });

  it('groups with counts, outcome classes and medians that survive JSON (a diverged group’s r² is −∞), runs only for expanded groups', async () => {
    const g = await page({ group: 'learningRate', columns: ['r2', 'testMse'], sort: 'id', desc: false });
    expect(g.rows).toEqual([]);
    expect(g.groups!.map((x) => [x.label, x.count, x.runs.length])).toEqual([
      ['1', 3, 0],
      ['3', 2, 0],
    ]);
    const diverged = g.groups![1];
    expect(diverged.outcomes.counts.diverged).toBe(2);
    expect(diverged.medians.r2).toEqual({ median: null, infinite: -1, n: 2, of: 2 });
    const open = await page({ group: 'learningRate', columns: ['r2'], expanded: [g.groups![0].key], sort: 'id', desc: false });
    expect(open.groups![0].runs.map((r) => r.id)).toEqual([1, 2, 5]);
    expect(open.groups![1].runs).toEqual([]);
  });

  it('refuses a query with the error naming the token, and an unknown field naming the parameter', async () => {
    expect(await call({ where: 'activation = rellu' })).toMatchObject({
      status: 400,
      result: { ok: false, error: { name: 'QueryError', field: 'where', message: expect.stringMatching(/^'rellu' at column 14: activation is one of .*\(did you mean relu\?\)$/) } },
    });
    expect(await call({ sort: 'nope' })).toMatchObject({ status: 400, result: { ok: false, error: { name: 'RequestError', field: 'sort' } } });
    expect(await call({ group: 'r2' })).toMatchObject({ status: 400, result: { ok: false, error: { name: 'RequestError', field: 'group' } } });
    expect(await call({ columns: ['x'] })).toMatchObject({ status: 400, result: { ok: false, error: { name: 'RequestError', field: 'columns' } } });
    expect(await call({ limit: 0 })).toMatchObject({ status: 400, result: { ok: false, error: { name: 'RequestError', field: 'limit' } } });
  });
});
