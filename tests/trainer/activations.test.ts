import { describe, expect, it } from 'vitest';
import { ACTIVATION_NAMES, ACTIVATIONS } from '../../src-main/trainer/activations';

describe('trainer/activations', () => {
  const zs = [-3, -0.5, -1e-3, 0.2, 1, 4];
  for (const name of ACTIVATION_NAMES) {
    const act = ACTIVATIONS[name];
    it(`${name}: block loops agree with the scalar function and derivative`, () => {
      const pre = Float64Array.from(zs);
      const out = new Float64Array(zs.length * 2).fill(9);
      act.forward(pre, out, zs.length, 1, 2, 1);
      zs.forEach((z, i) => {
        expect(out[2 * i + 1]).toBeCloseTo(act.f(z), 15);
        expect(out[2 * i]).toBe(9); // the bias column is left alone
      });
      const delta = new Float64Array(zs.length).fill(2);
      act.backward(pre, delta, zs.length);
      zs.forEach((z, i) => expect(delta[i]).toBeCloseTo(2 * act.df(z), 15));
    });
    it(`${name}: derivative matches a central difference`, () => {
      for (const z of zs) expect(act.df(z)).toBeCloseTo((act.f(z + 1e-6) - act.f(z - 1e-6)) / 2e-6, 6);
    });
  }

  it('relu passes NaN through and turns an infinite delta at a dead unit into NaN, as numpy does', () => {
    const out = new Float64Array(1);
    ACTIVATIONS.relu.forward(Float64Array.of(NaN), out, 1, 1, 1, 0);
    expect(out[0]).toBeNaN();
    const delta = Float64Array.of(Infinity);
    ACTIVATIONS.relu.backward(Float64Array.of(-1), delta, 1);
    expect(delta[0]).toBeNaN();
  });
});
