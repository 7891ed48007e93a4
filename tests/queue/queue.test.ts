/**
 * Sweeps through a job queue with real parts: Debian's redis-server on a free port, real
 * `nnlab worker` processes, the built `nnlab sweep --queue` and `nnlab queue collect`, real SQLite
 * files. Each run is checked against the same run trained locally, bit for bit.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { RunStore } from '../../src-main/db';
import { LabService, type LabEvent } from '../../src-main/lab/service';
import { parseQueueTarget } from '../../src-main/queue/connection';
import { RunQueue } from '../../src-main/queue/lab-queue';
import { startLabServer } from '../../src-main/server/http';
import { APP_VERSION } from '../../src-main/version';
import { createTestLab } from '../helpers/lab';
import { nnlab } from '../helpers/cli';
import { holdLock } from '../helpers/faults';
import { nextEvent } from '../helpers/lab';
import { doneCount, expectSameRuns, jobCounts, redisMissing, runsOf, spawnNnlab, startRedis, startWorker, stopAll, testQueue, type TestRedis, until } from '../helpers/redis';

const skip = redisMissing();
const tmp = () => mkdtempSync(join(tmpdir(), 'nnlab-queue-'));

/**
 * The jobs taken by a worker now: id, worker, attempt, and whether its trainer process has
 * reported progress on this attempt (it is training; a job's progress outlives its attempt, so
 * the report says which attempt it belongs to).
 */
async function active(redis: TestRedis): Promise<{ id: string; worker: string | undefined; attempts: number; training: boolean }[]> {
  const q = testQueue(redis);
  try {
    return (await q.getActive()).map((j) => {
      const p = j.progress as { type?: string; attempt?: number } | null;
      return { id: String(j.id), worker: j.processedBy, attempts: j.attemptsStarted, training: p?.type === 'progress' && p.attempt === j.attemptsStarted };
    });
  } finally {
    await q.close();
  }
}

const runIdOfJob = (jobId: string) => Number(/^run-(\d+)-/.exec(jobId)![1]);

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

afterEach(stopAll);

