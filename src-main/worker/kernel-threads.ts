/**
 * Helper threads for one big run (KernelThreads of trainer/wasm): worker_threads that each
 * instantiate the kernels' shared build on the run's shared WebAssembly memory and run the blocks
 * of large products the trainer's thread hands them. One pool per process, started on first use
 * and kept (a thread takes ~30 ms to start; a sweep's runs reuse them), unref'd so it never keeps
 * a process alive.
 *
 * Signalling goes through a small SharedArrayBuffer of its own, one 256-byte slot per helper:
 *
 *   int32 [0] seq     bumped by the caller to start a call
 *   int32 [1] done    set to seq by the helper when the call has finished
 *   int32 [2] op      KERNEL_OPS index, or ATTACH
 *   int32 [3] status  0 ok, 1 failed (the message follows on the helper's port)
 *   int32 [4] instance
 *   float64 [4..13]   the call's ten arguments (byte addresses and sizes are exact in a double)
 *
 * Both sides spin on the word they wait for (the next product follows within microseconds
 * during a step), then sleep in Atomics.wait. A new run's memory and module go to the
 * helpers as a message on their port, read synchronously (receiveMessageOnPort) when the ATTACH
 * call wakes them; an instance is dropped in the helpers once its memory is garbage here
 * (FinalizationRegistry), with the next attach.
 */
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { KERNEL_OPS, type KernelThreads } from '../trainer/wasm';

const SLOT_INTS = 64;
const SLOT_F64 = 32;
const ARGS = 4; // float64 index of the first argument within a slot
const ATTACH = -2;
const EXIT = -1;
/**
 * How long a helper spins for its next call before it sleeps: longer than the gaps between the
 * products of one training step (small layers, activations, the batch's data: tens of µs), so a
 * step pays for waking a helper at most once; a run's chunks end with a yield to the event loop,
 * after which the helper sleeps. The caller spins on a helper's block likewise, briefly.
 */
const HELPER_SPIN_MS = 0.5;
const SPINS = 4000;

/** The helper thread's code (plain JS, evaluated: it has no imports to bundle). */
const HELPER = `
const { workerData, receiveMessageOnPort } = require('node:worker_threads');
const { control, index, port, ops, spinMs } = workerData;
const i32 = new Int32Array(control);
const f64 = new Float64Array(control);
const base = index * ${SLOT_INTS};
const a = index * ${SLOT_F64} + ${ARGS};
const instances = new Map();
let seen = 0;
for (;;) {
  // spin for a while (the next product of a step follows within microseconds), then sleep
  let n = 0;
  let until = 0;
  while (Atomics.load(i32, base) === seen) {
    if ((++n & 255) !== 0) continue;
    const t = performance.now();
    if (until === 0) until = t + spinMs;
    else if (t > until) { Atomics.wait(i32, base, seen); until = 0; }
  }
  seen = Atomics.load(i32, base);
  const op = i32[base + 2];
  if (op === ${EXIT}) break;
  let status = 0;
  try {
    if (op === ${ATTACH}) {
      const m = receiveMessageOnPort(port).message;
      for (const id of m.drop) instances.delete(id);
      const ex = new WebAssembly.Instance(m.module, { env: { memory: m.memory } }).exports;
      ex.setScratch(m.scratchAt, m.scratchBytes);
      instances.set(m.id, ops.map((name) => ex[name]));
    } else {
      instances.get(i32[base + 4])[op](f64[a], f64[a + 1], f64[a + 2], f64[a + 3], f64[a + 4], f64[a + 5], f64[a + 6], f64[a + 7], f64[a + 8], f64[a + 9]);
    }
  } catch (e) {
    status = 1;
    port.postMessage(String(e && e.stack || e));
  }
  i32[base + 3] = status;
  Atomics.store(i32, base + 1, seen);
  Atomics.notify(i32, base + 1);
}
`;

interface Helper {
  worker: Worker;
  port: MessagePort;
  seq: number;
}

