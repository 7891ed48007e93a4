import { describe, expect, it } from 'vitest';
import { createRng } from '../../src-main/trainer/prng';

describe('trainer/prng', () => {
  it('repeats its stream for the same seed and stream, and differs otherwise', () => {
    const draw = (seed: number, stream = 0) => {
      const r = createRng(seed, stream);
      return Array.from({ length: 8 }, () => r.nextU32());
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
    expect(draw(42, 1)).not.toEqual(draw(42, 2));
    expect(draw(2 ** 40)).not.toEqual(draw(0));
  });

  it('draws uniforms in [0, 1) with the right mean and variance', () => {
    const r = createRng(1);
    let sum = 0, sq = 0, min = 1, max = 0;
    const n = 200_000;
    for (let i = 0; i < n; i++) {
      const u = r.uniform();
      sum += u; sq += u * u; min = Math.min(min, u); max = Math.max(max, u);
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    expect(sum / n).toBeCloseTo(0.5, 2);
    expect(sq / n - (sum / n) ** 2).toBeCloseTo(1 / 12, 3);
  });

  it('draws normals with the requested mean and standard deviation', () => {
    const r = createRng(2);
    const n = 200_000;
    let sum = 0, sq = 0;
    for (let i = 0; i < n; i++) {
      const x = r.normal(-0.1, 0.1);
      sum += x; sq += x * x;
    }
    const mean = sum / n;
    expect(mean).toBeCloseTo(-0.1, 3);
    expect(Math.sqrt(sq / n - mean * mean)).toBeCloseTo(0.1, 3);
  });

  it('refuses a seed that is not a non-negative integer', () => {
    expect(() => createRng(-1)).toThrow(/seed/);
    expect(() => createRng(1.5)).toThrow(/seed/);
  });
});
