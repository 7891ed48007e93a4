// @vitest-environment happy-dom
import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { nextTick } from 'vue';
import DiagnosticsTable from '../../../src-renderer/src/components/DiagnosticsTable.vue';
import type { DiagnosticsRow } from '../../../src-renderer/src/lib/compare/diagnostics';

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
});
