/** Browser mode's server: token, Host and Origin checks, the API over HTTP, events over SSE. */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLabServer, type LabServer } from '../../src-main/server/http';
import { pageEntryOf } from '../../src-main/api/page-build';
import { createTestLab, type TestLab } from '../helpers/lab';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type ApiResponse, costPointsFor, unpackSeries } from '../../src-main/api/contract';
import { packSeries } from '../../src-main/api/handlers';

let t: TestLab;
let server: LabServer;

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function call(path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
  return new Promise((done, fail) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, method: options.method ?? 'POST', headers: options.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => done({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', fail);
    req.end(options.body);
  });
}

const auth = () => ({ Authorization: `Bearer ${server.token}` });

beforeAll(async () => {
  t = createTestLab();
  server = await startLabServer({ lab: t.lab, staticDir: resolve(__dirname, '../../out/renderer'), database: t.file });
});

afterAll(async () => {
  await server.close();
  await t.close();
});

describe('server/http', () => {
  it('prints a URL with a URL-safe token', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{20,}$/);
  });

  it('serves the app without a token, with a strict CSP and no referrer', async () => {
    const r = await call('/', { method: 'GET' });
    expect(r.status).toBe(200);
    expect(r.body).toMatch(/<div id="app">/);
    expect(r.headers['content-security-policy']).toMatch(/script-src 'self'/);
    expect(r.headers['referrer-policy']).toBe('no-referrer');
  });

  it('refuses every API path and method without the token, before routing (401)', async () => {
    for (const [method, path] of [['POST', '/api/lab/status'], ['GET', '/api/lab/status'], ['POST', '/api/no/such'], ['GET', '/api/events'], ['DELETE', '/api/runs/delete'], ['POST', '/api']]) {
      const r = await call(path, { method });
      expect(r.status, `${method} ${path}`).toBe(401);
    }
    expect((await call('/api/lab/status', { headers: { Authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await call('/api/events?token=wrong', { method: 'GET' })).status).toBe(401);
  });

  it('refuses a foreign Host (DNS rebinding) on pages and API alike, and a foreign Origin on the API', async () => {
    expect((await call('/', { method: 'GET', headers: { Host: 'evil.example:80' } })).status).toBe(403);
    expect((await call('/api/lab/status', { headers: { ...auth(), Host: `attacker.test:${server.port}` } })).status).toBe(403);
    expect((await call('/api/lab/status', { headers: { ...auth(), Origin: 'http://evil.example' } })).status).toBe(403);
    const same = await call('/api/lab/status', { headers: { ...auth(), Origin: `http://localhost:${server.port}`, Host: `localhost:${server.port}` } });
    expect(same.status).toBe(200);
    expect(same.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('refuses a call from a page of another build (served files rebuilt after it started), in words that say what to do', async () => {
    const built = pageEntryOf(readFileSync(resolve(__dirname, '../../out/renderer/index.html'), 'utf8'));
    expect(built).toMatch(/^index-[\w-]+\.js$/);
    const stale = await call('/api/lab/status', { headers: { ...auth(), 'X-Nnlab-Page': 'index-0ther8ld.js' }, body: '{}' });
    expect(stale.status).toBe(409);
    const refused = JSON.parse(stale.body);
    expect(refused).toMatchObject({ ok: false, error: { name: 'StaleServerError' } });
    expect(refused.error.message).toMatch(/another build of nnlab than the running “nnlab serve”.*start it again.*your runs are in the database/);
    // the page of the build it started with, and a caller that names no page (curl, a script)
    expect((await call('/api/lab/status', { headers: { ...auth(), 'X-Nnlab-Page': built! }, body: '{}' })).status).toBe(200);
    expect((await call('/api/lab/status', { headers: auth(), body: '{}' })).status).toBe(200);
  });

  it('answers API calls, and errors as data naming the field', async () => {
    const ok = JSON.parse((await call('/api/spec/defaults', { headers: auth(), body: '{}' })).body);
    expect(ok.value.spec).toMatchObject({ shape: [1, 16, 2], activation: 'relu', batchSize: 32 });
    const bad = await call('/api/runs/start', { headers: auth(), body: JSON.stringify({ spec: { activation: 'swish' } }) });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body)).toMatchObject({ ok: false, error: { name: 'SpecError', field: 'activation' } });
    const notJson = await call('/api/runs/list', { headers: auth(), body: '{oops' });
    expect(notJson.status).toBe(400);
    const unknown = await call('/api/runs/explode', { headers: auth(), body: '{}' });
    expect(unknown.status).toBe(404);
    const badRequest = await call('/api/runs/get', { headers: auth(), body: JSON.stringify({ id: 'x' }) });
    expect(JSON.parse(badRequest.body).error.field).toBe('id');
  });

  it('streams run events over SSE and serves the saved run', async () => {
    const events: string[] = [];
    const stream = await new Promise<import('node:http').IncomingMessage>((done) => {
      request({ host: '127.0.0.1', port: server.port, path: `/api/events?token=${server.token}`, method: 'GET' }, done).end();
    });
    expect(stream.headers['content-type']).toMatch(/text\/event-stream/);
    stream.setEncoding('utf8');
    const finished = new Promise<void>((done) => {
      stream.on('data', (chunk: string) => {
        events.push(chunk);
        if (chunk.includes('run/finished')) done();
      });
    });
    const start = JSON.parse((await call('/api/runs/start', { headers: auth(), body: JSON.stringify({ spec: { batches: 50 } }) })).body);
    await finished;
    stream.destroy();
    expect(events.join('')).toMatch(/"type":"run\/queued"/);
    const series = JSON.parse((await call('/api/runs/series', { headers: auth(), body: JSON.stringify({ id: start.value.runId, names: ['cost'], maxPoints: 10 }) })).body);
    expect(series.value.series.cost.length).toBe(50);
    expect(series.value.series.cost.data.length).toBeLessThanOrEqual(11);
    expect(series.value.series.cost.index[0]).toBe(0);
  });

  it('answers many runs’ records and series in one runs/compare call, decimated per series, missing runs listed, a bad request naming the field', async () => {
    const ids: number[] = [];
    for (const batches of [40, 60]) ids.push(JSON.parse((await call('/api/runs/start', { headers: auth(), body: JSON.stringify({ spec: { batches } }) })).body).value.runId);
    await t.lab.idle();
    const body = JSON.stringify({ ids: [ids[1], 999_999, ids[0]], series: [{ name: 'cost', maxPoints: 10 }, { name: 'checkpointBatches' }, { name: 'no-such-series' }] });
    const r = JSON.parse((await call('/api/runs/compare', { headers: auth(), body })).body);
    expect(r.ok).toBe(true);
    expect(r.value.missing).toEqual([999_999]);
    // in the order asked, each with its record (as runs/get gives it) and the series it has
    expect(r.value.runs.map((x: { run: { id: number } }) => x.run.id)).toEqual([ids[1], ids[0]]);
    const one = JSON.parse((await call('/api/runs/get', { headers: auth(), body: JSON.stringify({ id: ids[1] }) })).body).value.run;
    expect(r.value.runs[0].run).toEqual(one);
    const cost = r.value.runs[0].series.cost;
    expect(cost.length).toBe(60);
    expect(cost.data.length).toBeLessThanOrEqual(11);
    expect(cost.index.at(-1)).toBe(59);
    const seriesOf = async (names: string[], maxPoints?: number) => JSON.parse((await call('/api/runs/series', { headers: auth(), body: JSON.stringify({ id: ids[1], names, maxPoints }) })).body).value.series;
    expect(r.value.runs[0].series.cost).toEqual((await seriesOf(['cost'], 10)).cost);
    expect(r.value.runs[0].series.checkpointBatches).toEqual((await seriesOf(['checkpointBatches'])).checkpointBatches);
    expect(Object.keys(r.value.runs[1].series).sort()).toEqual(['checkpointBatches', 'cost']);
    const bad = await call('/api/runs/compare', { headers: auth(), body: JSON.stringify({ ids: [], series: [] }) });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatch(/ids/);
  });

  it('answers runs/compare asked by experiment: its runs in id order, each cost curve decimated by the page’s rule, as asked by their ids', async () => {
    // failed before (issue 17, session 7): the request schema had no experimentId (400 naming it), so the page asked runs/ids first
    const first = JSON.parse((await call('/api/runs/start', { headers: auth(), body: JSON.stringify({ spec: { batches: 4500 } }) })).body).value.runId;
    await t.lab.idle();
    const { experimentId } = JSON.parse((await call('/api/runs/replicate', { headers: auth(), body: JSON.stringify({ id: first, k: 2 }) })).body).value;
    await t.lab.idle();
    const ids = JSON.parse((await call('/api/runs/ids', { headers: auth(), body: JSON.stringify({ experimentId }) })).body).value.ids as number[];
    expect(ids.length).toBeGreaterThanOrEqual(2);
    const rest = [{ name: 'checkpointBatches' }, { name: 'estimates', checkpoint: 'last' }];
    const reply = await call('/api/runs/compare', { headers: auth(), body: JSON.stringify({ experimentId, series: [{ name: 'cost', maxPoints: 'comparison' }, ...rest], packed: true }) });
    expect(reply.status, reply.body).toBe(200);
    const byExperiment = JSON.parse(reply.body).value as ApiResponse<'runs/compare'>;
    expect(byExperiment.ids).toEqual(ids);
    const byIds = JSON.parse((await call('/api/runs/compare', { headers: auth(), body: JSON.stringify({ ids, series: [{ name: 'cost', maxPoints: costPointsFor(ids.length) }, ...rest], packed: true }) })).body).value as ApiResponse<'runs/compare'>;
    expect(byExperiment.runs).toEqual(byIds.runs);
    expect(byExperiment.missing).toEqual([]);
    // 4500 batches, decimated to the 4000 points a run of a small comparison gets (costPointsFor), the last one kept
    const cost = unpackSeries(byExperiment.runs[0].series.cost);
    expect(cost.length).toBe(4500);
    expect(cost.data.length).toBeLessThanOrEqual(costPointsFor(ids.length) + 1);
    expect(cost.index?.at(-1)).toBe(4499);
    // an experiment without runs: none, and no error
    expect(JSON.parse((await call('/api/runs/compare', { headers: auth(), body: JSON.stringify({ experimentId: 999_999, series: [] }) })).body).value).toEqual({ runs: [], missing: [], ids: [] });
    // ids and an experiment, or neither: refused naming the field
    for (const body of [{ ids, experimentId, series: [] }, { series: [] }]) {
      const bad = await call('/api/runs/compare', { headers: auth(), body: JSON.stringify(body) });
      expect(bad.status).toBe(400);
      expect(bad.body).toMatch(/ids: give the runs’ ids or an experimentId/);
    }
  });

  it('answers runs/compare asked `packed` with each series as base64 float64 (and uint32 index) that unpacks to exactly the JSON answer', async () => {
    // failed before: the request schema refused `packed` (400 naming it); issue 17, session 5
    const ids: number[] = [];
    for (const batches of [30, 90]) ids.push(JSON.parse((await call('/api/runs/start', { headers: auth(), body: JSON.stringify({ spec: { batches } }) })).body).value.runId);
    await t.lab.idle();
    const series = [{ name: 'cost', maxPoints: 20 }, { name: 'estimates' }, { name: 'checkpointBatches' }, { name: 'testInputs' }];
    const plain = JSON.parse((await call('/api/runs/compare', { headers: auth(), body: JSON.stringify({ ids, series }) })).body).value;
    const reply = await call('/api/runs/compare', { headers: auth(), body: JSON.stringify({ ids, series, packed: true }) });
    expect(reply.status).toBe(200);
    const packed = JSON.parse(reply.body).value as ApiResponse<'runs/compare'>;
    expect(packed.runs.map((r) => r.run)).toEqual(plain.runs.map((r: { run: unknown }) => r.run));
    for (const [k, r] of packed.runs.entries()) {
      expect(Object.keys(r.series).sort()).toEqual(Object.keys(plain.runs[k].series).sort());
      for (const [name, s] of Object.entries(r.series)) {
        expect(s, name).toHaveProperty('f64');
        expect(s, name).not.toHaveProperty('data');
        expect(unpackSeries(s), `run ${r.run.id} ${name}`).toEqual(plain.runs[k].series[name]);
      }
    }
    // the 90-batch run's cost is decimated: its index comes packed too
    expect(packed.runs[1].series.cost).toHaveProperty('index32');
    expect(unpackSeries(packed.runs[1].series.cost).index?.at(-1)).toBe(89);
    // null (a value that was not finite) survives the packing, and a series already unpacked is left as it is
    const odd = { shape: [4], data: [1.5, null, -0, 1e-300], length: 4 };
    expect(unpackSeries(packSeries(odd))).toEqual(odd);
    expect(unpackSeries(odd)).toBe(odd);
  });

  it('answers runs/compare asked a checkpoint series’ last row with that row alone, and whole for a run whose findings read every row', async () => {
    // failed before: the request schema refused `checkpoint` (400 naming it); issue 17, session 6
    // init seed 2: no output unit dead at init; seed 3: output 1 dead at init and alive at the end (the findings say when it came back)
    const ids: number[] = [];
    for (const initSeed of [2, 3]) ids.push(JSON.parse((await call('/api/runs/start', { headers: auth(), body: JSON.stringify({ spec: { initSeed } }) })).body).value.runId);
    await t.lab.idle();
    const ask = async (series: unknown[], packed?: boolean) => {
      const reply = await call('/api/runs/compare', { headers: auth(), body: JSON.stringify({ ids, series, packed }) });
      expect(reply.status, reply.body).toBe(200);
      return (JSON.parse(reply.body).value as ApiResponse<'runs/compare'>).runs.map((r) => ({ run: r.run, series: Object.fromEntries(Object.entries(r.series).map(([k, v]) => [k, unpackSeries(v)])) }));
    };
    const whole = await ask([{ name: 'estimates' }, { name: 'checkpointBatches' }]);
    const last = await ask([{ name: 'estimates', checkpoint: 'last' }]);
    expect(await ask([{ name: 'estimates', checkpoint: 'last' }], true)).toEqual(last);
    const [plain, revived] = whole;
    expect(revived.run.diagnostics!.atInit.dead.at(-1)).toEqual([1]);
    expect(revived.run.diagnostics!.atEnd.dead.at(-1)).toEqual([]);
    expect(plain.run.diagnostics!.atInit.dead.at(-1)).toEqual([]);
    // seed 2: its last checkpoint's row, as a page of the whole series
    const est = plain.series.estimates;
    const [cps, points, outputs] = est.shape;
    expect(plain.series.checkpointBatches.data.at(-1)).toBe(plain.run.batchesRun);
    const row = points * outputs;
    expect(last[0].series.estimates).toEqual({ shape: est.shape, from: (cps - 1) * row, data: est.data.slice((cps - 1) * row), length: est.length });
    // checkpointBatches was read to find the row, not sent unasked
    expect(Object.keys(last[0].series)).toEqual(['estimates']);
    // seed 3: every row
    expect(last[1].series.estimates).toEqual(revived.series.estimates);
    expect(revived.series.estimates.data).toHaveLength(cps * row);
    const bad = await call('/api/runs/compare', { headers: auth(), body: JSON.stringify({ ids, series: [{ name: 'estimates', checkpoint: 'first' }] }) });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatch(/checkpoint/);
  });
});
