/**
 * The sweep part of `nnlab bench`: runs per second of a 40-run seed-sized sweep through the lab
 * as a user runs it (a real SQLite file, real trainer processes, progress events, every result
 * written), on 1 and on 2 trainer processes. The clock runs from `startSweep` to the last result
 * in the store, so process spawn, spec transfer, progress and store writes all count.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunStore } from '../db';
import { LabService } from '../lab/service';
import { expandSweep, parseSweep } from '../lab/sweep';
import { now } from '../trainer/clock';
import { Trainer } from '../trainer/trainer';
import { median, stat } from '../analysis/stats';
import { shuffled } from './bench-agent';
import { LoadMeter, type LoadSample } from './bench-load';

export interface SweepBench {
  /** Trainer processes; 0 = in-process, one after another, nothing saved (the floor). */
  poolSize: number;
  /** Process start-up inside the clock (`nnlab sweep`), or processes started beforehand (the app, `nnlab serve`). */
  start: 'cold' | 'warm' | 'none';
  runs: number;
  runsPerSecond: number;
  /** Median over the sweep's runs of the trainer's own time (the part that is not overhead). */
  trainMsPerRun: number;
  /** Share of the machine's CPU that other processes used during these sweeps (median over repeats; null where unknown). */
  othersShare: number | null;
  /** Runs/s relative to 1 trainer process started the same way, per repeat (they are interleaved): median and interquartile range. */
  vsOneProcess: { median: number; q1: number; q3: number } | null;
}

/** 40 seed-sized runs: relu/sigmoid × init mean 0/−eps × 10 replicate seeds, the seed's 300 batches. */
export const BENCH_SWEEP = { grid: { activation: ['relu', 'sigmoid'], initMean: [0, '-eps'] }, replicates: 10 } as const;


/**
 * One timed sweep on a fresh database and a fresh pool of `poolSize` processes: `cold` starts the
 * clock before the processes (as `nnlab sweep` runs); warm times a second sweep on processes
 * that are started and have trained one already (as in the app and `nnlab serve`, which start
 * them at launch and keep them).
 */
