/**
 * The fault-handling limits a user (or a test) may set from the environment, read in one place:
 *   NNLAB_WRITE_RETRY_MS   how long a write waits for another program's lock (default 60 s)
 *   NNLAB_HEARTBEAT_MS     how often the lab refreshes the heartbeat of its running runs (5 s)
 *   NNLAB_TRAINER_HANG_MS  a trainer process silent this long while it trains is killed (30 s)
 * A value that is not a non-negative number is ignored (the default applies). Node only (the
 * limits every layer shares, the renderer included, are in limits.ts).
 */
export function envMs(name: 'NNLAB_WRITE_RETRY_MS' | 'NNLAB_HEARTBEAT_MS' | 'NNLAB_TRAINER_HANG_MS', fallback: number, env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[name];
  const n = raw === undefined || raw.trim() === '' ? NaN : Number(raw);
  return Number.isFinite(n) && n >= 0 ? n : fallback;
}
