/**
 * The lab's limits and defaults, defined once: the API contract's request schemas, the
 * trainer-process protocol, the lab, the sweep schema, the CLI and the app's forms all read them
 * here. A leaf (no imports), so every layer may import it, the trainer process included.
 */

/** Honest timing (lab.startTiming, trainer/timing.ts): what a request leaves out. */
export const TIMING_DEFAULTS = { repeats: 10, warmup: 2, targetMse: 0.01 } as const;

/** Honest timing: the largest job the lab takes (configurations timed against each other, timed rounds, warm-up rounds). */
export const TIMING_LIMITS = { configs: 8, repeats: 200, warmup: 50 } as const;

/** The largest --threads accepted (more threads than this never help a layer of this lab's sizes). */
export const MAX_THREADS = 64;

/** Seeds per configuration: a sweep's replicates, and the new seeds of "+k seeds" (runs/replicate), at most. */
export const MAX_REPLICATES = 10_000;
