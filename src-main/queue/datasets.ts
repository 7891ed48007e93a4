/**
 * Data sets through the job queue. A sweep over a stored table (task csv) does not copy the table
 * into each job: the lab puts it into Redis once, packed (codec.ts) with the values of the columns
 * the runs use, at a key named by the data set's content hash and the packed bytes' own sha256
 * (`digest`), and each job names it (DatasetRef). A worker fetches it once, checks it against the
 * job's ref — size, digest, the data set's hash inside it, the columns — before anything trains
 * on it, and keeps it for the next jobs.
 *
 * Lifetime: beside the data a set of the job ids that need it. The lab adds its jobs' ids before
 * it sends them, and removes each once it has collected (or removed) the job; the last removal
 * deletes the data, in one script, so the data outlives every job that needs it and no longer.
 * Keys are content-addressed: labs sharing a queue and a data set share one copy, and a second
 * put of the same bytes is skipped.
 *
 * Fashion-MNIST travels the same way, as its four files (packImages; the key named by the files'
 * content hash, which the spec records). A worker whose own files have that hash reads them and
 * fetches nothing; one without them (or with another version) fetches the lab's once, checks
 * their content hash against the spec's, and writes them into a folder of its own that its trainer
 * processes read (DatasetCache.imagesDir), removed when the worker stops.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { DataMissingError, type DataFile, fashionMnistFilesHash, fashionMnistHash, readFashionMnistFiles } from '../data/fashion-mnist';
import { TableSchema } from '../data/table-wire';
import type { RunSpec } from '../trainer/spec';
import type { Table } from '../trainer/table';
import { TASK_DEFS } from '../trainer/tasks';
import { pack, unpack } from './codec';
import { firstIssue, type DatasetRef } from './protocol';

/** Redis refuses values over 512 MB: a data set's packed columns may have this much. */
export const MAX_DATASET_BYTES = 500 * 1024 * 1024;
/** A worker keeps data sets it fetched up to this many bytes in all (the least recently used go first). */
const WORKER_CACHE_BYTES = 1024 * 1024 * 1024;

export function datasetKey(queue: string, ref: Pick<DatasetRef, 'sha256' | 'digest'>): string {
  return `bull:${queue}:nnlab-data:${ref.sha256}:${ref.digest}`;
}

/** The ids of the jobs that still need the data set at datasetKey. */
export function datasetUsersKey(queue: string, ref: Pick<DatasetRef, 'sha256' | 'digest'>): string {
  return `bull:${queue}:nnlab-data-users:${ref.sha256}:${ref.digest}`;
}

/** A data set as it travels: its ref (in each job) and its packed bytes (once in Redis). */
export interface PackedDataset {
  ref: DatasetRef;
  payload: Buffer;
}

/** A table packed for Redis, with the ref its jobs carry (`columns`: those whose values it holds). */
export function packDataset(table: Table, columns: readonly string[]): PackedDataset {
  const payload = pack(table);
  return { ref: { kind: 'table', sha256: table.sha256, name: table.name, columns: [...columns], bytes: payload.length, digest: createHash('sha256').update(payload).digest('hex') }, payload };
}

const IMAGES_FORMAT = 'nnlab-images/1';
const ImagesPayloadSchema = z.strictObject({
  format: z.literal(IMAGES_FORMAT),
  sha256: z.string(),
  files: z.array(z.strictObject({ name: z.string().max(200), bytes: z.instanceof(Uint8Array) })).max(8),
});

/**
 * Fashion-MNIST's four files as this machine has them (NNLAB_FASHION_MNIST or Debian's folder),
 * packed for Redis, with the ref its jobs carry: its sha256 is the files' content hash, computed
 * from the bytes packed.
 */
export function packImages(dir?: string): PackedDataset {
  const { sha256, files } = readFashionMnistFiles(dir);
  const payload = pack({ format: IMAGES_FORMAT, sha256, files });
  return { ref: { kind: 'images', sha256, name: 'fashion-mnist', columns: [], bytes: payload.length, digest: createHash('sha256').update(payload).digest('hex') }, payload };
}

/**
 * Puts the data sets of `jobs` into Redis before the jobs are sent: registers each job with the
 * data it needs, then writes the data where it is not there yet (so it is sent once).
 */