async function sweepOnce(poolSize: number, cold: boolean, meter?: LoadMeter): Promise<{ seconds: number; runs: number; trainMs: number[]; load: LoadSample | null }> {
  const dir = mkdtempSync(join(tmpdir(), 'nnlab-bench-sweep-'));
  const store = RunStore.open(join(dir, 'bench.sqlite'));
  const lab = new LabService({ store, poolSize, log: () => {} });
  try {
    if (!cold) {
      // as in the app after its first sweep: processes started and their JIT warm
      await lab.warm();
      lab.startSweep(BENCH_SWEEP);
      await lab.idle();
    }
    meter?.mark();
    const t0 = now();
    const { runIds } = lab.startSweep(BENCH_SWEEP);
    await lab.idle();
    const seconds = (now() - t0) / 1000;
    const load = meter?.sample() ?? null;
    const runs = runIds.map((id) => store.getRun(id));
    const notDone = runs.filter((r) => r?.status !== 'done');
    if (notDone.length) throw new Error(`bench sweep: ${notDone.length} of ${runIds.length} runs did not finish (${notDone[0]?.status}: ${notDone[0]?.error})`);
    return { seconds, runs: runIds.length, trainMs: runs.map((r) => r?.trainMs ?? 0), load };
  } finally {
    await lab.close();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The same 40 runs trained in this process one after another, with nothing saved: what the pool's overhead is measured against. */
function inProcessOnce(meter?: LoadMeter): { seconds: number; runs: number; trainMs: number[]; load: LoadSample | null } {
  const specs = expandSweep(parseSweep(BENCH_SWEEP)).map((c) => c.spec);
  meter?.mark();
  const t0 = now();
  const trainMs: number[] = [];
  for (const spec of specs) {
    const trainer = new Trainer(spec);
    trainer.run(Number.MAX_SAFE_INTEGER);
    trainMs.push(trainer.result().timing.trainMs);
  }
  const seconds = (now() - t0) / 1000;
  return { seconds, runs: specs.length, trainMs, load: meter?.sample() ?? null };
}

/** Runs/s per pool size, cold and warm: the median of `repeats` sweeps (all kinds interleaved, in a new order each repeat, so drift hits each alike). */
export async function measureSweeps(poolSizes: readonly number[], repeats: number, log: (s: string) => void = () => {}): Promise<SweepBench[]> {
  const kinds: { poolSize: number; start: SweepBench['start'] }[] = [{ poolSize: 0, start: 'none' }];
  for (const start of ['warm', 'cold'] as const) for (const poolSize of poolSizes) kinds.push({ poolSize, start });
  const times = kinds.map(() => [] as number[]);
  const train = kinds.map(() => [] as number[]);
  const others = kinds.map(() => [] as number[]);
  const meter = new LoadMeter();
  let runs = 0;
  await sweepOnce(1, true); // warm-up: the file cache, the worker bundle, the wasm module
  inProcessOnce();
  for (let r = 0; r < repeats; r++) {
    for (const i of shuffled(kinds.map((_, k) => k), 2000 + r)) {
      const { poolSize, start } = kinds[i];
      log(poolSize ? `sweep of 40 seed-sized runs on ${poolSize} trainer process${poolSize > 1 ? 'es' : ''}, ${start} (${r + 1}/${repeats})…` : `the same 40 runs in-process (${r + 1}/${repeats})…`);
      const s = poolSize ? await sweepOnce(poolSize, start === 'cold', meter) : inProcessOnce(meter);
      if (s.load) others[i].push(s.load.others);
      runs = s.runs;
      times[i].push(s.seconds);
      train[i].push(...s.trainMs);
    }
  }
  return kinds.map(({ poolSize, start }, i) => {
    const one = kinds.findIndex((k) => k.poolSize === 1 && k.start === start);
    const vs = one < 0 ? null : stat(times[i].map((t, r) => times[one][r] / t));
    return { poolSize, start, runs, runsPerSecond: runs / median(times[i]), trainMsPerRun: median(train[i]), othersShare: others[i].length ? median(others[i]) : null, vsOneProcess: vs && { median: vs.median, q1: vs.q1, q3: vs.q3 } };
  });
}

export function formatSweeps(sweeps: readonly SweepBench[]): string {
  const inProcess = sweeps.find((s) => s.poolSize === 0);
  const lines = ["| 40 seed-sized runs | runs/s | vs 1 process | ms per run | overhead per run vs in-process | trainer time per run | others' CPU |", '|---|---:|---:|---:|---:|---:|---:|'];
  for (const s of sweeps) {
    const msPerRun = 1000 / s.runsPerSecond;
    const overhead = inProcess && s.poolSize > 0 ? `${(msPerRun * s.poolSize - 1000 / inProcess.runsPerSecond).toFixed(1)} ms` : '–';
    const where =
      s.poolSize === 0
        ? 'in-process, not saved'
        : `${s.poolSize} trainer process${s.poolSize > 1 ? 'es' : ''}, ${s.start === 'cold' ? 'cold (start-up timed, as `nnlab sweep`)' : 'warm (started and used before, as the app)'}`;
    const vs = s.vsOneProcess;
    lines.push(`| ${where} | ${s.runsPerSecond.toFixed(1)} | ${vs ? `${vs.median.toFixed(2)}× [${vs.q1.toFixed(2)}–${vs.q3.toFixed(2)}]` : '–'} | ${msPerRun.toFixed(2)} | ${overhead} | ${s.trainMsPerRun.toFixed(1)} ms | ${s.othersShare === null ? '–' : `${Math.round(100 * s.othersShare)} %`} |`);
  }
  lines.push('', "Sweeps: wall time from submitting the sweep to the last result in the store, a fresh database and pool each time, every run saved, all kinds interleaved in a new order each repeat; vs 1 process: the median [interquartile range] of the per-repeat ratio; overhead per run = ms per run × processes − in-process ms per run; others' CPU: the share of the machine's CPU other processes used meanwhile (median over repeats).");
  return lines.join('\n');
}
