/**
 * Where a job queue lives: a Redis URL (`redis://[user:password@]host:port/db`, or `rediss://`
 * for TLS) and a queue name. The URL's password is kept in memory for the connection and nowhere
 * else: every text nnlab prints or stores about a queue is made by `describe`/`ref`, which leave
 * it out, and `redact` scrubs it from any message (a driver's error, say) before it is shown.
 *
 * TLS (`rediss://`) verifies the server's certificate against the system's certificate
 * authorities; a private CA is added the standard Node way, `NODE_EXTRA_CA_CERTS=ca.pem`.
 */
import type { RedisOptions } from 'ioredis';
import type { QueueRef } from '../db/types';

export const DEFAULT_QUEUE_NAME = 'nnlab';
/** Where `--queue` without a URL (and `nnlab worker` without `--queue`) finds one: keeps a password out of the process list. */
export const QUEUE_URL_ENV = 'NNLAB_QUEUE';

const QUEUE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** A URL or queue name nnlab cannot use; `field` is the flag to name (`--queue`, `--queue-name`). */
export class QueueConfigError extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
    this.name = 'QueueConfigError';
  }
}

export interface QueueTarget {
  name: string;
  tls: boolean;
  host: string;
  port: number;
  db: number;
  username?: string;
  password?: string;
}

/** Reads a queue URL and name; throws QueueConfigError naming the flag. The password never appears in a message. */
export function parseQueueTarget(url: string, name: string = DEFAULT_QUEUE_NAME, field = '--queue'): QueueTarget {
  if (!QUEUE_NAME.test(name)) throw new QueueConfigError('--queue-name', `expected 1–64 letters, digits, '.', '_' or '-' (starting with a letter or digit), got ${JSON.stringify(name)}`);
  let u: URL;
  try {
    u = new URL(url.trim());
  } catch {
    throw new QueueConfigError(field, 'expected a Redis URL like redis://host:6379/0 or rediss://user:password@host:6380/0');
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw new QueueConfigError(field, `expected redis:// or rediss://, got ${u.protocol}//`);
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!host) throw new QueueConfigError(field, 'the URL names no host');
  const port = u.port === '' ? 6379 : Number(u.port);
  const dbText = u.pathname.replace(/^\//, '');
  if (dbText !== '' && !/^\d{1,4}$/.test(dbText)) throw new QueueConfigError(field, `the database after the host is a number (redis://host:6379/0), got /${dbText}`);
  if (u.search || u.hash) throw new QueueConfigError(field, 'the URL takes no ?options or #fragment');
  const target: QueueTarget = { name, tls: u.protocol === 'rediss:', host, port, db: dbText === '' ? 0 : Number(dbText) };
  if (u.username) target.username = decodeURIComponent(u.username);
  if (u.password) target.password = decodeURIComponent(u.password);
  return target;
}

function hostPort(t: QueueTarget): string {
  return `${t.host.includes(':') ? `[${t.host}]` : t.host}:${t.port}`;
}

/** The queue as the store records it: no user name, no password. */
export function ref(t: QueueTarget): QueueRef {
  return { name: t.name, redis: `${t.tls ? 'rediss' : 'redis'}://${hostPort(t)}/${t.db}` };
}

/** The queue as messages name it: `queue nnlab on redis://user:***@host:6379/0`. */
export function describe(t: QueueTarget): string {
  const cred = t.password !== undefined ? `${t.username ?? ''}:***@` : t.username ? `${t.username}@` : '';
  return `queue ${t.name} on ${t.tls ? 'rediss' : 'redis'}://${cred}${hostPort(t)}/${t.db}`;
}

/** Removes the target's password from a message (and its URL-encoded form). */
export function redact(t: QueueTarget, message: string): string {
  let out = message;
  for (const secret of new Set([t.password, t.password && encodeURIComponent(t.password)])) {
    if (secret) out = out.split(secret).join('***');
  }
  return out;
}

/**
 * ioredis options for BullMQ's connections: retry for ever with a capped delay (a restarted Redis
 * is waited for, not fatal), never fail a command while disconnected (BullMQ's workers require
 * `maxRetriesPerRequest: null`), and TLS with the server name checked for rediss://.
 */
export function redisOptions(t: QueueTarget): RedisOptions & { retryStrategy: (times: number) => number } {
  return {
    host: t.host,
    port: t.port,
    db: t.db,
    username: t.username,
    password: t.password,
    tls: t.tls ? { servername: t.host } : undefined,
    maxRetriesPerRequest: null,
    retryStrategy: (times: number) => Math.min(200 * times, 2000),
    connectTimeout: 10_000,
    lazyConnect: false,
  };
}
