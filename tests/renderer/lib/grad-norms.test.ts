import { describe, expect, it } from 'vitest';
import type { WireSeries } from '@main/api/contract';
import { chartToCsv } from '../../../src-renderer/src/lib/exports';
import { drawable, pointCount } from '../../../src-renderer/src/lib/chart-model';
import { type Item, type RunData } from '../../../src-renderer/src/lib/compare/context';
import { gradNormChart, gradNormPoints, layerName } from '../../../src-renderer/src/lib/compare/grad-norms';
import { record, summary } from '../helpers/fake-lab';

const ws = (shape: number[], data: (number | null)[]): WireSeries => ({ shape, data, length: data.length });

/** A run with 3 checkpoints (0, 150, 300) of 2 layers' gradient norms (null: not finite, as the wire sends NaN). */
function run(id: number, norms: [number | null, number | null][], batchesRun = 300): RunData {
  return {
    run: record(summary(id, {}, { batchesRun })),
    series: { checkpointBatches: ws([3], [0, 150, 300]), gradNorms: ws([3, 2], [null, null, ...norms.flat()]) },
  };
}

describe('renderer/lib/grad-norms', () => {
  it('reads a layer’s norms at the checkpoints: batch 0 (no gradient yet) as a gap, zeros as zeros', () => {
    const d = run(1, [
      [0.5, 0.2],
      [0, 0.1],
    ]);
    expect(gradNormPoints(d, 0)).toEqual([
      { x: 0, y: null },
      { x: 150, y: 0.5 },
      { x: 300, y: 0 },
    ]);
    expect(gradNormPoints(d, 1).map((p) => p.y)).toEqual([null, 0.2, 0.1]);
    expect(gradNormPoints(d, 2)).toEqual([]);
    expect(layerName(0, 2)).toBe('hidden 1');
    expect(layerName(1, 2)).toBe('output');
  });

  it('draws one line per run and layer in the run’s colour, the layer as the dash, on a log axis', () => {
    const items: Item[] = [
      { key: 'run-1', label: '#1 relu', color: '#111111', runs: [run(1, [[0.5, 0.2], [0.3, 0.1]])] },
      { key: 'run-2', label: '#2 sigmoid', color: '#222222', runs: [run(2, [[0.05, 0.02], [0.04, 0.01]])] },
    ];
    const m = gradNormChart(items, { mode: 'runs', aggregate: 'median' })!;
    expect(m.y.log).toBe(true);
    expect(m.x.label).toBe('batch');
    expect(m.series.map((s) => [s.label, s.color, s.dash])).toEqual([
      ['#1 relu · hidden 1', '#111111', []],
      ['#1 relu · output', '#111111', [7, 4]],
      ['#2 sigmoid · hidden 1', '#222222', []],
      ['#2 sigmoid · output', '#222222', [7, 4]],
    ]);
    expect(m.runs.map((r) => r.id)).toEqual([1, 2]);
    expect(chartToCsv(m).trimEnd().split('\r\n')).toHaveLength(1 + pointCount(m));
    expect(chartToCsv(m).split('\r\n')[0]).toBe('series,role,batch,gradient norm (L2),config,layer,run_ids');
  });

  it('shows a group’s median with its 25–75 % band per layer in groups mode', () => {
    const items: Item[] = [{ key: 'g', label: 'relu (3 seeds)', color: '#111111', runs: [run(1, [[1, 1], [1, 1]]), run(2, [[2, 2], [2, 2]]), run(3, [[4, 4], [4, 4]])] }];
    const m = gradNormChart(items, { mode: 'groups', aggregate: 'median' })!;
    const centre = m.series.find((s) => s.label === 'relu (3 seeds) · hidden 1 median')!;
    expect(centre.points.map((p) => p.y)).toEqual([null, 2, 2]);
    const hi = m.series.find((s) => s.label === 'relu (3 seeds) · hidden 1 75 %')!;
    expect(hi.points.map((p) => p.y)).toEqual([null, 3, 3]);
    expect(m.notes?.[0]).toMatch(/median over the seeds/);
  });

  it('counts runs with no gradient at all in the median: most seeds at 0 make the median 0, the line leaves the log axis, and the label says how many', () => {
    // the init-mean exercise at mean −eps: 14 of 20 seeds have no gradient at any checkpoint
    const runs = Array.from({ length: 20 }, (_, i) => (i < 14 ? run(i + 1, [[0, 0], [0, 0]]) : run(i + 1, [[0.05, 0.02], [0.04, 0.01]])));
    const m = gradNormChart([{ key: 'g', label: 'mean −eps (20 seeds)', color: '#111111', runs }], { mode: 'groups', aggregate: 'median' })!;
    const centre = m.series.find((s) => s.role === 'centre' && s.label.startsWith('mean −eps (20 seeds) · hidden 1 median'))!;
    expect(centre.label).toBe('mean −eps (20 seeds) · hidden 1 median — 14 of 20 at 0');
    expect(centre.points.map((p) => p.y)).toEqual([null, 0, 0]);
    expect(centre.points.map((p) => drawable(m, p.y))).toEqual([null, null, null]);
    const hi = m.series.find((s) => s.role === 'band-hi' && s.label.includes('hidden 1'))!;
    // 75th percentile of 14 zeros and 6 × 0.05: position 19 · 0.75 = 14.25, both neighbours 0.05
    expect(hi.points[1].y).toBe(0.05);
    const lo = m.series.find((s) => s.role === 'band-lo' && s.label.includes('hidden 1'))!;
    expect(lo.points[1].y).toBe(0);
    expect(m.notes?.join(' ')).toMatch(/k of n at 0/);
  });

  it('counts a non-finite norm as larger than any finite one, and leaves out checkpoints a run never reached', () => {
    const runs = [run(1, [[1, 1], [1, 1]]), run(2, [[2, 2], [null, null]]), run(3, [[null, 3], [null, null]], 200)];
    expect(gradNormPoints(runs[1], 0).map((p) => p.y)).toEqual([null, 2, Infinity]);
    // run 3 stopped at batch 200: its checkpoint at 300 was never recorded
    expect(gradNormPoints(runs[2], 0).map((p) => p.y)).toEqual([null, Infinity, null]);
    const m = gradNormChart([{ key: 'g', label: 'g', color: '#111111', runs }], { mode: 'groups', aggregate: 'median' })!;
    const centre = m.series.find((s) => s.role === 'centre' && s.label.includes('hidden 1'))!;
    expect(centre.points.map((p) => p.y)).toEqual([null, 2, (1 + Infinity) / 2]);
    expect(centre.label).toBe('g · hidden 1 median — 1 of 3 not finite');
  });

  it('says how often a single run’s norm was 0', () => {
    const m = gradNormChart([{ key: 'run-1', label: '#1 relu', color: '#111111', runs: [run(1, [[0, 0.2], [0, 0.1]])] }], { mode: 'runs', aggregate: 'median' })!;
    expect(m.series[0].label).toBe('#1 relu · hidden 1 — 2 of 2 checkpoints at 0');
    expect(m.series[1].label).toBe('#1 relu · output');
  });

  it('is absent when no run has gradient norms', () => {
    const d: RunData = { run: record(summary(1)), series: {} };
    expect(gradNormChart([{ key: 'a', label: 'a', color: '#000000', runs: [d] }], { mode: 'runs', aggregate: 'median' })).toBeNull();
  });
});
