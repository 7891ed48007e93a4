/**
 * Seeded pseudo-random numbers for the trainer: xoshiro128** (Blackman & Vigna, 2018),
 * a 32-bit generator with 128 bits of state, seeded through splitmix32 so that nearby
 * seeds give unrelated streams. Every draw goes through an explicit Rng object; the core
 * never touches Math.random(), so a run is reproduced exactly from its seeds.
 *
 * Doubles in [0, 1) take 53 bits from two outputs; normals use the Marsaglia polar
 * method (the second value of each pair is kept for the next call).
 */

export interface Rng {
  /** Next 32-bit unsigned integer. */
  nextU32(): number;
  /** Uniform double in [0, 1) with 53 random bits. */
  uniform(): number;
  /** Normal(mean, std). */
  normal(mean: number, std: number): number;
}

/** splitmix32 step: a well-mixed 32-bit value from a counter (used only for seeding). */
function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) | 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/**
 * Creates a generator from a seed (an integer in [0, 2^53)) and a stream number, so the init
 * stream and the data stream of one run differ even when their seeds are equal.
 */
export function createRng(seed: number, stream = 0): Rng {
  if (!Number.isSafeInteger(seed) || seed < 0) throw new RangeError(`seed must be a non-negative integer, got ${seed}`);
  const lo = seed >>> 0;
  const hi = Math.floor(seed / 4294967296) >>> 0;
  const mix = { s: lo ^ Math.imul(hi, 0x27d4eb2f) ^ Math.imul(stream + 1, 0x165667b1) };
  let s0 = splitmix32(mix);
  let s1 = splitmix32(mix) ^ hi;
  let s2 = splitmix32(mix);
  let s3 = splitmix32(mix);
  if ((s0 | s1 | s2 | s3) === 0) s0 = 1; // the all-zero state is a fixed point
  let spare = 0;
  let hasSpare = false;

  function nextU32(): number {
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
    return result;
  }

  function uniform(): number {
    const a = nextU32() >>> 5; // 27 bits
    const b = nextU32() >>> 6; // 26 bits
    return (a * 67108864 + b) / 9007199254740992;
  }

  function normal(mean: number, std: number): number {
    if (hasSpare) {
      hasSpare = false;
      return mean + std * spare;
    }
    let u: number, v: number, s: number;
    do {
      u = 2 * uniform() - 1;
      v = 2 * uniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    spare = v * f;
    hasSpare = true;
    return mean + std * (u * f);
  }

  return { nextU32, uniform, normal };
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/**
 * Stream numbers: one per purpose, so changing one seed never shifts another stream. `data` draws
 * the training samples of a drawn task, or the epoch order of a finite one; `dataset` draws a
 * generated data set and its train/test split; `taskTest` and `taskProbe` (seed 0) place the fixed
 * test and probe points of a drawn task with too many inputs for a grid.
 */
export const STREAM = { init: 1, data: 2, dataset: 3, taskTest: 4, taskProbe: 5 } as const;
