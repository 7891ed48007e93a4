import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, ROOT } from '../helpers/cli';

describe('queue: loading', () => {
  // six CLI processes one after another: 60 s was not enough at a load average of 18 on 2 cores
  it('loads BullMQ and ioredis only in the commands that use a queue (they take a few hundred ms to load)', { timeout: 300_000 }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'nnlab-loading-'));
    const hook = join(dir, 'hook.js');
    // at exit, say which queue packages this process loaded
    writeFileSync(hook, "process.on('exit', () => { const m = Object.keys(require.cache).filter((k) => /node_modules[\\\\/](bullmq|ioredis)[\\\\/]/.test(k)).map((k) => k.match(/node_modules[\\\\/](bullmq|ioredis)/)[1]); process.stderr.write(`loaded: ${[...new Set(m)].sort().join(',')}\\n`); });\n");
    const run = (args: string[]) => spawnSync(process.execPath, ['--require', hook, CLI, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NNLAB_DB: join(dir, 'db.sqlite') } });
    for (const args of [['--version'], ['runs', 'list'], ['train', '--batches', '5', '--no-save'], ['sweep', '--batches', '5', '--replicates', '2']]) {
      const r = run(args);
      expect(r.status, args.join(' ')).toBe(0);
      expect(r.stderr, args.join(' ')).toBe('loaded: \n');
    }
    // and a queue command does load them (the check above can see them)
    const q = run(['worker', '--queue', 'redis://127.0.0.1:1/0']);
    expect(q.status).toBe(1);
    expect(q.stderr).toMatch(/loaded: bullmq,ioredis\n$/);
  });
});
