/** The CLI's saved runs: train saves, sweep, runs list/show/delete/export, and crashes mid-sweep. */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openRunStore } from '../../src-main/db';
import { CLI, nnlab } from '../helpers/cli';
import { tempDbPath } from '../helpers/lab';

describe('cli/store', () => {
  it('saves a trained run and lists it as JSON with its spec and final cost', () => {
    const db = tempDbPath();
    const train = nnlab(['train', '--batches', '60', '--activation', 'sigmoid', '--db', db]);
    expect(train.status).toBe(0);
    expect(train.stdout).toMatch(/^run #1 saved in /);
    const list = nnlab(['runs', 'list', '--json', '--db', db]);
    const runs = JSON.parse(list.stdout);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ id: 1, status: 'done', spec: { activation: 'sigmoid', batches: 60, initMean: 0, eps: 0.1, learningRate: 1, initSeed: 2, dataSeed: 1 } });
    expect(typeof runs[0].finalCost).toBe('number');
    expect(runs[0].finalMse).toBeCloseTo(runs[0].finalCost / 32, 12);
  });

  it('honours NNLAB_DB when no --db is given', () => {
    const db = tempDbPath();
    expect(nnlab(['train', '--batches', '5'], { env: { NNLAB_DB: db } }).status).toBe(0);
    expect(JSON.parse(nnlab(['runs', 'list', '--json', '--db', db]).stdout)).toHaveLength(1);
  });

  it('says so when a reading command’s --db named no file: the empty database it reads was made just then (a mistyped path)', () => {
    // found by trying (session 10): `runs list --db typo.sqlite` made typo.sqlite and said only "no runs in typo.sqlite yet: try nnlab train"
    for (const args of [['runs', 'list'], ['data', 'list'], ['runs', 'show', '1']]) {
      const db = tempDbPath();
      const r = nnlab([...args, '--db', db]);
      expect(r.stderr, args.join(' ')).toContain(`nnlab: there was no database at ${db}: an empty one is made there now (a mistyped --db?)\n`);
      // the next command reads the database that is there now, with nothing to say of it
      expect(nnlab([...args, '--db', db]).stderr, args.join(' ')).not.toContain('there was no database');
    }
    const db = tempDbPath();
    expect(nnlab(['train', '--batches', '5', '--no-progress', '--db', db]).stderr).not.toContain('there was no database');
  });

  it('runs a sweep of 2 activations × 2 init means × 10 seeds and prints a summary per configuration', () => {
    const db = tempDbPath();
    const r = nnlab(['sweep', '--activation', 'relu,sigmoid', '--init-mean', '0,-eps', '--replicates', '10', '--db', db]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/experiment #1: 40 runs saved/);
    // relu at −eps: every seed learned nothing (an output unit dead from init: test MSE 1 = sin² + cos², r² −11.4)
    expect(r.stdout).toMatch(/activation=relu initMean=-0.1\s+10\s+0 of 10\s+0 of 10\s+10 of 10\s+1\.00000\s+-11\.406/);
    for (const config of ['activation=relu initMean=0 ', 'activation=sigmoid initMean=0 ', 'activation=sigmoid initMean=-0.1']) expect(r.stdout).toContain(config);
    const runs = JSON.parse(nnlab(['runs', 'list', '--json', '--db', db]).stdout) as { status: string; testMse: number; baselineMse: number; r2: number; outcome: string; learnedAt: number; spec: { activation: string; initSeed: number; dataSeed: number; initMean: number } }[];
    expect(runs).toHaveLength(40);
    expect(runs.every((x) => x.status === 'done')).toBe(true);
    // every ended run has its r² and outcome, computed as the outcome classes say
    for (const x of runs) {
      expect(x.r2).toBeCloseTo(1 - x.testMse / x.baselineMse, 12);
      expect(x.outcome).toBe(x.r2 >= 0.9 ? 'learned' : x.r2 > 0 ? 'underfit' : 'learned-nothing');
      expect(x.learnedAt).toBe(0.9);
    }
    const strict = JSON.parse(nnlab(['runs', 'list', '--json', '--learned-at', '0.99', '--db', db]).stdout) as typeof runs;
    expect(strict.filter((x) => x.outcome === 'learned').length).toBe(runs.filter((x) => x.r2 >= 0.99).length);
    const one = JSON.parse(nnlab(['runs', 'show', '1', '--json', '--db', db]).stdout);
    expect(one).toMatchObject({ id: 1, outcome: expect.any(String), r2: expect.any(Number) });
    const bad = nnlab(['runs', 'list', '--learned-at', '1.5', '--db', db]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--learned-at: must be a number above 0 and at most 1/);
    // paired: every configuration used the same 10 (initSeed, dataSeed) pairs
    const seedsOf = (act: string, mean: number) => runs.filter((x) => x.spec.activation === act && x.spec.initMean === mean).map((x) => `${x.spec.initSeed}/${x.spec.dataSeed}`).sort();
    expect(seedsOf('relu', 0)).toEqual(seedsOf('sigmoid', -0.1));
  });

  it('reads a YAML sweep file', () => {
    const db = tempDbPath();
    const file = db.replace(/lab\.sqlite$/, 'sweep.yaml');
    writeFileSync(file, 'name: lr sweep\nbase: { batches: 20 }\ngrid: { learningRate: [0.1, 0.5] }\nreplicates: 2\n');
    const r = nnlab(['sweep', '--spec', file, '--db', db, '--json']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).map((x: { spec: { learningRate: number } }) => x.spec.learningRate)).toEqual([0.1, 0.1, 0.5, 0.5]);
  });

  it('refuses a bad swept value naming the flag, and a bad sweep file naming the file', () => {
    const r = nnlab(['sweep', '--lr', '0.1,-1', '--db', tempDbPath()]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--lr \(learningRate\): must be more than 0.*learningRate=-1/);
    const db = tempDbPath();
    const file = db.replace(/lab\.sqlite$/, 'bad.json');
    writeFileSync(file, JSON.stringify({ grid: { colour: ['red'] } }));
    const bad = nnlab(['sweep', '--spec', file, '--db', db]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/bad\.json: grid/);
  });

  it('shows, exports (JSON and CSV) and deletes runs', () => {
    const db = tempDbPath();
    nnlab(['sweep', '--activation', 'relu,sigmoid', '--batches', '25', '--db', db]);
    const show = nnlab(['runs', 'show', '2', '--db', db]);
    expect(show.stdout).toMatch(/^run #2\s+done/);
    expect(show.stdout).toMatch(/sigmoid/);
    const exported = JSON.parse(nnlab(['runs', 'export', '1', '2', '--db', db]).stdout);
    expect(exported).toMatchObject({ format: 'nnlab-runs', version: 1 });
    expect(exported.runs[1].series.cost.data).toHaveLength(25);
    const csv = nnlab(['runs', 'export', '1', '2', '--format', 'csv', '--db', db]).stdout.trim().split('\n');
    // the CSV carries what trained each run, as the JSON does (it had no nnlab version or kernel)
    expect(csv[0]).toBe('run_id,status,batch,cost,mse,task,noise,samples,trainFraction,target,domain,dataset,inputColumns,targetColumns,labelColumn,standardize,shape,activation,outputActivation,loss,init,eps,initMean,learningRate,batchSize,batches,l2,l1,optimizer,initSeed,dataSeed,dtype,app_version,kernel');
    expect(csv[1]).toBe(`1,done,0,${csv[1].split(',')[3]},${csv[1].split(',')[4]},sincos,,,,,,,,,,,1-16-2,relu,seed,sse,normal,0.1,0,1,32,25,0,0,sgd,2,1,float64,${exported.runs[0].appVersion},${exported.runs[0].kernel}`);
    expect(exported.runs[0].appVersion).toMatch(/^\d+\.\d+\.\d+/);
    expect(exported.runs[0].kernel).toMatch(/^wasm|^js/);
    expect(csv).toHaveLength(1 + 50);
    expect(nnlab(['runs', 'delete', '1', '--db', db]).stdout).toMatch(/deleted #1/);
    const gone = nnlab(['runs', 'show', '1', '--db', db]);
    expect(gone.status).toBe(2);
    expect(gone.stderr).toMatch(/no run #1/);
  });

  it('refuses a database that is not an nnlab database, leaving it byte-identical', () => {
    const db = tempDbPath();
    writeFileSync(db, 'just some text, not a database\n'.repeat(100));
    const before = createHash('sha256').update(readFileSync(db)).digest('hex');
    for (const args of [['runs', 'list'], ['train', '--batches', '5'], ['sweep', '--lr', '0.1,0.2']]) {
      const r = nnlab([...args, '--db', db]);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(db);
      expect(r.stderr.trim().split('\n').length).toBeLessThanOrEqual(3);
    }
    expect(createHash('sha256').update(readFileSync(db)).digest('hex')).toBe(before);
  });

  it('keeps every completed run of a sweep whose CLI is killed, and marks the running ones interrupted at the next start', async () => {
    const db = tempDbPath();
    const child = spawn(process.execPath, [CLI, 'sweep', '--batches', '3000', '--replicates', '400', '--workers', '2', '--no-progress', '--db', db], { stdio: 'ignore' });
    // wait until some runs completed
    const deadline = Date.now() + 30_000;
    for (;;) {
      await new Promise((r) => setTimeout(r, 200));
      if (existsSync(db)) {
        let done = 0;
        try {
          const store = openRunStore(db, { readonly: true });
          done = store.countRuns({ status: 'done' });
          store.close();
        } catch {
          // the file exists before the sweep has written its schema: look again
        }
        if (done >= 5) break;
      }
      if (Date.now() > deadline) throw new Error('the sweep did not progress');
    }
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const store = openRunStore(db);
    const doneBefore = store.listRuns({ status: 'done' });
    expect(store.countRuns({ status: ['queued', 'running'] })).toBeGreaterThan(0);
    store.close();
    // any nnlab command that opens the database marks the dead owner's runs
    nnlab(['runs', 'list', '--db', db]);
    const after = openRunStore(db);
    expect(after.countRuns({ status: ['queued', 'running'] })).toBe(0);
    expect(after.countRuns({ status: 'interrupted' })).toBeGreaterThan(0);
    for (const r of doneBefore) {
      expect(after.getRun(r.id)!.status).toBe('done');
      expect(after.getSeries(r.id, ['cost']).cost.data).toHaveLength(3000);
    }
    after.close();
  });

  it.runIf(process.platform === 'linux')('does not count a killed trainer against its configuration: kill -KILL of the trainer mid-sweep, 4 of 4 seeds counted, the run retried and noted', async () => {
    const db = tempDbPath();
    const child = spawn(process.execPath, [CLI, 'sweep', '--replicates', '4', '--batches', '200000', '--processes', '1', '--no-progress', '--db', db], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    /** The CLI's trainer processes (Linux: the processes whose parent it is). */
    const trainers = () =>
      readdirSync('/proc')
        .filter((d) => /^\d+$/.test(d))
        .filter((d) => {
          try {
            return readFileSync(`/proc/${d}/stat`, 'utf8').replace(/^.*\) /, '').split(' ')[1] === String(child.pid);
          } catch {
            return false; // gone meanwhile
          }
        })
        .map(Number);
    // wait until the first run is training, then kill its trainer process
    const deadline = Date.now() + 120_000;
    for (;;) {
      await new Promise((r) => setTimeout(r, 200));
      let running = 0;
      if (existsSync(db)) {
        try {
          const store = openRunStore(db, { readonly: true });
          running = store.countRuns({ status: 'running' });
          store.close();
        } catch {
          // the schema is not written yet: look again
        }
      }
      if (running > 0 && trainers().length) break;
      if (Date.now() > deadline) throw new Error('the sweep did not start a run');
    }
    const [victim] = trainers();
    process.kill(victim, 'SIGKILL');
    expect(await exited).toBe(0);
    // the machinery's fault is said as such, and the run trained again
    expect(stderr).toMatch(/^nnlab: run \d+: .*SIGKILL.*; trying it once more in another trainer process$/m);
    // every seed has an outcome: no 'not counted' column, nothing 'failed' (it read '1 of 4 failed')
    const lines = stdout.split('\n');
    const head = lines.findIndex((l) => l.startsWith('config'));
    expect(lines[head]).toMatch(/^config\s+runs\s+learned\s+underfit\s+learned nothing\s+median test MSE/);
    expect(lines[head + 1]).toMatch(/^\S.*\s4\s+(\d) of 4\s+(\d) of 4\s+(\d) of 4\s/);
    const store = openRunStore(db, { readonly: true });
    const runs = store.listRuns();
    store.close();
    expect(runs).toHaveLength(4);
    expect(runs.every((r) => r.status === 'done')).toBe(true);
    const retried = runs.filter((r) => r.error);
    expect(retried).toHaveLength(1);
    const show = nnlab(['runs', 'show', String(retried[0].id), '--db', db]);
    expect(show.stdout).toMatch(/^note: retried in another trainer process after the first died \(.*SIGKILL.*\)$/m);
    expect(show.stdout).not.toMatch(/^error:/m);
  }, 240_000);

  it('lets the CLI and a second process write to one database at once without SQLITE_BUSY', async () => {
    const db = tempDbPath();
    const a = spawn(process.execPath, [CLI, 'sweep', '--batches', '10', '--replicates', '60', '--workers', '1', '--no-progress', '--db', db], { stdio: ['ignore', 'pipe', 'pipe'] });
    const b = spawn(process.execPath, [CLI, 'sweep', '--batches', '10', '--replicates', '60', '--workers', '1', '--no-progress', '--db', db], { stdio: ['ignore', 'pipe', 'pipe'] });
    const outcome = (c: typeof a) =>
      new Promise<{ code: number | null; err: string }>((resolve) => {
        let err = '';
        c.stderr!.on('data', (d) => (err += d));
        c.on('exit', (code) => resolve({ code, err }));
      });
    const [ra, rb] = await Promise.all([outcome(a), outcome(b)]);
    expect(ra.err + rb.err).not.toMatch(/SQLITE_BUSY|locked/);
    expect([ra.code, rb.code]).toEqual([0, 0]);
    const store = openRunStore(db);
    expect(store.countRuns({ status: 'done' })).toBe(120);
    store.close();
  });
});
