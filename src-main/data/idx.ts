/**
 * The IDX format of (Fashion-)MNIST: a magic number (two zero bytes, a type code, the number of
 * dimensions), each dimension as a big-endian 32-bit integer, then the values in row-major
 * order. Only unsigned bytes (type 0x08) are read: the images and the labels of both data sets
 * are bytes. A file may be gzipped (Debian ships `*.gz`): it is unzipped in memory.
 */
import { gunzipSync } from 'node:zlib';

export interface IdxArray {
  /** The sizes of its dimensions, first slowest ([60000, 28, 28] for images). */
  dims: number[];
  data: Uint8Array;
}

/** A file that is not the IDX it should be; the message names the file and what is wrong. */
export class IdxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IdxError';
  }
}

/** Whether bytes start like a gzip stream. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Unzips gzipped bytes (naming the file when they are damaged); other bytes are returned as they are. */
export function gunzipIfNeeded(bytes: Uint8Array, file: string): Uint8Array {
  if (!isGzip(bytes)) return bytes;
  try {
    return gunzipSync(bytes);
  } catch (e) {
    throw new IdxError(`${file}: the gzip data is damaged (${(e as Error).message})`);
  }
}

/**
 * Reads an IDX array of unsigned bytes. `file` is for messages. Throws IdxError for another type,
 * a wrong magic number, or a length that does not match the dimensions.
 */
export function readIdx(bytes: Uint8Array, file: string): IdxArray {
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0) throw new IdxError(`${file}: not an IDX file (it does not start with the IDX magic number)`);
  const type = bytes[2];
  const ndims = bytes[3];
  if (type !== 0x08) throw new IdxError(`${file}: IDX values of type 0x${type.toString(16).padStart(2, '0')}; only unsigned bytes (0x08) are read`);
  if (ndims < 1) throw new IdxError(`${file}: an IDX array needs at least one dimension`);
  const header = 4 + 4 * ndims;
  if (bytes.length < header) throw new IdxError(`${file}: the IDX header is cut short`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  let count = 1;
  for (let d = 0; d < ndims; d++) {
    const n = view.getUint32(4 + 4 * d, false);
    dims.push(n);
    count *= n;
  }
  if (bytes.length - header !== count) {
    throw new IdxError(`${file}: ${bytes.length - header} bytes of values, where dimensions [${dims.join(', ')}] need ${count}`);
  }
  return { dims, data: bytes.subarray(header) };
}

/** An IDX file's bytes: the header for `dims`, then `data` (for tests and for writing small sets). */
export function writeIdx(dims: readonly number[], data: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + data.length);
  out[2] = 0x08;
  out[3] = dims.length;
  const view = new DataView(out.buffer);
  dims.forEach((n, d) => view.setUint32(4 + 4 * d, n, false));
  out.set(data, 4 + 4 * dims.length);
  return out;
}
