/**
 * Text metadata in PNG files (PNG spec §11.3.4): an exported chart carries its provenance — run
 * ids, specs, seeds, app version — the way its SVG carries it in <metadata>. Canvas.toBlob writes
 * no text chunks, so they are inserted into its bytes after IHDR: `tEXt` for Latin-1 values
 * (Software), `iTXt` (uncompressed UTF-8) for the JSON. Pure: bytes in, bytes out.
 */

const SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 as PNG computes it (over a chunk's type and data). */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= 33 && SIGNATURE.every((b, i) => bytes[i] === b);
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

function latin1(text: string): Uint8Array {
  return Uint8Array.from(text, (ch) => {
    const code = ch.charCodeAt(0);
    if (code > 255) throw new RangeError(`not Latin-1: ${JSON.stringify(ch)}`);
    return code;
  });
}

function checkKeyword(keyword: string): void {
  // PNG: 1–79 printable Latin-1 characters, no leading, trailing or double spaces
  if (!/^[\x21-\x7e\xa1-\xff](?:[\x21-\x7e\xa1-\xff]| (?! ))*$/.test(keyword) || keyword.length > 79 || keyword.endsWith(' ')) {
    throw new RangeError(`not a PNG text keyword: ${JSON.stringify(keyword)}`);
  }
}

/** A tEXt chunk (Latin-1 text) if the value is Latin-1, else an uncompressed iTXt chunk (UTF-8). */
function textChunk(keyword: string, value: string): Uint8Array {
  checkKeyword(keyword);
  const key = latin1(keyword);
  if (/^[\x00-\xff]*$/.test(value) && !value.includes('\0')) {
    const v = latin1(value);
    const data = new Uint8Array(key.length + 1 + v.length);
    data.set(key, 0);
    data.set(v, key.length + 1);
    return chunk('tEXt', data);
  }
  const v = new TextEncoder().encode(value);
  // keyword \0, compression flag 0, method 0, empty language tag \0, empty translated keyword \0
  const data = new Uint8Array(key.length + 5 + v.length);
  data.set(key, 0);
  data.set(v, key.length + 5);
  return chunk('iTXt', data);
}

/** The PNG with text chunks for `entries` inserted right after its IHDR chunk. */
export function withPngText(png: Uint8Array, entries: Readonly<Record<string, string>>): Uint8Array {
  if (!isPng(png)) throw new Error('not a PNG file');
  const ihdrEnd = 8 + 12 + new DataView(png.buffer, png.byteOffset).getUint32(8);
  const added = Object.entries(entries).map(([k, v]) => textChunk(k, v));
  const out = new Uint8Array(png.length + added.reduce((n, c) => n + c.length, 0));
  out.set(png.subarray(0, ihdrEnd), 0);
  let at = ihdrEnd;
  for (const c of added) {
    out.set(c, at);
    at += c.length;
  }
  out.set(png.subarray(ihdrEnd), at);
  return out;
}

/** The tEXt and iTXt entries of a PNG (uncompressed iTXt only), checking every chunk's CRC. */
export function readPngText(png: Uint8Array): Record<string, string> {
  if (!isPng(png)) throw new Error('not a PNG file');
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const out: Record<string, string> = {};
  const latin1Decoder = new TextDecoder('latin1');
  for (let at = 8; at + 12 <= png.length; ) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(...png.subarray(at + 4, at + 8));
    const data = png.subarray(at + 8, at + 8 + length);
    if (crc32(png.subarray(at + 4, at + 8 + length)) !== view.getUint32(at + 8 + length)) throw new Error(`bad CRC in the ${type} chunk`);
    const nul = data.indexOf(0);
    if (type === 'tEXt' && nul > 0) out[latin1Decoder.decode(data.subarray(0, nul))] = latin1Decoder.decode(data.subarray(nul + 1));
    if (type === 'iTXt' && nul > 0 && data[nul + 1] === 0) {
      const lang = data.indexOf(0, nul + 3);
      const translated = data.indexOf(0, lang + 1);
      out[latin1Decoder.decode(data.subarray(0, nul))] = new TextDecoder().decode(data.subarray(translated + 1));
    }
    if (type === 'IEND') break;
    at += 12 + length;
  }
  return out;
}

/** The entries nnlab writes into an exported PNG: the app, and the provenance JSON (as the SVG's <metadata>). */
export function provenanceText(appVersion: string, provenance: unknown): Record<string, string> {
  return { Software: `nnlab ${appVersion}`, 'nnlab provenance': JSON.stringify(provenance) };
}
