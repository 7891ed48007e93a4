/**
 * A trainer process: trains one run at a time for the lab, streaming throttled progress, answering
 * cancel between chunks of batches (each chunk ≈ 50 ms), pausing and stepping a training on request
 * (step-through: a paused message with the weights each time it stops), and reporting the result or
 * a structured error. It also times configurations (honest timing) and replays runs (the re-run check), one job
 * at a time like a run. It exits when its parent goes away, so a crashed lab leaves no orphans.
 */
import { backendFor, type KernelChoice, kernelChoiceFor } from '../trainer/backends';
import { driveAsync, type Progress, type Stepping, stepping } from '../trainer/drive';
import { parseRunSpec, SpecError, specErrorOf } from '../trainer/spec';
import { measureTiming } from '../trainer/timing';
import { Trainer } from '../trainer/trainer';
import { ALIVE_EVERY_MS, type FromWorker, MAX_PAUSED_WEIGHTS, type ToWorker, ToWorkerSchema } from './protocol';
import { connectToParent } from './port';
import { wasmSupported } from '../trainer/wasm';
import { enableRelaxedSimd } from '../wasm-features';
import { kernelThreads } from './kernel-threads';
import { taskFor, tablesFrom } from '../data/sources';

// before any kernel module is compiled: lets the lab run wasm-fma jobs on Node 20
enableRelaxedSimd();

const MAX_LIVE_POINTS = 512;

const port = connectToParent();
const send = (m: FromWorker) => port.send(m);
let current: { jobId: number; cancelled: boolean; stepping?: Stepping } | null = null;
type JobMessage = Extract<ToWorker, { type: 'start' | 'time' | 'replay' }>;
/**
 * The job sent ahead (one at most): the pool sends the next short run while this one trains, so
 * the process goes straight on to it when the current job ends instead of waiting for the lab to
 * handle the result and answer (lab/pool.ts).
 */
let ahead: JobMessage | null = null;

port.onDisconnect(() => process.exit(0));

port.onMessage((raw) => {
  const parsed = ToWorkerSchema.safeParse(raw);
  if (!parsed.success) {
    // a malformed message is a bug in the lab; say so on stderr (the lab logs it) and carry on
    process.stderr.write(`trainer process: ignored an invalid message: ${specErrorOf(parsed.error).message}\n`);
    return;
  }
  const msg = parsed.data;
  if (msg.type === 'shutdown') process.exit(0);
  if (msg.type === 'cancel' || msg.type === 'withdraw') {
    if (ahead?.jobId === msg.jobId) {
      // not started: dropped, and the pool told so (it ends the job cancelled or queues it again)
      ahead = null;
      send({ type: 'withdrawn', jobId: msg.jobId });
    } else if (msg.type === 'cancel' && current?.jobId === msg.jobId) {
      current.cancelled = true;
      current.stepping?.wake();
    }
    return;
  }
  if (msg.type === 'pause' || msg.type === 'step' || msg.type === 'resume') {
    // a job that is not a training (or has ended) has nothing to pause: the message is late, not wrong
    const s = current?.jobId === msg.jobId ? current.stepping : undefined;
    if (msg.type === 'pause') s?.pause();
    else if (msg.type === 'step') s?.step(msg.batches);
    else s?.resume();
    return;
  }
  if (current) {
    if (ahead === null) ahead = msg;
    else send({ type: 'error', jobId: msg.jobId, error: { name: 'BusyError', message: `this trainer process is busy with job ${current.jobId} and has job ${ahead.jobId} next` } });
    return;
  }
  begin(msg);
});

function begin(msg: JobMessage): void {
  const ran = msg.type === 'time' ? time(msg) : msg.type === 'replay' ? replay(msg) : train(msg);
  // the job sent ahead starts as soon as this one has sent its outcome
  void ran.then(() => {
    const next = ahead;
    ahead = null;
    if (next) begin(next);
  });
}

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Runs a job as `current` (so cancel reaches it), reporting a thrown error as a structured one. */
async function job(jobId: number, body: (j: { jobId: number; cancelled: boolean }) => Promise<void>) {
  const j = { jobId, cancelled: false };
  current = j;
  try {
    await body(j);
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    send({ type: 'error', jobId, error: { name: err.name, message: err.message, field: e instanceof SpecError ? e.field : undefined, stack: err.stack } });
  } finally {
    current = null;
  }
}

