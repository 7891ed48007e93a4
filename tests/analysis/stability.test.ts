import { describe, expect, it } from 'vitest';
import { valueText } from '../../src-main/analysis/config-diff';
import { chooseAxes, isGrid, stabilityMaps, varyingFields } from '../../src-main/analysis/stability';
import type { RunSummary } from '../../src-main/db/types';
import type { RunSpec } from '../../src-main/trainer/spec';
import { summary } from '../renderer/helpers/fake-lab';

let nextId = 1;
/** A run with this test MSE per sample (the constant predictor's is 0.0806: learned at r² ≥ 0.9, i.e. test MSE ≤ 0.00806). */
const r = (spec: Partial<RunSpec>, testMse: number | null, over: Partial<RunSummary> = {}) => summary(nextId++, spec, { testMse, ...over });

describe('analysis/stability', () => {
  it('finds the fields that vary, seeds and explicit weights left out', () => {
    expect(varyingFields([{ a: 1, b: 2, initSeed: 1 }, { a: 1, b: 3, initSeed: 2 }])).toEqual(['b']);
    expect(varyingFields([{ shape: [1, 16, 2], eps: 0.1 }, { shape: [1, 8, 2], eps: 0.1 }])).toEqual(['shape']);
    expect(varyingFields([{ a: 1 }])).toEqual([]);
  });

  it('puts numeric fields on the axes first; the rest become facets', () => {
    const numeric = (f: string) => f !== 'activation';
    expect(chooseAxes(['activation', 'initMean', 'eps'], numeric)).toEqual({ x: 'initMean', y: 'eps', facets: ['activation'] });
    expect(chooseAxes(['activation', 'initMean'], numeric)).toEqual({ x: 'initMean', y: 'activation', facets: [] });
    expect(chooseAxes(['eps'], numeric)).toBeNull();
  });

  it('computes each cell’s median test MSE and outcome classes, one map per activation, as by hand', () => {
    nextId = 1;
    const runs = [
      // relu, mean 0: eps 0.1 → 0.001, 0.005, 1 (median 0.005; 2 learned, 1 learned nothing); eps 0.5 → 0.002, 0.05 (1 learned, 1 underfit)
      r({ activation: 'relu', initMean: 0, eps: 0.1 }, 0.001),
      r({ activation: 'relu', initMean: 0, eps: 0.1, initSeed: 3 }, 0.005),
      r({ activation: 'relu', initMean: 0, eps: 0.1, initSeed: 4 }, 1),
      r({ activation: 'relu', initMean: 0, eps: 0.5 }, 0.002),
      r({ activation: 'relu', initMean: 0, eps: 0.5, initSeed: 3 }, 0.05),
      // relu, mean −0.1: eps 0.1 → 1, 1; eps 0.5 → one diverged (+∞), one running, one interrupted (not counted)
      r({ activation: 'relu', initMean: -0.1, eps: 0.1 }, 1),
      r({ activation: 'relu', initMean: -0.1, eps: 0.1, initSeed: 3 }, 1),
      r({ activation: 'relu', initMean: -0.1, eps: 0.5 }, null, { status: 'diverged' }),
      r({ activation: 'relu', initMean: -0.1, eps: 0.5, initSeed: 3 }, null, { status: 'running' }),
      r({ activation: 'relu', initMean: -0.1, eps: 0.5, initSeed: 4 }, null, { status: 'interrupted' }),
      // sigmoid: only mean 0, eps 0.1 → 0.075 (underfit)
      r({ activation: 'sigmoid', initMean: 0, eps: 0.1 }, 0.075),
    ];
    const m = stabilityMaps(runs)!;
    expect(m).toMatchObject({ xField: 'eps', yField: 'initMean', facetFields: ['activation'], learnedAt: 0.9 });
    expect(m.maps.map((x) => x.facetLabel)).toEqual(['activation=relu', 'activation=sigmoid']);
    const [relu, sigmoid] = m.maps;
    expect(relu.xValues).toEqual([0.1, 0.5]);
    expect(relu.yValues).toEqual([-0.1, 0]); // ascending
    const cell = (row: number, col: number) => {
      const c = relu.cells[row][col]!;
      return [c.medianTestMse, c.learned, c.outcomes.counts.underfit, c.outcomes.counts['learned-nothing'], c.outcomes.counts.diverged, c.n, c.pending, c.notCounted];
    };
    expect(cell(1, 0)).toEqual([0.005, 2, 0, 1, 0, 3, 0, 0]); // mean 0, eps 0.1
    expect(cell(1, 1)).toEqual([(0.002 + 0.05) / 2, 1, 1, 0, 0, 2, 0, 0]);
    expect(cell(0, 0)).toEqual([1, 0, 0, 2, 0, 2, 0, 0]);
    expect(cell(0, 1)).toEqual([Infinity, 0, 0, 0, 1, 1, 1, 1]);
    expect(relu.cells[0][0]!.runIds).toEqual([6, 7]);
    expect(sigmoid.cells[0][0]).toMatchObject({ xValue: 0.1, yValue: 0, runIds: [11], n: 1, learned: 0, pending: 0, notCounted: 0, medianTestMse: 0.075 });
    expect(sigmoid.cells[0][0]!.outcomes.counts.underfit).toBe(1);
    expect(m.range).toEqual({ min: 0.005, max: 1 });
    expect(isGrid(m)).toBe(true);
    // the threshold is the comparison's: at learned-at 0.5 the underfit run at 0.05 (r² 0.38) still underfits, 0.005 (r² 0.94) learns
    expect(stabilityMaps(runs, { learnedAt: 0.95 })!.maps[0].cells[1][0]!.learned).toBe(1);
  });

  it('takes the sweep’s fields and chosen axes; leaves holes where a pair has no runs', () => {
    nextId = 1;
    const runs = [r({ learningRate: 1, eps: 0.1 }, 0.1), r({ learningRate: 0.5, eps: 0.1 }, 0.2), r({ learningRate: 1, eps: 0.5 }, 0.3)];
    const m = stabilityMaps(runs, { fields: ['learningRate', 'eps'], x: 'eps', y: 'learningRate' })!;
    expect([m.xField, m.yField]).toEqual(['eps', 'learningRate']);
    expect(m.maps).toHaveLength(1);
    expect(m.maps[0].cells.map((row) => row.map((c) => c?.medianTestMse ?? null))).toEqual([
      [0.2, null],
      [0.1, 0.3],
    ]);
    expect(m.maps[0].facetLabel).toBe('');
  });

  it('reads init means given relative to eps (a sweep of −eps over several eps) as initMean/eps: a full grid, not a diagonal', () => {
    nextId = 1;
    const runs = [r({ eps: 0.1, initMean: 0 }, 0.1), r({ eps: 0.1, initMean: -0.1 }, 32), r({ eps: 0.5, initMean: 0 }, 32), r({ eps: 0.5, initMean: -0.5 }, 32)];
    const m = stabilityMaps(runs, { fields: ['eps', 'initMean'] })!;
    expect([m.xField, m.yField]).toEqual(['eps', 'initMean/eps']);
    expect(m.maps[0].yValues).toEqual([-1, 0]);
    expect(m.maps[0].cells.map((row) => row.map((c) => c!.runIds))).toEqual([
      [[2], [4]],
      [[1], [3]],
    ]);
    expect(isGrid(m)).toBe(true);
    // absolute means (the same values under every eps) stay as they are
    nextId = 1;
    const abs = stabilityMaps([r({ eps: 0.1, initMean: 0 }, 1), r({ eps: 0.1, initMean: -0.1 }, 1), r({ eps: 0.5, initMean: 0 }, 1), r({ eps: 0.5, initMean: -0.1 }, 1)])!;
    expect([abs.xField, abs.yField]).toEqual(['eps', 'initMean']);
  });

  it('needs two swept fields', () => {
    nextId = 1;
    expect(stabilityMaps([r({ activation: 'relu' }, 0.1), r({ activation: 'sigmoid' }, 1)])).toBeNull();
    expect(isGrid(null)).toBe(false);
    // two fields that vary together are no grid
    const diagonal = stabilityMaps([r({ eps: 0.1, learningRate: 1 }, 0.1), r({ eps: 0.5, learningRate: 0.5 }, 0.1)]);
    expect(diagonal).not.toBeNull();
    expect(isGrid(diagonal)).toBe(false);
    expect(valueText([1, 16, 2])).toBe('[1,16,2]');
    expect(valueText('relu')).toBe('relu');
  });
});
