/**
 * Big API answers are written in pieces: JSON text a slice of a long array at a time, the event
 * loop let through between writes (src-main/json-pieces.ts), so a page of a million points never
 * stalls nnlab serve while it is made. A real server on a real store, a real socket.
 */
import { ServerResponse, request } from 'node:http';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { jsonTextPieces, PIECE_VALUES, writePieces } from '../../src-main/json-pieces';
import { openRunStore } from '../../src-main/db';
import { startLabServer } from '../../src-main/server/http';
import { SERIES_POINTS } from '../../src-main/limits';
import { bigCost, writeSyntheticRun } from '../helpers/big-run';
import { createTestLab, tempDbPath } from '../helpers/lab';

/** V8 keeps strings from 128 KB up in its large-object space: no write of an answer may be one. */
const LARGE_OBJECT_BYTES = 128 * 1024;

describe('json-pieces', () => {
  it('gives JSON.stringify’s text, long arrays at any depth a slice at a time', () => {
    const long = (n: number, f: (i: number) => unknown) => Array.from({ length: n }, (_, i) => f(i));
    const values: unknown[] = [
      {},
      [],
      'text',
      null,
      { a: long(PIECE_VALUES, (i) => i) },
      { a: long(PIECE_VALUES + 1, (i) => i / 7) },
      long(3 * PIECE_VALUES + 5, (i) => (i % 5 === 0 ? null : i % 7 === 0 ? NaN : i % 11 === 0 ? undefined : -i * 1e-300)),
      { weights: long(3, () => long(2 * PIECE_VALUES + 1, (i) => i)), from: 2, ok: true },
      long(PIECE_VALUES + 2, (i) => (i % 3 === 0 ? { x: i, s: `"q${i}"` } : i % 3 === 1 ? long(PIECE_VALUES + 1, (j) => j) : undefined)),
      { when: new Date(0), nested: { deeper: [{ series: long(10_000, (i) => i) }] }, after: 'end' },
    ];
    for (const v of values) {
      const pieces = [...jsonTextPieces(v)];
      expect(pieces.join(''), JSON.stringify(v)?.slice(0, 80)).toBe(JSON.stringify(v));
      for (const p of pieces) expect(p.length).toBeLessThan(LARGE_OBJECT_BYTES);
    }
  });

  it('writes with the event loop let through between writes, and stops when the stream is gone', async () => {
    const out = new PassThrough({ highWaterMark: 16 * 1024 });
    const received: Buffer[] = [];
    out.on('data', (c: Buffer) => received.push(c));
    const writes: number[] = [];
    const write = out.write.bind(out);
    out.write = ((chunk: string, ...rest: never[]) => {
      writes.push(chunk.length);
      return write(chunk, ...rest);
    }) as typeof out.write;
    let turns = 0;
    let writing = true;
    const tick = () => {
      turns++;
      if (writing) setImmediate(tick);
    };
    setImmediate(tick);
    const body = { data: Array.from({ length: 300_000 }, (_, i) => i / 3) };
    await writePieces(out, jsonTextPieces(body));
    writing = false;
    out.end();
    await new Promise((r) => out.on('end', r));
    expect(Buffer.concat(received).toString()).toBe(JSON.stringify(body));
    expect(writes.length).toBeGreaterThan(10);
    expect(Math.max(...writes)).toBeLessThan(LARGE_OBJECT_BYTES);
    // another task ran between the writes
    expect(turns).toBeGreaterThanOrEqual(writes.length - 1);

    const gone = new PassThrough({ highWaterMark: 1024 });
    gone.destroy();
    await writePieces(gone, jsonTextPieces(body));
  });
});

describe('server/http: big answers', () => {
  let cleanUp: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await cleanUp?.();
    cleanUp = undefined;
  });

  it('a page of a million points goes out in writes below the large-object size, the same JSON', async () => {
    const file = tempDbPath();
    const batches = SERIES_POINTS.max + 50_000;
    writeSyntheticRun(file, [1, 4, 2], batches);
    const t = createTestLab({}, file);
    const server = await startLabServer({ lab: t.lab, staticDir: path.resolve(__dirname, '../../out/renderer'), database: t.file });
    cleanUp = async () => {
      await server.close();
      await t.close();
    };
    // every write of every answer, on the real socket
    const writes: number[] = [];
    const original = { write: ServerResponse.prototype.write, end: ServerResponse.prototype.end };
    const size = (chunk: unknown) => (typeof chunk === 'string' || Buffer.isBuffer(chunk) ? chunk.length : 0);
    ServerResponse.prototype.write = function (this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
      writes.push(size(chunk));
      return (original.write as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
    } as typeof original.write;
    ServerResponse.prototype.end = function (this: ServerResponse, chunk?: unknown, ...rest: unknown[]) {
      writes.push(size(chunk));
      return (original.end as (...a: unknown[]) => ServerResponse).call(this, chunk, ...rest);
    } as typeof original.end;
    let text: string;
    try {
      text = await new Promise<string>((done, fail) => {
        const body = JSON.stringify({ id: 1, names: ['cost'], from: 10, count: SERIES_POINTS.max });
        const req = request(
          { host: '127.0.0.1', port: server.port, path: '/api/runs/series', method: 'POST', headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' } },
          (res) => {
            let s = '';
            res.setEncoding('utf8');
            res.on('data', (c: string) => (s += c));
            res.on('end', () => done(s));
          },
        );
        req.on('error', fail);
        req.end(body);
      });
    } finally {
      ServerResponse.prototype.write = original.write;
      ServerResponse.prototype.end = original.end;
    }
    const answer = JSON.parse(text) as { ok: boolean; value: { series: { cost: { from: number; data: number[]; length: number } } } };
    expect(answer.ok).toBe(true);
    const cost = answer.value.series.cost;
    expect(cost).toMatchObject({ from: 10, length: batches });
    expect(cost.data).toHaveLength(SERIES_POINTS.max);
    for (const k of [0, 131_061, 131_062, SERIES_POINTS.max - 1]) expect(cost.data[k]).toBe(bigCost(10 + k));
    // the store agrees with what was served
    const store = openRunStore(file);
    expect(store.seriesInfo(1, 'cost')?.length).toBe(batches);
    store.close();
    expect(Math.max(...writes)).toBeLessThan(LARGE_OBJECT_BYTES);
    expect(writes.length).toBeGreaterThan(SERIES_POINTS.max / PIECE_VALUES / 2);
  }, 120_000);
});
