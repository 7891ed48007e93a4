/**
 * The flags that name a job queue (`--queue URL`, `--queue-name Q`), shared by `nnlab worker`,
 * `nnlab sweep --queue` and `nnlab queue …`. The URL may come from $NNLAB_QUEUE instead, which
 * keeps a password out of the process list (`ps` shows every argument).
 */
import type { Command } from 'commander';
import { DEFAULT_QUEUE_NAME, parseQueueTarget, QUEUE_URL_ENV, QueueConfigError, type QueueTarget } from '../queue/connection';
import { UsageError } from './usage';

export const QUEUE_URL_HELP = `Redis URL of the job queue: redis://[user:password@]host:port/db, or rediss:// for TLS (default: $${QUEUE_URL_ENV}, which keeps a password out of the process list)`;

/**
 * Adds the queue's two flags: `--queue <url>` (`url` for another form of it, as sweep's optional
 * `--queue [url]` that says what sweep does with it) and `--queue-name`.
 */
export function addQueueOptions(cmd: Command, url: { flags: string; help: string } = { flags: '--queue <url>', help: QUEUE_URL_HELP }): Command {
  return cmd.option(url.flags, url.help).option('--queue-name <name>', `name of the queue on that Redis (default ${DEFAULT_QUEUE_NAME}; labs and workers must use the same)`);
}

/** The queue from `--queue` (a URL, or true for a bare `--queue`) and `--queue-name`, else $NNLAB_QUEUE; null when none is given. */
export function queueTargetOf(options: { queue?: string | boolean; queueName?: string }, required: boolean): QueueTarget | null {
  const url = typeof options.queue === 'string' ? options.queue : options.queue === true || required ? process.env[QUEUE_URL_ENV] : undefined;
  if (url === undefined || url === '') {
    if (options.queue === true || required) throw new UsageError(`--queue: give a Redis URL (redis://host:6379/0), or set $${QUEUE_URL_ENV}`);
    if (options.queueName !== undefined) throw new UsageError('--queue-name: goes with --queue');
    return null;
  }
  try {
    return parseQueueTarget(url, options.queueName ?? DEFAULT_QUEUE_NAME);
  } catch (e) {
    if (e instanceof QueueConfigError) throw new UsageError(e.message);
    throw e;
  }
}
