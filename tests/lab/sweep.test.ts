import { describe, expect, it } from 'vitest';
import { expandSweep, parseSweep } from '../../src-main/lab/sweep';
import { SpecError } from '../../src-main/trainer/spec';

function errorOf(input: unknown): SpecError {
  try {
    expandSweep(parseSweep(input));
  } catch (e) {
    if (e instanceof SpecError) return e;
    throw e;
  }
  throw new Error('expected a SpecError');
}

describe('lab/sweep', () => {
  const cases: [string, unknown, string, RegExp][] = [
    ['an unknown field of the sweep', { replicate: 3 }, 'replicate', /unknown field/],
    ['an unknown field of its timing', { timing: { repeat: 3 } }, 'timing.repeat', /unknown field/],
    ['no replicates', { replicates: 0 }, 'replicates', /^must be at least 1$/],
    ['an empty list of values', { grid: { eps: [] } }, 'grid.eps', /give at least one value/],
    ['a field that cannot be swept', { grid: { initialWeights: [[]] } }, 'grid.initialWeights', /./],
    ['a value the spec refuses, naming the grid point', { grid: { activation: ['relu', 'swish'] } }, 'activation', /\(at activation="swish"\)/],
    ['a base the spec refuses', { base: { learningRate: -1 } }, 'learningRate', /^must be more than 0$/],
    // the same runs, seeds and all, trained twice and counted as two (it made "2 of 2" of one run)
    ['a value given twice', { grid: { learningRate: [0.1, 0.5, 0.1] } }, 'grid.learningRate', /^learningRate=0\.1 is given twice: its runs would be trained twice with the same seeds and counted as two/],
    ['two writings of one configuration', { base: { eps: 0.1 }, grid: { activation: ['relu'], initMean: [-0.1, '-eps'] } }, 'grid.initMean', /^initMean=-0\.1 and initMean="-eps" are the same configuration/],
    // He init draws Normal(0, sqrt(2 / fanIn)): two means were two "configurations" of the same runs, both learned nothing
    ['a grid over a field the init does not read', { base: { init: 'he' }, grid: { initMean: [0, '-eps'] } }, 'grid.initMean', /^initMean=0 and initMean="-eps" are the same configuration, as init he does not read initMean \(only normal does\): its runs would be trained twice with the same seeds and counted as two; sweep initMean only where it is read$/],
    ['a grid over a field the optimizer does not read', { grid: { momentum: [0.5, 0.9] } }, 'grid.momentum', /^momentum=0\.5 and momentum=0\.9 are the same configuration, as optimizer sgd does not read momentum \(only momentum does\)/],
    ['a crossed grid where one init does not read the other field', { grid: { init: ['normal', 'xavier'], eps: [0.1, 0.5] } }, 'grid.eps', /^eps=0\.1 and eps=0\.5 are the same configuration at init="xavier", as init xavier does not read eps \(only normal does\)/],
    ['a grid over an init field beside explicit initial weights', { base: { shape: [1, 1, 2], initialWeights: [[[0, 1]], [[0, 1], [0, 1]]] }, grid: { eps: [0.1, 0.5] } }, 'grid.eps', /as initialWeights are given, which replace the drawn weights/],
  ];
  for (const [name, input, field, reason] of cases) {
    it(`refuses ${name}, naming ${field}`, () => {
      const e = errorOf(input);
      expect(e.field).toBe(field);
      expect(e.reason).toMatch(reason);
    });
  }

  it('sweeps a field where the init or optimizer reads it, beside values that do not', () => {
    const cells = expandSweep(parseSweep({ grid: { optimizer: ['sgd', 'momentum'], learningRate: [0.1, 0.5] } }));
    expect(cells.map((c) => [c.spec.optimizer, c.spec.learningRate])).toEqual([['sgd', 0.1], ['sgd', 0.5], ['momentum', 0.1], ['momentum', 0.5]]);
    expect(expandSweep(parseSweep({ base: { optimizer: 'adam' }, grid: { beta1: [0.8, 0.9] } }))).toHaveLength(2);
  });

  it('resolves a mean of −eps per configuration, from the base or the grid', () => {
    const fromBase = expandSweep(parseSweep({ base: { initMean: '-eps' }, grid: { eps: [0.1, 0.5] } }));
    expect(fromBase.map((c) => [c.spec.eps, c.spec.initMean])).toEqual([[0.1, -0.1], [0.5, -0.5]]);
    const fromGrid = expandSweep(parseSweep({ grid: { eps: [0.2], initMean: [0, '-eps'] } }));
    expect(fromGrid.map((c) => c.spec.initMean)).toEqual([0, -0.2]);
  });

  it('pairs replicates: replicate r of every configuration shares its seeds', () => {
    const cells = expandSweep(parseSweep({ grid: { activation: ['relu', 'sigmoid'] }, replicates: 3 }));
    expect(cells.map((c) => [c.spec.activation, c.spec.initSeed, c.spec.dataSeed])).toEqual([
      ['relu', 2, 1], ['relu', 3, 2], ['relu', 4, 3],
      ['sigmoid', 2, 1], ['sigmoid', 3, 2], ['sigmoid', 4, 3],
    ]);
  });

  it('takes a grid whose values differ, however close, and a swept seed as its own replicates', () => {
    expect(expandSweep(parseSweep({ grid: { learningRate: [0.1, 0.1000001] } }))).toHaveLength(2);
    expect(expandSweep(parseSweep({ grid: { initSeed: [1, 2] }, replicates: 2 }))).toHaveLength(4);
  });
});
