/**
 * A run at the spec's maximum (20 M batches, 49 M weights; written from synthetic series, see
 * helpers/big-run.ts) exported by the CLI and served by nnlab serve, as real processes: memory
 * stays bounded (peak RSS measured by the process itself at exit), the server answers other
 * calls while it sends the run, and every number checked is the stored one.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BATCHES } from '../../src-main/trainer/spec';
import { SERIES_POINTS } from '../../src-main/limits';
import { BIG_SHAPE, BIG_WEIGHTS, bigCost, bigWeight, writeMaxRun } from '../helpers/big-run';
import { CLI, ROOT } from '../helpers/cli';
import { FAULT_TEST_TIMEOUT_MS, startServe } from '../helpers/faults';
import { tempDbPath } from '../helpers/lab';

const RSS_LIMIT_KB = 500 * 1024;
/**
 * 2.9 GB of CSV and 1.2 GB of JSON take 15–25 s of CPU each (40 M and 89 M numbers formatted), 36–44 s
 * of wall time at a load of 16 on two cores; the timeout leaves room for a CI machine running the
 * suite on two busy cores.
 */
const EXPORT_TIMEOUT_MS = 600_000;
const MAX_RSS = path.resolve(ROOT, 'tests/fixtures/max-rss.cjs');
let db: string;

beforeAll(() => {
  db = tempDbPath();
  writeMaxRun(db);
}, 180_000);

afterAll(() => fs.rmSync(path.dirname(db), { recursive: true, force: true }));

/**
 * Runs the CLI exporting to a file (a pipe to this busy test process would pace the CLI by how
 * fast the test reads: twice the time on a loaded machine), then reads the file as a stream,
 * never whole: bytes, newlines, the first and last 200 bytes; and the CLI's peak RSS.
 */
