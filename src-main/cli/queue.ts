/**
 * `nnlab queue status|collect`, and what `nnlab sweep --queue` shares with them: attaching a job
 * queue to the lab (its runs left there by an earlier process are collected), the progress bar's
 * word on the workers, and the line saying which workers trained a sweep.
 */
import type { Command } from 'commander';
import type { RunSummary } from '../db/types';
import { type LabEvent, LabService } from '../lab/service';
import { describe as describeQueue, ref, type QueueTarget } from '../queue/connection';
// types only: BullMQ is loaded by the commands that use it (it takes a few hundred ms to load)
import type { RunQueue } from '../queue/lab-queue';
import { progressBar } from './progress';
import { addQueueOptions, queueTargetOf } from './queue-options';
import { DB_OPTION, openStoreFor } from './store';
import { onStopSignals } from './signals';
import { RunFailedError } from './usage';

const log = (line: string) => process.stderr.write(`nnlab: ${line}\n`);

/** Connects the lab to the queue and collects what earlier sweeps left there; says so when there were such runs. */
export async function attachQueue(lab: LabService, target: QueueTarget): Promise<RunQueue> {
  const queue = await openQueue(target);
  const resumed = await lab.attachQueue(queue);
  if (resumed) {
    const still = lab.remoteWaiting;
    log(`${resumed} run${resumed === 1 ? '' : 's'} of this database were waiting in ${queue.description}: ${resumed - still} collected now${still ? `, ${still} still in the queue (collected as they finish)` : ''}`);
  }
  return queue;
}

/** Connects to the queue (RunFailedError, exit 1, when Redis cannot be reached or used). */
export async function openQueue(target: QueueTarget): Promise<RunQueue> {
  const [{ RunQueue: Queue }, { QueueUnreachableError }] = await Promise.all([import('../queue/lab-queue'), import('../queue/redis')]);
  try {
    return await Queue.open(target, { log });
  } catch (e) {
    if (e instanceof QueueUnreachableError) throw new RunFailedError(e.message);
    throw e;
  }
}

/** The progress bar's word on the queue: how many workers have taken runs, and who refused them. */
export function queueInfo(): { see(e: LabEvent): void; text(): string } {
  const workers = new Set<string>();
  const refused = new Map<string, string>();
  return {
    see(e) {
      if (e.type === 'run/refused') refused.set(e.worker, e.reason);
      if (e.type === 'run/started' && e.worker) workers.add(e.worker);
    },
    text() {
      const parts: string[] = [];
      if (workers.size) parts.push(`${workers.size} worker${workers.size === 1 ? '' : 's'}`);
      if (refused.size) {
        const [worker, reason] = [...refused][refused.size - 1];
        parts.push(`refused by ${refused.size} worker${refused.size === 1 ? '' : 's'} (${worker}: ${reason})`);
      }
      return parts.join(' · ');
    },
  };
}

/** `trained by 3 workers: w1 (80 runs), w2 (70), w3 (50)`. */
export function trainedByLine(runs: readonly RunSummary[]): string {
  const counts = new Map<string, number>();
  let none = 0;
  for (const r of runs) {
    const w = r.remote?.worker;
    if (w) counts.set(w, (counts.get(w) ?? 0) + 1);
    else none++;
  }
  const list = [...counts].sort((a, b) => b[1] - a[1]).map(([w, n], i) => `${w} (${n}${i === 0 ? ` run${n === 1 ? '' : 's'}` : ''})`);
  const tail = none ? `; ${none} not trained by a worker (failed, cancelled or still queued)` : '';
  return `trained by ${counts.size} worker${counts.size === 1 ? '' : 's'}${list.length ? `: ${list.join(', ')}` : ''}${tail}`;
}

export function registerQueue(program: Command): void {
  const queue = program.command('queue').description('the job queue that `nnlab sweep --queue` sends runs to and `nnlab worker`s train from');
  const status = queue.command('status').description("the queue's jobs by state, the workers connected, and this database's runs waiting there");
  addQueueOptions(status)
    .option(...DB_OPTION)
    .action(async (o: { queue?: string; queueName?: string; db?: string }) => {
      const target = queueTargetOf(o, true)!;
      const { store } = await openStoreFor(o, 'read');
      let q: RunQueue | null = null;
      try {
        q = await openQueue(target);
        const { counts, workers, datasets } = await q.status();
        const mine = store.waitingInQueue(ref(target)).length;
        process.stdout.write(
          [
            `${describeQueue(target)}`,
            `jobs: ${counts.waiting} waiting, ${counts.active} training, ${counts.delayed} delayed (refused or retrying), ${counts.completed} finished and not collected yet, ${counts.failed} failed`,
            `workers connected: ${workers.length}${workers.length ? ` (${workers.join(', ')})` : ''}`,
            `data sets in Redis for its jobs: ${datasets.count}${datasets.count ? ` (${(datasets.bytes / 1024).toFixed(1)} kB)` : ''}`,
            `runs of ${store.file} waiting there: ${mine}`,
          ].join('\n') + '\n',
        );
      } finally {
        await q?.close();
        store.close();
      }
    });

  const collect = queue
    .command('collect')
    .description('collect into this database the runs it sent to the queue (an interrupted nnlab sweep --queue): waits until every one is stored, unless --no-wait');
  addQueueOptions(collect)
    .option('--no-wait', 'store what has finished and stop; leave the rest in the queue')
    .option('--no-progress', 'no progress bar')
    .option(...DB_OPTION)
    .action(async (o: { queue?: string; queueName?: string; wait: boolean; progress: boolean; db?: string }) => {
      const target = queueTargetOf(o, true)!;
      const { store, writes } = await openStoreFor(o, 'write');
      const waitingBefore = store.waitingInQueue(ref(target));
      const lab = new LabService({ store, writes, poolSize: 1 });
      let q: RunQueue | null = null;
      const signals = onStopSignals(() => void lab.close());
      try {
        const total = waitingBefore.length;
        const bar = progressBar(total, `collecting (${total} runs)`, o.wait && o.progress && process.stderr.isTTY === true);
        let stored = 0;
        lab.on((e) => {
          if (e.type === 'run/finished') bar.update(++stored);
        });
        q = await openQueue(target);
        await lab.attachQueue(q);
        if (o.wait) await lab.idle();
        bar.stop();
        const left = store.waitingInQueue(ref(target));
        const leftIds = new Set(left.map((r) => r.runId));
        const experiments = new Map<number | null, { stored: number; left: number }>();
        for (const w of waitingBefore) {
          const exp = store.getRun(w.runId)?.experimentId ?? null;
          const e = experiments.get(exp) ?? { stored: 0, left: 0 };
          if (leftIds.has(w.runId)) e.left++;
          else e.stored++;
          experiments.set(exp, e);
        }
        const lines = [`collected ${total - left.length} of the ${total} runs this database had waiting in ${q.description}`];
        for (const [exp, e] of experiments) {
          const name = exp === null ? 'runs without an experiment' : `experiment #${exp}`;
          lines.push(`  ${name}: ${e.stored} collected${e.left ? `, ${e.left} still in the queue` : ''}${exp !== null && !e.left && store.countRuns({ experimentId: exp, status: ['queued', 'running'] }) === 0 ? ` — complete: nnlab runs compare --experiment ${exp}` : ''}`);
        }
        process.stdout.write(`${lines.join('\n')}\n`);
        if (left.length && o.wait) process.exitCode = signals.exitCode;
      } finally {
        await lab.close();
        await q?.close();
        store.close();
        signals.off();
      }
    });
}