class Pool {
  private readonly control = new SharedArrayBuffer(64 * 256);
  private readonly i32 = new Int32Array(this.control);
  private readonly f64 = new Float64Array(this.control);
  readonly helpers: Helper[] = [];
  private nextId = 1;
  private readonly dropped: number[] = [];
  private readonly registry = new FinalizationRegistry<number>((id) => this.dropped.push(id));

  /** Makes sure there are at least n helpers (at most 64). */
  grow(n: number): void {
    while (this.helpers.length < Math.min(n, 64)) {
      const index = this.helpers.length;
      const { port1, port2 } = new MessageChannel();
      const worker = new Worker(HELPER, { eval: true, workerData: { control: this.control, index, port: port2, ops: [...KERNEL_OPS], spinMs: HELPER_SPIN_MS }, transferList: [port2] });
      worker.unref();
      port1.unref();
      this.helpers.push({ worker, port: port1, seq: 0 });
    }
  }

  attach(count: number, module: object, memory: object, scratchAt: readonly number[], scratchBytes: number): number {
    this.grow(count);
    const id = this.nextId++;
    const drop = this.dropped.splice(0);
    for (let h = 0; h < count; h++) {
      this.helpers[h].port.postMessage({ id, module, memory, scratchAt: scratchAt[h], scratchBytes, drop });
      this.signal(h, ATTACH, 0);
    }
    for (let h = 0; h < count; h++) this.wait(h);
    this.registry.register(memory, id);
    return id;
  }

  private signal(h: number, op: number, instance: number): void {
    const base = h * SLOT_INTS;
    this.i32[base + 2] = op;
    this.i32[base + 4] = instance;
    const helper = this.helpers[h];
    helper.seq = (helper.seq + 1) | 0;
    Atomics.store(this.i32, base, helper.seq);
    Atomics.notify(this.i32, base);
  }

  start(h: number, instance: number, op: number, a0: number, a1: number, a2: number, a3: number, a4: number, a5: number, a6: number, a7: number, a8: number, a9: number): void {
    const a = h * SLOT_F64 + ARGS;
    const f = this.f64;
    f[a] = a0;
    f[a + 1] = a1;
    f[a + 2] = a2;
    f[a + 3] = a3;
    f[a + 4] = a4;
    f[a + 5] = a5;
    f[a + 6] = a6;
    f[a + 7] = a7;
    f[a + 8] = a8;
    f[a + 9] = a9;
    this.signal(h, op, instance);
  }

  wait(h: number): void {
    const at = h * SLOT_INTS + 1;
    const seq = this.helpers[h].seq;
    let n = 0;
    for (let done = Atomics.load(this.i32, at); done !== seq; done = Atomics.load(this.i32, at)) {
      if (++n > SPINS) {
        Atomics.wait(this.i32, at, done, 10);
        n = 0;
      }
    }
    if (this.i32[h * SLOT_INTS + 3] !== 0) {
      const message = receiveMessageOnPort(this.helpers[h].port)?.message;
      throw new Error(`kernel thread ${h + 1} failed: ${String(message ?? 'no message')}`);
    }
  }

  close(): void {
    for (let h = 0; h < this.helpers.length; h++) this.signal(h, EXIT, 0);
    for (const { worker } of this.helpers.splice(0)) void worker.terminate();
  }
}

let pool: Pool | null = null;

/**
 * KernelThreads with `threads − 1` helpers (the caller is the first thread), from this process's
 * pool; null for one thread.
 */
export function kernelThreads(threads: number): KernelThreads | null {
  const helpers = Math.floor(threads) - 1;
  if (!(helpers >= 1)) return null;
  // the threads start at the first product that is split (a small net never starts them)
  const p = (pool ??= new Pool());
  return {
    helpers,
    attach: (module, memory, scratchAt, scratchBytes) => p.attach(helpers, module, memory, scratchAt, scratchBytes),
    start: (h, instance, op, a0, a1, a2, a3, a4, a5, a6, a7, a8, a9) => p.start(h, instance, op, a0, a1, a2, a3, a4, a5, a6, a7, a8, a9),
    wait: (h) => p.wait(h),
  };
}

/** Ends this process's helper threads (tests; a process that exits needs nothing). */
export function closeKernelThreads(): void {
  pool?.close();
  pool = null;
}
