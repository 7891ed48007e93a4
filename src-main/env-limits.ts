/**
 * The fault-handling limits as this process's environment sets them (their defaults and variables
 * are defined in limits.ts, FAULT_LIMITS). Node only: limits.ts is also read by the renderer.
 */
import { FAULT_LIMITS } from './limits';

export type FaultLimit = keyof typeof FAULT_LIMITS;

/** The limit `name` in milliseconds: its environment variable when that is a non-negative number, else its default. */
export function faultLimitMs(name: FaultLimit, env: NodeJS.ProcessEnv = process.env): number {
  const { env: variable, default: fallback } = FAULT_LIMITS[name];
  const raw = env[variable];
  const n = raw === undefined || raw.trim() === '' ? NaN : Number(raw);
  return Number.isFinite(n) && n >= 0 ? n : fallback;
}
