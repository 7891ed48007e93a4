import { describe, expect, it } from 'vitest';
import type { WireSeries } from '@main/api/contract';
import { chartToCsv } from '../../../src-renderer/src/lib/exports';
import { pointCount } from '../../../src-renderer/src/lib/chart-model';
import { type Item, type RunData } from '../../../src-renderer/src/lib/compare';
import { gradNormChart, gradNormPoints, layerName } from '../../../src-renderer/src/lib/grad-norms';
import { record, summary } from '../helpers/fake-lab';

const ws = (shape: number[], data: (number | null)[]): WireSeries => ({ shape, data, length: data.length });

/** A run with 3 checkpoints (0, 150, 300) of 2 layers' gradient norms. */
function run(id: number, norms: [number, number][]): RunData {
  return {
    run: record(summary(id)),
    series: { checkpointBatches: ws([3], [0, 150, 300]), gradNorms: ws([3, 2], [null, null, ...norms.flat()]) },
  };
}

describe('renderer/lib/grad-norms', () => {
  it('reads a layer’s norms at the checkpoints, batch 0 (no gradient yet) and zeros as gaps', () => {
    const d = run(1, [
      [0.5, 0.2],
      [0, 0.1],
    ]);
    expect(gradNormPoints(d, 0)).toEqual([
      { x: 0, y: null },
      { x: 150, y: 0.5 },
      { x: 300, y: null },
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

  it('is absent when no run has gradient norms', () => {
    const d: RunData = { run: record(summary(1)), series: {} };
    expect(gradNormChart([{ key: 'a', label: 'a', color: '#000000', runs: [d] }], { mode: 'runs', aggregate: 'median' })).toBeNull();
  });
});
