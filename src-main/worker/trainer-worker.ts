/**
 * A trainer process: trains one run at a time for the lab, streaming throttled progress, answering
 * cancel between chunks of batches (each chunk ≈ 50 ms), and reporting the result or a structured
 * error. It exits when its parent goes away, so a crashed lab leaves no orphans.
 */
import { backendFor, type KernelChoice } from '../trainer/backends';
import { driveAsync, type Progress } from '../trainer/drive';
import { parseRunSpec, SpecError } from '../trainer/spec';
import { Trainer } from '../trainer/trainer';
import { type FromWorker, ToWorkerSchema } from './protocol';
import { connectToParent } from './port';
import { wasmSupported } from '../trainer/wasm';
import { enableRelaxedSimd } from '../lab/wasm-features';

// before any kernel module is compiled: lets the lab run wasm-fma jobs on Node 20
enableRelaxedSimd();

const MAX_LIVE_POINTS = 512;

const port = connectToParent();
const send = (m: FromWorker) => port.send(m);
let current: { runId: number; cancelled: boolean } | null = null;

port.onDisconnect(() => process.exit(0));

port.onMessage((raw) => {
  const parsed = ToWorkerSchema.safeParse(raw);
  if (!parsed.success) {
    // a malformed message is a bug in the lab; say so on stderr (the lab logs it) and carry on
    process.stderr.write(`trainer process: ignored an invalid message: ${parsed.error.issues[0]?.message}\n`);
    return;
  }
  const msg = parsed.data;
  if (msg.type === 'shutdown') process.exit(0);
  if (msg.type === 'cancel') {
    if (current?.runId === msg.runId) current.cancelled = true;
    return;
  }
  if (current) {
    send({ type: 'error', runId: msg.runId, error: { name: 'BusyError', message: `this trainer process is busy with run ${current.runId}` } });
    return;
  }
  void train(msg.runId, msg.spec, msg.kernel, msg.maxWeights, msg.progressIntervalMs);
});

async function train(runId: number, specInput: unknown, kernel: KernelChoice, maxWeights: number | undefined, intervalMs: number) {
  const job = { runId, cancelled: false };
  current = job;
  try {
    const spec = parseRunSpec(specInput, { maxWeights });
    const trainer = new Trainer(spec, { backend: backendFor(kernel) });
    let sentUpTo = 0;
    let sentAtMs = 0;
    const onProgress = (p: Progress) => {
      // At most one message per interval (the driver reports after every chunk, and its first
      // chunks are short), and none when training has ended: the result follows at once and
      // carries every cost. A seed-sized run (a few ms) then costs one message, not six: measured,
      // the messages were a good part of the lab's per-run work in a sweep of short runs.
      if (trainer.status !== 'running' || p.elapsedMs - sentAtMs < intervalMs) return;
      sentAtMs = p.elapsedMs;
      const n = p.batchesDone - sentUpTo;
      const stride = Math.max(1, Math.ceil(n / MAX_LIVE_POINTS));
      const costs = new Float64Array(Math.ceil(n / stride));
      for (let i = 0; i < costs.length; i++) costs[i] = trainer.costHistory[sentUpTo + i * stride];
      send({ type: 'progress', runId, batchesDone: p.batchesDone, batches: p.batches, cost: p.cost, elapsedMs: p.elapsedMs, from: sentUpTo, stride, costs });
      sentUpTo = p.batchesDone;
    };
    const outcome = await driveAsync(trainer, {
      intervalMs,
      onProgress,
      cancelled: () => job.cancelled,
      yieldTo: () => new Promise((resolve) => setImmediate(resolve)),
    });
    send({ type: 'result', runId, cancelled: outcome === 'cancelled', result: trainer.result() });
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    send({ type: 'error', runId, error: { name: err.name, message: err.message, field: e instanceof SpecError ? e.field : undefined, stack: err.stack } });
  } finally {
    current = null;
  }
}

send({ type: 'ready', pid: process.pid, wasm: wasmSupported() });
