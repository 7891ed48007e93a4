/**
 * `nnlab serve` under faults, as a real process: another program's lock, a read-only database,
 * oversized and malformed requests, a run at the spec's maximum size. It must never end with a
 * stack trace, and every refusal names its cause.
 */
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FAULT_TEST_TIMEOUT_MS, holdLock, runStatuses, startServe, unprivilegedSkipNote, unprivilegedUser, waitForDb, waitUntil, type ServeProcess } from '../helpers/faults';
import { nnlab } from '../helpers/cli';
import { createTestLab, tempDbPath } from '../helpers/lab';
import { request } from 'node:http';
import { MAX_BODY_BYTES, startLabServer } from '../../src-main/server/http';

const NO_STACK = /Error:|at .*\.js:\d+|internal error/;

/** Resolves once the lab has nothing queued or running. */
const labIdle = (serve: ServeProcess) =>
  waitUntil('the lab to have nothing queued or running', async () => {
    const s = await serve.call<{ queued: number; running: number }>('lab/status');
    return s.body.value!.queued === 0 && s.body.value!.running === 0;
  }, undefined, 50);

describe('nnlab serve under another program’s lock', () => {
  it('keeps serving and training while heartbeats and saves meet a held lock; every queued run is saved after it is released', async () => {
    const db = tempDbPath();
    const serve = await startServe(['--db', db], { env: { NNLAB_HEARTBEAT_MS: '20' } });
    try {
      // one long run, long enough to be running when the lock is taken, and a sweep queued behind it
      // whose short runs end while the lock is still held (one trainer process)
      expect((await serve.call('runs/start', { spec: { batches: 400_000 } })).status).toBe(200);
      const sweep = await serve.call<{ runIds: number[] }>('sweeps/start', { sweep: { base: { batches: 2000 }, replicates: 2 } });
      expect(sweep.status).toBe(200);
      await waitForDb(db, (d) => runStatuses(d).running);
      const lock = await holdLock(db);
      await serve.cli.waitFor(/is locked by another program; waiting up to 60 s to write run/);
      // the server answers while it waits: reading needs no lock
      const status = await serve.call<{ running: number }>('lab/status');
      expect(status.status).toBe(200);
      await lock.release();
      await labIdle(serve);
      const list = await serve.call<{ runs: { status: string }[] }>('runs/list');
      expect(list.body.value!.runs.map((r) => r.status)).toEqual(Array(3).fill('done'));
    } finally {
      const end = await serve.stop();
      expect(end.stderr).not.toMatch(NO_STACK);
    }
    const check = new Database(db, { readonly: true });
    expect(runStatuses(check)).toEqual({ done: 3 });
    check.close();
  }, FAULT_TEST_TIMEOUT_MS);
});

/** The serves the tests below start: one that a failed assertion left running is ended after the test. */
const started: ServeProcess[] = [];
const startOwnServe = async (args: string[]) => {
  const serve = await startServe(args);
  started.push(serve);
  return serve;
};
afterEach(() => {
  for (const serve of started.splice(0)) if (serve.cli.child.exitCode === null && serve.cli.child.signalCode === null) serve.cli.child.kill('SIGKILL');
});

describe('nnlab serve stopped while it trains', () => {
  it('says which runs it stopped and where they are saved, and a second Ctrl-C does not cut the writing short (it said nothing, and the second killed it)', async () => {
    const db = tempDbPath();
    const serve = await startOwnServe(['--db', db]);
    expect((await serve.call('sweeps/start', { sweep: { base: { batches: 2_000_000 }, replicates: 3 } })).status).toBe(200);
    await waitForDb(db, (d) => runStatuses(d).running);
    serve.cli.child.kill('SIGINT');
    // an impatient user: the second press comes while the first one's close is under way
    await new Promise((resolve) => setTimeout(resolve, 20));
    serve.cli.child.kill('SIGINT');
    const end = await serve.cli.exited;
    expect(end.signal).toBeNull();
    expect(end.stderr).not.toMatch(NO_STACK);
    expect(end.stderr).toMatch(new RegExp(`^nnlab: stopped \\(Ctrl-C\\): #1, #2, #3 did not finish; saved as interrupted in ${db.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\n`, 'm'));
    const check = new Database(db, { readonly: true });
    expect(runStatuses(check)).toEqual({ interrupted: 3 });
    check.close();
  }, FAULT_TEST_TIMEOUT_MS);
});

