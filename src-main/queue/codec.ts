/**
 * Bit-exact transport of a run's result (and of a data set's table or files) through Redis. JSON
 * alone would not do: it turns NaN and ±Infinity into null, −0 into 0, and a typed array into an
 * object of decimal strings. `pack` writes one Buffer — a JSON header, then every Float64Array's,
 * Uint16Array's and Uint8Array's bytes (little-endian, each started at a multiple of 8) — and `unpack` reads it
 * back into the same numbers, bit for bit. Non-finite numbers and −0 outside arrays travel as
 * `{"$num": "NaN" | "Infinity" | "-Infinity" | "-0"}`.
 *
 * `unpack` trusts nothing: a Buffer from another machine is checked for its tag and bounds, and
 * what it returns is only plain data for the caller to validate (RunResultSchema).
 */

const MAGIC = Buffer.from('nnlab-pack/1\n', 'latin1');
/** Header length is a uint32 after the tag; the arrays start at the next multiple of 8. */
const HEADER_AT = MAGIC.length + 4;
const SPECIAL: Record<string, number> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity, '-0': -0 };

function special(x: number): string | null {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  if (x === 0 && Object.is(x, -0)) return '-0';
  return null;
}

/** The typed arrays that travel, by their tag in the header. */
const ARRAYS = { $f64: Float64Array, $u16: Uint16Array, $u8: Uint8Array } as const;
type ArrayTag = keyof typeof ARRAYS;

/** Packs plain data (objects, arrays, strings, booleans, null, numbers, Float64Arrays, Uint16Arrays, Uint8Arrays and Buffers) into one Buffer. */
export function pack(value: unknown): Buffer {
  const arrays: { at: number; a: Float64Array | Uint16Array | Uint8Array }[] = [];
  let offset = 0;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'number') {
      const s = special(v);
      return s === null ? v : { $num: s };
    }
    if (v instanceof Float64Array || v instanceof Uint16Array || v instanceof Uint8Array) {
      const at = offset;
      arrays.push({ at, a: v });
      offset += align8(v.byteLength);
      return { [v instanceof Float64Array ? '$f64' : v instanceof Uint16Array ? '$u16' : '$u8']: [at, v.length] };
    }
    if (ArrayBuffer.isView(v)) throw new TypeError(`pack: only Float64Array, Uint16Array and Uint8Array typed arrays travel, not ${v.constructor.name}`);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = walk(x);
      return out;
    }
    return v;
  };
  const header = Buffer.from(JSON.stringify(walk(value)), 'utf8');
  const dataAt = align8(HEADER_AT + header.length);
  const out = Buffer.alloc(dataAt + offset);
  MAGIC.copy(out, 0);
  out.writeUInt32LE(header.length, MAGIC.length);
  header.copy(out, HEADER_AT);
  // little-endian on every platform nnlab ships for (as the store's BLOBs)
  for (const { at, a } of arrays) Buffer.from(a.buffer, a.byteOffset, a.byteLength).copy(out, dataAt + at);
  return out;
}

/** Reads a Buffer written by `pack`. Throws a plain Error saying what is wrong with it. */
export function unpack(buf: Uint8Array): unknown {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  if (b.length < HEADER_AT || !b.subarray(0, MAGIC.length).equals(MAGIC)) throw new Error('not packed by nnlab (wrong tag)');
  const headerLength = b.readUInt32LE(MAGIC.length);
  if (HEADER_AT + headerLength > b.length) throw new Error('truncated (the header runs past the end)');
  const dataAt = align8(HEADER_AT + headerLength);
  let header: unknown;
  try {
    header = JSON.parse(b.subarray(HEADER_AT, HEADER_AT + headerLength).toString('utf8'));
  } catch (e) {
    throw new Error(`unreadable header (${(e as Error).message})`);
  }
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v === null || typeof v !== 'object') return v;
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 1 && keys[0] === '$num') {
      const s = o.$num;
      if (typeof s !== 'string' || !(s in SPECIAL)) throw new Error(`unknown special number ${JSON.stringify(s)}`);
      return SPECIAL[s];
    }
    if (keys.length === 1 && Object.hasOwn(ARRAYS, keys[0])) {
      const Kind = ARRAYS[keys[0] as ArrayTag];
      const ref = o[keys[0]];
      if (!Array.isArray(ref) || ref.length !== 2 || !ref.every((n) => Number.isSafeInteger(n) && n >= 0)) throw new Error('bad array reference');
      const [at, length] = ref as [number, number];
      const bytes = length * Kind.BYTES_PER_ELEMENT;
      if (at % 8 !== 0 || dataAt + at + bytes > b.length) throw new Error('an array runs past the end (truncated?)');
      const out = new Kind(length);
      new Uint8Array(out.buffer).set(b.subarray(dataAt + at, dataAt + at + bytes));
      return out;
    }
    const out: Record<string, unknown> = {};
    for (const k of keys) {
      // plain data only: a key that would reach a prototype is refused, not copied
      if (k === '__proto__' || k === 'constructor' || k === 'prototype') throw new Error(`refused key ${k}`);
      out[k] = walk(o[k]);
    }
    return out;
  };
  return walk(header);
}

function align8(n: number): number {
  return Math.ceil(n / 8) * 8;
}

/** A short Float64Array as base64 of its bytes (live progress costs: a few hundred values). */
export function f64ToBase64(a: Float64Array): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}

/** Reads `f64ToBase64`; throws when the bytes are not whole values. */
export function f64FromBase64(s: string): Float64Array {
  const bytes = Buffer.from(s, 'base64');
  if (bytes.length % 8 !== 0) throw new Error(`${bytes.length} bytes is not a whole number of float64 values`);
  const out = new Float64Array(bytes.length / 8);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}
