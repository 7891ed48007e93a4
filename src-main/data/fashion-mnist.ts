/**
 * Fashion-MNIST from its IDX files (Debian's dataset-fashion-mnist installs them, gzipped, in
 * /usr/share/datasets/fashion-mnist; NNLAB_FASHION_MNIST names another folder). Read here, in a
 * lab or trainer process, never copied into a database: a run records the files' content hash
 * (sha256 over the four unzipped files, in FILES order) in its spec, and a re-run checks that
 * the files it reads have it. Each process keeps what it read (keyed by the files' sizes and
 * modification times), so a sweep reads them once.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { ImageSet, LabelledImages } from '../trainer/tasks';
import { FASHION_MNIST as DEF } from '../trainer/tasks';
import { gunzipIfNeeded, IdxError, readIdx } from './idx';

export const DEFAULT_FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

/** The four files, in the order their contents are hashed. */
export const FASHION_MNIST_FILES = ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'] as const;

/** The data set's files are not there, or not readable as its own (damaged): the message is one line that says how to get them. */
export class DataMissingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataMissingError';
  }
}

/** The folder the files are read from. */
export function fashionMnistDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.NNLAB_FASHION_MNIST || DEFAULT_FASHION_MNIST_DIR;
}

/** The path of each file in `dir`: the gzipped one Debian ships, or the file unzipped. */
function locate(dir: string): { path: string; size: number; mtimeMs: number }[] {
  return FASHION_MNIST_FILES.map((name) => {
    for (const path of [join(dir, `${name}.gz`), join(dir, name)]) {
      try {
        const st = statSync(path);
        if (st.isFile()) return { path, size: st.size, mtimeMs: st.mtimeMs };
      } catch {
        // not this one: try the other name
      }
    }
    const how = dir === DEFAULT_FASHION_MNIST_DIR ? 'install it with `sudo apt-get install dataset-fashion-mnist`' : `put the four files there (Debian's dataset-fashion-mnist installs them in ${DEFAULT_FASHION_MNIST_DIR})`;
    throw new DataMissingError(`Fashion-MNIST is not installed: no ${join(dir, `${name}.gz`)} (${how}, or set NNLAB_FASHION_MNIST to a folder with its four IDX files)`);
  });
}

const stamp = (files: { path: string; size: number; mtimeMs: number }[]) => files.map((f) => `${f.path}:${f.size}:${f.mtimeMs}`).join('|');

let hashed: { stamp: string; sha256: string } | null = null;
let loaded: { stamp: string; set: ImageSet } | null = null;

/**
 * A file that is there but is no IDX (a cut download, another file under its name) as the missing
 * one is said: one line naming it and how to get good copies, where it was an IdxError's stack.
 */
function readable<T>(dir: string, read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (!(e instanceof IdxError)) throw e;
    const how = dir === DEFAULT_FASHION_MNIST_DIR ? 'reinstall it with `sudo apt-get install --reinstall dataset-fashion-mnist`' : `put good copies there (Debian's dataset-fashion-mnist installs them in ${DEFAULT_FASHION_MNIST_DIR})`;
    throw new DataMissingError(`Fashion-MNIST cannot be read: ${e.message} (${how}, or set NNLAB_FASHION_MNIST to a folder with its four IDX files)`);
  }
}

/**
 * The content hash of the files in `dir` (what a run's spec records), without keeping them in
 * memory; each file's IDX header and length are checked on the way, so a damaged file is refused
 * before a run is made of it.
 */
export function fashionMnistHash(dir: string = fashionMnistDir()): string {
  const files = locate(dir);
  const key = stamp(files);
  if (loaded?.stamp === key) return loaded.set.sha256;
  if (hashed?.stamp === key) return hashed.sha256;
  const hash = createHash('sha256');
  readable(dir, () => {
    for (const f of files) {
      const bytes = gunzipIfNeeded(readFileSync(f.path), f.path);
      readIdx(bytes, f.path);
      hash.update(bytes);
    }
  });
  hashed = { stamp: key, sha256: hash.digest('hex') };
  return hashed.sha256;
}

