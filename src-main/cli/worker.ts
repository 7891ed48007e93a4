/**
 * `nnlab worker`: trains runs from a job queue on this machine, for any lab that sends them there
 * (`nnlab sweep --queue`). Its stdout says once that it is ready; its log (stderr) says what it
 * refused, rejected or failed, and a count of what it trained now and then.
 *
 * Signals: SIGINT (Ctrl-C) stops taking jobs and finishes the ones in training, a second SIGINT
 * hands them back; SIGTERM (a service manager stopping it) hands them back at once, so another
 * worker takes them over without waiting for their locks to run out.
 */
import os, { cpus } from 'node:os';
import type { Command } from 'commander';
import { DEFAULT_STALL_MS, WORKER_NAME } from '../queue/protocol';
import type { QueueWorker } from '../queue/worker';
import { parseNumber, parseInteger } from './spec-flags';
import { addQueueOptions, queueTargetOf } from './queue-options';
import { RunFailedError, UsageError } from './usage';
import { THREADS_OPTION, threadsOption } from './train';


interface WorkerFlags {
  queue?: string;
  queueName?: string;
  concurrency?: string;
  threads?: string;
  name?: string;
  stallTimeout?: string;
}

/** How often the log says how many runs were trained (only when the count changed). */
const SUMMARY_EVERY_MS = 60_000;

export function registerWorker(program: Command): void {
  const cmd = program
    .command('worker')
    .description('train runs from a job queue on Redis for labs on any machine (nnlab sweep --queue sends them); several workers may serve one queue');
  addQueueOptions(cmd)
    .option('--concurrency <n>', 'runs trained at once, each in its own trainer process (default: the number of cores)')
    .option(...THREADS_OPTION)
    .option('--name <name>', 'the name the lab shows and records with every run this worker trains (default: host-pid)')
    .option('--stall-timeout <seconds>', `a job whose worker stops answering this long goes to another worker (default ${DEFAULT_STALL_MS / 1000}; use the same on every worker)`)
    .action(async (o: WorkerFlags) => {
      const target = queueTargetOf(o, true)!;
      const concurrency = o.concurrency === undefined ? Math.max(1, cpus().length) : (parseInteger(o.concurrency, '--concurrency') as number);
      if (concurrency < 1 || concurrency > 256) throw new UsageError('--concurrency: expected 1 to 256');
      const name = o.name ?? `${os.hostname()}-${process.pid}`.replace(/[^A-Za-z0-9_.@-]/g, '-');
      if (!WORKER_NAME.test(name)) throw new UsageError(`--name: expected up to 100 letters, digits, '.', '_', '@' or '-', got ${JSON.stringify(name)}`);
      const stall = o.stallTimeout === undefined ? DEFAULT_STALL_MS / 1000 : (parseNumber(o.stallTimeout, '--stall-timeout') as number);
      if (!(stall >= 1 && stall <= 3600)) throw new UsageError('--stall-timeout: expected 1 to 3600 seconds');
      const log = (line: string) => process.stderr.write(`nnlab worker ${name}: ${line}\n`);
      // loaded here, not at start-up: BullMQ takes a few hundred ms to load, which every other command would pay
      const [{ QueueWorker: Worker }, { QueueUnreachableError }] = await Promise.all([import('../queue/worker'), import('../queue/redis')]);
      let worker: QueueWorker;
      try {
        worker = await Worker.start({ target, name, concurrency, threads: threadsOption(o.threads), stallMs: stall * 1000, log });
      } catch (e) {
        if (e instanceof QueueUnreachableError) throw new RunFailedError(e.message);
        throw e;
      }
      process.stdout.write(`${worker.description}: ready\n`);
      let said = '';
      const summary = () => {
        const c = worker.counts;
        const line = `trained ${c.trained} run${c.trained === 1 ? '' : 's'}, refused ${c.refused}, rejected ${c.rejected}, failed ${c.failed}`;
        if (line !== said) log(line);
        said = line;
      };
      const timer = setInterval(summary, SUMMARY_EVERY_MS);
      await new Promise<void>((resolve) => {
        let stopping: Promise<void> | null = null;
        const stop = (how: 'finish' | 'hand-back') => {
          if (stopping && how === 'finish') return;
          if (how === 'finish' && worker.busy) log(`finishing ${worker.busy} run${worker.busy === 1 ? '' : 's'} in training (Ctrl-C again hands them back to the queue)`);
          const p = worker.stop(how);
          stopping ??= p;
          void p.then(resolve, resolve);
        };
        let interrupts = 0;
        process.on('SIGINT', () => stop(interrupts++ === 0 ? 'finish' : 'hand-back'));
        process.on('SIGTERM', () => stop('hand-back'));
      });
      clearInterval(timer);
      summary();
      log('stopped');
    });
}
