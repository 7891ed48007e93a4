import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type BenchReport, FASHION_MNIST_WORKLOAD, productTask, productWorkloads, WORKLOADS } from '../../src-main/cli/bench';
import { DEFAULT_FASHION_MNIST_DIR } from '../../src-main/data/fashion-mnist';
import { skipUnlessRequired } from '../helpers/ci';
import { nnlab } from '../helpers/cli';

const fashionMnistSkip = skipUnlessRequired(
  existsSync(`${DEFAULT_FASHION_MNIST_DIR}/train-images-idx3-ubyte.gz`) ? null : 'Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist)',
  'fashion-mnist',
  'linux',
);

describe('cli/bench', () => {
  it('reports every part in one run: numpy, nnlab kernels and the sweep on 1 and 2 trainer processes, interleaved in rounds (figures, not thresholds)', () => {
    const r = nnlab(['bench', '--seconds', '0.1', '--rounds', '2', '--workloads', 'seed', '--impls', 'numpy,nnlab-js-f64,nnlab-wasm-f64', '--no-product', '--no-tfjs', '--no-store', '--json']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout) as BenchReport;
    const impls = report.rows.map((row) => row.impl);
    expect(impls).toContain('nnlab-js-f64');
    expect(impls).toContain('nnlab-wasm-f64');
    expect(report.rounds).toBe(2);
    expect(report.sliceSeconds).toBeCloseTo(0.05);
    if (report.numpy === null) {
      expect(impls).toContain('numpy');
      expect(report.numpyInfo?.numpy).toMatch(/^\d+\./);
    }
    for (const row of report.rows) {
      expect(row.samplesPerSecond).toBeGreaterThan(0);
      expect(row.rounds).toBe(2);
      // each ratio is the median of the per-round ratios, with its interquartile range
      if (row.vsNumpy) {
        expect(row.vsNumpy.rounds).toBe(2);
        expect(row.vsNumpy.q1).toBeLessThanOrEqual(row.vsNumpy.median);
        expect(row.vsNumpy.median).toBeLessThanOrEqual(row.vsNumpy.q3);
      }
    }
    const numpyRow = report.rows.find((row) => row.impl === 'numpy');
    if (numpyRow) expect(numpyRow.vsNumpy).toEqual({ median: 1, q1: 1, q3: 1, rounds: 2 });
    // the machine's load during the slices: on Linux the share other processes used
    if (process.platform === 'linux') {
      expect(report.load.others?.n).toBeGreaterThan(0);
      expect(report.load.others!.max).toBeLessThanOrEqual(1);
    }
    const kinds = report.sweeps.map((s) => `${s.poolSize} ${s.start}`);
    expect(kinds).toEqual(report.machine.cpus > 1 ? ['0 none', '1 warm', '2 warm', '1 cold', '2 cold'] : ['0 none', '1 warm', '1 cold']);
    for (const s of report.sweeps) {
      expect(s.runs).toBe(40);
      expect(s.runsPerSecond).toBeGreaterThan(0);
      expect(s.trainMsPerRun).toBeGreaterThan(0);
      if (s.poolSize > 0) expect(s.vsOneProcess?.median).toBeGreaterThan(0);
      if (process.platform === 'linux') expect(s.othersShare).toBeGreaterThanOrEqual(0);
    }
    expect(report.store).toEqual([]);
  }, 120_000);

  it('times the product path on Fashion-MNIST for mnist\'s shape, and says why not when its files are missing', () => {
    const seed = WORKLOADS.filter((w) => w.name === 'seed');
    expect(productWorkloads(seed, () => null)).toEqual({ workloads: seed, missing: null });
    const there = productWorkloads(WORKLOADS, () => null);
    expect(there.workloads.map((w) => w.name)).toEqual(['seed', 'medium', 'fashion-mnist']);
    expect(productTask(FASHION_MNIST_WORKLOAD)).toBe('fashion-mnist');
    expect(FASHION_MNIST_WORKLOAD.shape).toEqual(WORKLOADS.find((w) => w.name === 'mnist')!.shape);
    const gone = productWorkloads(WORKLOADS, () => 'Fashion-MNIST is not installed: no /nowhere/train-images-idx3-ubyte.gz');
    expect(gone.workloads.map((w) => w.name)).toEqual(['seed', 'medium']);
    expect(gone.missing).toMatch(/^Fashion-MNIST is not installed/);
  });

  it.skipIf(fashionMnistSkip !== null)(`finds Fashion-MNIST's files where Debian installs them${fashionMnistSkip ? ` (skipped: ${fashionMnistSkip})` : ''}`, () => {
    expect(productWorkloads(WORKLOADS)).toEqual({ workloads: [...WORKLOADS.slice(0, 2), FASHION_MNIST_WORKLOAD], missing: null });
  });

  it('names the flag when a value is wrong', () => {
    const r = nnlab(['bench', '--workloads', 'huge']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--workloads: unknown workload 'huge'/);
    const i = nnlab(['bench', '--impls', 'numpy,cuda']);
    expect(i.status).toBe(2);
    expect(i.stderr).toMatch(/--impls: unknown implementation 'cuda' \(choose from numpy, /);
    expect(nnlab(['bench', '--rounds', '0']).stderr).toMatch(/--rounds: must be a whole number ≥ 1/);
  });
});