describe('nnlab serve stopped, then signalled again as it ends', () => {
  it('ends with its own exit status when a second Ctrl-C comes after it has written everything (it died by SIGINT, status 130, in Node’s teardown)', async () => {
    for (let k = 0; k < 3; k++) {
      const db = tempDbPath();
      const serve = await startOwnServe(['--db', db]);
      expect((await serve.call('sweeps/start', { sweep: { base: { batches: 2_000_000 }, replicates: 2 } })).status).toBe(200);
      await waitForDb(db, (d) => runStatuses(d).running);
      serve.cli.child.kill('SIGINT');
      // the runs are written and said: the process is ending; a second press lands in its last milliseconds
      await serve.cli.waitFor(/stopped \(Ctrl-C\): .* saved as interrupted/, 'stderr');
      serve.cli.child.kill('SIGINT');
      const end = await serve.cli.exited;
      expect([end.status, end.signal]).toEqual([0, null]);
    }
  }, 3 * FAULT_TEST_TIMEOUT_MS);
});

describe('nnlab serve opened after a SIGKILL', () => {
  it('says in lab/status which runs the open marked interrupted, for the app to show (only its stderr said it)', async () => {
    const db = tempDbPath();
    const first = await startOwnServe(['--db', db]);
    // one trainer process (startServe): #1 trains, #2 waits queued behind it
    expect((await first.call('sweeps/start', { sweep: { base: { batches: 2_000_000 }, replicates: 2 } })).status).toBe(200);
    await waitForDb(db, (d) => runStatuses(d).running === 1);
    const pid = first.cli.child.pid!;
    first.cli.child.kill('SIGKILL');
    await first.cli.exited;
    const serve = await startOwnServe(['--db', db]);
    try {
      const status = await serve.call<{ opened?: string[] }>('lab/status');
      expect(status.body.value!.opened).toEqual([`marked #1, #2 interrupted: their owner, process ${pid} on ${os.hostname()}, is no longer running`]);
    } finally {
      const end = await serve.stop();
      expect(end.stderr).not.toMatch(NO_STACK);
    }
  }, FAULT_TEST_TIMEOUT_MS);
});

describe('nnlab serve whose database file is deleted or replaced under it', () => {
  const runTo = async (serve: ServeProcess) => {
    const r = await serve.call<{ runId: number }>('runs/start', { spec: { batches: 50 } });
    expect(r.status).toBe(200);
    await labIdle(serve);
    return r.body.value!.runId;
  };
  it('deleted: says so in lab/status, starts no run into the lost file, writes what it holds back at the path when it stops and says so (every run went with the unlinked file)', async () => {
    const db = tempDbPath();
    const serve = await startOwnServe(['--db', db]);
    await runTo(serve);
    for (const f of [db, `${db}-wal`, `${db}-shm`]) fs.rmSync(f, { force: true });
    // the app hears it at once, above every view (lab/status's fault)
    const status = await serve.call<{ fault: string | null }>('lab/status');
    const fault = `${db} was deleted while nnlab has it open: the runs stay in the open database, and are written back there when nnlab stops`;
    expect(status.body.value!.fault).toBe(fault);
    const refused = await serve.call('runs/start', { spec: { batches: 50 } });
    expect(refused.status).toBe(409);
    expect(JSON.stringify(refused.body)).toContain(fault);
    serve.cli.child.kill('SIGTERM');
    const end = await serve.cli.exited;
    expect(end.stderr).not.toMatch(NO_STACK);
    expect(end.stderr).toContain(`nnlab: ${db} was deleted while nnlab had it open: its 1 run is written back there`);
    const check = new Database(db, { readonly: true });
    expect(runStatuses(check)).toEqual({ done: 1 });
    check.close();
  }, FAULT_TEST_TIMEOUT_MS);

  it('replaced: keeps what it holds beside the new file, untouched, and says where', async () => {
    const db = tempDbPath();
    const serve = await startOwnServe(['--db', db]);
    await runTo(serve);
    const other = tempDbPath();
    expect(nnlab(['train', '--batches', '20', '--db', other]).status).toBe(0);
    for (const f of [`${db}-wal`, `${db}-shm`]) fs.rmSync(f, { force: true });
    fs.renameSync(other, db);
    serve.cli.child.kill('SIGTERM');
    const end = await serve.cli.exited;
    expect(end.stderr).not.toMatch(NO_STACK);
    const kept = `${db.replace(/\.sqlite$/, '')}.recovered.sqlite`;
    expect(end.stderr).toContain(`nnlab: ${db} was replaced by another file while nnlab had it open: its 1 run is kept in ${kept} (nnlab runs list --db ${kept})`);
    const check = new Database(kept, { readonly: true });
    expect(runStatuses(check)).toEqual({ done: 1 });
    check.close();
    // the file put there is left as it was: one run of its own
    expect(JSON.parse(nnlab(['runs', 'list', '--json', '--db', db]).stdout)).toHaveLength(1);
  }, FAULT_TEST_TIMEOUT_MS);
});

