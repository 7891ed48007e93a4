/**
 * Telling a person about the connection to Redis without flooding them: BullMQ and ioredis report
 * every failed reconnect as an error event, so a Redis that is down for a minute would print a
 * hundred lines. The first connection error is logged, the rest are counted until the connection
 * is back, which is logged once. Errors that are not about the connection are logged as they come,
 * with the password scrubbed.
 */
import { describe, redact, type QueueTarget } from './connection';

const CONNECTION_ERROR = /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|EPIPE|EAI_AGAIN|Connection is closed|connect ETIMEDOUT|Socket closed|getaddrinfo|read ECONNRESET|Stream isn't writeable|ended/i;

export function isConnectionError(e: unknown): boolean {
  return CONNECTION_ERROR.test(e instanceof Error ? `${e.message} ${(e as NodeJS.ErrnoException).code ?? ''}` : String(e));
}

export class ConnectionWatch {
  private down = false;
  private suppressed = 0;

  constructor(
    private readonly target: QueueTarget,
    private readonly log: (line: string) => void,
  ) {}

  /** An error event from BullMQ or ioredis. */
  error(e: unknown): void {
    const message = redact(this.target, e instanceof Error ? e.message : String(e));
    if (!isConnectionError(e)) {
      this.log(`${describe(this.target)}: ${message}`);
      return;
    }
    if (this.down) {
      this.suppressed++;
      return;
    }
    this.down = true;
    this.log(`lost the connection to ${describe(this.target)} (${message}); retrying until it is back`);
  }

  /** The connection is ready (again). Returns true when it had been lost. */
  ready(): boolean {
    if (!this.down) return false;
    this.down = false;
    this.suppressed = 0;
    this.log(`connected to ${describe(this.target)} again`);
    return true;
  }

  get isDown(): boolean {
    return this.down;
  }
}
