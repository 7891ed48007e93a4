/**
 * "Re-run and verify": trains a saved run again from its stored spec and seeds, with the kernel
 * it recorded, and compares the cost history bit for bit. A difference is explained where it can
 * be: another nnlab version, or another kernel (WebAssembly and JS kernels sum in different
 * orders, so their float64 results differ in the last bits).
 */
import type { RunStore } from '../db/store';
import type { Verdict, Verification, VerifyReport } from '../db/types';
import { backendFor, kernelChoiceFor } from '../trainer/backends';
import type { RunSpec } from '../trainer/spec';
import type { Task } from '../trainer/tasks';
import { Trainer } from '../trainer/trainer';
import { taskFor } from '../data/sources';
import { APP_VERSION } from '../version';

export type { Verdict, VerifyReport };

function sameBits(a: number, b: number): boolean {
  return Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));
}

/** The cost history a re-run of `run` should reproduce (throws RangeError when there is none). */
export function storedCosts(store: RunStore, runId: number) {
  const run = store.getRun(runId);
  if (!run) throw new RangeError(`there is no run ${runId}`);
  const stored = store.getSeries(runId, ['cost']).cost?.data;
  if (!stored) throw new RangeError(`run ${runId} has no stored cost history to compare (status ${run.status})`);
  return { run, stored };
}

/**
 * Replays a run's batches in this process, with its recorded kernel: the replayed costs and the
 * kernel that ran. `task`: the run's task where it reads a data set (sources.ts taskFor).
 */
export function replayCosts(spec: RunSpec, kernel: string | null, batches: number, task?: Task): { costHistory: Float64Array; kernel: string } {
  const trainer = new Trainer(spec, { task, backend: backendFor(kernelChoiceFor(kernel)), timingEvery: 0 });
  // replay exactly as many batches as were stored (a cancelled run stopped early)
  while (trainer.status === 'running' && trainer.batchesDone < batches) trainer.run(Math.min(4096, batches - trainer.batchesDone));
  return { costHistory: trainer.costHistory.slice(0, trainer.batchesDone), kernel: trainer.kernels.name };
}

/** Compares a replayed cost history with the stored one, bit for bit, and explains a difference where it can. */
export function compareReplay(
  runId: number,
  recorded: { appVersion: string; kernel: string | null },
  stored: Float64Array,
  replayed: Float64Array,
  replayKernel: string,
  appVersion: string = APP_VERSION,
): VerifyReport {
  let first: number | null = replayed.length === stored.length ? null : Math.min(replayed.length, stored.length);
  let maxRel = 0;
  for (let i = 0; i < Math.min(replayed.length, stored.length); i++) {
    if (!sameBits(replayed[i], stored[i])) {
      if (first === null || i < first) first = i;
      const rel = Math.abs(replayed[i] - stored[i]) / Math.max(Math.abs(stored[i]), 1e-300);
      if (rel > maxRel || Number.isNaN(rel)) maxRel = rel;
    }
  }
  let verdict: Verdict = 'identical';
  if (first !== null) verdict = recorded.appVersion !== appVersion ? 'different-app-version' : recorded.kernel !== null && recorded.kernel !== replayKernel ? 'different-kernel' : 'differs';
  return {
    runId,
    verdict,
    firstDifferentBatch: first,
    maxRelativeDifference: maxRel,
    batches: stored.length,
    stored: { appVersion: recorded.appVersion, kernel: recorded.kernel },
    replay: { appVersion, kernel: replayKernel },
  };
}

/** A report as the store keeps it. */
export function verificationOf(report: VerifyReport, verifiedAt: number = Date.now()): Verification {
  return {
    runId: report.runId,
    verdict: report.verdict,
    firstDifferentBatch: report.firstDifferentBatch,
    maxRelativeDifference: Number.isNaN(report.maxRelativeDifference) ? null : report.maxRelativeDifference,
    batches: report.batches,
    verifiedAt,
    appVersion: report.replay.appVersion,
    kernel: report.replay.kernel,
  };
}

/**
 * Re-runs a saved run in this process and compares (the CLI; the lab replays in a trainer
 * process). A run on a data set reads it as the spec names it: the database's table by its
 * content hash, Fashion-MNIST's files checked against the hash the run recorded (SpecError when
 * they differ, DataMissingError when they are not installed).
 */
export function verifyRun(store: RunStore, runId: number): VerifyReport {
  const { run, stored } = storedCosts(store, runId);
  const task = taskFor(run.spec, (sha256, columns) => store.datasets.table(sha256, columns));
  const replay = replayCosts(run.spec, run.kernel, stored.length, task);
  return compareReplay(runId, run, stored, replay.costHistory, replay.kernel);
}
