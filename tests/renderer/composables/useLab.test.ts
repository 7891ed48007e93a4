import { describe, expect, it } from 'vitest';
import { applyProgress, createLab, debounce, MAX_LIVE_POINTS } from '../../../src-renderer/src/composables/useLab';
import { fakeClient, flush } from '../helpers/fake-lab';

const progress = (from: number, stride: number, costs: number[], batchesDone: number) => ({ type: 'run/progress' as const, runId: 1, batchesDone, batches: 100, cost: costs[costs.length - 1], elapsedMs: batchesDone, from, stride, costs });

describe('renderer/composables/useLab', () => {
  it('collects live cost points at their batch numbers', () => {
    let l = applyProgress(undefined, progress(0, 1, [5, 4, 3], 3));
    l = applyProgress(l, progress(3, 2, [2, 1], 7));
    expect(l.batch).toEqual([1, 2, 3, 4, 6]);
    expect(l.cost).toEqual([5, 4, 3, 2, 1]);
    expect(l.batchesDone).toBe(7);
  });

  it('thins a long live curve instead of growing without bound', () => {
    let l = applyProgress(undefined, progress(0, 1, Array.from({ length: MAX_LIVE_POINTS }, (_, i) => i), MAX_LIVE_POINTS));
    l = applyProgress(l, progress(MAX_LIVE_POINTS, 1, [1, 2, 3], MAX_LIVE_POINTS + 3));
    expect(l.batch.length).toBeLessThanOrEqual(MAX_LIVE_POINTS / 2);
    expect(l.batch[l.batch.length - 1]).toBe(MAX_LIVE_POINTS + 3);
  });

  it('keeps a long run’s whole history as it thins, not only its last stretch', () => {
    // as the trainer sends them: every 50 ms the batches since the last message, at most 512 points
    // (a 3-million-batch sincos run on this machine: about 3300 batches a message)
    let l: ReturnType<typeof applyProgress> | undefined;
    const total = 1_000_000;
    for (let sent = 0; sent < total; ) {
      const n = Math.min(3300, total - sent);
      const stride = Math.ceil(n / 512);
      const costs = Array.from({ length: Math.ceil(n / stride) }, (_, i) => 1 / (1 + sent + i * stride));
      sent += n;
      l = applyProgress(l, { ...progress(sent - n, stride, costs, sent), batches: total });
    }
    expect(l!.batch.length).toBeLessThanOrEqual(MAX_LIVE_POINTS);
    // every tenth of the run keeps its share of the points (the thinning was by index, so each round
    // halved the old points again: 1, 8, then 655,291 were the first batches left of a 4M-batch run,
    // and the smoothed live curve sat at 0.1 over 300,000 batches whose cost was 1e-5)
    const tenths = Array.from({ length: 10 }, (_, k) => l!.batch.filter((b) => b > (k * total) / 10 && b <= ((k + 1) * total) / 10).length);
    for (const count of tenths) expect(count, tenths.join(', ')).toBeGreaterThan(l!.batch.length / 20);
  });

  it('fans events out, keeps live points, and refreshes the status after a run event', async () => {
    let running = 0;
    const client = fakeClient({ 'lab/status': () => ({ version: '0.1.0', poolSize: 1, queued: 0, running, database: 'x', readOnly: null, fault: null, journaled: [] }) });
    const lab = createLab(client);
    const seen: string[] = [];
    const off = lab.on((e) => seen.push(e.type));
    client.emit(progress(0, 1, [3, 2], 2));
    expect(lab.live.value.get(1)?.cost).toEqual([3, 2]);
    running = 1;
    client.emit({ type: 'run/started', runId: 1 });
    await new Promise((r) => setTimeout(r, 250));
    expect(lab.status.value?.running).toBe(1);
    off();
    client.emit({ type: 'run/started', runId: 2 });
    expect(seen).toEqual(['run/progress', 'run/started']);
    lab.close();
  });

  it('says when the lab cannot be reached', async () => {
    const lab = createLab(fakeClient({}));
    await lab.refreshStatus();
    expect(lab.connectionError.value).toMatch(/no handler/);
    lab.close();
  });

  it('debounces to the last call', async () => {
    let n = 0;
    const d = debounce(() => n++, 10);
    d();
    d();
    d();
    await flush();
    await new Promise((r) => setTimeout(r, 20));
    expect(n).toBe(1);
  });
});
