/**
 * The CLI under the faults a desktop meets: another program holding the database's write lock,
 * a full disk, read-only files and folders, a deleted -wal file. Real processes, real files; each
 * checks what was saved against what was reported saved.
 */
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { journalPathFor } from '../../src-main/db/journal';
import { nnlab } from '../helpers/cli';
import { holdLock, runStatuses, startCli, waitForDb } from '../helpers/faults';
import { tempDbPath } from '../helpers/lab';

const statusOf = (db: string, id: number) => waitForDb(db, (d) => d.prepare('SELECT status FROM runs WHERE id = ?').pluck().get(id) as string | undefined);

describe('cli under another program’s lock', () => {
  it('lists the runs of a current database while another program holds the write lock', async () => {
    const db = tempDbPath();
    expect(nnlab(['train', '--batches', '20', '--db', db]).status).toBe(0);
    const lock = await holdLock(db);
    try {
      const list = nnlab(['runs', 'list', '--json', '--db', db]);
      expect(list.stderr).toBe('');
      expect(list.status).toBe(0);
      expect(JSON.parse(list.stdout)).toHaveLength(1);
    } finally {
      await lock.release();
    }
  });

  it('train: a lock held across the save is waited out, and the run is saved (and said so only then)', async () => {
    const db = tempDbPath();
    const cli = startCli(['train', '--batches', '600000', '--no-progress', '--db', db], { env: { NNLAB_HEARTBEAT_MS: '50' } });
    await waitForDb(db, (d) => (d.prepare("SELECT count(*) FROM runs WHERE status = 'running'").pluck().get() as number) > 0);
    const lock = await holdLock(db);
    await cli.waitFor(/is locked by another program; waiting up to 60 s to write run #1/);
    expect(cli.stdout()).toBe('');
    await lock.release();
    const r = await cli.exited;
    expect(r.stderr).toMatch(/the lock on .* was released after [\d.]+ s; run #1 written/);
    expect(r.stderr).not.toMatch(/could not|Error|at .*\.js:\d+/);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^run #1 saved in /);
    expect(await statusOf(db, 1)).toBe('done');
  });

  it('train: a lock held past the retry limit keeps the result in the journal, says so, exits 1, and the next open imports it bit for bit', async () => {
    const db = tempDbPath();
    const json = `${db}.result.json`;
    const cli = startCli(['train', '--batches', '600000', '--no-progress', '--json', json, '--db', db], { env: { NNLAB_WRITE_RETRY_MS: '1000', NNLAB_HEARTBEAT_MS: '50' } });
    await waitForDb(db, (d) => (d.prepare("SELECT count(*) FROM runs WHERE status = 'running'").pluck().get() as number) > 0);
    const lock = await holdLock(db);
    let r;
    try {
      r = await cli.exited;
      // still locked: what the database holds now is what the CLI said
      expect(await statusOf(db, 1)).toBe('running');
    } finally {
      await lock.release();
    }
    expect(r.status).toBe(1);
    expect(r.stdout).not.toMatch(/saved/);
    expect(r.stdout).toMatch(/cost at the start of learning/);
    expect(r.stderr).toContain(`the result of run #1 is not in ${db}: kept in ${journalPathFor(db)}`);
    expect(r.stderr).not.toMatch(/Error|at .*\.js:\d+/);
    expect(fs.existsSync(journalPathFor(db))).toBe(true);

    const list = nnlab(['runs', 'list', '--json', '--db', db]);
    expect(list.status).toBe(0);
    expect(list.stderr).toContain(`added the results of #1 from ${journalPathFor(db)} to the database`);
    expect(JSON.parse(list.stdout)[0].status).toBe('done');
    expect(fs.existsSync(journalPathFor(db))).toBe(false);
    const exported = JSON.parse(nnlab(['runs', 'export', '1', '--db', db]).stdout) as { runs: { series: { cost: { data: number[] } } }[] };
    const trained = JSON.parse(fs.readFileSync(json, 'utf8')) as { costHistory: number[] };
    expect(exported.runs[0].series.cost.data).toEqual(trained.costHistory);
  });

  it('sweep: runs that end while the lock is held are not counted as saved; the counts are what the database holds', async () => {
    const db = tempDbPath();
    const cli = startCli(['sweep', '--replicates', '12', '--batches', '30000', '--workers', '1', '--no-progress', '--db', db], {
      env: { NNLAB_WRITE_RETRY_MS: '800', NNLAB_HEARTBEAT_MS: '50' },
    });
    await waitForDb(db, (d) => runStatuses(d).done >= 1);
    const lock = await holdLock(db);
    let r;
    let done: number;
    try {
      r = await cli.exited;
      done = await waitForDb(db, (d) => runStatuses(d).done ?? -1);
    } finally {
      await lock.release();
    }
    expect(r.stderr).not.toMatch(/Error|at .*\.js:\d+/);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`experiment #1: ${done} of 12 runs saved in ${db}; not saved: `);
    expect(r.stdout).not.toMatch(/experiment #1: 12 runs saved/);
    const waiting = /the results of runs ((?:#\d+(?:, )?)+) are not in/.exec(r.stderr);
    expect(waiting).not.toBeNull();
    expect(waiting![1].split(', ')).toHaveLength(12 - done);

    expect(nnlab(['runs', 'list', '--db', db]).status).toBe(0);
    const after = new Database(db, { readonly: true });
    expect(runStatuses(after)).toEqual({ done: 12 });
    expect(after.pragma('integrity_check', { simple: true })).toBe('ok');
    after.close();
  });
});
