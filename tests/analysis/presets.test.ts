import { describe, expect, it } from 'vitest';
import { PRESETS } from '../../src-main/analysis/presets';
import { expandSweep, parseSweep } from '../../src-main/lab/sweep';

describe('analysis/presets', () => {
  it('init-mean: relu, mean 0 and mean −eps, 20 paired seeds each', () => {
    const cells = expandSweep(parseSweep(PRESETS['init-mean'].sweep));
    expect(cells).toHaveLength(40);
    expect(new Set(cells.map((c) => c.spec.initMean))).toEqual(new Set([0, -0.1]));
    expect(cells.every((c) => c.spec.activation === 'relu')).toBe(true);
    const seeds = (mean: number) => cells.filter((c) => c.spec.initMean === mean).map((c) => `${c.spec.initSeed}/${c.spec.dataSeed}`);
    expect(seeds(0)).toEqual(seeds(-0.1));
  });

  it('relu-vs-sigmoid: the seed experiment with both activations, same seeds and steps', () => {
    const cells = expandSweep(parseSweep(PRESETS['relu-vs-sigmoid'].sweep));
    expect(cells).toHaveLength(40);
    const relu = cells.filter((c) => c.spec.activation === 'relu');
    const sigmoid = cells.filter((c) => c.spec.activation === 'sigmoid');
    expect(relu.map((c) => c.spec.initSeed)).toEqual(sigmoid.map((c) => c.spec.initSeed));
    expect(new Set(cells.map((c) => c.spec.batches))).toEqual(new Set([300]));
  });

  it('circle-init-mean: the first exercise on Playground’s circle, with the task’s own network, loss and output layer', () => {
    const cells = expandSweep(parseSweep(PRESETS['circle-init-mean'].sweep));
    expect(cells).toHaveLength(40);
    expect(new Set(cells.map((c) => c.spec.initMean))).toEqual(new Set([0, -0.1]));
    expect(cells.every((c) => c.spec.task === 'circle' && c.spec.activation === 'relu' && c.spec.loss === 'cross-entropy' && c.spec.outputActivation === 'softmax')).toBe(true);
    expect(cells[0].spec.shape).toEqual([2, 8, 8, 2]);
    const seeds = (mean: number) => cells.filter((c) => c.spec.initMean === mean).map((c) => `${c.spec.initSeed}/${c.spec.dataSeed}`);
    expect(seeds(0)).toEqual(seeds(-0.1));
  });

  it('spiral-relu-vs-sigmoid: the second exercise on spiral, same seeds and steps, timed', () => {
    const def = parseSweep(PRESETS['spiral-relu-vs-sigmoid'].sweep);
    const cells = expandSweep(def);
    expect(cells).toHaveLength(40);
    expect(def.timing).toBeDefined();
    const relu = cells.filter((c) => c.spec.activation === 'relu');
    const sigmoid = cells.filter((c) => c.spec.activation === 'sigmoid');
    expect(relu.map((c) => [c.spec.initSeed, c.spec.dataSeed])).toEqual(sigmoid.map((c) => [c.spec.initSeed, c.spec.dataSeed]));
    expect(cells.every((c) => c.spec.task === 'spiral' && c.spec.outputActivation === 'softmax' && c.spec.batches === 2000)).toBe(true);
  });

  it('resolves -eps against each configuration of a swept eps', () => {
    const cells = expandSweep(parseSweep({ grid: { eps: [0.1, 0.5], initMean: [0, '-eps'] } }));
    expect(cells.map((c) => [c.spec.eps, c.spec.initMean])).toEqual([[0.1, 0], [0.1, -0.1], [0.5, 0], [0.5, -0.5]]);
  });

  it('names the field and the grid point of an invalid cell', () => {
    expect(() => expandSweep(parseSweep({ grid: { learningRate: [0.1, -1] } }))).toThrow(/^learningRate: .*\(at learningRate=-1\)/);
    expect(() => parseSweep({ grid: { colour: ['red'] } })).toThrow(/grid/);
    expect(() => expandSweep(parseSweep({ grid: { batches: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] }, replicates: 10_000 }))).toThrow(/110,000 runs/);
  });
});
