/**
 * "Re-run and verify": trains a saved run again from its stored spec and seeds, with the kernel
 * it recorded, and compares the cost history bit for bit. A difference is explained where it can
 * be: another nnlab version, or another kernel (WebAssembly and JS kernels sum in different
 * orders, so their float64 results differ in the last bits).
 */
import type { RunStore } from '../db/store';
import { backendFor, type KernelChoice } from '../trainer/backends';
import { Trainer } from '../trainer/trainer';
import { APP_VERSION } from '../version';

export type Verdict = 'identical' | 'differs' | 'different-app-version' | 'different-kernel';

export interface VerifyReport {
  runId: number;
  verdict: Verdict;
  /** First batch whose cost differs (null when identical). */
  firstDifferentBatch: number | null;
  /** Largest |a − b| / max(|a|, tiny) over the history. */
  maxRelativeDifference: number;
  batches: number;
  stored: { appVersion: string; kernel: string | null };
  replay: { appVersion: string; kernel: string };
}

/** The kernel choice that reproduces a recorded kernel name. */
export function kernelChoiceFor(recorded: string | null): KernelChoice {
  if (!recorded) return 'auto';
  if (recorded.startsWith('wasm-fma')) return 'wasm-fma';
  if (recorded.startsWith('wasm')) return 'wasm';
  if (recorded.startsWith('js')) return 'js';
  return 'auto';
}

function sameBits(a: number, b: number): boolean {
  return Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));
}

export function verifyRun(store: RunStore, runId: number): VerifyReport {
  const run = store.getRun(runId);
  if (!run) throw new RangeError(`there is no run ${runId}`);
  const stored = store.getSeries(runId, ['cost']).cost?.data;
  if (!stored) throw new RangeError(`run ${runId} has no stored cost history to compare (status ${run.status})`);
  const trainer = new Trainer(run.spec, { backend: backendFor(kernelChoiceFor(run.kernel)) });
  // replay exactly as many batches as were stored (a cancelled run stopped early)
  while (trainer.status === 'running' && trainer.batchesDone < stored.length) trainer.run(Math.min(4096, stored.length - trainer.batchesDone));
  const replayed = trainer.costHistory.subarray(0, trainer.batchesDone);
  let first: number | null = replayed.length === stored.length ? null : Math.min(replayed.length, stored.length);
  let maxRel = 0;
  for (let i = 0; i < Math.min(replayed.length, stored.length); i++) {
    if (!sameBits(replayed[i], stored[i])) {
      if (first === null || i < first) first = i;
      const rel = Math.abs(replayed[i] - stored[i]) / Math.max(Math.abs(stored[i]), 1e-300);
      if (rel > maxRel || Number.isNaN(rel)) maxRel = rel;
    }
  }
  const replayKernel = trainer.kernels.name;
  let verdict: Verdict = 'identical';
  if (first !== null) verdict = run.appVersion !== APP_VERSION ? 'different-app-version' : run.kernel !== null && run.kernel !== replayKernel ? 'different-kernel' : 'differs';
  return {
    runId,
    verdict,
    firstDifferentBatch: first,
    maxRelativeDifference: maxRel,
    batches: stored.length,
    stored: { appVersion: run.appVersion, kernel: run.kernel },
    replay: { appVersion: APP_VERSION, kernel: replayKernel },
  };
}
