import { describe, expect, it } from 'vitest';
import { seedLine } from '../../src-main/analysis/seed-line';
import path from 'node:path';
import { readWireSeries } from '../../src-main/api/handlers';
import { RunStore, SERIES_CHUNK_VALUES } from '../../src-main/db';
import { tempDir, train } from '../db/helpers';
import { formatSummary } from '../../src-main/cli/summary';
import { DEFAULT_SPEC } from '../../src-main/trainer/spec';
import { Trainer } from '../../src-main/trainer/trainer';

describe('analysis/seed-line: the seed’s own closing line, one definition for the CLI and the run page', () => {
  it('takes the largest batch cost among the first 10 and among the last 10 batches', () => {
    const h = Float64Array.from({ length: 300 }, (_, i) => (i === 3 ? 40 : i === 295 ? 5 : 30 - i * 0.1));
    expect(seedLine({ data: h })).toEqual({ start: 40, end: 5, text: '40.00000 cost at the start of learning and 5.00000 at the end' });
    // fewer than 20 batches: the two ends are (some of) the same batches, and the line says so (a cost from 37 to 0 read "6554 … and 6554 at the end")
    expect(seedLine({ data: [1, 2, 3] })!.text).toBe('3.00000 cost at the start of learning and 3.00000 at the end (of 3 batches: the first 10 and the last 10 overlap)');
    expect(seedLine({ data: Array.from({ length: 19 }, (_, i) => 19 - i) })!.text).toBe('19.00000 cost at the start of learning and 10.00000 at the end (of 19 batches: the first 10 and the last 10 overlap)');
    expect(seedLine({ data: Array.from({ length: 20 }, (_, i) => 20 - i) })!.text).toBe('20.00000 cost at the start of learning and 10.00000 at the end');
    expect(seedLine({ data: [] })).toBeNull();
    // a NaN cost makes the maximum NaN, as the seed's max would (null is NaN over the wire)
    expect(seedLine({ data: [1, null, 2] })!.start).toBeNaN();
  });

  it('reads the same line from the decimated series the app fetches: the lab keeps both ends whole', async () => {
    // a stored run whose cost spans several chunks, read as runs/series reads it
    const n = 2 * SERIES_CHUNK_VALUES + 50_000;
    const { spec, result } = train({ batches: n });
    result.costHistory[n - 7] += 5;
    const store = RunStore.open(path.join(tempDir(), 'runs.sqlite'));
    const id = store.createRun(spec);
    store.finishRun(id, result);
    const wire = await readWireSeries(store, id, store.seriesInfo(id, 'cost')!, { maxPoints: 4000 });
    expect(wire.index!.length).toBeLessThan(4100);
    expect(wire.index!.slice(0, 10)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(wire.index!.slice(-10)).toEqual(Array.from({ length: 10 }, (_, i) => n - 10 + i));
    // strictly increasing, no index twice, each point the stored value
    expect(wire.index!.every((v, i, a) => i === 0 || v > a[i - 1])).toBe(true);
    expect(wire.index!.every((b, i) => wire.data[i] === result.costHistory[b])).toBe(true);
    expect(seedLine(wire)).toEqual(seedLine({ data: result.costHistory }));
    store.close();
    // a decimated series missing one end cannot give the line
    expect(seedLine({ data: [1, 2], index: [0, 499], length: 500 })).toBeNull();
  });

  it('is the first line of nnlab train’s summary', () => {
    const t = new Trainer(DEFAULT_SPEC);
    t.run(DEFAULT_SPEC.batches);
    const r = t.result();
    expect(formatSummary(DEFAULT_SPEC, r).split('\n')[0]).toBe(seedLine({ data: r.costHistory })!.text);
  });
});
