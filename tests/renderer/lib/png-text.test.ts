import { describe, expect, it } from 'vitest';
import { crc32, provenanceText, readPngText, withPngText } from '../../../src-renderer/src/lib/png-text';

/** A 1×1 grey PNG, as a browser's canvas.toBlob writes one: IHDR, IDAT, IEND, no text. */
const ONE_PIXEL = Uint8Array.from(atob('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNgAAAAAgABSK+kcQAAAABJRU5ErkJggg=='), (c) => c.charCodeAt(0));

describe('renderer/lib/png-text', () => {
  it('computes PNG’s CRC-32 (the IEND chunk’s well-known value)', () => {
    expect(crc32(new TextEncoder().encode('IEND'))).toBe(0xae426082);
  });

  it('writes provenance after IHDR and reads it back, non-Latin-1 text included, the image untouched', () => {
    const prov = { app: 'nnlab', chart: 'cost', notes: ['init mean −eps', 'µs/sample'], runs: [{ id: 1, spec: { activation: 'relu' } }] };
    const out = withPngText(ONE_PIXEL, provenanceText('0.1.0', prov));
    expect(readPngText(ONE_PIXEL)).toEqual({});
    const text = readPngText(out);
    expect(text.Software).toBe('nnlab 0.1.0');
    expect(JSON.parse(text['nnlab provenance'])).toEqual(prov);
    // IHDR still first; everything after the inserted chunks is the original, byte for byte
    expect(String.fromCharCode(...out.subarray(12, 16))).toBe('IHDR');
    expect(out.subarray(0, 33)).toEqual(ONE_PIXEL.subarray(0, 33));
    expect(out.subarray(out.length - (ONE_PIXEL.length - 33))).toEqual(ONE_PIXEL.subarray(33));
    // Latin-1 values go in tEXt, others in iTXt
    const types = (bytes: Uint8Array) => {
      const view = new DataView(bytes.buffer, bytes.byteOffset);
      const found: string[] = [];
      for (let at = 8; at < bytes.length; at += 12 + view.getUint32(at)) found.push(String.fromCharCode(...bytes.subarray(at + 4, at + 8)));
      return found;
    };
    expect(types(out)).toEqual(['IHDR', 'tEXt', 'iTXt', 'IDAT', 'IEND']);
    expect(types(withPngText(ONE_PIXEL, { Comment: 'µs per sample' }))).toEqual(['IHDR', 'tEXt', 'IDAT', 'IEND']);
  });

  it('refuses what is not a PNG, a bad keyword, and a damaged chunk', () => {
    expect(() => withPngText(new TextEncoder().encode('<svg/>'), { Software: 'nnlab' })).toThrow('not a PNG file');
    expect(() => withPngText(ONE_PIXEL, { ' leading space': 'x' })).toThrow('not a PNG text keyword');
    expect(() => withPngText(ONE_PIXEL, { ['k'.repeat(80)]: 'x' })).toThrow('not a PNG text keyword');
    const out = withPngText(ONE_PIXEL, { Software: 'nnlab 0.1.0' });
    out[45] ^= 1; // a byte of the tEXt chunk's text
    expect(() => readPngText(out)).toThrow('bad CRC in the tEXt chunk');
  });
});