/** Honest timing of configurations (trainer/timing.ts), with progress at most every 100 ms. */
function time(msg: Extract<ToWorker, { type: 'time' }>) {
  return job(msg.jobId, async (j) => {
    const specs = msg.specs.map((s, i) => {
      try {
        return parseRunSpec(s, { maxWeights: msg.maxWeights });
      } catch (e) {
        if (e instanceof SpecError) throw new SpecError(`specs[${i}].${e.field}`, e.reason);
        throw e;
      }
    });
    let lastMs = 0;
    const tables = tablesFrom(msg.tables ?? []);
    const measurement = await measureTiming(specs, {
      tasks: specs.map((s) => taskFor(s, tables)),
      repeats: msg.repeats,
      warmup: msg.warmup ?? 0,
      targetMse: msg.targetMse,
      backend: backendFor(msg.kernel ?? 'auto'),
      cancelled: () => j.cancelled,
      yieldTo: yieldToLoop,
      onProgress: (done, total) => {
        const t = performance.now();
        if (done < total && t - lastMs < 100) return;
        lastMs = t;
        send({ type: 'timing-progress', jobId: msg.jobId, done, total });
      },
    });
    send({ type: 'timing-result', jobId: msg.jobId, measurement });
  });
}

/** A run's batches again, with the kernel it recorded: the replayed cost history. */
function replay(msg: Extract<ToWorker, { type: 'replay' }>) {
  return job(msg.jobId, async (j) => {
    const spec = parseRunSpec(msg.spec, { maxWeights: msg.maxWeights });
    const task = taskFor(spec, tablesFrom(msg.tables ?? []));
    const trainer = new Trainer(spec, { task, backend: backendFor(kernelChoiceFor(msg.kernel), kernelThreads(msg.threads ?? 1)), timingEvery: 0 });
    // chunks of about 50 ms (doubling from one batch), so cancel and the sign of life get through
    // whatever the network's size
    let chunk = 1;
    while (trainer.status === 'running' && trainer.batchesDone < msg.batches) {
      if (j.cancelled) throw new Error('cancelled');
      const t0 = performance.now();
      trainer.run(Math.min(chunk, msg.batches - trainer.batchesDone));
      if (performance.now() - t0 < 25) chunk = Math.min(chunk * 2, 1 << 20);
      await yieldToLoop();
    }
    send({ type: 'replayed', jobId: msg.jobId, kernel: trainer.kernels.name, costHistory: trainer.costHistory.slice(0, trainer.batchesDone) });
  });
}

async function train(msg: Extract<ToWorker, { type: 'start' }>) {
  const { jobId } = msg;
  const kernel: KernelChoice = msg.kernel ?? 'auto';
  const intervalMs = msg.progressIntervalMs ?? 50;
  const job = { jobId, cancelled: false, stepping: stepping(msg.paused ?? false) };
  current = job;
  try {
    const spec = parseRunSpec(msg.spec, { maxWeights: msg.maxWeights });
    const task = taskFor(spec, tablesFrom(msg.tables ?? []), msg.imagesDir);
    const trainer = new Trainer(spec, { task, backend: backendFor(kernel, kernelThreads(msg.threads ?? 1)) });
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
      send({ type: 'progress', jobId, batchesDone: p.batchesDone, batches: p.batches, cost: p.cost, elapsedMs: p.elapsedMs, from: sentUpTo, stride, costs });
      sentUpTo = p.batchesDone;
    };
    const outcome = await driveAsync(trainer, {
      intervalMs,
      onProgress,
      cancelled: () => job.cancelled,
      yieldTo: () => new Promise((resolve) => setImmediate(resolve)),
      stepping: job.stepping,
      onPaused: () => {
        const done = trainer.batchesDone;
        const flat = trainer.params.flat;
        const test = trainer.testScores();
        send({ type: 'paused', jobId, batchesDone: done, cost: done > 0 ? trainer.costHistory[done - 1] : NaN, testLoss: test.loss, testMetric: test.metric, weights: flat.length <= MAX_PAUSED_WEIGHTS ? Float64Array.from(flat) : null });
      },
    });
    send({ type: 'result', jobId, cancelled: outcome === 'cancelled', result: trainer.result() });
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    send({ type: 'error', jobId, error: { name: err.name, message: err.message, field: e instanceof SpecError ? e.field : undefined, stack: err.stack } });
  } finally {
    current = null;
  }
}

// a sign of life while a job runs: its chunks of batches yield to the event loop, so this timer
// fires unless the process is stopped or stuck; the lab kills a process that goes silent
setInterval(() => {
  if (current) send({ type: 'alive', jobId: current.jobId });
}, ALIVE_EVERY_MS);

send({ type: 'ready', pid: process.pid, wasm: wasmSupported() });
