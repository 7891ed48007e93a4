// @vitest-environment happy-dom
import { mount } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, h, nextTick } from 'vue';
import ConfigDiff from '../../../src-renderer/src/components/ConfigDiff.vue';
import ReplicateSummary from '../../../src-renderer/src/components/ReplicateSummary.vue';
import RunsTable from '../../../src-renderer/src/components/RunsTable.vue';
import { selection } from '../../../src-renderer/src/composables/useNav';
import { countOutcomes } from '@main/analysis/outcome';
import { wilsonInterval } from '@main/analysis/stats';
import { flush, summary } from '../helpers/fake-lab';
import { setupApp } from '../helpers/mount';

vi.mock('vue-chartjs', () => ({ Chart: defineComponent({ setup: () => () => h('canvas') }) }));

let app: ReturnType<typeof setupApp>;
afterEach(() => app?.close());

describe('renderer/components/ConfigDiff', () => {
  it('shows only the fields it is given, one column each', () => {
    const w = mount(ConfigDiff, {
      props: { rows: [{ field: 'activation', values: ['relu', 'sigmoid'] }], heads: [{ label: '#1 relu', color: '#000000' }, { label: '#2 sigmoid', color: '#ffffff' }], seedsVary: false },
    });
    expect(w.findAll('[data-diff-field]').map((e) => e.attributes('data-diff-field'))).toEqual(['activation']);
    expect(w.text()).toContain('sigmoid');
  });

  it('says when nothing differs', () => {
    const w = mount(ConfigDiff, { props: { rows: [], heads: [{ label: 'a', color: '#000000' }, { label: 'b', color: '#000000' }], seedsVary: false } });
    expect(w.text()).toContain('identical specs, seeds included');
  });
});

describe('renderer/components/ReplicateSummary', () => {
  it('writes every outcome class as "k of n" with its Wilson interval, and the runs not counted apart', () => {
    const runs = [summary(1, {}, { testMse: 1 }), summary(2), summary(3, {}, { status: 'diverged', testMse: null }), summary(4, {}, { status: 'interrupted', testMse: null })];
    const w = mount(ReplicateSummary, {
      props: {
        learnedAt: 0.9,
        groups: [{ key: 'k', name: 'relu', label: 'relu (4 seeds)', color: '#000000', runIds: [1, 2, 3, 4], outcomes: countOutcomes(runs), testMse: null, r2: null, trainMs: null, dead: null }],
      },
    });
    const row = w.find('[data-group="relu (4 seeds)"]');
    expect(row.attributes('data-outcomes')).toBe('1/0/1/1 of 3');
    expect(row.find('[data-outcome="learned"]').text()).toContain('1 of 3');
    const ci = wilsonInterval(1, 3);
    expect(row.find('[data-outcome="learned"]').text()).toContain(`${Math.round(100 * ci.low)} %–${Math.round(100 * ci.high)} %`);
    expect(row.find('[data-testid="not-counted"]').text()).toBe('1 interrupted');
    expect(w.find('[data-testid="outcome-definition"]').text()).toContain('Learned: r² ≥ 0.9');
  });
});

describe('renderer/components/RunsTable', () => {
  const runs = [summary(2, { activation: 'sigmoid' }, { tags: ['b'] }), summary(1, {}, { notes: 'first' })];

  it('lists runs, selects them, and deletes only after confirmation', async () => {
    const deleted: number[][] = [];
    app = setupApp({
      'runs/list': () => ({ runs, total: 2 }),
      'runs/delete': (req) => {
        deleted.push(req.ids);
        return { deleted: req.ids.length };
      },
    });
    await app.runs.refresh();
    const w = mount(RunsTable, { attachTo: document.body });
    await nextTick();
    expect(w.findAll('tr[data-run]').map((r) => r.attributes('data-run'))).toEqual(['2', '1']);
    await w.find('input[aria-label="Select run 1"]').setValue(true);
    expect(selection.value).toEqual([1]);
    await w.find('[data-action="delete-selected"]').trigger('click');
    expect(w.find('[data-testid="confirm-delete"]').text()).toContain('Delete run #1');
    await w.find('[data-action="keep"]').trigger('click');
    expect(w.find('[data-testid="confirm-delete"]').exists()).toBe(false);
    expect(deleted).toEqual([]);
    await w.find('[data-action="delete-selected"]').trigger('click');
    await w.find('[data-action="confirm-delete"]').trigger('click');
    await flush();
    expect(deleted).toEqual([[1]]);
    expect(selection.value).toEqual([]);
    w.unmount();
  });

  it('sorts by a column when its header is pressed', async () => {
    app = setupApp({ 'runs/list': () => ({ runs, total: 2 }) });
    await app.runs.refresh();
    const w = mount(RunsTable, { attachTo: document.body });
    await nextTick();
    const header = w.findAll('th button.sort').find((b) => b.text().startsWith('run'));
    await header!.trigger('click');
    expect(w.findAll('tr[data-run]').map((r) => r.attributes('data-run'))).toEqual(['1', '2']);
    w.unmount();
  });

  it('edits notes and tags', async () => {
    app = setupApp({ 'runs/list': () => ({ runs: runs.map((r) => ({ ...r })), total: 2 }), 'runs/update': () => ({ updated: true }) });
    await app.runs.refresh();
    const w = mount(RunsTable, { attachTo: document.body });
    await nextTick();
    await w.find('button[aria-label="Edit notes and tags of run 1"]').trigger('click');
    await w.find('#notes-1').setValue('try again');
    await w.find('#tags-1').setValue('x, y');
    await w.find('tr.editor form').trigger('submit');
    await flush();
    expect(app.client.calls.find((c) => c.name === 'runs/update')?.request).toEqual({ id: 1, notes: 'try again', tags: ['x', 'y'] });
    expect(w.find('tr[data-run="1"]').text()).toContain('try again');
    w.unmount();
  });
});
