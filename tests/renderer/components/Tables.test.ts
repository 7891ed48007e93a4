// @vitest-environment happy-dom
import { mount } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, h } from 'vue';
import ConfigDiff from '../../../src-renderer/src/components/ConfigDiff.vue';
import ReplicateSummary from '../../../src-renderer/src/components/ReplicateSummary.vue';
import RunsTable from '../../../src-renderer/src/components/RunsTable.vue';
import { selection, syncWithHash } from '../../../src-renderer/src/composables/useNav';
import { countOutcomes, DEFAULT_LEARNED_AT, outcomeDefinition } from '@main/analysis/outcome';
import { wilsonInterval } from '@main/analysis/stats';
import { flush, summary, tableOver } from '../helpers/fake-lab';
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
        groups: [{ key: 'k', name: 'relu', label: 'relu (4 seeds)', color: '#000000', runIds: [1, 2, 3, 4], outcomes: countOutcomes(runs), kind: 'regression', testMse: null, r2: null, testAccuracy: null, skill: null, trainMs: null, dead: null }],
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

  it('gives classification runs their own columns and definition: test accuracy and skill, never test MSE or r²', () => {
    const runs = [summary(1, { task: 'circle' }), summary(2, { task: 'circle', initSeed: 9 })];
    const stat = (x: number) => ({ n: 2, min: x, q1: x, median: x, q3: x, iqr: 0, max: x });
    const w = mount(ReplicateSummary, {
      props: {
        learnedAt: 0.9,
        groups: [{ key: 'k', name: 'relu', label: 'relu (2 seeds)', color: '#000000', runIds: [1, 2], outcomes: countOutcomes(runs), kind: 'classification', testMse: stat(0.04), r2: null, testAccuracy: stat(0.964), skill: stat(0.928), trainMs: null, dead: null }],
      },
    });
    const head = w.findAll('th').map((t) => t.text());
    expect(head).toContain('median test accuracy');
    expect(head).toContain('median skill');
    expect(head).not.toContain('median test MSE');
    expect(head).not.toContain('median r²');
    expect(w.find('[data-score="test-accuracy"]').text()).toBe('96.4 %');
    expect(w.find('[data-score="skill"]').text()).toBe('0.928');
    const def = w.find('[data-testid="outcome-definition"]').text();
    expect(def).toContain('Learned: skill ≥ 0.9');
    expect(def).not.toMatch(/r²|MSE/);
  });
});