// generous per-test limits: each test runs Redis, workers, trainer processes and the CLI, and a
// machine shared with other work can slow them tenfold (at a load average of 26 on 2 cores the
// longest took 136 s; they wait for conditions, not time)
describe.skipIf(skip !== null)('queue: sweeps on nnlab workers through Redis', { timeout: 400_000 }, () => {
  it('stores a 200-run sweep trained by three workers once per run, bit-identical to the same sweep trained here', async () => {
    const redis = await startRedis();
    const workers = await Promise.all(['w1', 'w2', 'w3'].map((n) => startWorker(redis, n)));
    const dir = tmp();
    const flags = ['--activation', 'relu,sigmoid', '--replicates', '100', '--no-progress'];
    const remote = nnlab(['sweep', ...flags, '--queue', redis.url, '--db', join(dir, 'remote.sqlite')]);
    expect(remote.stderr).toBe('');
    expect(remote.status).toBe(0);
    const local = nnlab(['sweep', ...flags, '--processes', '1', '--db', join(dir, 'local.sqlite')]);
    expect(local.status).toBe(0);
    // the same table and reading, but for the training times (and the reading's line on them)
    const table = (out: string) => out.split('\n').filter((l) => !/^(trained by|Speed \()/.test(l)).map((l) => l.replace(/\s+[\d.]+ ms$/, '').replace(/ in \/\S+/, ''));
    expect(table(remote.stdout)).toEqual(table(local.stdout));
    expect(remote.stdout).toMatch(/^experiment #1: 200 runs saved in .*remote\.sqlite\ntrained by [23] workers: w\d \(\d+ runs\), w\d \(\d+\)/);

    const r = runsOf(join(dir, 'remote.sqlite'));
    expect(r.size).toBe(200);
    expectSameRuns(r, runsOf(join(dir, 'local.sqlite')));
    const by = new Set([...r.values()].map((x) => x.summary.remote?.worker));
    expect(by.size).toBeGreaterThanOrEqual(2);
    for (const w of by) expect(['w1', 'w2', 'w3']).toContain(w);
    // what trained each run is recorded with it
    const store = RunStore.open(join(dir, 'remote.sqlite'));
    const one = store.getRun(1)!;
    expect(one.trainedBy).toMatchObject({ worker: one.remote!.worker, appVersion: one.appVersion, kernel: one.kernel, runtime: `node ${process.versions.node}` });
    store.close();
    // collected jobs leave Redis; the workers logged nothing but their counts
    expect(await jobCounts(redis)).toEqual({ waiting: 0, active: 0, delayed: 0, completed: 0, failed: 0 });
    for (const w of workers) {
      expect(await w.stop('SIGTERM')).toEqual({ code: 0, signal: null });
      expect(w.stderr()).toMatch(new RegExp(`^nnlab worker ${w.name}: trained \\d+ runs?, refused 0, rejected 0, failed 0\\nnnlab worker ${w.name}: stopped\\n$`));
    }
    await redis.stop();
  });

  it('hands the runs of a worker killed mid-run (SIGKILL) to another worker, and stores each once, as trained here', async () => {
    const redis = await startRedis();
    const w1 = await startWorker(redis, 'w1', ['--concurrency', '2']);
    const dir = tmp();
    const db = join(dir, 'remote.sqlite');
    const flags = ['--batches', '50000', '--replicates', '6', '--no-progress'];
    const sweep = spawnNnlab(['sweep', ...flags, '--queue', redis.url, '--db', db]);
    await until(async () => (await active(redis)).some((j) => j.worker === 'w1'), 'w1 takes a run');
    const trainers = w1.trainerPids();
    expect(trainers.length).toBe(2);
    w1.child.kill('SIGKILL');
    expect(await w1.exited).toEqual({ code: null, signal: 'SIGKILL' });
    // what it had in training when it died: its jobs stay active until another worker finds them stalled
    // (read after the kill, so a run it finished just before is not counted)
    const taken = (await active(redis)).filter((j) => j.worker === 'w1').map((j) => j.id);
    expect(taken.length).toBeGreaterThan(0);
    // its trainer processes go with it
    await until(() => trainers.every((pid) => !alive(pid)), 'the killed worker’s trainer processes are gone');
    const w2 = await startWorker(redis, 'w2');
    expect(await sweep.exited).toEqual({ code: 0, signal: null });
    expect(sweep.stderr()).toBe('');
    const local = nnlab(['sweep', ...flags, '--processes', '1', '--db', join(dir, 'local.sqlite')]);
    expect(local.status).toBe(0);
    const r = runsOf(db);
    expect(r.size).toBe(6);
    expectSameRuns(r, runsOf(join(dir, 'local.sqlite')));
    // the runs w1 had in training were trained again, by w2
    const byId = new Map([...r.values()].map((x) => [x.summary.id, x.summary.remote?.worker]));
    for (const job of taken) expect(byId.get(runIdOfJob(job))).toBe('w2');
    expect(await jobCounts(redis)).toEqual({ waiting: 0, active: 0, delayed: 0, completed: 0, failed: 0 });
    await w2.stop();
  });

  it('hands a run back to the queue when its worker is asked to stop (SIGTERM), and exits cleanly', async () => {
    const redis = await startRedis();
    const w1 = await startWorker(redis, 'w1');
    const dir = tmp();
    const db = join(dir, 'remote.sqlite');
    const sweep = spawnNnlab(['sweep', '--batches', '100000', '--queue', redis.url, '--db', db, '--no-progress']);
    await until(async () => (await active(redis)).some((j) => j.worker === 'w1' && j.training), 'w1 trains the run');
    expect(await w1.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(w1.stderr()).toMatch(/trained 0 runs, refused 0, rejected 0, failed 0\n.*stopped\n$/);
    expect(await jobCounts(redis)).toMatchObject({ waiting: 1, active: 0, failed: 0 });
    const w2 = await startWorker(redis, 'w2');
    expect(await sweep.exited).toEqual({ code: 0, signal: null });
    const [run] = runsOf(db).values();
    expect(run.summary).toMatchObject({ status: 'done', batchesRun: 100000, remote: { worker: 'w2' } });
    await w2.stop();
  });

  it('waits through a Redis stopped and restarted mid-sweep (its append-only file keeps the jobs), storing every run once', async () => {
    const redis = await startRedis();
    const workers = await Promise.all(['w1', 'w2'].map((n) => startWorker(redis, n)));
    const dir = tmp();
    const db = join(dir, 'remote.sqlite');
    // runs long enough that most are still to train when Redis stops
    const flags = ['--batches', '10000', '--replicates', '30', '--no-progress'];
    const sweep = spawnNnlab(['sweep', ...flags, '--queue', redis.url, '--db', db]);
    await until(() => doneCount(db) >= 3, 'three runs are stored');
    await redis.stop('SIGTERM');
    await until(() => /lost the connection to queue nnlab/.test(sweep.stderr()), 'the lab notices');
    await redis.start();
    expect(await sweep.exited).toEqual({ code: 0, signal: null });
    expect(sweep.stderr()).toMatch(/^nnlab: lost the connection to queue nnlab on redis:\/\/127\.0\.0\.1:\d+\/0 \(.*\); retrying until it is back\n/);
    expect(sweep.stderr()).toMatch(/nnlab: connected to queue nnlab on redis:\/\/127\.0\.0\.1:\d+\/0 again\n/);
    expect(sweep.stderr()).not.toMatch(/ at .*\.js:\d+|Error:/);
    const local = nnlab(['sweep', ...flags, '--processes', '1', '--db', join(dir, 'local.sqlite')]);
    const r = runsOf(db);
    expect(r.size).toBe(30);
    expectSameRuns(r, runsOf(join(dir, 'local.sqlite')));
    expect(local.status).toBe(0);
    expect(await jobCounts(redis)).toEqual({ waiting: 0, active: 0, delayed: 0, completed: 0, failed: 0 });
    for (const w of workers) await w.stop();
  });

  it('names the runs whose jobs a Redis restarted without its data lost, and sends them again', async () => {
    const redis = await startRedis();
    const w1 = await startWorker(redis, 'w1');
    const dir = tmp();
    const db = join(dir, 'remote.sqlite');
    const flags = ['--batches', '10000', '--replicates', '20', '--no-progress'];
    const sweep = spawnNnlab(['sweep', ...flags, '--queue', redis.url, '--db', db]);
    await until(() => doneCount(db) >= 2, 'two runs are stored');
    await redis.stop('SIGKILL');
    await redis.start({ fresh: true });
    expect(await sweep.exited).toEqual({ code: 0, signal: null });
    expect(sweep.stderr()).toMatch(/nnlab: the jobs of \d+ runs? \(#\d+(, #\d+)*(, …)?\) were not in the queue \(a Redis restarted without its append-only file loses its jobs\): sent again\n/);
    const r = runsOf(db);
    expect(r.size).toBe(20);
    expect([...r.values()].every((x) => x.summary.status === 'done')).toBe(true);
    const local = nnlab(['sweep', ...flags, '--processes', '1', '--db', join(dir, 'local.sqlite')]);
    expect(local.status).toBe(0);
    expectSameRuns(r, runsOf(join(dir, 'local.sqlite')));
    await w1.stop();
  });

  it('keeps the results while the lab is gone (killed mid-sweep); the next nnlab with the same queue collects them', async () => {
    const redis = await startRedis();
    const w1 = await startWorker(redis, 'w1');
    const dir = tmp();
    const db = join(dir, 'remote.sqlite');
    const flags = ['--batches', '10000', '--replicates', '24', '--no-progress'];
    const sweep = spawnNnlab(['sweep', ...flags, '--queue', redis.url, '--db', db]);
    await until(() => doneCount(db) >= 2, 'two runs are stored');
    sweep.child.kill('SIGKILL');
    await sweep.exited;
    const stored = doneCount(db);
    // the queued runs show as such
    const list = nnlab(['runs', 'list', '--db', db]);
    expect(list.stdout.match(/queued-remote/g)?.length).toBe(24 - stored);
    // the worker finishes them with no lab to collect them: they wait in Redis
    await until(async () => (await jobCounts(redis)).completed === 24 - stored, 'every job is finished');
    expect(doneCount(db)).toBe(stored);
    const collect = nnlab(['queue', 'collect', '--queue', redis.url, '--db', db, '--no-progress']);
    expect(collect.stderr).toBe('');
    expect(collect.status).toBe(0);
    expect(collect.stdout).toBe(`collected ${24 - stored} of the ${24 - stored} runs this database had waiting in queue nnlab on ${redis.url}\n  experiment #1: ${24 - stored} collected — complete: nnlab runs compare --experiment 1\n`);
    const r = runsOf(db);
    expect(r.size).toBe(24);
    const local = nnlab(['sweep', ...flags, '--processes', '1', '--db', join(dir, 'local.sqlite')]);
    expect(local.status).toBe(0);
    expectSameRuns(r, runsOf(join(dir, 'local.sqlite')));
    expect(await jobCounts(redis)).toEqual({ waiting: 0, active: 0, delayed: 0, completed: 0, failed: 0 });
    await w1.stop();
  });

  it('marks a run whose training fails twice as failed, with the worker’s reason', async () => {
    const redis = await startRedis();
    const w1 = await startWorker(redis, 'w1');
    const dir = tmp();
    const db = join(dir, 'remote.sqlite');
    const sweep = spawnNnlab(['sweep', '--batches', '3000000', '--queue', redis.url, '--db', db, '--no-progress']);
    // training, not just taken: its trainer process has reported progress on this attempt
    await until(async () => (await active(redis)).some((j) => j.attempts === 1 && j.training), 'attempt 1 is training');
    const [first] = w1.trainerPids();
    process.kill(first, 'SIGKILL');
    await until(async () => (await active(redis)).some((j) => j.attempts === 2 && j.training), 'attempt 2 is training');
    const [second] = w1.trainerPids();
    expect(second).not.toBe(first);
    process.kill(second, 'SIGKILL');
    expect(await sweep.exited).toEqual({ code: 0, signal: null });
    const [run] = runsOf(db).values();
    expect(run.summary.status).toBe('failed');
    expect(run.summary.error).toMatch(/^failed 2 times on the workers; the last time: worker w1 on \S+: the trainer process killed by SIGKILL$/);
    expect(w1.stderr()).toMatch(/run #1 of .* failed \(attempt 1\): the trainer process killed by SIGKILL\n.*run #1 of .* failed \(attempt 2\): the trainer process killed by SIGKILL\n/);
    expect(await jobCounts(redis)).toMatchObject({ failed: 0, waiting: 0, active: 0 });
    await w1.stop();
  });

  it('takes only valid runs of its own queue: anything else is rejected and logged, and a sweep of another app version is refused unless it allows it', async () => {
    const redis = await startRedis();
    const w1 = await startWorker(redis, 'w1');
    const q = testQueue(redis);
    const valid = { format: 'nnlab-run/1', queue: 'nnlab', runId: 1, lab: 'someone', spec: { batches: 10 }, kernel: 'auto', expect: { appVersion: APP_VERSION, kernels: 'wasm' }, allowMismatch: false };
    await q.add('evil', { cmd: 'rm -rf /' }, { jobId: 'evil-1', attempts: 2 });
    await q.add('train', { ...valid, spec: { shape: 'rm -rf /' } }, { jobId: 'bad-spec', attempts: 2 });
    await q.add('train', { ...valid, queue: 'elsewhere' }, { jobId: 'other-queue', attempts: 2 });
    await q.add('train', { ...valid, script: 'process.exit()' }, { jobId: 'extra-field', attempts: 2 });
    await until(async () => (await q.getFailedCount()) === 4, 'the four jobs are failed');
    const reasons = Object.fromEntries(await Promise.all(['evil-1', 'bad-spec', 'other-queue', 'extra-field'].map(async (id) => {
      const job = (await q.getJob(id))!;
      expect(job.attemptsMade, id).toBe(1); // not retried
      return [id, job.failedReason];
    })));
    expect(reasons).toEqual({
      'evil-1': 'rejected by worker w1: it is not a run to train (job name "evil")',
      'bad-spec': 'rejected by worker w1: its spec is invalid (shape: must be a list, not text)',
      'other-queue': 'rejected by worker w1: it was sent to queue elsewhere, and this worker serves nnlab',
      'extra-field': 'rejected by worker w1: its data is not an nnlab run (script: unknown field)',
    });
    for (const id of Object.keys(reasons)) expect(w1.stderr()).toContain(`nnlab worker w1: rejected job "${id}": ${reasons[id].replace('rejected by worker w1: ', '')}\n`);
    await q.close();

    // a lab whose runs say another nnlab version
    const lines: string[] = [];
    const store = RunStore.open(join(tmp(), 'lab.sqlite'), { appVersion: '0.0.1-old' });
    const lab = new LabService({ store, poolSize: 1, log: (l) => lines.push(l) });
    const queue = await RunQueue.open(parseQueueTarget(redis.url), { log: (l) => lines.push(l) });
    try {
      expect(await lab.attachQueue(queue)).toBe(0);
      const refused = nextEvent(lab, (e) => e.type === 'run/refused', 120_000);
      const strict = lab.startSweep({ base: { batches: 10 } }, { queue: {} });
      expect(await refused).toMatchObject({ runId: strict.runIds[0], worker: 'w1', reason: `nnlab ${APP_VERSION} here, the sweep was made with nnlab 0.0.1-old` } satisfies Partial<LabEvent>);
      expect(store.getStatus(strict.runIds[0])).toBe('queued');
      expect(lab.cancel(strict.runIds[0])).toBe(true);
      expect(store.getRun(strict.runIds[0])).toMatchObject({ status: 'cancelled', error: 'cancelled before it finished' });
      const allowed = lab.startSweep({ base: { batches: 10 } }, { queue: { allowMismatch: true } });
      expect(await lab.wait(allowed.runIds[0])).toMatchObject({ status: 'done' });
      // the run records what trained it: the worker's version, not the lab's
      expect(store.getRun(allowed.runIds[0])).toMatchObject({ appVersion: APP_VERSION, trainedBy: { worker: 'w1', appVersion: APP_VERSION } });
      await until(async () => (await jobCounts(redis)).delayed === 0, 'the cancelled job is removed');
      expect(await jobCounts(redis)).toEqual({ waiting: 0, active: 0, delayed: 0, completed: 0, failed: 4 });
      expect(w1.stderr().match(/refusing the runs of/g)).toHaveLength(1);
      expect(lines).toEqual([]);
    } finally {
      await lab.close();
      await queue.close();
      store.close();
    }
    // the lab closed the queue it had attached: another lab cannot take it (it would never send their runs)
    const later = RunStore.open(join(tmp(), 'later.sqlite'));
    const second = new LabService({ store: later, poolSize: 1, log: (l) => lines.push(l) });
    await expect(second.attachQueue(queue)).rejects.toThrow(`queue nnlab on ${redis.url} is closed; open it again to attach it`);
    await second.close();
    later.close();
    await w1.stop();
    // a Redis user without rights on the queue's keys is told at once, not left waiting
    const acl = new Redis({ host: '127.0.0.1', port: redis.port });
    await acl.call('ACL', 'SETUSER', 'narrow', 'on', '>narrow-pw', '~other:*', '+@all');
    acl.disconnect();
    const narrow = nnlab(['sweep', '--batches', '5', '--queue', `redis://narrow:narrow-pw@127.0.0.1:${redis.port}/0`, '--db', join(tmp(), 'n.sqlite')]);
    expect(narrow.status).toBe(1);
    expect(narrow.stderr).toBe(`nnlab: queue nnlab on redis://narrow:***@127.0.0.1:${redis.port}/0 cannot be used: NOPERM this user has no permissions to access one of the keys used as arguments (the user needs read and write access to the keys bull:nnlab:*)\n`);
  });

  it('stops the worker’s training when the lab cancels a run it has taken, and leaves nothing of it in Redis', async () => {
    const redis = await startRedis();
    const w1 = await startWorker(redis, 'w1');
    const lines: string[] = [];
    const store = RunStore.open(join(tmp(), 'lab.sqlite'));
    const lab = new LabService({ store, poolSize: 1, log: (l) => lines.push(l) });
    const queue = await RunQueue.open(parseQueueTarget(redis.url), { log: (l) => lines.push(l) });
    const look = new Redis({ host: '127.0.0.1', port: redis.port });
    try {
      await lab.attachQueue(queue);
      // long enough that only the cancel ends it while the test runs
      const [long] = lab.startSweep({ base: { batches: 5_000_000 } }, { queue: {} }).runIds;
      await until(async () => (await active(redis)).some((j) => j.worker === 'w1' && j.training), 'w1 trains the run');
      expect(lab.cancel(long)).toBe(true);
      expect(store.getRun(long)).toMatchObject({ status: 'cancelled', error: 'cancelled before it finished' });
      await until(() => /run #1 of .* cancelled by the lab: training stopped at batch \d+ of 5000000\n/.test(w1.stderr()), 'w1 stops the training');
      expect(Number(/stopped at batch (\d+)/.exec(w1.stderr())![1])).toBeLessThan(5_000_000);
      // the job failed (not retried), was collected and removed with its cancel mark
      await until(async () => Object.values(await jobCounts(redis)).every((n) => n === 0) && (await look.keys('bull:nnlab:nnlab-*')).length === 0, 'nothing of the job is left in Redis');
      // the worker is free for the next run, and the cancelled one stays cancelled
      const [next] = lab.startSweep({ base: { batches: 10 } }, { queue: {} }).runIds;
      expect(await lab.wait(next)).toMatchObject({ status: 'done' });
      expect(store.getRun(long)).toMatchObject({ status: 'cancelled', error: 'cancelled before it finished' });
      expect(lines).toEqual([]);
    } finally {
      look.disconnect();
      await lab.close();
      store.close();
    }
    expect(await w1.stop()).toEqual({ code: 0, signal: null });
    expect(w1.stderr()).toMatch(/: trained 1 run, refused 0, rejected 0, failed 0\n/);
  });

  it('works with a password and TLS (rediss://), and never prints or stores the password', async () => {
    const secret = 'pw-S3cret/+x';
    const redis = await startRedis({ password: secret, tls: true });
    const env = { NODE_EXTRA_CA_CERTS: redis.caFile! };
    // no TLS against a TLS port gets no answer: started first, as it waits for the connect timeout
    const plain = spawnNnlab(['worker', '--queue', redis.url.replace('rediss://', 'redis://')], env);
    const w1 = await startWorker(redis, 'w1');
    const db = join(tmp(), 'remote.sqlite');
    const sweep = nnlab(['sweep', '--batches', '20', '--replicates', '4', '--queue', redis.url, '--db', db, '--no-progress'], { env });
    expect(sweep.stderr).toBe('');
    expect(sweep.status).toBe(0);
    const show = nnlab(['runs', 'show', '1', '--db', db]);
    expect(show.stdout).toContain(`sent to queue nnlab on rediss://localhost:${redis.port}/0\ntrained by worker w1`);
    const status = nnlab(['queue', 'status', '--db', db], { env: { ...env, NNLAB_QUEUE: redis.url } });
    expect(status.stdout).toMatch(new RegExp(`^queue nnlab on rediss://:\\*\\*\\*@localhost:${redis.port}/0\\njobs: 0 waiting, 0 training, 0 delayed \\(refused or retrying\\), 0 finished and not collected yet, 0 failed\\nworkers connected: 1 \\(w1\\)\\n`));
    // a wrong password, and no TLS against a TLS port: refused in one line each, exit 1, no password in it
    const wrong = nnlab(['sweep', '--batches', '5', '--queue', redis.url.replace(encodeURIComponent(secret), 'Wr0ngPass'), '--db', db], { env });
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toMatch(new RegExp(`^nnlab: cannot reach queue nnlab on rediss://:\\*\\*\\*@localhost:${redis.port}/0 \\(WRONGPASS.*\\): is Redis running there, and are the address, password and TLS setting right\\?\\n$`));
    expect(await plain.exited).toEqual({ code: 1, signal: null });
    expect(plain.stderr()).toMatch(/^nnlab: cannot reach queue nnlab on redis:\/\/:\*\*\*@localhost:\d+\/0 \(.*\)/);
    await w1.stop();
    const everything = [sweep.stdout, sweep.stderr, show.stdout, status.stdout, wrong.stderr, plain.stderr(), plain.stdout(), w1.stdout(), w1.stderr(), nnlab(['runs', 'list', '--json', '--db', db]).stdout, readFileSync(db).toString('latin1')].join('\n');
    for (const s of [secret, encodeURIComponent(secret), 'Wr0ngPass']) expect(everything).not.toContain(s);
    await redis.stop();
  });

  it('leaves results in the queue while another program holds the database’s lock past the retry limit, and stores them once it is released', async () => {
    const redis = await startRedis();
    const dir = tmp();
    const db = join(dir, 'remote.sqlite');
    const flags = ['--batches', '3000', '--replicates', '10', '--no-progress'];
    const sweep = spawnNnlab(['sweep', ...flags, '--queue', redis.url, '--db', db], { NNLAB_WRITE_RETRY_MS: '1000' });
    // the lock is taken before a worker starts: no result can be stored before it
    await until(async () => (await jobCounts(redis)).waiting === 10, 'the ten jobs are in the queue');
    const lock = await holdLock(db);
    const w1 = await startWorker(redis, 'w1');
    // the worker trains them all; the lab cannot write, so the results wait in Redis
    await until(async () => (await jobCounts(redis)).completed === 10, 'every job is finished');
    await until(() => /it stays in the queue and is collected again/.test(sweep.stderr()), 'the lab gives up writing for now');
    await lock.release();
    expect(await sweep.exited).toEqual({ code: 0, signal: null });
    expect(sweep.stderr()).toMatch(/is locked by another program; waiting up to 1\.0 s to write the outcome of run \d+/);
    expect(sweep.stdout()).toMatch(/^experiment #1: 10 runs saved in /);
    // the queue was the journal: nothing was kept beside the database
    expect(existsSync(`${db}.pending.jsonl`)).toBe(false);
    const r = runsOf(db);
    expect(r.size).toBe(10);
    const local = nnlab(['sweep', ...flags, '--processes', '1', '--db', join(dir, 'local.sqlite')]);
    expect(local.status).toBe(0);
    expectSameRuns(r, runsOf(join(dir, 'local.sqlite')));
    expect(await jobCounts(redis)).toEqual({ waiting: 0, active: 0, delayed: 0, completed: 0, failed: 0 });
    await w1.stop();
  });

  it('sends a sweep of the app (the API: queue/connect, sweeps/start with queue) to the workers and collects it', async () => {
    const redis = await startRedis({ password: 'api-secret' });
    const w1 = await startWorker(redis, 'w1');
    const t = createTestLab();
    const server = await startLabServer({ lab: t.lab, staticDir: join(__dirname, '../../out/renderer'), database: t.file });
    const api = async (name: string, body: unknown) => {
      const r = await fetch(`http://127.0.0.1:${server.port}/api/${name}`, { method: 'POST', headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      return { status: r.status, body: (await r.json()) as { ok: boolean; value?: any; error?: { name: string; message: string; field?: string } } };
    };
    try {
      expect(await api('queue/status', {})).toEqual({ status: 200, body: { ok: true, value: { connection: null, waiting: [] } } });
      expect((await api('sweeps/start', { sweep: { replicates: 2 }, queue: {} })).body.error).toMatchObject({ name: 'SpecError', field: 'queue' });
      expect((await api('queue/connect', { url: 'http://nope' })).body.error).toMatchObject({ name: 'SpecError', field: 'url' });
      const wrong = await api('queue/connect', { url: redis.url.replace('api-secret', 'bad') });
      expect(wrong.status).toBe(409);
      expect(wrong.body.error!.message).toMatch(/^cannot reach queue nnlab on redis:\/\/:\*\*\*@127\.0\.0\.1:\d+\/0 \(WRONGPASS/);
      const c = await api('queue/connect', { url: redis.url });
      expect(c.body).toEqual({ ok: true, value: { queue: `queue nnlab on redis://:***@127.0.0.1:${redis.port}/0`, waiting: 0 } });
      const started = await api('sweeps/start', { sweep: { base: { batches: 50 }, replicates: 4 }, queue: {} });
      expect(started.status).toBe(200);
      const ids: number[] = started.body.value.runIds;
      await Promise.all(ids.map((id) => t.lab.wait(id)));
      for (const id of ids) expect(t.store.getRun(id)).toMatchObject({ status: 'done', remote: { name: 'nnlab', redis: `redis://127.0.0.1:${redis.port}/0`, worker: 'w1' } });
      // the events the app sees: queued, started by a worker, finished
      expect(t.events.filter((e) => e.type === 'run/started' && e.worker === 'w1').length).toBe(4);
      expect((await api('queue/status', {})).body.value).toEqual({ connection: { queue: `queue nnlab on redis://:***@127.0.0.1:${redis.port}/0`, waiting: 0 }, waiting: [] });
      expect(JSON.stringify(t.events)).not.toContain('api-secret');
    } finally {
      await server.close();
      await t.close();
    }
    expect(readFileSync(t.file).toString('latin1')).not.toContain('api-secret');
    await w1.stop();
  });

  it('tells the app which queues hold runs an earlier nnlab left there (queue/status), and collects them when it connects', async () => {
    const redis = await startRedis();
    const db = join(tmp(), 'remote.sqlite');
    const sweep = spawnNnlab(['sweep', '--batches', '20', '--replicates', '3', '--queue', redis.url, '--db', db, '--no-progress']);
    await until(async () => (await jobCounts(redis)).waiting === 3, 'the three jobs are in the queue');
    sweep.child.kill('SIGINT');
    expect(await sweep.exited).toEqual({ code: 130, signal: null });
    const w1 = await startWorker(redis, 'w1');
    await until(async () => (await jobCounts(redis)).completed === 3, 'w1 has trained the three runs');
    // the app opens the database: nothing collects them until it connects (it has no password to connect with on its own)
    const t = createTestLab({}, db);
    const server = await startLabServer({ lab: t.lab, staticDir: join(__dirname, '../../out/renderer'), database: t.file });
    const api = async (name: string, body: unknown) => {
      const r = await fetch(`http://127.0.0.1:${server.port}/api/${name}`, { method: 'POST', headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      return (await r.json()) as { ok: boolean; value?: any };
    };
    try {
      expect((await api('queue/status', {})).value).toEqual({ connection: null, waiting: [{ name: 'nnlab', redis: `redis://127.0.0.1:${redis.port}/0`, runs: 3 }] });
      // what finished meanwhile is stored before the connection answers: none left waiting
      expect(doneCount(db)).toBe(0);
      expect((await api('queue/connect', { url: redis.url })).value).toEqual({ queue: `queue nnlab on redis://127.0.0.1:${redis.port}/0`, waiting: 0 });
      expect(doneCount(db)).toBe(3);
      expect((await api('queue/status', {})).value).toEqual({ connection: { queue: `queue nnlab on redis://127.0.0.1:${redis.port}/0`, waiting: 0 }, waiting: [] });
    } finally {
      await server.close();
      await t.close();
    }
    expect([...runsOf(db).values()].map((r) => [r.summary.status, r.summary.remote?.worker])).toEqual(Array(3).fill(['done', 'w1']));
    await until(async () => (await jobCounts(redis)).completed === 0, 'the jobs leave Redis once stored');
    await w1.stop();
  });

  it('leaves the runs queued on Ctrl-C (exit 130, saying where they are), and queue collect stores them once a worker has trained them', async () => {
    const redis = await startRedis();
    const db = join(tmp(), 'remote.sqlite');
    // no worker yet: the runs wait in the queue
    const sweep = spawnNnlab(['sweep', '--batches', '20', '--replicates', '5', '--queue', redis.url, '--db', db, '--no-progress']);
    await until(async () => (await jobCounts(redis)).waiting === 5, 'the five jobs are in the queue');
    sweep.child.kill('SIGINT');
    expect(await sweep.exited).toEqual({ code: 130, signal: null });
    expect(sweep.stderr()).toBe(
      `nnlab: interrupted: 0 of 5 runs of experiment #1 are stored; 5 wait in queue nnlab on ${redis.url}.\n` +
        `nnlab queue collect --queue URL --db ${db} collects them (as does the next sweep on this queue).\n`,
    );
    expect(nnlab(['runs', 'list', '--db', db]).stdout.match(/queued-remote/g)).toHaveLength(5);
    const w1 = await startWorker(redis, 'w1');
    const collect = nnlab(['queue', 'collect', '--queue', redis.url, '--db', db, '--no-progress']);
    expect(collect.status).toBe(0);
    expect(collect.stdout).toMatch(/^collected 5 of the 5 runs/);
    expect([...runsOf(db).values()].map((r) => r.summary.status)).toEqual(['done', 'done', 'done', 'done', 'done']);
    await w1.stop();
  });
});
