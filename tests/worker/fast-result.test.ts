import { describe, expect, it } from 'vitest';
import { parseRunSpec } from '../../src-main/trainer/spec';
import { Trainer } from '../../src-main/trainer/trainer';
import { z } from 'zod';
import { compileFastCheck, fastResultMessage } from '../../src-main/worker/fast-result';
import { FromWorkerSchema, ResultMessageSchema } from '../../src-main/worker/protocol';

/** A result message as a trainer process sends it, of a real training. */
function message(input: Record<string, unknown>, jobId = 7): Record<string, unknown> {
  const trainer = new Trainer(parseRunSpec({ batches: 40, ...input }));
  trainer.run(1e9);
  return { type: 'result', jobId, cancelled: false, result: trainer.result() };
}

const real = [
  message({}),
  message({ task: 'circle', batches: 30 }),
  message({ learningRate: 1e6, batches: 60 }), // diverges
  message({ task: 'xor', checkpoints: 0, batches: 10 }, 1),
];

/** Every path to a value in the message (objects and arrays walked — an array's first and last element —, typed arrays are leaves). */
function paths(v: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (v instanceof Float64Array || v === null || typeof v !== 'object') return [at];
  const keys: (string | number)[] = Array.isArray(v) ? (v.length === 0 ? [] : [...new Set([0, v.length - 1])]) : Object.keys(v);
  return [at, ...keys.flatMap((k) => paths((v as Record<string | number, unknown>)[k], [...at, k]))];
}

type Node = Record<string | number, unknown>;
const at = (root: unknown, path: (string | number)[]): unknown => path.reduce<unknown>((o, k) => (o as Node)[k], root);

/** The same value: typed arrays the same instance (the schema hands them on), objects and arrays the same fields. */
function same(a: unknown, b: unknown): boolean {
  if (a instanceof Float64Array || b instanceof Float64Array) return a === b;
  if (typeof a === 'number' && typeof b === 'number') return Object.is(a, b);
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return a === b;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a).filter((k) => (a as Node)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Node)[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => same((a as Node)[k], (b as Node)[k]));
}

const WRONG: unknown[] = ['x', '', null, undefined, true, 0, -1, 1.5, 2 ** 60, NaN, Infinity, -Infinity, [], [1, 'x'], {}, new Float32Array(2), new Float64Array(1), new Map(), new Date(0)];

describe('worker/fast-result: the lab’s fast check of a result message', () => {
  it('is compiled from the schema: a field added to it is checked with no other edit, and what it cannot state exactly is refused by name', () => {
    const m = real[0] as { result: Record<string, unknown> };
    const extended = compileFastCheck(ResultMessageSchema.extend({ result: ResultMessageSchema.shape.result.extend({ extra: z.int().min(1) }) }));
    expect(extended(m)).toBe(false);
    expect(extended({ ...m, result: { ...m.result, extra: 1.5 } })).toBe(false);
    expect(extended({ ...m, result: { ...m.result, extra: 2 } })).toBe(true);
    expect(() => compileFastCheck(z.object({ a: z.string().min(1) }))).toThrow(/cannot check a fast: checks on a string/);
    expect(() => compileFastCheck(z.object({ a: z.object({ b: z.number().multipleOf(2) }) }))).toThrow(/cannot check a\.b fast: the number check multiple_of/);
    expect(() => compileFastCheck(z.looseObject({ a: z.int() }))).toThrow(/an object that keeps unknown keys/);
    expect(() => compileFastCheck(z.object({ a: z.string().transform((x) => x.length) }))).toThrow(/cannot check a fast: a pipe schema/);
    expect(() => compileFastCheck(z.union([z.object({}), z.string()]))).toThrow(/a union of objects/);
  });

  it('accepts real results as they are (the same object), exactly where the schema does, with the schema’s output', () => {
    for (const m of real) {
      const parsed = FromWorkerSchema.safeParse(m);
      expect(parsed.success).toBe(true);
      expect(fastResultMessage(m)).toBe(m);
      expect(parsed.data).toEqual(m);
    }
    // the optional weight checkpoints left out
    const without = structuredClone(real[0]);
    delete (without.result as Record<string, unknown>).weightCheckpoints;
    expect(fastResultMessage(without)).toBe(without);
    expect(FromWorkerSchema.safeParse(without).success).toBe(true);
  });

  it('never accepts what the schema refuses or would change: every field of real results, replaced by wrong values, removed, or joined by an unknown one', () => {
    let tried = 0;
    let refusedBySchema = 0;
    let acceptedByBoth = 0;
    const check = (v: unknown, what: string) => {
      tried++;
      const fast = fastResultMessage(v);
      const parsed = FromWorkerSchema.safeParse(v);
      if (!parsed.success) refusedBySchema++;
      if (fast === null) return;
      // accepted: the schema accepts it too, and its output is the message itself
      expect(parsed.success, `accepted ${what}`).toBe(true);
      expect(same(parsed.data, v), `the schema changed ${what}`).toBe(true);
      acceptedByBoth++;
    };
    // each change is made in place and undone (a copy per change is too slow for thousands)
    for (const m of real.slice(0, 2)) {
      for (const path of paths(m)) {
        const target = at(m, path);
        if (path.length > 0) {
          const parent = at(m, path.slice(0, -1)) as Node;
          const key = path[path.length - 1];
          for (const w of WRONG) {
            parent[key] = w;
            check(m, `${JSON.stringify(path)} = ${String(w)}`);
          }
          delete parent[key];
          check(m, `${JSON.stringify(path)} removed`);
          parent[key] = target;
        }
        if (target && typeof target === 'object' && !Array.isArray(target) && !(target instanceof Float64Array)) {
          (target as Node).unexpected = 1;
          check(m, `${JSON.stringify(path)} with an unknown field`);
          delete (target as Node).unexpected;
        }
        if (Array.isArray(target) && target.length > 1) {
          const first = target[0];
          delete target[0];
          check(m, `${JSON.stringify(path)} with a hole`);
          target[0] = first;
        }
      }
      // undone: the message is as it was
      expect(FromWorkerSchema.safeParse(m).data).toEqual(m);
      expect(fastResultMessage(m)).toBe(m);
    }
    expect(tried).toBeGreaterThan(3000);
    expect(refusedBySchema).toBeGreaterThan(tried / 2);
    // not vacuous: many changes are still valid results (NaN or Infinity in a loss, another integer), and it takes them
    expect(acceptedByBoth).toBeGreaterThan(300);
  });

  it('leaves other messages to the schema', () => {
    expect(fastResultMessage({ type: 'alive', jobId: 1 })).toBeNull();
    expect(fastResultMessage(null)).toBeNull();
    expect(fastResultMessage('result')).toBeNull();
    expect(fastResultMessage({ ...real[0], type: 'replayed' })).toBeNull();
  });
});
