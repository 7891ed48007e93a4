/** Runs the built `nnlab` CLI as a real process. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '../..');
export const CLI = resolve(ROOT, 'bin/nnlab.js');

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Tests never touch the user's real database: a temp one unless the test names another. */
const SCRATCH_DB = join(mkdtempSync(join(tmpdir(), 'nnlab-cli-db-')), 'scratch.sqlite');

export function nnlab(args: string[], options: { input?: string; env?: NodeJS.ProcessEnv; cwd?: string } = {}): CliResult {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    input: options.input,
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, NNLAB_DB: SCRATCH_DB, ...options.env },
    maxBuffer: 1 << 28,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
