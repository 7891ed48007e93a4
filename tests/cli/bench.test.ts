import { describe, expect, it } from 'vitest';
import type { BenchReport } from '../../src-main/cli/bench';
import { nnlab } from '../helpers/cli';

describe('cli/bench', () => {
  it('reports every part in one run: numpy, nnlab kernels and the sweep on 1 and 2 trainer processes (figures, not thresholds)', () => {
    const r = nnlab(['bench', '--seconds', '0.05', '--repeats', '1', '--workloads', 'seed', '--no-product', '--no-tfjs', '--no-store', '--json']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout) as BenchReport;
    const impls = report.rows.map((row) => row.impl);
    expect(impls).toContain('nnlab-js-f64');
    expect(impls).toContain('nnlab-wasm-f64');
    if (report.numpy === null) expect(impls).toContain('numpy');
    for (const row of report.rows) expect(row.samplesPerSecond).toBeGreaterThan(0);
    const kinds = report.sweeps.map((s) => `${s.poolSize} ${s.start}`);
    expect(kinds).toEqual(report.machine.cpus > 1 ? ['0 none', '1 warm', '2 warm', '1 cold', '2 cold'] : ['0 none', '1 warm', '1 cold']);
    for (const s of report.sweeps) {
      expect(s.runs).toBe(40);
      expect(s.runsPerSecond).toBeGreaterThan(0);
      expect(s.trainMsPerRun).toBeGreaterThan(0);
    }
    expect(report.store).toEqual([]);
  }, 120_000);

  it('names the flag when a value is wrong', () => {
    const r = nnlab(['bench', '--workloads', 'huge']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--workloads: unknown workload 'huge'/);
  });
});
