/** A stored timing of relu vs sigmoid (hand-made numbers) for the renderer's timing tests. */
import type { TimingRecord } from '@main/db/types';
import { DEFAULT_SPEC, type RunSpec } from '@main/trainer/spec';
import type { RepeatTiming } from '@main/trainer/timing';
import { configKey } from '@main/db/config-key';

function repeats(forward: number[], wall: number[], toTarget: (number | null)[]): RepeatTiming[] {
  return forward.map((f, i) => ({
    round: i,
    position: i % 2,
    usPerSample: { forward: f, backward: f / 2, update: 0.1 },
    wallMs: wall[i],
    batchesToTarget: toTarget[i] === null ? null : 64,
    msToTarget: toTarget[i],
    finalCost: 0.1,
    status: 'done',
  }));
}

export const RELU: RunSpec = { ...DEFAULT_SPEC };
export const SIGMOID: RunSpec = { ...DEFAULT_SPEC, activation: 'sigmoid' };

export function timingRecord(id = 7, specs: RunSpec[] = [RELU, SIGMOID]): TimingRecord {
  return {
    id,
    experimentId: null,
    name: 'activation=relu vs activation=sigmoid',
    createdAt: 1_700_000_000_000,
    appVersion: '0.1.0',
    kernel: 'wasm-simd-f64',
    configKeys: specs.map((s) => configKey(s)),
    measurement: {
      configs: specs.map((spec, i) => ({
        spec,
        kernel: 'wasm-simd-f64',
        batchesRun: 300,
        costsIdentical: true,
        repeats: i === 0 ? repeats([1, 2, 3, 4], [10, 12, 11, 30], [4, 5, 6, 5]) : repeats([2, 2, 3, 3], [20, 22, 24, 26], [null, null, null, null]),
      })),
      repeats: 4,
      warmup: 2,
      targetMse: 0.01,
      timingEvery: 1,
      clockOverheadUs: 0.03,
      totalMs: 300,
    },
    environment: { platform: 'linux', arch: 'x64', cpus: 2, cpuModel: 'Test CPU', runtime: 'node 20.19.0', loadAverage: { start: 0.2, end: 0.3 }, concurrentJobs: 0 },
  };
}
