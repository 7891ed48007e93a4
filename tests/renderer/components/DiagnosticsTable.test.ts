// @vitest-environment happy-dom
import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { nextTick } from 'vue';
import DiagnosticsTable from '../../../src-renderer/src/components/DiagnosticsTable.vue';
import { type DiagnosticsRow, diagnosticsRows } from '../../../src-renderer/src/lib/compare/diagnostics';
import { record, summary } from '../helpers/fake-lab';

const row = (runId: number): DiagnosticsRow => ({
  runId,
  label: `#${runId}`,
  color: '#1f77b4',
  hiddenUnits: 16,
  deadAtInit: 2,
  deadAtEnd: 3,
  diedInTraining: 1,
  saturationAtEnd: null,
  divergedAtBatch: null,
  outputDeadAtInit: 0,
  outputDeadAtEnd: 0,
  status: 'failed',
  outcome: null,
  metric: null,
  learnedAt: 0.9,
  r2: null,
  verification: null,
  task: 'sincos',
  probe: 'a 101-point grid over the input range',
});

describe('renderer/components/DiagnosticsTable', () => {
  it('shows a few runs’ rows open; folds many and builds their rows only once opened', async () => {
    const few = mount(DiagnosticsTable, { props: { rows: [1, 2, 3].map(row) } });
    expect(few.find('details').element.open).toBe(true);
    expect(few.findAll('tr[data-run]')).toHaveLength(3);
    few.unmount();
    // failed before: the folded table of 500 runs had its 500 rows in the page (7,000 elements mounted with the comparison)
    const many = mount(DiagnosticsTable, { props: { rows: Array.from({ length: 500 }, (_, i) => row(i + 1)) } });
    const details = many.find('details').element as HTMLDetailsElement;
    expect(details.open).toBe(false);
    expect(many.text()).toContain('(500 runs)');
    expect(many.findAll('tr[data-run]')).toHaveLength(0);
    details.open = true;
    details.dispatchEvent(new Event('toggle'));
    await nextTick();
    expect(many.findAll('tr[data-run]')).toHaveLength(500);
    expect(many.find('tr[data-run="500"]').text()).toContain('3 / 16');
    many.unmount();
  });

  it('says where each task’s units were probed for “dead” (it said a 101-point grid for every run: circle’s are its 250 training points, xor’s too)', () => {
    const sincos = record(summary(1));
    const circle = record(summary(2, { task: 'circle', shape: [2, 8, 8, 2], loss: 'cross-entropy', outputActivation: 'softmax' }));
    circle.diagnostics = { ...circle.diagnostics!, probePoints: 250 };
    const xor = record(summary(3, { task: 'xor', shape: [2, 8, 8, 2], loss: 'cross-entropy', outputActivation: 'softmax' }));
    xor.diagnostics = { ...xor.diagnostics!, probePoints: 250 };
    const items = [sincos, circle, xor].map((run) => ({ key: `k${run.id}`, label: `#${run.id}`, color: '#000000', runs: [{ run, series: {} }] }));
    const note = () => w.find('[data-testid="dead-definition"]').text().replace(/\s+/g, ' ');
    let w = mount(DiagnosticsTable, { props: { rows: diagnosticsRows(items.slice(1)) }, global: { stubs: { VerifyBadge: true } } });
    expect(note()).toContain('Dead: zero slope at every probe point, 250 of the run’s training points');
    expect(note()).not.toContain('101');
    // the network view draws over its own points, and may count otherwise: the note says so
    expect(note()).toContain('the network view judges over the points it draws, so its count can differ');
    w.unmount();
    w = mount(DiagnosticsTable, { props: { rows: diagnosticsRows(items) }, global: { stubs: { VerifyBadge: true } } });
    expect(note()).toContain('Dead: zero slope at every probe point (sincos: a 101-point grid over the input range; circle, xor: 250 of the run’s training points)');
    w.unmount();
  });
});
