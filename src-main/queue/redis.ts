/** A plain Redis client beside BullMQ's own (the packed results, the first reachability check). */
import { Redis } from 'ioredis';
import { describe, redact, redisOptions, type QueueTarget } from './connection';
import type { ConnectionWatch } from './watch';

/** Redis cannot be reached or refuses us (wrong password, TLS): the message names the queue, never the password. */
export class QueueUnreachableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QueueUnreachableError';
  }
}

/**
 * Connects and checks that Redis answers within `timeoutMs` (default 5 s); afterwards the client
 * reconnects by itself and reports through `watch`.
 */
export async function connectRedis(target: QueueTarget, watch: ConnectionWatch, timeoutMs = 5_000): Promise<Redis> {
  const client = new Redis({ ...redisOptions(target), lazyConnect: true });
  let lastError: unknown = null;
  const onError = (e: unknown) => {
    lastError = e;
  };
  client.on('error', onError);
  try {
    await Promise.race([
      client.connect().then(() => client.ping()),
      new Promise((_, reject) => setTimeout(() => reject(lastError ?? new Error(`no answer in ${Math.round(timeoutMs / 1000)} s`)), timeoutMs).unref()),
    ]);
  } catch (e) {
    client.disconnect();
    // the driver's own error says more than the rejected connect() ("Connection is closed.")
    const cause = lastError ?? e;
    const why = redact(target, (cause as Error).message || String(cause));
    throw new QueueUnreachableError(`cannot reach ${describe(target)} (${why}): is Redis running there, and are the address, password and TLS setting right?`);
  } finally {
    client.off('error', onError);
  }
  try {
    // a user without rights on the queue's keys (ACL), or a read-only replica, is told now, not by a sweep that never starts
    await client.set(`bull:${target.name}:nnlab-probe`, '1', 'PX', 5000);
  } catch (e) {
    client.disconnect();
    throw new QueueUnreachableError(`${describe(target)} cannot be used: ${redact(target, (e as Error).message)} (the user needs read and write access to the keys bull:${target.name}:*)`);
  }
  client.on('error', (e) => watch.error(e));
  client.on('ready', () => watch.ready());
  return client;
}