describe('renderer/components/RunsTable', () => {
  const runs = [summary(2, { activation: 'sigmoid', eps: 0.5 }, { tags: ['b'], testMse: 0.03 }), summary(1, {}, { notes: 'first', testMse: 0.002 })];
  const table = () => ({ 'runs/table': tableOver(() => runs) });
  const mounted = async (handlers: Parameters<typeof setupApp>[0] = table()) => {
    app = setupApp(handlers);
    await app.lab.loadDefaults();
    await app.runs.refresh();
    const w = mount(RunsTable, { attachTo: document.body });
    await flush();
    return w;
  };
  const ids = (w: Awaited<ReturnType<typeof mounted>>) => w.findAll('tr[data-run]').map((r) => r.attributes('data-run'));

  it('lists runs, selects them, and deletes only after confirmation, asking in the right number', async () => {
    const deleted: number[][] = [];
    const w = await mounted({
      ...table(),
      'runs/delete': (req) => {
        deleted.push(req.ids);
        return { deleted: req.ids.length };
      },
    });
    expect(ids(w)).toEqual(['2', '1']);
    await w.find('input[aria-label="Select run 1"]').setValue(true);
    expect(selection.value).toEqual([1]);
    await w.find('[data-action="delete-selected"]').trigger('click');
    expect(w.find('[data-testid="confirm-delete"] #confirm-text').text()).toBe('Delete run #1 and its series? This cannot be undone.');
    await w.find('[data-action="keep"]').trigger('click');
    expect(w.find('[data-testid="confirm-delete"]').exists()).toBe(false);
    expect(deleted).toEqual([]);
    await w.find('input[aria-label="Select run 2"]').setValue(true);
    await w.find('[data-action="delete-selected"]').trigger('click');
    expect(w.find('#confirm-text').text()).toBe('Delete 2 runs and their series? This cannot be undone.');
    await w.find('[data-action="confirm-delete"]').trigger('click');
    await flush();
    expect(deleted).toEqual([[1, 2]]);
    expect(selection.value).toEqual([]);
    w.unmount();
  });

  it('says plainly that the lab has no run the address selects, and leaves it unselected (it selected nothing silently, “Compare 1 selected”)', async () => {
    // found by trying: #/runs/999 showed the table, no row ticked, no word, and “Compare 1 selected”
    const w = await mounted();
    const notice = () => w.find('[data-testid="runs-address-notice"]');
    for (const [hash, said, kept] of [
      ['#/runs/999', 'This lab has no run #999 (the address asks for it): it is not selected.', []],
      ['#/runs/1,998,999', 'This lab has no runs #998, #999 (the address asks for them): they are not selected.', [1]],
      // found by trying (session 9): #/runs/abc was dropped from the address without a word
      ['#/runs/abc', 'The address asks for run “abc”, which is no run’s number: it is not selected.', []],
      ['#/runs/1,x,0,999', 'The address asks for runs “x”, “0”, which are no runs’ numbers: they are not selected. This lab has no run #999 (the address asks for it): it is not selected.', [1]],
    ] as const) {
      window.history.replaceState(null, '', `/index.html${hash}`);
      const stop = syncWithHash(window);
      try {
        await vi.waitFor(() => expect(notice().exists() && notice().text(), hash).toBe(said));
        expect(notice().attributes('role')).toBe('alert');
        expect(selection.value).toEqual(kept);
        expect(w.find('[data-action="compare-selected"]').text().replace(/\s+/g, ' ')).toBe(kept.length ? `Compare ${kept.length} selected` : 'Compare selected');
      } finally {
        stop();
      }
    }
    // the person picks runs: the notice has done its work
    await w.find('input[aria-label="Select run 2"]').setValue(true);
    await flush();
    expect(notice().exists()).toBe(false);
    // an address whose runs all exist: nothing to say
    window.history.replaceState(null, '', '/index.html#/runs/1,2');
    const stop = syncWithHash(window);
    await flush(10);
    stop();
    expect(selection.value).toEqual([1, 2]);
    expect(notice().exists()).toBe(false);
    w.unmount();
  });

  it('shows a run waiting in a job queue as queued-remote, saying where it went', async () => {
    const remote = { name: 'nnlab', redis: 'redis://10.0.0.5:6379/0', worker: null };
    const list = [summary(3, {}, { status: 'queued', remote }), summary(4, {}, { status: 'queued' }), ...runs];
    const w = await mounted({ 'runs/table': tableOver(() => list) });
    const badge = w.find('tr[data-run="3"] .badge');
    expect(badge.text()).toBe('queued-remote');
    expect(badge.attributes('title')).toBe('sent to job queue nnlab: a worker trains it, and this lab stores it when its result comes back');
    // a run queued in this lab's own pool is just queued
    expect(w.find('tr[data-run="4"] .badge').text()).toBe('queued');
    w.unmount();
  });

  it('says on hover what an outcome means in the run’s own metric: a classification run by accuracy against the majority class, never by test MSE', async () => {
    // circle runs (classification): accuracy 0.5 over a 0.5 majority is skill 0, 0.7 is skill 0.4
    const list = [
      summary(5, { task: 'circle', shape: [2, 8, 2] }, { testMetric: 0.5, testAccuracy: 0.5, majorityShare: 0.5 }),
      summary(6, { task: 'circle', shape: [2, 8, 2] }, { testMetric: 0.7, testAccuracy: 0.7, majorityShare: 0.5 }),
      summary(7, {}, { testMse: 0.09, testMetric: 0.09, baselineMse: 0.0806 }),
    ];
    const w = await mounted({ 'runs/table': tableOver(() => list) });
    const badge = (id: number) => w.find(`tr[data-run="${id}"] .badge[data-outcome]`);
    const title = (id: number) => badge(id).attributes('title');
    expect(badge(5).text()).toBe('learned nothing');
    expect(title(5)).toBe('finished, but its test accuracy is not above always answering the training set’s majority class (skill ≤ 0): it learned nothing');
    expect(badge(6).text()).toBe('underfit');
    expect(title(6)).toBe('finished, better than always answering the training set’s majority class (skill > 0) but short of the learned threshold');
    expect(badge(7).text()).toBe('learned nothing');
    expect(title(7)).toBe('finished, but its test MSE is not below the best constant predictor’s (r² ≤ 0): it learned nothing');
    w.unmount();
  });

  it('sorts by a column when its header is pressed', async () => {
    const w = await mounted();
    const header = w.findAll('th button.sort').find((b) => b.text().startsWith('run'));
    await header!.trigger('click');
    await flush();
    expect(ids(w)).toEqual(['1', '2']);
    w.unmount();
  });

  it('shows the columns chosen from every run field, kept in the settings', async () => {
    const w = await mounted();
    await w.find('[data-testid="column-chooser"] summary').trigger('click');
    const choices = w.findAll('[data-column-choice]').map((c) => c.attributes('data-column-choice'));
    for (const k of ['eps', 'optimizer', 'experiment', 'outcome', 'tags', 'momentum', 'l2', 'r2']) expect(choices).toContain(k);
    await w.find('[data-column-choice="batchSize"]').setValue(true);
    await flush();
    expect(w.findAll('th[data-column]').map((t) => t.attributes('data-column')).at(-1)).toBe('batchSize');
    expect(w.find('tr[data-run="1"] [data-cell="batchSize"]').text()).toBe('32');
    expect(app.runs.settings.value.columns.at(-1)).toBe('batchSize');
    // the outcome once: in its column when shown, else in the status badge
    expect(w.find('tr[data-run="1"] [data-cell="status"]').text()).toBe('done');
    expect(w.find('tr[data-run="1"] [data-cell="outcome"] [data-outcome]').text()).toBe('learned');
    await w.find('[data-column-choice="outcome"]').setValue(false);
    await flush();
    expect(w.find('tr[data-run="1"] [data-cell="outcome"]').exists()).toBe(false);
    expect(w.find('tr[data-run="1"] [data-cell="status"]').text()).toBe('learned');
    w.unmount();
  });

  it('groups rows with their count, outcomes and medians, and expands a group to its runs', async () => {
    const w = await mounted();
    await w.find('[data-control="group-by"]').setValue('activation');
    await flush();
    expect(w.findAll('tr[data-group]').map((r) => r.attributes('data-group'))).toEqual(['relu', 'sigmoid']);
    expect(ids(w)).toEqual([]);
    const relu = w.find('tr[data-group="relu"]');
    expect(relu.find('[data-testid="group-outcomes"]').text()).toBe('1 learned, 0 underfit, 0 learned nothing of 1');
    await relu.find('[data-action="toggle-group"]').trigger('click');
    await flush();
    expect(ids(w)).toEqual(['1']);
    expect(w.find('tr[data-group="relu"] [data-action="toggle-group"]').attributes('aria-expanded')).toBe('true');
    w.unmount();
  });

  it('shows every row’s difference from the baseline run', async () => {
    const w = await mounted();
    app.runs.setBaseline(1);
    await flush();
    const cell = w.find('tr[data-run="2"] [data-cell="testMse"] .delta');
    expect(cell.text()).toBe(`Δ +${Number((0.03 - 0.002).toPrecision(4))}`);
    expect(cell.classes()).toContain('worse');
    expect(w.find('tr[data-run="2"] [data-cell="eps"] .delta').text()).toBe('Δ +0.4');
    expect(w.find('tr[data-run="1"] .base-mark').text()).toBe('baseline');
    expect(w.find('tr[data-run="1"] [data-cell="testMse"] .delta').exists()).toBe(false);
    w.unmount();
  });

  it('says what each outcome class means as analysis/outcome defines it, by skill once a classification run is listed', async () => {
    const w = await mounted();
    const legend = () => w.find('[data-testid="outcome-legend"]').text();
    expect(legend()).toContain(outcomeDefinition(DEFAULT_LEARNED_AT));
    expect(legend()).not.toContain(outcomeDefinition(DEFAULT_LEARNED_AT, 'skill'));
    expect(legend()).not.toMatch(/no fit|final MSE/);
    runs.push(summary(3, { task: 'circle' }));
    await app.runs.refresh();
    await flush();
    expect(legend()).toContain(outcomeDefinition(DEFAULT_LEARNED_AT, 'skill'));
    runs.pop();
    w.unmount();
  });

  it('points at the query’s bad token as it is typed', async () => {
    const w = await mounted();
    await w.find('#runs-query').setValue('activation = rellu');
    await flush();
    const err = w.find('[data-testid="query-error"]');
    expect(err.text()).toContain("'rellu' at column 14: activation is one of relu, sigmoid");
    expect(err.find('mark').text()).toBe('rellu');
    expect(w.find('#runs-query').attributes('aria-invalid')).toBe('true');
    await w.find('#runs-query').setValue('activation = sigmoid');
    // the query is sent after a pause in typing: wait for the answer, not for a time
    await vi.waitFor(async () => {
      await flush();
      expect(ids(w)).toEqual(['2']);
    }, { timeout: 20_000 });
    w.unmount();
  });

  it('says of an unknown field where this page lists the fields, each with its name in a query (it pointed to the CLI’s nnlab runs fields)', async () => {
    const w = await mounted();
    await w.find('#runs-query').setValue('x = 1');
    await flush();
    const err = w.find('[data-testid="query-error"]').text();
    expect(err).toContain("'x' at column 1: unknown field");
    expect(err).not.toContain('nnlab runs fields');
    expect(err).toContain('Columns lists every field, with its name in a query');
    // and Columns does: a field whose label is not its query name says the name
    await w.find('[data-testid="column-chooser"] summary').trigger('click');
    const choice = (key: string) => w.find(`[data-column-choice="${key}"]`).element.closest('label')!.textContent!.replace(/\s+/g, ' ').trim();
    expect(choice('learningRate')).toBe('Learning rate learningRate');
    expect(choice('status')).toBe('status');
    // a label the query takes as it is (in any case) needs no name beside it
    expect(choice('task')).toBe('Task');
    expect(choice('r2')).toBe('r²');
    w.unmount();
  });

  it('says whose answer the count is while the query being typed cannot be read (it read “1 of 2 runs match” under “activation = sigmoid and r2 >”)', async () => {
    const w = await mounted();
    const count = () => w.find('[data-testid="runs-count"]').text().replace(/\s+/g, ' ');
    await w.find('#runs-query').setValue('activation = sigmoid');
    await vi.waitFor(async () => {
      await flush();
      expect(ids(w)).toEqual(['2']);
    }, { timeout: 20_000 });
    expect(count()).toBe('1 of 2 runs match');
    await w.find('#runs-query').setValue('activation = sigmoid and r2 >');
    await flush();
    expect(w.find('[data-testid="query-error"]').exists()).toBe(true);
    expect(count()).toBe('1 of 2 runs match ‘activation = sigmoid’, the last query that could be read');
    w.unmount();
  });

  it('is one tab stop, and the arrow keys move between its cells', async () => {
    const w = await mounted();
    const stops = () => w.findAll('[data-testid="runs-grid"] [tabindex="0"]');
    expect(stops()).toHaveLength(1);
    const first = stops()[0].element as HTMLElement;
    first.focus();
    const key = async (k: string) => {
      await w.find('[data-testid="runs-grid"]').trigger('keydown', { key: k });
      await flush(1);
    };
    await key('ArrowDown');
    expect((document.activeElement as HTMLElement).closest('tr')?.getAttribute('data-run')).toBe('1');
    await key('ArrowLeft');
    expect(document.activeElement?.getAttribute('aria-label')).toBe('Select run 1');
    await key('ArrowUp');
    expect(document.activeElement?.getAttribute('aria-label')).toBe('Select run 2');
    await key('End');
    expect(document.activeElement?.getAttribute('aria-label')).toBe('Delete run 2');
    expect(stops()).toHaveLength(1);
    w.unmount();
  });

  it('edits notes and tags', async () => {
    // the lab keeps what it is told: a refresh that lands after the edit shows it too
    const stored = runs.map((r) => ({ ...r }));
    const w = await mounted({
      'runs/table': tableOver(() => stored.map((r) => ({ ...r }))),
      'runs/update': (req) => {
        Object.assign(stored.find((r) => r.id === req.id)!, { notes: req.notes, tags: req.tags });
        return { updated: true };
      },
    });
    await app.runs.setColumns([...app.runs.settings.value.columns, 'notes']);
    await flush();
    await w.find('button[aria-label="Edit notes and tags of run 1"]').trigger('click');
    await w.find('#notes-1').setValue('try again');
    await w.find('#tags-1').setValue('x, y');
    await w.find('tr.editor form').trigger('submit');
    // wait for the answers, not for a number of ticks (the edit, then the table asked again)
    await vi.waitFor(() => expect(app.client.calls.find((c) => c.name === 'runs/update')?.request).toEqual({ id: 1, notes: 'try again', tags: ['x', 'y'] }), { timeout: 10_000 });
    await vi.waitFor(() => expect(w.find('tr[data-run="1"]').text()).toContain('try again'), { timeout: 10_000 });
    w.unmount();
  });
});
