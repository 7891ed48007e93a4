// @vitest-environment happy-dom
/**
 * NetworkView at a checkpoint where the network's values are not finite (a diverged run's last
 * kept weights): it says so instead of judging units alive and drawing NaN paths.
 */
import { mount } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseRunSpec } from '@main/trainer/spec';
import { Trainer } from '@main/trainer/trainer';
import NetworkView from '../../../src-renderer/src/components/NetworkView.vue';
import { setupApp } from '../helpers/mount';

let app: ReturnType<typeof setupApp>;
afterEach(() => app?.close());

describe('renderer/components/NetworkView', () => {
  it('says the network overflows at a diverged run’s last checkpoint, and judges and draws nothing there (it drew NaN paths, "0 dead", every unit alive)', async () => {
    // found by trying: a sweep with linear units at lr 30 diverged at batch 7; its last kept checkpoint (batch 6) had weights near 1e217
    const spec = parseRunSpec({ activation: 'linear', outputActivation: 'linear', learningRate: 30, batches: 300 });
    const trainer = new Trainer(spec);
    trainer.run(Number.MAX_SAFE_INTEGER);
    const result = trainer.result();
    const cp = result.weightCheckpoints!;
    const n = cp.weights.length / cp.batches.length;
    const rows = Array.from({ length: cp.batches.length }, (_, i) => Array.from(cp.weights.subarray(i * n, (i + 1) * n), (x) => (Number.isFinite(x) ? x : null)));
    expect(rows.at(-1)!.some((x) => x === null || Math.abs(x) > 1e100)).toBe(true);
    app = setupApp({ 'runs/weights': () => ({ weights: { batches: cp.batches, weightCount: n, checkpoints: cp.checkpoints, thinned: false, maxBytes: 1 << 20, from: 0, weights: rows } }) });
    const w = mount(NetworkView, { props: { run: { id: 1, spec } }, attachTo: document.body });
    await vi.waitFor(() => expect(w.find('[data-testid="network-batch"]').exists()).toBe(true));
    const last = cp.batches.at(-1)!;
    expect(w.find('[data-testid="network-batch"]').text()).toBe(`batch ${last}`);
    expect(w.find('[data-testid="network-overflow"]').text()).toMatch(new RegExp(`^At batch ${last} the network’s values are not finite over the input domain \\(its largest weight is .+: the run diverged\\): no unit can be judged alive or dead there, and its pieces and unit pictures cannot be drawn; the slider’s earlier checkpoints can\\.$`));
    expect(w.find('[data-testid="network-dead"]').exists()).toBe(false);
    expect(w.find('[data-testid="network-pieces"]').exists()).toBe(false);
    expect(w.findAll('path').filter((p) => (p.attributes('d') ?? '').includes('NaN'))).toHaveLength(0);
    expect(w.findAll('circle.alive')).toHaveLength(0);
    // the first checkpoint is finite: judged and drawn as before
    await w.find('[data-testid="network-slider"]').setValue('0');
    expect(w.find('[data-testid="network-overflow"]').exists()).toBe(false);
    expect(w.find('[data-testid="network-dead"]').text()).toMatch(/^Dead hidden units at batch 0: 0 /);
    expect(w.find('[data-testid="network-pieces"]').exists()).toBe(true);
    w.unmount();
  });

  it('says it does not judge dead units of a run with more than two inputs, where it said “Dead hidden units at batch 938: (… judged at 0 points of the input domain)” of Fashion-MNIST', async () => {
    const spec = { ...parseRunSpec({}), task: 'csv', shape: [3, 4, 2], inputColumns: ['a', 'b', 'c'], labelColumn: 'y' } as ReturnType<typeof parseRunSpec>;
    const n = 4 * 4 + 2 * 5;
    const rows = [0, 1].map((c) => Array.from({ length: n }, (_, i) => Math.sin(i + c) / 2));
    app = setupApp({
      'runs/weights': () => ({ weights: { batches: [0, 10], weightCount: n, checkpoints: 2, thinned: false, maxBytes: 1 << 20, from: 0, weights: rows } }),
      'runs/series': () => ({ series: {} }),
    });
    const w = mount(NetworkView, { props: { run: { id: 1, spec } }, attachTo: document.body });
    await vi.waitFor(() => expect(w.find('[data-testid="network-batch"]').exists()).toBe(true));
    expect(w.text()).not.toContain('judged at 0 points');
    expect(w.find('[data-testid="network-dead"]').text()).toBe('Dead hidden units are not judged here: this view draws what units compute over one or two inputs, and this run has 3 (the dead-units table counts them at the run’s probe points).');
    w.unmount();
  });
});
