/**
 * Ctrl-C in a terminal: SIGINT to the whole foreground process group (the CLI and its trainer
 * processes), as a test sends it to a CLI started in its own group. What was trained is saved and
 * said; what was not is saved as interrupted and said too; exit code 130; never a stack trace.
 */
import os from 'node:os';
import Database from 'better-sqlite3';
import { nnlab } from '../helpers/cli';
import { describe, expect, it } from 'vitest';
import { FAULT_TEST_TIMEOUT_MS, startCli, waitForDb } from '../helpers/faults';
import { tempDbPath } from '../helpers/lab';

/** Ctrl-C: SIGINT to the CLI's process group. */
const ctrlC = (pid: number) => process.kill(-pid, 'SIGINT');
const statuses = (db: string) => {
  const d = new Database(db, { readonly: true });
  try {
    return d.prepare('SELECT id, status FROM runs ORDER BY id').all() as { id: number; status: string }[];
  } finally {
    d.close();
  }
};

describe('cli on Ctrl-C', () => {
  it('train: says the run was interrupted and saved as such, exits 130, no stack trace (it printed “closed before the write” and a TypeError)', async () => {
    const db = tempDbPath();
    const cli = startCli(['train', '--batches', '2000000', '--no-progress', '--db', db], { detached: true });
    await waitForDb(db, (d) => (d.prepare("SELECT count(*) FROM runs WHERE status = 'running'").pluck().get() as number) > 0);
    ctrlC(cli.child.pid!);
    const r = await cli.exited;
    expect(r.stderr).not.toMatch(/TypeError|closed before|at .*\.js:\d+/);
    expect(r.stderr).toBe(`nnlab: interrupted (Ctrl-C): run #1 did not finish; it is saved as interrupted in ${db}\n`);
    expect(r.stdout).toBe('');
    expect(r.status).toBe(130);
    expect(statuses(db)).toEqual([{ id: 1, status: 'interrupted' }]);
  }, FAULT_TEST_TIMEOUT_MS);

  it('sweep: counts the runs trained and those interrupted, as the database holds them, and exits 130 (it said “20 runs saved” and exited 0)', async () => {
    const db = tempDbPath();
    // one trainer process: the five short relu runs end first, then a long one trains when Ctrl-C comes
    const cli = startCli(['sweep', '--activation', 'relu,sigmoid', '--batches', '20,2000000', '--replicates', '5', '--processes', '1', '--no-progress', '--db', db], { detached: true });
    await waitForDb(db, (d) => (d.prepare("SELECT count(*) FROM runs WHERE status = 'running' AND id > 5").pluck().get() as number) > 0);
    ctrlC(cli.child.pid!);
    const r = await cli.exited;
    expect(r.stderr).not.toMatch(/TypeError|closed before|at .*\.js:\d+/);
    const rows = statuses(db);
    expect(rows).toHaveLength(20);
    const done = rows.filter((x) => x.status === 'done').map((x) => x.id);
    const interrupted = rows.filter((x) => x.status === 'interrupted').map((x) => x.id);
    expect(done.length + interrupted.length).toBe(20);
    expect(done).toEqual([1, 2, 3, 4, 5]);
    expect(interrupted.length).toBe(15);
    expect(r.stdout).not.toMatch(/20 runs saved/);
    expect(r.stdout.split('\n')[0]).toBe(`experiment #1: interrupted (Ctrl-C): ${done.length} of 20 runs trained and saved in ${db}; ${interrupted.length} saved as interrupted, not trained to the end`);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(130);
  }, FAULT_TEST_TIMEOUT_MS);

  it('train: SIGTERM to the CLI alone (kill, timeout, a service manager) ends as Ctrl-C does, saying so, exit 143 (it died in silence, the run left running until the next open)', async () => {
    const db = tempDbPath();
    const cli = startCli(['train', '--batches', '2000000', '--no-progress', '--db', db], { detached: true });
    await waitForDb(db, (d) => (d.prepare("SELECT count(*) FROM runs WHERE status = 'running'").pluck().get() as number) > 0);
    process.kill(cli.child.pid!, 'SIGTERM');
    const r = await cli.exited;
    expect(r.stderr).toBe(`nnlab: interrupted (SIGTERM): run #1 did not finish; it is saved as interrupted in ${db}\n`);
    expect(r.status).toBe(143);
    expect(statuses(db)).toEqual([{ id: 1, status: 'interrupted' }]);
  }, FAULT_TEST_TIMEOUT_MS);

  it('sweep: a second Ctrl-C while the stopped runs are written does not kill it: the same report, exit 130 (it died by the signal, saying nothing)', async () => {
    const db = tempDbPath();
    const cli = startCli(['sweep', '--activation', 'relu,sigmoid', '--batches', '20,2000000', '--replicates', '3', '--processes', '2', '--no-progress', '--db', db], { detached: true });
    await waitForDb(db, (d) => (d.prepare("SELECT count(*) FROM runs WHERE status = 'running' AND id > 3").pluck().get() as number) > 0);
    ctrlC(cli.child.pid!);
    // an impatient user: the second press comes while the first one's close is under way
    await new Promise((resolve) => setTimeout(resolve, 20));
    ctrlC(cli.child.pid!);
    const r = await cli.exited;
    expect(r.signal).toBeNull();
    expect(r.status).toBe(130);
    const rows = statuses(db);
    const done = rows.filter((x) => x.status === 'done').length;
    const interrupted = rows.filter((x) => x.status === 'interrupted').length;
    expect(done + interrupted).toBe(12);
    expect(r.stdout.split('\n')[0]).toBe(`experiment #1: interrupted (Ctrl-C): ${done} of 12 runs trained and saved in ${db}; ${interrupted} saved as interrupted, not trained to the end`);
    expect(r.stderr).toMatch(/^(nnlab: still writing .*\n)?$/);
  }, FAULT_TEST_TIMEOUT_MS);

  it('sweep: SIGHUP (the terminal closed) ends as Ctrl-C does, exit 129', async () => {
    const db = tempDbPath();
    const cli = startCli(['sweep', '--activation', 'relu,sigmoid', '--batches', '20,2000000', '--replicates', '2', '--processes', '1', '--no-progress', '--db', db], { detached: true });
    await waitForDb(db, (d) => (d.prepare("SELECT count(*) FROM runs WHERE status = 'running' AND id > 2").pluck().get() as number) > 0);
    process.kill(-cli.child.pid!, 'SIGHUP');
    const r = await cli.exited;
    expect(r.status).toBe(129);
    const rows = statuses(db);
    expect(rows.filter((x) => x.status === 'running' || x.status === 'queued')).toEqual([]);
    const done = rows.filter((x) => x.status === 'done').length;
    expect(r.stdout.split('\n')[0]).toBe(`experiment #1: interrupted (SIGHUP): ${done} of 8 runs trained and saved in ${db}; ${8 - done} saved as interrupted, not trained to the end`);
  }, FAULT_TEST_TIMEOUT_MS);

  it('the next open after a SIGKILL says which runs it marked interrupted and why (it marked them in silence)', async () => {
    const db = tempDbPath();
    const cli = startCli(['sweep', '--activation', 'relu,sigmoid', '--batches', '2000000', '--processes', '2', '--no-progress', '--db', db], { detached: true });
    await waitForDb(db, (d) => (d.prepare("SELECT count(*) FROM runs WHERE status = 'running'").pluck().get() as number) === 2);
    const pid = cli.child.pid!;
    process.kill(-pid, 'SIGKILL');
    await cli.exited;
    const list = nnlab(['runs', 'list', '--db', db]);
    expect(list.status).toBe(0);
    expect(list.stderr).toBe(`nnlab: marked #1, #2 interrupted: their owner, process ${pid} on ${os.hostname()}, is no longer running\n`);
    expect(statuses(db)).toEqual([{ id: 1, status: 'interrupted' }, { id: 2, status: 'interrupted' }]);
    // said once: the next open finds nothing to mark
    expect(nnlab(['runs', 'list', '--db', db]).stderr).toBe('');
  }, FAULT_TEST_TIMEOUT_MS);
});
