import { describe, expect, it } from 'vitest';
import { ApiRequests } from '../src-main/api/contract';
import { PRESETS } from '../src-main/analysis/presets';
import { parseSweep } from '../src-main/lab/sweep';
import { faultLimitMs } from '../src-main/env-limits';
import { FAULT_LIMITS, MAX_REPLICATES, TIMING_DEFAULTS, TIMING_LIMITS } from '../src-main/limits';
import { ToWorkerSchema } from '../src-main/worker/protocol';

const spec = {};
const specs = (n: number) => Array.from({ length: n }, () => spec);

describe('limits', () => {
  it('bound a timing the same way in the API, the trainer-process protocol and a sweep', () => {
    const api = (r: object) => ApiRequests['timings/start'].safeParse({ specs: [spec], ...r }).success;
    const worker = (r: object) => ToWorkerSchema.safeParse({ type: 'time', jobId: 1, specs: [spec], repeats: 1, warmup: 0, targetMse: 0.01, ...r }).success;
    const sweep = (r: object) => {
      try {
        parseSweep({ timing: r });
        return true;
      } catch {
        return false;
      }
    };
    for (const accepts of [api, worker]) {
      expect(accepts({ specs: specs(TIMING_LIMITS.configs) })).toBe(true);
      expect(accepts({ specs: specs(TIMING_LIMITS.configs + 1) })).toBe(false);
    }
    for (const accepts of [api, worker, sweep]) {
      expect(accepts({ repeats: TIMING_LIMITS.repeats })).toBe(true);
      expect(accepts({ repeats: TIMING_LIMITS.repeats + 1 })).toBe(false);
      expect(accepts({ warmup: TIMING_LIMITS.warmup })).toBe(true);
      expect(accepts({ warmup: TIMING_LIMITS.warmup + 1 })).toBe(false);
    }
  });

  it('give a sweep’s timing, and the timed exercise, the timing defaults', () => {
    expect(parseSweep({ timing: {} }).timing).toEqual({ repeats: TIMING_DEFAULTS.repeats, warmup: TIMING_DEFAULTS.warmup });
    expect(parseSweep(PRESETS['relu-vs-sigmoid'].sweep).timing).toEqual({ repeats: 10, warmup: 2 });
  });

  it('bound replicates the same way in a sweep and in "+k seeds"', () => {
    expect(parseSweep({ replicates: MAX_REPLICATES }).replicates).toBe(MAX_REPLICATES);
    expect(() => parseSweep({ replicates: MAX_REPLICATES + 1 })).toThrow(/replicates/);
    expect(ApiRequests['runs/replicate'].safeParse({ id: 1, k: MAX_REPLICATES }).success).toBe(true);
    expect(ApiRequests['runs/replicate'].safeParse({ id: 1, k: MAX_REPLICATES + 1 }).success).toBe(false);
  });

  it('take a fault limit from its environment variable when that is a non-negative number, else its default', () => {
    for (const [name, { env, default: fallback }] of Object.entries(FAULT_LIMITS) as [keyof typeof FAULT_LIMITS, (typeof FAULT_LIMITS)[keyof typeof FAULT_LIMITS]][]) {
      expect(faultLimitMs(name, {}), name).toBe(fallback);
      expect(faultLimitMs(name, { [env]: '1500' }), name).toBe(1500);
      expect(faultLimitMs(name, { [env]: '0' }), name).toBe(0);
      for (const bad of ['', ' ', '-1', 'soon', 'Infinity']) expect(faultLimitMs(name, { [env]: bad }), `${name}=${bad}`).toBe(fallback);
    }
  });
});
