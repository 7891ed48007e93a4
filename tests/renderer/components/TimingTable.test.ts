// @vitest-environment happy-dom
import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import TimingTable from '../../../src-renderer/src/components/TimingTable.vue';

describe('renderer/components/TimingTable', () => {
  it('names its figures sampled timing and says why they are no fair comparison of speed (the page has one speed answer: the honest timing’s)', () => {
    const st = { n: 3, median: 2, q1: 1, q3: 3, iqr: 2, min: 1, max: 3 };
    const row = { key: 'k', label: 'relu (3 seeds)', color: '#000000', n: 3, forward: st, backward: st, update: st, trainMs: st, toTargetMs: null, reached: 0 };
    const w = mount(TimingTable, { props: { rows: [row], groups: true, target: 0.01 } });
    expect(w.find('#timing-title').text()).toBe('Sampled timing');
    expect(w.find('[data-testid="sampled-timing-note"]').text()).toMatch(/^The runs’ own times, taken while other runs trained beside them; a sweep’s first runs also carry the trainer processes’ warm-up: no fair comparison of speed \(honest timing, when measured, is its own panel\)\./);
  });

  it('names its target field in the runs’ loss (cross-entropy runs alone read “target MSE”)', () => {
    const row = { key: 'k', label: 'circle', color: '#000000', n: 1, forward: null, backward: null, update: null, trainMs: null, toTargetMs: null, reached: 0 };
    const w = mount(TimingTable, { props: { rows: [row], groups: false, target: 0.01, targetName: 'cross-entropy per sample' } });
    expect(w.find('label[for="target-mse"]').text()).toBe('target cross-entropy per sample');
    expect(w.find('[data-testid="sampled-timing-note"]').text()).toContain('the mean cross-entropy per sample of the last 10 batches is at or below the target');
    expect(w.text()).not.toContain('MSE');
  });
});
