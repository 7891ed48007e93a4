/** Targets the output layer cannot reach (analysis/output-reach): found on the test targets, said with the way out. */
import { describe, expect, it } from 'vitest';
import { outOfReachText, outputOutOfReach, outputOutOfReachOfSets } from '../../src-main/analysis/output-reach';

/** (count, outputs) targets, row-major, from one column per output. */
const rows = (...columns: number[][]) => Float64Array.from(columns[0].flatMap((_, i) => columns.map((c) => c[i])));

describe('analysis/output-reach', () => {
  it('finds a target below 0 under the seed’s relu output, and says what can reach it', () => {
    const r = outputOutOfReach({ outputActivation: 'seed', activation: 'relu' }, rows([-1, -0.5, 0, 0.5]), 1, ['x^2 - 1']);
    expect(r).toEqual({ fn: 'relu', seedRule: true, output: 0, name: 'x^2 - 1', beyond: -1, outside: 2, count: 4 });
    expect(outOfReachText(r!, '--output-activation linear')).toBe(
      'the output layer is relu (the seed’s rule: the hidden activation), which never goes below 0, but the target x^2 - 1 reaches −1 (2 of 4 test points are out of its reach): no weights can fit those; a linear output layer can reach them (--output-activation linear)',
    );
  });

  it('names the first output out of reach, above a sigmoid’s or tanh’s range as well as below', () => {
    expect(outputOutOfReach({ outputActivation: 'sigmoid', activation: 'relu' }, rows([0, 1], [0.5, 1.5]), 2, ['a', 'b'])).toMatchObject({ fn: 'sigmoid', seedRule: false, output: 1, name: 'b', beyond: 1.5, outside: 1 });
    expect(outputOutOfReach({ outputActivation: 'seed', activation: 'tanh' }, rows([0, 2]), 1)).toMatchObject({ fn: 'tanh', name: 'output 1', beyond: 2 });
  });

  it('finds nothing where the range holds every target: the seed’s sin and cos under relu or sigmoid (cos 0 = 1 is in reach), any target under linear or leaky relu', () => {
    const sincos = rows([0, Math.sin(0.5), Math.sin(1)], [1, Math.cos(0.5), Math.cos(1)]);
    expect(outputOutOfReach({ outputActivation: 'seed', activation: 'relu' }, sincos, 2)).toBeNull();
    expect(outputOutOfReach({ outputActivation: 'seed', activation: 'sigmoid' }, sincos, 2)).toBeNull();
    expect(outputOutOfReach({ outputActivation: 'linear', activation: 'relu' }, rows([-5, 5]), 1)).toBeNull();
    expect(outputOutOfReach({ outputActivation: 'seed', activation: 'leakyRelu' }, rows([-5, 5]), 1)).toBeNull();
  });

  it('judges several runs’ test sets together, counting each distinct set once, and says how many sets were read', () => {
    const spec = { outputActivation: 'seed', activation: 'relu' } as const;
    const a = rows([-1, 0.5]);
    const b = rows([0.5, -2, -0.5]);
    // a replicate with the same test set adds no points
    expect(outputOutOfReachOfSets(spec, [a, Float64Array.from(a)], 1, ['y'])).toMatchObject({ beyond: -1, outside: 1, count: 2, sets: 1 });
    const two = outputOutOfReachOfSets(spec, [a, b, a], 1, ['y'])!;
    expect(two).toMatchObject({ beyond: -2, outside: 3, count: 5, sets: 2 });
    expect(outOfReachText(two, 'how')).toContain('the target y reaches −2 (3 of 5 test points of the runs’ 2 test sets are out of its reach)');
    expect(outputOutOfReachOfSets(spec, [rows([0, 1])], 1)).toBeNull();
    expect(outputOutOfReachOfSets(spec, [], 1)).toBeNull();
  });
});