const noUser = unprivilegedSkipNote();

describe.skipIf(noUser !== null)(`nnlab serve on a read-only database${noUser ? ` (skipped: ${noUser})` : ''}`, () => {
  it('starts read-only, says so in lab/status, serves the runs, refuses every write call with a clear 409, and leaves nothing beside the file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nnlab-ro-serve-'));
    const db = path.join(dir, 'runs.sqlite');
    expect(nnlab(['sweep', '--replicates', '2', '--batches', '30', '--db', db]).status).toBe(0);
    fs.chmodSync(db, 0o444);
    fs.chmodSync(dir, 0o777);
    const serve = await startServe(['--db', db], unprivilegedUser()!);
    try {
      const status = await serve.call<{ readOnly: string | null }>('lab/status');
      expect(status.body.value!.readOnly).toContain(`${db} is open read-only (the file is read-only for this user: permission denied`);
      const list = await serve.call<{ runs: unknown[] }>('runs/list');
      expect(list.body.value!.runs).toHaveLength(2);
      expect((await serve.call('runs/series', { id: 1, names: ['cost'] })).status).toBe(200);
      const writes: [string, unknown][] = [
        ['runs/start', { spec: { batches: 5 } }],
        ['sweeps/start', { sweep: { base: { batches: 5 }, replicates: 2 } }],
        ['runs/update', { id: 1, notes: 'x' }],
        ['runs/delete', { ids: [1] }],
        ['runs/replicate', { id: 1, k: 2 }],
        ['runs/verify', { id: 1 }],
        ['timings/start', { specs: [{ batches: 5 }] }],
      ];
      for (const [name, body] of writes) {
        const r = await serve.call(name, body);
        expect(r.status, name).toBe(409);
        expect(r.body.error, name).toMatchObject({ name: 'ReadOnlyError' });
        expect(r.body.error!.message, name).toContain(db);
      }
      expect((await serve.call<{ runs: unknown[] }>('runs/list')).body.value!.runs).toHaveLength(2);
    } finally {
      const end = await serve.stop();
      expect(end.stderr).not.toMatch(NO_STACK);
      expect(end.stderr).toContain(`nnlab: read-only: ${db} cannot be written`);
    }
    expect(fs.readdirSync(dir)).toEqual(['runs.sqlite']);
    fs.rmSync(dir, { recursive: true, force: true });
  }, FAULT_TEST_TIMEOUT_MS);
});

