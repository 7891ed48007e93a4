/**
 * The fault-handling limits as this process's environment sets them (their defaults and variables
 * are defined in limits.ts, FAULT_LIMITS). Node only: limits.ts is also read by the renderer.
 */
import { DEFAULT_STALE_MS, FAULT_LIMITS } from './limits';

export type FaultLimit = keyof typeof FAULT_LIMITS;

/** The limit `name` in milliseconds: its environment variable when that is a non-negative number, else its default. */
export function faultLimitMs(name: FaultLimit, env: NodeJS.ProcessEnv = process.env): number {
  const { env: variable, default: fallback } = FAULT_LIMITS[name];
  const raw = env[variable];
  const n = raw === undefined || raw.trim() === '' ? NaN : Number(raw);
  return Number.isFinite(n) && n >= 0 ? n : fallback;
}

/**
 * How long a run's owner may go without a heartbeat before another process takes it for gone:
 * DEFAULT_STALE_MS, or longer when this environment raises the write retry limit or the heartbeat
 * period — never less than the retry limit plus two heartbeat periods, the longest a live owner
 * waiting on another program's lock goes without one (max(2r, 4h) ≥ r + 2h). The processes that
 * share a database should be given the same settings.
 */
export function staleOwnerMs(env: NodeJS.ProcessEnv = process.env): number {
  return Math.max(DEFAULT_STALE_MS, 2 * faultLimitMs('writeRetryMs', env), 4 * faultLimitMs('heartbeatMs', env));
}
