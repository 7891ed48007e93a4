import { describe, expect, it } from 'vitest';
import { f64FromBase64, f64ToBase64, pack, unpack } from '../../src-main/queue/codec';
import { RunResultSchema } from '../../src-main/worker/protocol';
import { train } from '../db/helpers';

function sameBits(a: Float64Array, b: Float64Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

describe('queue/codec', () => {
  it('carries a real run result bit for bit, every series and every scalar, and it validates again', () => {
    const { result } = train({ shape: [1, 8, 8, 2], checkpoints: 5 });
    const back = RunResultSchema.parse(unpack(pack(result)));
    for (const k of ['costHistory', 'mseHistory', 'testInputs', 'testEstimates', 'testTargets', 'finalWeights'] as const) expect(sameBits(back[k], result[k])).toBe(true);
    expect(sameBits(back.checkpoints.estimates, result.checkpoints.estimates)).toBe(true);
    // gradNorms holds NaN at batch 0: JSON would have made it null
    expect(Number.isNaN(back.checkpoints.gradNorms[0])).toBe(true);
    expect(back.finalCost).toBe(result.finalCost);
    expect(back.timing).toEqual(result.timing);
    expect(back.diagnostics).toEqual(result.diagnostics);
  });

  it('keeps NaN, ±Infinity and −0 outside arrays, and odd bit patterns inside them', () => {
    const odd = new Float64Array([NaN, -0, Infinity, -Infinity, 5e-324, 0.1 + 0.2]);
    const v = unpack(pack({ a: NaN, b: -0, c: Infinity, d: -Infinity, e: [1, -0], f: odd, g: 'x', h: null, i: true })) as Record<string, unknown>;
    expect(v.a).toBeNaN();
    expect(Object.is(v.b, -0)).toBe(true);
    expect(v.c).toBe(Infinity);
    expect(v.d).toBe(-Infinity);
    expect(Object.is((v.e as number[])[1], -0)).toBe(true);
    expect(sameBits(v.f as Float64Array, odd)).toBe(true);
    expect([v.g, v.h, v.i]).toEqual(['x', null, true]);
  });

  it('carries a table’s class codes (Uint16Array) beside its numbers, each array 8-aligned', () => {
    const codes = new Uint16Array([0, 65535, 3]);
    const after = new Float64Array([NaN, -0, 0.1]);
    const v = unpack(pack({ codes, after, more: new Uint16Array([7]) })) as { codes: Uint16Array; after: Float64Array; more: Uint16Array };
    expect(v.codes).toBeInstanceOf(Uint16Array);
    expect(Array.from(v.codes)).toEqual([0, 65535, 3]);
    expect(sameBits(v.after, after)).toBe(true);
    expect(Array.from(v.more)).toEqual([7]);
  });

  it('carries bytes (a Uint8Array or a Buffer: a data set’s files) as they are, and the arrays after them stay 8-aligned', () => {
    const file = Buffer.from([0x1f, 0x8b, 0, 255, 7]);
    const after = new Float64Array([NaN, -0]);
    const v = unpack(pack({ files: [{ name: 'a.gz', bytes: file }, { name: 'b', bytes: new Uint8Array(0) }], after })) as { files: { name: string; bytes: Uint8Array }[]; after: Float64Array };
    expect(v.files[0].bytes).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(v.files[0].bytes).equals(file)).toBe(true);
    expect(v.files[1].bytes).toHaveLength(0);
    expect(sameBits(v.after, after)).toBe(true);
  });

  it('reads arrays at any byte offset of the buffer it is given (Redis hands back pooled buffers)', () => {
    const packed = pack({ x: new Float64Array([1, 2, 3]) });
    const shifted = Buffer.alloc(packed.length + 3);
    packed.copy(shifted, 3);
    expect(Array.from((unpack(shifted.subarray(3)) as { x: Float64Array }).x)).toEqual([1, 2, 3]);
  });

  it('refuses what it did not write: another tag, a truncated buffer, a bad reference, a prototype key', () => {
    const packed = pack({ x: new Float64Array(100) });
    expect(() => unpack(Buffer.from('{"x": 1}'))).toThrow(/wrong tag/);
    expect(() => unpack(packed.subarray(0, packed.length - 8))).toThrow(/past the end/);
    const forge = (header: string) => {
      const h = Buffer.from(header);
      const tag = Buffer.from('nnlab-pack/1\n', 'latin1');
      const len = Buffer.alloc(4);
      len.writeUInt32LE(h.length);
      return Buffer.concat([tag, len, h]);
    };
    expect(() => unpack(forge('{"x":{"$f64":[0,1000000]}}'))).toThrow(/past the end/);
    expect(() => unpack(forge('{"x":{"$f64":[3,1]}}'))).toThrow(/past the end|bad/);
    expect(() => unpack(forge('{"x":{"$num":"42"}}'))).toThrow(/unknown special number/);
    expect(() => unpack(forge('{"__proto__":{"polluted":1}}'))).toThrow(/refused key __proto__/);
    expect(() => unpack(forge('{"x":'))).toThrow(/unreadable header/);
    expect(() => unpack(forge('{"x":{"$u16":[2,1]}}'))).toThrow(/past the end|bad/);
    expect(() => pack({ x: new Float32Array(2) })).toThrow(/only Float64Array, Uint16Array and Uint8Array/);
  });

  it('carries live costs as base64, and refuses a partial value', () => {
    const a = new Float64Array([1.5, NaN, -0]);
    const b = f64FromBase64(f64ToBase64(a));
    expect(sameBits(a, b)).toBe(true);
    expect(() => f64FromBase64(Buffer.alloc(7).toString('base64'))).toThrow(/not a whole number/);
  });
});
