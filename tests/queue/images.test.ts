/**
 * Fashion-MNIST's files through a job queue, without Redis: packImages packs the four files of a
 * folder as they are, under their content hash (the one a run's spec records, fashionMnistHash);
 * readImages gives a worker back the same bytes only when the size, the digest, the names and the
 * content hash all agree with the job's ref. The files here are small stand-ins: IDX files of a
 * few values each (the content hash reads every file's IDX header, since ba53207), of other sizes
 * than Fashion-MNIST's: only the names and bytes matter to the transport (the trainer checks the
 * dimensions and the hash again).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { FASHION_MNIST_FILES, fashionMnistHash } from '../../src-main/data/fashion-mnist';
import { writeIdx } from '../../src-main/data/idx';
import { pack, unpack } from '../../src-main/queue/codec';
import { DatasetError, packImages, readImages } from '../../src-main/queue/datasets';
import { DatasetRefSchema } from '../../src-main/queue/protocol';

/** Four stand-in files, the first two gzipped as Debian ships them. */
function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'nnlab-images-'));
  FASHION_MNIST_FILES.forEach((name, i) => {
    const body = Buffer.from(writeIdx([100 * (i + 1)], new Uint8Array(100 * (i + 1)).fill(i + 1)));
    if (i < 2) writeFileSync(join(dir, `${name}.gz`), gzipSync(body));
    else writeFileSync(join(dir, name), body);
  });
  return dir;
}

const reason = (f: () => unknown): DatasetError => {
  try {
    f();
  } catch (e) {
    return e as DatasetError;
  }
  throw new Error('did not throw');
};

/** A payload packed from `value`, and a ref that names its size and digest (as a forger would write it). */
function forged(value: unknown, sha256: string) {
  const payload = pack(value);
  return { payload, ref: DatasetRefSchema.parse({ kind: 'images', sha256, name: 'fashion-mnist', columns: [], bytes: payload.length, digest: createHash('sha256').update(payload).digest('hex') }) };
}

describe('queue/datasets: images', () => {
  it('packs the files as they are under their content hash, and gives them back byte for byte; written out, they hash the same', () => {
    const dir = folder();
    const { ref, payload } = packImages(dir);
    expect(ref).toMatchObject({ kind: 'images', sha256: fashionMnistHash(dir), name: 'fashion-mnist', columns: [], bytes: payload.length });
    expect(DatasetRefSchema.parse(ref)).toEqual(ref);
    const files = readImages(ref, payload);
    expect(files.map((f) => f.name)).toEqual([`${FASHION_MNIST_FILES[0]}.gz`, `${FASHION_MNIST_FILES[1]}.gz`, FASHION_MNIST_FILES[2], FASHION_MNIST_FILES[3]]);
    const out = mkdtempSync(join(tmpdir(), 'nnlab-images-out-'));
    for (const f of files) writeFileSync(join(out, f.name), f.bytes);
    expect(fashionMnistHash(out)).toBe(ref.sha256);
  });

  it('refuses other bytes than the ref names, file names that are not the data set’s, and files of another content hash — never as lost (every worker would read the same)', () => {
    const dir = folder();
    const { ref, payload } = packImages(dir);
    const flipped = Buffer.from(payload);
    flipped[flipped.length - 1] ^= 1;
    const e1 = reason(() => readImages(ref, flipped));
    expect(e1).toBeInstanceOf(DatasetError);
    expect(e1.lost).toBe(false);
    expect(e1.message).toMatch(new RegExp(`^data set fashion-mnist \\(content hash ${ref.sha256}\\) in the queue is not the one the run was sent with: its ${payload.length} bytes have sha256 [0-9a-f]{64}, the run names ${payload.length} bytes with sha256 ${ref.digest}`));

    const value = unpack(payload) as { format: string; sha256: string; files: { name: string; bytes: Uint8Array }[] };
    const renamed = forged({ ...value, files: value.files.map((f, i) => (i === 0 ? { ...f, name: '../../evil' } : f)) }, ref.sha256);
    const e2 = reason(() => readImages(renamed.ref, renamed.payload));
    expect(e2.lost).toBe(false);
    expect(e2.message).toBe(`data set fashion-mnist (content hash ${ref.sha256}) in the queue cannot be read: file 1 of Fashion-MNIST is ${FASHION_MNIST_FILES[0]} or ${FASHION_MNIST_FILES[0]}.gz, not "../../evil"`);

    const other = forged({ ...value, files: value.files.map((f, i) => (i === 3 ? { ...f, bytes: Buffer.from('other labels') } : f)) }, ref.sha256);
    const e3 = reason(() => readImages(other.ref, other.payload));
    expect(e3.message).toMatch(new RegExp(`^data set fashion-mnist \\(content hash ${ref.sha256}\\) in the queue holds files with content hash (?!${ref.sha256})[0-9a-f]{64}; not trained on other data$`));

    const three = forged({ ...value, files: value.files.slice(0, 3) }, ref.sha256);
    expect(reason(() => readImages(three.ref, three.payload)).message).toMatch(/cannot be read: Fashion-MNIST has 4 files, not 3$/);
    const notFiles = forged({ format: 'nnlab-images/1', sha256: ref.sha256, files: [{ name: 'a', bytes: 'text' }] }, ref.sha256);
    expect(reason(() => readImages(notFiles.ref, notFiles.payload)).message).toMatch(/is not a data set's files \(files\[0\]\.bytes: /);
  });

  it('reads a job’s ref without kind as a table’s (an nnlab that sent only tables), and refuses columns on images or none on a table', () => {
    const base = { sha256: 'a'.repeat(64), name: 'points.csv', bytes: 10, digest: 'b'.repeat(64) };
    expect(DatasetRefSchema.parse({ ...base, columns: ['x'] }).kind).toBe('table');
    expect(DatasetRefSchema.safeParse({ ...base, kind: 'images', columns: ['x'] }).success).toBe(false);
    expect(DatasetRefSchema.safeParse({ ...base, kind: 'table', columns: [] }).success).toBe(false);
  });
});