async function exportRun(args: string[]): Promise<{ status: number | null; stderr: string; bytes: number; lines: number; head: string; tail: string; maxRssKb: number }> {
  const rssFile = `${db}.${args.join('-')}.rss`;
  const outFile = `${db}.${args.join('-')}.out`;
  const child = spawn(process.execPath, ['-r', MAX_RSS, CLI, ...args, '--out', outFile, '--db', db], { cwd: ROOT, env: { ...process.env, NNLAB_TEST_RSS_FILE: rssFile }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  const [status] = (await once(child, 'close')) as [number | null];
  let bytes = 0;
  let lines = 0;
  let head = '';
  let tail = Buffer.alloc(0);
  if (fs.existsSync(outFile)) {
    for await (const c of fs.createReadStream(outFile, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
      bytes += c.length;
      for (let i = c.indexOf(10); i !== -1; i = c.indexOf(10, i + 1)) lines++;
      if (head.length < 200) head += c.subarray(0, 200).toString('latin1');
      tail = Buffer.concat([tail, c.subarray(-200)]).subarray(-200);
    }
    fs.rmSync(outFile);
  }
  return { status, stderr, bytes, lines, head: head.slice(0, 200), tail: tail.toString('latin1'), maxRssKb: Number(fs.readFileSync(rssFile, 'utf8')) };
}

describe('a run at the spec’s maximum (20 M batches, 49 M weights)', () => {
  it('exports as CSV, one row per batch, with the process under 500 MB', async () => {
    const r = await exportRun(['runs', 'export', '1', '--format', 'csv']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.lines).toBe(MAX_BATCHES + 1);
    const last = r.tail.trimEnd().split('\n').pop()!.split(',');
    expect(last.slice(0, 3)).toEqual(['1', 'done', String(MAX_BATCHES - 1)]);
    expect(Number(last[3])).toBe(bigCost(MAX_BATCHES - 1));
    expect(Number(last[4])).toBe(bigCost(MAX_BATCHES - 1) / 32);
    expect(r.maxRssKb).toBeLessThan(RSS_LIMIT_KB);
  }, EXPORT_TIMEOUT_MS);

  it('exports as JSON, every series, with the process under 500 MB', async () => {
    const r = await exportRun(['runs', 'export', '1', '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.head).toMatch(/^\{"format":"nnlab-runs","version":1,"exportedAt":"[^"]+","runs":\[\{"id":1,/);
    // the last series' last values, the weight checkpoints (none: one entry of 49 M weights is over
    // the trainer's 64 MiB budget), and the document closed
    expect(r.tail).toMatch(/\]\}\}(?:,"\w+":null)*,"weightCheckpoints":\{"batches":\[\],"weights":\[\],"checkpoints":\d+,"thinned":true,"maxBytes":\d+\}\}\]\}\n$/);
    // at least one number per batch and per weight went out (well over 1 GB of text)
    expect(r.bytes).toBeGreaterThan(2 * MAX_BATCHES + 2 * BIG_WEIGHTS);
    expect(r.maxRssKb).toBeLessThan(RSS_LIMIT_KB);
  }, EXPORT_TIMEOUT_MS);

  it('nnlab serve sends its series decimated or by the page while it goes on answering, under 500 MB, and refuses its init preview with a message', async () => {
    const rssFile = `${db}.serve.rss`;
    const serve = await startServe(['--db', db], { env: { NODE_OPTIONS: `-r ${MAX_RSS}`, NNLAB_TEST_RSS_FILE: rssFile } });
    try {
      // other calls are answered while the long series is read (the event loop is let through between chunks)
      let answered = 0;
      let seriesDone = false;
      const series = serve.call<{ series: Record<string, { index?: number[]; from?: number; data: number[]; length: number }> }>('runs/series', { id: 1, names: ['cost', 'finalWeights'] }).then((r) => {
        seriesDone = true;
        return r;
      });
      let answeredBefore = 0;
      while (!seriesDone) {
        expect((await serve.call('lab/status')).status).toBe(200);
        answered++;
        if (!seriesDone) answeredBefore = answered;
      }
      expect(answeredBefore).toBeGreaterThan(0);
      const r = await series;
      expect(r.status).toBe(200);
      const cost = r.body.value!.series.cost;
      expect(cost.length).toBe(MAX_BATCHES);
      expect(cost.data.length).toBeLessThanOrEqual(SERIES_POINTS.default + 1);
      expect(cost.index![cost.index!.length - 1]).toBe(MAX_BATCHES - 1);
      for (const k of [0, 1, 777, cost.index!.length - 1]) expect(cost.data[k]).toBe(bigCost(cost.index![k]));
      expect(r.body.value!.series.finalWeights.length).toBe(BIG_WEIGHTS);

      // a page: exact values, anywhere in the run
      const page = await serve.call<{ series: Record<string, { from: number; data: number[] }> }>('runs/series', { id: 1, names: ['finalWeights'], from: BIG_WEIGHTS - 5, count: 10 });
      expect(page.body.value!.series.finalWeights).toMatchObject({ from: BIG_WEIGHTS - 5, data: [0, 1, 2, 3, 4].map((k) => bigWeight(BIG_WEIGHTS - 5 + k)) });
      const mse = await serve.call<{ series: Record<string, { from: number; data: number[] }> }>('runs/series', { id: 1, names: ['mse'], from: 131_070, count: 5 });
      // across a chunk boundary, derived from the stored cost
      expect(mse.body.value!.series.mse).toMatchObject({ from: 131_070, data: [0, 1, 2, 3, 4].map((k) => bigCost(131_070 + k) / 32) });

      const preview = await serve.call('spec/preview', { spec: { shape: BIG_SHAPE } });
      expect(preview.status).toBe(409);
      expect(preview.body.error!.message).toBe(`the init preview is drawn for networks of up to 500,000 weights, and this one has ${BIG_WEIGHTS.toLocaleString('en-US')}; the run itself can be started`);
    } finally {
      const end = await serve.stop();
      expect(end.stderr).not.toMatch(/Error:|at .*\.js:\d+/);
    }
    expect(Number(fs.readFileSync(rssFile, 'utf8'))).toBeLessThan(RSS_LIMIT_KB);
  }, FAULT_TEST_TIMEOUT_MS);
});