describe('at rest, the database file alone is complete', () => {
  it('a sweep in nnlab serve and a run of the CLI beside it are in nnlab.sqlite itself: killing serve and deleting the -wal and -shm files loses none', async () => {
    const db = tempDbPath();
    const serve = await startServe(['--db', db]);
    const sweep = await serve.call<{ runIds: number[] }>('sweeps/start', { sweep: { base: { batches: 200 }, replicates: 5 } });
    expect(sweep.status).toBe(200);
    await waitForDb(db, (d) => runStatuses(d).done === 5);
    await labIdle(serve);
    // the CLI closes while serve still has the database open: SQLite's own checkpoint-on-close does not run then
    expect(nnlab(['train', '--batches', '50', '--db', db]).status).toBe(0);
    serve.cli.child.kill('SIGKILL');
    await serve.cli.exited;
    for (const side of [`${db}-wal`, `${db}-shm`]) fs.rmSync(side, { force: true });
    const check = new Database(db, { readonly: true });
    expect(runStatuses(check)).toEqual({ done: 6 });
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    check.close();
  }, FAULT_TEST_TIMEOUT_MS);
});

describe('server/http: requests too large or with keys the contract does not know', () => {
  async function withServer(fn: (post: (name: string, body: string | Buffer, chunked?: boolean) => Promise<{ status: number; body: string }>) => Promise<void>) {
    const t = createTestLab();
    const server = await startLabServer({ lab: t.lab, staticDir: path.resolve(__dirname, '../../out/renderer'), database: t.file });
    const post = (name: string, body: string | Buffer, chunked = false) =>
      new Promise<{ status: number; body: string }>((done, fail) => {
        const headers: Record<string, string | number> = { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' };
        if (!chunked) headers['Content-Length'] = Buffer.byteLength(body);
        const req = request({ host: '127.0.0.1', port: server.port, path: `/api/${name}`, method: 'POST', headers }, (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c) => (text += c));
          res.on('end', () => done({ status: res.statusCode!, body: text }));
        });
        req.on('error', fail);
        if (chunked) {
          // in pieces, with no Content-Length: the limit is found while reading
          const buf = Buffer.from(body);
          for (let i = 0; i < buf.length; i += 1 << 20) req.write(buf.subarray(i, i + (1 << 20)));
          req.end();
        } else req.end(body);
      });
    try {
      await fn(post);
    } finally {
      await server.close();
      await t.close();
    }
  }

  it('a body over the 64 MB cap gets a 413 with a message, not a reset connection (with and without Content-Length)', async () => {
    await withServer(async (post) => {
      const big = Buffer.alloc(MAX_BODY_BYTES + 1, 0x20);
      for (const chunked of [false, true]) {
        const r = await post('runs/start', big, chunked);
        expect(r.status).toBe(413);
        const body = JSON.parse(r.body) as { ok: boolean; error: { name: string; message: string } };
        expect(body.ok).toBe(false);
        expect(body.error.name).toBe('PayloadTooLargeError');
        expect(body.error.message).toContain("larger than the API's limit of 67,108,864 bytes (64 MB)");
      }
      // and the server goes on answering
      expect((await post('lab/status', '{}')).status).toBe(200);
    });
  });

  it('refuses unknown and __proto__ keys, naming them, as the CLI does (the request, a spec, a sweep and its base)', async () => {
    await withServer(async (post) => {
      const cases: [string, string, string][] = [
        ['runs/start', '{"spec":{"batches":5},"__proto__":{"x":1}}', '__proto__'],
        ['runs/start', '{"spec":{"batches":5},"priority":1}', 'priority'],
        ['runs/start', '{"spec":{"batches":5,"__proto__":{"batches":9}}}', '__proto__'],
        ['spec/preview', '{"spec":{"__proto__":{}}}', '__proto__'],
        ['sweeps/start', '{"sweep":{"base":{"batches":5,"__proto__":{}},"replicates":2}}', '__proto__'],
        ['sweeps/start', '{"sweep":{"replicates":2,"__proto__":{}}}', '__proto__'],
        ['runs/list', '{"limit":5,"__proto__":{"limit":1}}', '__proto__'],
      ];
      for (const [name, body, field] of cases) {
        const r = await post(name, body);
        expect(r.status, body).toBe(400);
        const error = (JSON.parse(r.body) as { error: { field?: string; message: string } }).error;
        expect(error.field, body).toBe(field);
        expect(error.message, body).toBe(`${field}: unknown field`);
      }
    });
  });
});