export async function putDatasets(redis: Redis, queue: string, jobs: readonly { jobId: string; refs: readonly DatasetRef[] }[], payload: (ref: DatasetRef) => Buffer): Promise<void> {
  const byKey = new Map<string, { ref: DatasetRef; ids: string[] }>();
  for (const j of jobs) {
    for (const ref of j.refs) {
      const key = datasetKey(queue, ref);
      const entry = byKey.get(key) ?? { ref, ids: [] };
      entry.ids.push(j.jobId);
      byKey.set(key, entry);
    }
  }
  for (const [key, { ref, ids }] of byKey) {
    // registered first: a lab releasing the last job of another sweep cannot delete it in between
    await redis.sadd(datasetUsersKey(queue, ref), ...ids);
    if (!(await redis.exists(key))) await redis.set(key, payload(ref));
  }
}

/** The data sets Redis holds for a queue's jobs, and their bytes (nnlab queue status). */
export async function datasetsHeld(redis: Redis, queue: string): Promise<{ count: number; bytes: number }> {
  let count = 0;
  let bytes = 0;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `bull:${queue}:nnlab-data:*`, 'COUNT', 1000);
    cursor = next;
    for (const key of keys) {
      count++;
      bytes += await redis.strlen(key);
    }
  } while (cursor !== '0');
  return { count, bytes };
}

/** Removes a job from the users of its data sets; the last one out deletes the data. */
const RELEASE = `redis.call('SREM', KEYS[2], ARGV[1])
if redis.call('SCARD', KEYS[2]) == 0 then redis.call('DEL', KEYS[1]) end
return 0`;

export async function releaseDatasets(redis: Redis, queue: string, jobId: string, refs: readonly DatasetRef[]): Promise<void> {
  for (const ref of refs) await redis.eval(RELEASE, 2, datasetKey(queue, ref), datasetUsersKey(queue, ref), jobId);
}

/** Why a data set fetched for a job cannot be trained on. `lost`: Redis does not have it. */
export class DatasetError extends Error {
  constructor(
    message: string,
    readonly lost: boolean,
  ) {
    super(message);
    this.name = 'DatasetError';
  }
}

const short = (sha: string) => sha.slice(0, 12);

/**
 * The queue's copy of a data set unpacked, after checking it is the one the job was sent with (its
 * size and digest); throws DatasetError naming it as `what` says.
 */
function unpackChecked(ref: DatasetRef, payload: Buffer, what: string): unknown {
  const digest = createHash('sha256').update(payload).digest('hex');
  if (payload.length !== ref.bytes || digest !== ref.digest) {
    throw new DatasetError(`${what} in the queue is not the one the run was sent with: its ${payload.length} bytes have sha256 ${digest}, the run names ${ref.bytes} bytes with sha256 ${ref.digest}; not trained on other data`, false);
  }
  try {
    return unpack(payload);
  } catch (e) {
    throw new DatasetError(`${what} in the queue cannot be read: ${(e as Error).message}`, false);
  }
}

/** The table in `payload`, checked against the job's ref; throws DatasetError saying what differs. */
export function readDataset(ref: DatasetRef, payload: Buffer): Table {
  const what = `data set ${ref.name} (sha256 ${ref.sha256})`;
  const parsed = TableSchema.safeParse(unpackChecked(ref, payload, what));
  if (!parsed.success) throw new DatasetError(`${what} in the queue is not a table (${firstIssue(parsed.error)})`, false);
  const table = parsed.data;
  if (table.sha256 !== ref.sha256) throw new DatasetError(`${what} in the queue holds data set ${table.name} (sha256 ${table.sha256}); not trained on other data`, false);
  for (const name of ref.columns) {
    const i = table.columns.findIndex((c) => c.name === name);
    if (i < 0 || (!table.values[i]?.values && !table.values[i]?.codes)) throw new DatasetError(`${what} in the queue lacks the values of column '${name}'`, false);
  }
  return table;
}

