/** `nnlab time` (honest timing) and `nnlab verify` storing its check. Never asserts a speed. */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openRunStore } from '../../src-main/db';
import { nnlab } from '../helpers/cli';
import { tempDbPath } from '../helpers/lab';

/** "0.343 [0.109–0.653]" */
const STAT = /\d+(\.\d+)? \[\d+(\.\d+)?–\d+(\.\d+)?\]/;

describe('cli/time', () => {
  it('times the train flags against --vs, prints median [IQR] per phase, wall per run and time to target, and saves the timing', () => {
    const db = tempDbPath();
    const r = nnlab(['time', '--batches', '100', '--vs', 'activation=sigmoid', '--repeats', '3', '--warmup', '1', '--target-cost', '1', '--db', db]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^timing #1 saved in /);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^timing #1: 2 configurations × 3 repeats after 1 warm-up round, interleaved, every batch timed \(\S+\)$/);
    expect(lines[1]).toMatch(/^config\s+forward µs\/sample\s+backward\s+update\s+wall per run\s+to MSE 0\.03125 \(cost 1\.000\)$/);
    expect(lines[2]).toMatch(/^activation=relu /);
    expect(lines[3]).toMatch(/^activation=sigmoid /);
    for (const row of lines.slice(2, 4)) {
      const cells = row.split(/\s{2,}/);
      expect(cells.slice(1, 4).every((c) => STAT.test(c)), row).toBe(true);
      expect(cells[4]).toMatch(/ ms \[/);
      expect(cells[5]).toMatch(/ms \[.*at batch \d+ \(3\/3\)|not reached in 100 batches/);
    }
    expect(r.stdout).toMatch(/wall time per run \(medians\): activation=sigmoid \d+\.\d\d× activation=relu/);
    expect(r.stdout).toMatch(/every repeat reproduced its costs bit for bit/);
    const store = openRunStore(db);
    const [t] = store.listTimings();
    expect(t.measurement.configs.map((c) => [c.spec.activation, c.repeats.length])).toEqual([
      ['relu', 3],
      ['sigmoid', 3],
    ]);
    expect(t.measurement.targetMse).toBe(1 / 32);
    expect(store.listRuns()).toEqual([]);
    store.close();
  });

  it('gives no time to the MSE target of a configuration on cross-entropy beside sse, and says why (it said “not reached in 100 batches” of circle against sincos)', () => {
    const r = nnlab(['time', '--batches', '100', '--vs', 'task=circle shape=2,8,8,2 loss=cross-entropy output-activation=softmax', '--repeats', '2', '--warmup', '0', '--no-save', '--db', tempDbPath()]);
    expect(r.status, r.stderr).toBe(0);
    const circle = r.stdout.split('\n').find((l) => l.startsWith('task=circle'))!;
    expect(circle.split(/\s{2,}/)[5]).toBe('another loss (cross-entropy)');
    expect(circle).not.toContain('not reached');
    expect(r.stdout).toContain('task=circle shape=[2,8,8,2] outputActivation=softmax loss=cross-entropy trains on cross-entropy, whose loss per sample is no MSE: no time to MSE 0.01\n');
  });

  it('names the target of configurations on cross-entropy alone in their loss (two circle configurations: “to MSE 0.01”)', () => {
    const r = nnlab(['time', '--task', 'circle', '--shape', '2,8,8,2', '--loss', 'cross-entropy', '--output-activation', 'softmax', '--batches', '60', '--vs', 'activation=tanh', '--repeats', '2', '--warmup', '0', '--no-save', '--db', tempDbPath()]);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[1]).toMatch(/^config\s+forward µs\/sample\s+backward\s+update\s+wall per run\s+to cross-entropy 0\.01 per sample \(cost 0\.320\)$/);
    expect(r.stdout).toContain('time to target: the first batch whose mean cross-entropy per sample over the last 10 batches is at or below the target, in training time');
    expect(r.stdout).not.toContain('MSE');
  });

  it('writes the measurement and its summary as JSON; --no-save stores nothing', () => {
    const db = tempDbPath();
    const r = nnlab(['time', '--batches', '40', '--vs', 'lr=0.5 batch=16', '--repeats', '2', '--warmup', '0', '--no-save', '--json', '--db', db]);
    expect(r.status, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.id).toBeNull();
    expect(j.summary.configs.map((c: { label: string }) => c.label)).toEqual(['learningRate=1 batchSize=32', 'learningRate=0.5 batchSize=16']);
    expect(j.summary.configs[1].forward.n).toBe(2);
    expect(j.measurement.configs[1].spec).toMatchObject({ learningRate: 0.5, batchSize: 16, batches: 40 });
    const out = join(db, '..', 'timing.json');
    const w = nnlab(['time', '--batches', '40', '--vs', 'activation=tanh', '--repeats', '1', '--warmup', '0', '--json', out, '--db', db]);
    expect(w.status, w.stderr).toBe(0);
    expect(w.stdout).toMatch(/^timing #1: /);
    expect(JSON.parse(readFileSync(out, 'utf8')).summary.configs).toHaveLength(2);
  });

  it('times configurations on a stored data set, by its short hash, saving or --no-save (it printed a stack trace: SpecError, the table unknown)', () => {
    const db = tempDbPath();
    const csv = join(dirname(db), 'forty.csv');
    writeFileSync(csv, `x,y\n${Array.from({ length: 40 }, (_, i) => `${i / 40},${(2 * i) / 40}`).join('\n')}\n`);
    const short = /^stored: ([0-9a-f]{12}) /.exec(nnlab(['data', 'import', csv, '--db', db]).stdout)![1];
    const args = ['time', '--dataset', short, '--inputs', 'x', '--targets', 'y', '--batches', '20', '--vs', 'lr=0.5', '--repeats', '1', '--warmup', '0', '--db', db];
    for (const save of [[], ['--no-save']]) {
      const r = nnlab([...args, ...save, '--json']);
      expect(r.stderr).toBe(save.length ? '' : `timing #1 saved in ${db}\n`);
      expect(r.status).toBe(0);
      const j = JSON.parse(r.stdout);
      // the task's own shape and a batch fitted to the 20 training rows, as train gives them
      expect(j.measurement.configs.map((c: { spec: { shape: number[]; batchSize: number; dataset: string } }) => [c.spec.shape, c.spec.batchSize, c.spec.dataset.slice(0, 12)])).toEqual([
        [[1, 16, 1], 20, short],
        [[1, 16, 1], 20, short],
      ]);
      expect(j.measurement.configs.every((c: { batchesRun: number }) => c.batchesRun === 20)).toBe(true);
    }
    // a batch the set cannot hold is refused naming the flag, not with a stack trace
    const big = nnlab([...args, '--batch', '32', '--no-save']);
    expect(big.stderr).toMatch(/^nnlab: --batch \(batchSize\): a batch of 32 is more than task csv's training set of 20 samples .*: at most 20\n$/);
    expect(big.status).toBe(2);
  });

  it('refuses bad input with the flag named (exit 2)', () => {
    const cases: [string[], RegExp][] = [
      [['--vs', 'nope=1'], /--vs: 'nope' is not a spec field/],
      // it said only "'activaton' is not a spec field or flag (see nnlab train --help)"
      [['--vs', 'activaton=sigmoid'], /^nnlab: --vs: 'activaton' is not a spec field or flag \(did you mean activation\?\)\n$/],
      [['--vs', 'activation'], /--vs: expected field=value/],
      [['--vs', 'activation=swish'], /--vs 'activation=swish': activation: /],
      [['--repeats', '0'], /--repeats: must be from 1/],
      [['--vs', 'batch=8', '--target-cost', '1'], /--target-cost: the configurations have different batch sizes/],
      [['--target-cost', '1', '--target-mse', '0.1'], /give one or the other/],
      // the same configuration twice was timed as two and said 'config 2 0.63× config 1' (warm-up, not a difference)
      [['--vs', 'activation=relu'], /^nnlab: --vs 'activation=relu': the same configuration as config 1 \(activation is relu there too\): its timing would differ by noise alone; change a field that acts\n$/],
      [['--vs', 'lr=0.5', '--vs', 'learningRate=0.5'], /^nnlab: --vs 'learningRate=0.5': the same configuration as config 2 /],
      [['--init', 'he', '--vs', 'init-mean=0.3'], /^nnlab: --vs 'init-mean=0.3': the same configuration as config 1 \(/],
    ];
    for (const [args, message] of cases) {
      const r = nnlab(['time', '--no-save', ...args]);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
    }
  });
});

describe('cli/sweep --preset relu-vs-sigmoid', () => {
  it('ends with the honest timing of relu and sigmoid, measured after the sweep’s runs', () => {
    const db = tempDbPath();
    const r = nnlab(['sweep', '--preset', 'relu-vs-sigmoid', '--replicates', '2', '--batches', '50', '--db', db]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/\ntiming #1: 2 configurations × 10 repeats after 2 warm-up rounds, interleaved, every batch timed/);
    expect(r.stdout).toMatch(/to MSE 0\.01 \(cost 0\.320\)/);
    expect(r.stdout).toMatch(/\nactivation=relu +\d/);
    expect(r.stdout).toMatch(/\nactivation=sigmoid +\d/);
    const store = openRunStore(db);
    expect(store.listTimings({ experimentId: 1 })).toHaveLength(1);
    store.close();
  });
});

describe('cli/verify', () => {
  it('stores its check with the run, which the app then shows', () => {
    const db = tempDbPath();
    expect(nnlab(['train', '--batches', '50', '--db', db]).status).toBe(0);
    const r = nnlab(['verify', '1', '--db', db]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^run #1: identical — 50 batch costs reproduced bit for bit/);
    const store = openRunStore(db);
    expect(store.getRun(1)!.verification).toMatchObject({ runId: 1, verdict: 'identical', batches: 50, firstDifferentBatch: null });
    store.close();
    // a run that is not there is said as runs show says it (it said 'there is no run 99')
    const none = nnlab(['verify', '99', '--db', db]);
    expect([none.status, none.stderr]).toEqual([2, `nnlab: no run #99 in ${db}\n`]);
    expect(nnlab(['runs', 'show', '99', '--db', db]).stderr).toBe(none.stderr);
  });
});