function images(pixels: { path: string; bytes: Uint8Array }, labels: { path: string; bytes: Uint8Array }, count: number): LabelledImages {
  const img = readIdx(pixels.bytes, pixels.path);
  const lab = readIdx(labels.bytes, labels.path);
  if (img.dims.length !== 3 || img.dims[0] !== count || img.dims[1] !== DEF.height || img.dims[2] !== DEF.width) {
    throw new IdxError(`${pixels.path}: images of dimensions [${img.dims.join(', ')}], where Fashion-MNIST has [${count}, ${DEF.height}, ${DEF.width}]`);
  }
  if (lab.dims.length !== 1 || lab.dims[0] !== count) throw new IdxError(`${labels.path}: labels of dimensions [${lab.dims.join(', ')}], where Fashion-MNIST has [${count}]`);
  for (let i = 0; i < count; i++) {
    if (lab.data[i] >= DEF.outputs) throw new IdxError(`${labels.path}: label ${lab.data[i]} at image ${i}, where Fashion-MNIST has ${DEF.outputs} classes`);
  }
  return { count, pixels: img.data, labels: lab.data };
}

/** Both sets of the files in `dir`, checked (dimensions, labels) and hashed; kept for the next call. */
export function loadFashionMnist(dir: string = fashionMnistDir()): ImageSet {
  const files = locate(dir);
  const key = stamp(files);
  if (loaded?.stamp === key) return loaded.set;
  const set = readable(dir, (): ImageSet => {
    const hash = createHash('sha256');
    const bytes = files.map((f) => {
      const b = gunzipIfNeeded(readFileSync(f.path), f.path);
      hash.update(b);
      return { path: f.path, bytes: b };
    });
    return {
      sha256: hash.digest('hex'),
      width: DEF.width,
      height: DEF.height,
      train: images(bytes[0], bytes[1], DEF.trainCount),
      test: images(bytes[2], bytes[3], DEF.testCount),
    };
  });
  loaded = { stamp: key, set };
  return set;
}

/** A data set's file as it travels (a job queue): its name in the folder and its bytes, gzipped or not. */
export interface DataFile {
  name: string;
  bytes: Uint8Array;
}

/**
 * The four files in `dir` as they are on disk (Debian's gzipped ones, or unzipped), with the
 * content hash of what they hold — the hash a run's spec records — computed from these very bytes:
 * what a lab sends through a job queue to workers that do not have the files.
 */
export function readFashionMnistFiles(dir: string = fashionMnistDir()): { sha256: string; files: DataFile[] } {
  const files = locate(dir).map((f) => ({ name: basename(f.path), bytes: readFileSync(f.path) }));
  return { sha256: fashionMnistFilesHash(files), files };
}

/**
 * The content hash of the four files (each FASHION_MNIST_FILES[i] or its `.gz`, in that order) —
 * the same as fashionMnistHash of a folder holding them. Throws IdxError for other names or
 * damaged gzip data: nothing else may be written into a folder the trainer reads.
 */
export function fashionMnistFilesHash(files: readonly DataFile[]): string {
  if (files.length !== FASHION_MNIST_FILES.length) throw new IdxError(`Fashion-MNIST has ${FASHION_MNIST_FILES.length} files, not ${files.length}`);
  const hash = createHash('sha256');
  files.forEach((f, i) => {
    const want = FASHION_MNIST_FILES[i];
    if (f.name !== want && f.name !== `${want}.gz`) throw new IdxError(`file ${i + 1} of Fashion-MNIST is ${want} or ${want}.gz, not ${JSON.stringify(f.name).slice(0, 80)}`);
    hash.update(gunzipIfNeeded(f.bytes, f.name));
  });
  return hash.digest('hex');
}
