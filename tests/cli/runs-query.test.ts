/** `nnlab runs list --where/--sort/--group-by/--columns` and `nnlab runs fields`, against a database the built CLI filled. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { nnlab } from '../helpers/cli';

const db = join(mkdtempSync(join(tmpdir(), 'nnlab-runs-query-')), 'lab.sqlite');
const list = (...args: string[]) => nnlab(['runs', 'list', '--db', db, ...args]);

describe('nnlab runs list --where', () => {
  beforeAll(() => {
    const s = nnlab(['sweep', '--activation', 'relu,sigmoid', '--init-mean', '0,-eps', '--replicates', '3', '--db', db]);
    expect(s.status, s.stderr).toBe(0);
    expect(nnlab(['train', '--activation', 'tanh', '--db', db]).status).toBe(0);
  }, 120_000);

  it('lists what the query matches, with the columns asked for, sorted', () => {
    const all = JSON.parse(list('--json').stdout) as { id: number; spec: { activation: string; initMean: number }; r2: number | null }[];
    const r = list('--where', 'activation = relu and initMean = -eps', '--json');
    expect(r.status, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { id: number }[]).map((x) => x.id)).toEqual(all.filter((x) => x.spec.activation === 'relu' && x.spec.initMean === -0.1).map((x) => x.id));
    const t = list('--where', 'experiment = 1', '--sort', 'r2', '--desc', '--columns', 'id,activation,initMean,r2,outcome');
    expect(t.status, t.stderr).toBe(0);
    const lines = t.stdout.trimEnd().split('\n');
    expect(lines[0].split(/\s{2,}/)).toEqual(['run', 'Activation', 'Init mean', 'r²', 'outcome']);
    expect(lines).toHaveLength(1 + 12);
    const r2 = lines.slice(1).map((l) => l.split(/\s{2,}/)[3]).map((x) => Number(x.replace('−', '-')));
    expect(r2).toEqual([...r2].sort((a, b) => b - a));
    // '--sort -r2' (a leading minus: descending, as many tools write it) was read as r2 and sorted ascending
    expect(list('--where', 'experiment = 1', '--sort', '-r2', '--columns', 'id,activation,initMean,r2,outcome').stdout).toBe(t.stdout);
    const tanh = all.find((x) => x.spec.activation === 'tanh')!;
    expect(list('--where', `#${tanh.id}`, '--columns', 'id,activation').stdout).toMatch(new RegExp(`^run +Activation\\n#${tanh.id} +tanh\\n$`));
  });

  it('groups by a field: runs, outcome classes and medians', () => {
    const g = list('--group-by', 'initMean', '--where', 'experiment = 1', '--columns', 'r2,testMse');
    expect(g.status, g.stderr).toBe(0);
    const lines = g.stdout.split('\n');
    expect(lines[0]).toBe('12 runs in 2 groups by initMean');
    expect(lines[1].split(/\s{2,}/)).toEqual(['Init mean', 'runs', 'outcomes', 'median r²', 'median test MSE']);
    expect(lines[2]).toMatch(/^-0\.1 +6 +\d+ learned, \d+ underfit, \d+ learned nothing of 6 /);
    expect(lines[3]).toMatch(/^0 +6 +\d+ learned, /);
    const j = JSON.parse(list('--group-by', 'activation', '--json').stdout) as { label: string; count: number; runIds: number[] }[];
    expect(j.map((x) => [x.label, x.count])).toEqual([['relu', 6], ['sigmoid', 6], ['tanh', 1]]);
  });

  it('refuses a bad query with the token under a caret, exit 2, and names a bad field', () => {
    const r = list('--where', 'activation = relu and lr < fast');
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`nnlab: --where: 'fast' at column 28: learningRate is a number\n  activation = relu and lr < fast\n  ${' '.repeat(27)}^^^^\n`);
    expect(list('--where', 'activaton = relu').stderr).toMatch(/'activaton' at column 1: unknown field \(did you mean activation\?\)/);
    expect(list('--sort', 'speed')).toMatchObject({ status: 2, stderr: expect.stringMatching(/--sort: no run field 'speed'/) });
    expect(list('--group-by', 'r2')).toMatchObject({ status: 2, stderr: expect.stringMatching(/--group-by: runs cannot be grouped by r2/) });
    expect(list('--columns', 'id,nope')).toMatchObject({ status: 2, stderr: expect.stringMatching(/--columns: no run field 'nope'/) });
  });

  it('says no experiment is named so, where a query names one the database does not have (it said “no runs match”)', () => {
    const r = list('--where', 'experiment = x');
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^nnlab: --where: 'x' at column 14: no experiment is named 'x' \(the experiments: #1 '[^']+'\)\n  experiment = x\n {15}\^\n$/);
  });

  it('lists the fields it takes', () => {
    const f = nnlab(['runs', 'fields']);
    expect(f.status).toBe(0);
    for (const name of ['activation', 'eps', 'learningRate', 'r2', 'outcome', 'experiment', 'tags']) expect(f.stdout).toMatch(new RegExp(`^${name} `, 'm'));
  });

  it('says a filter matched none of the runs the database holds, not that it has none yet (it said “no runs … yet: try nnlab train” of 13 runs)', () => {
    for (const [args, said] of [
      [['--status', 'failed'], 'no run matches --status failed'],
      [['--experiment', '9'], 'no run matches --experiment 9'],
      [['--search', 'zzz', '--status', 'done'], "no run matches --status done --search 'zzz'"],
      [['--limit', '0'], '--limit 0: no run listed'],
    ] as const) {
      const r = list(...args);
      expect(r.status).toBe(0);
      expect(r.stdout).toBe(`${said}; ${db} holds 13 runs\n`);
    }
    const empty = join(mkdtempSync(join(tmpdir(), 'nnlab-runs-empty-')), 'lab.sqlite');
    expect(nnlab(['train', '--batches', '5', '--no-progress', '--db', empty]).status).toBe(0);
    expect(nnlab(['runs', 'delete', '1', '--db', empty]).status).toBe(0);
    expect(nnlab(['runs', 'list', '--status', 'failed', '--db', empty]).stdout).toBe(`no runs in ${empty} yet: try nnlab train\n`);
  });
});