/** The files in `payload`, checked against the job's ref (size, digest, names, the content hash of what they hold); throws DatasetError saying what differs. */
export function readImages(ref: DatasetRef, payload: Buffer): DataFile[] {
  const what = `data set ${ref.name} (content hash ${ref.sha256})`;
  const parsed = ImagesPayloadSchema.safeParse(unpackChecked(ref, payload, what));
  if (!parsed.success) throw new DatasetError(`${what} in the queue is not a data set's files (${firstIssue(parsed.error)})`, false);
  let hash: string;
  try {
    hash = fashionMnistFilesHash(parsed.data.files);
  } catch (e) {
    throw new DatasetError(`${what} in the queue cannot be read: ${(e as Error).message}`, false);
  }
  if (hash !== ref.sha256) throw new DatasetError(`${what} in the queue holds files with content hash ${hash}; not trained on other data`, false);
  return parsed.data.files;
}

/** A worker's data sets: each fetched from Redis once (jobs needing one at the same time share the fetch), checked, kept. */
export class DatasetCache {
  private readonly kept = new Map<string, { bytes: number; table: Promise<Table> }>();
  /** Folders of images written from the queue's copy, by data set key (removed by dispose). */
  private readonly folders = new Map<string, Promise<string>>();
  /** Fetches from Redis, for the worker's log and the tests. */
  fetched = 0;

  constructor(
    private readonly redis: Redis,
    private readonly queue: string,
  ) {}

  get(ref: DatasetRef): Promise<Table> {
    const key = datasetKey(this.queue, ref);
    const hit = this.kept.get(key);
    if (hit) {
      // most recently used last
      this.kept.delete(key);
      this.kept.set(key, hit);
      return hit.table;
    }
    const table = this.fetch(key, ref);
    this.kept.set(key, { bytes: ref.bytes, table });
    table.catch(() => this.kept.delete(key));
    this.trim();
    return table;
  }

  /**
   * A folder holding the images data set of `ref` (fetched from Redis once, checked, written into
   * a folder of this worker's own), for its trainer processes to read as they read Debian's.
   */
  imagesDir(ref: DatasetRef): Promise<string> {
    const key = datasetKey(this.queue, ref);
    const hit = this.folders.get(key);
    if (hit) return hit;
    const made = this.load(key, ref).then((payload) => {
      const files = readImages(ref, payload);
      const dir = mkdtempSync(join(tmpdir(), 'nnlab-worker-images-'));
      try {
        for (const f of files) writeFileSync(join(dir, f.name), f.bytes);
      } catch (e) {
        rmSync(dir, { recursive: true, force: true });
        throw e;
      }
      return dir;
    });
    this.folders.set(key, made);
    made.catch(() => this.folders.delete(key));
    return made;
  }

  /** Removes the folders imagesDir wrote. */
  async dispose(): Promise<void> {
    const dirs = await Promise.allSettled([...this.folders.values()]);
    this.folders.clear();
    for (const d of dirs) if (d.status === 'fulfilled') rmSync(d.value, { recursive: true, force: true });
  }

  private async load(key: string, ref: DatasetRef): Promise<Buffer> {
    const payload = await this.redis.getBuffer(key);
    this.fetched++;
    if (payload === null) {
      throw new DatasetError(`data set ${ref.name} (sha256 ${ref.sha256}) is not in the queue: the lab that sent the run puts it there with its jobs (was it removed, or Redis restarted without its data?)`, true);
    }
    return payload;
  }

  private async fetch(key: string, ref: DatasetRef): Promise<Table> {
    return readDataset(ref, await this.load(key, ref));
  }

  private trim(): void {
    let total = 0;
    for (const v of this.kept.values()) total += v.bytes;
    for (const [key, v] of this.kept) {
      if (total <= WORKER_CACHE_BYTES || this.kept.size === 1) break;
      this.kept.delete(key);
      total -= v.bytes;
    }
  }
}

/**
 * Why this machine cannot train a run on images (Fashion-MNIST) as the lab would, or null: the
 * files are not here (the message says how to install them), or they are another version of
 * the data set than the run's spec names.
 */
export function imagesRefusal(spec: RunSpec): string | null {
  const def = TASK_DEFS[spec.task];
  if (def.sampling !== 'images') return null;
  let here: string;
  try {
    here = fashionMnistHash();
  } catch (e) {
    if (e instanceof DataMissingError) return e.message;
    return `${def.name}'s files here cannot be read: ${(e as Error).message}`;
  }
  if (spec.dataset && spec.dataset !== here) return `the run was made on ${def.name} files with content hash ${short(spec.dataset)}…, and the files here have ${short(here)}…`;
  return null;
}
