// @vitest-environment happy-dom
import { mount } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, h } from 'vue';
import { LabApiError } from '@main/api/contract';
import InitPreview from '../../../src-renderer/src/components/InitPreview.vue';
import RunForm from '../../../src-renderer/src/components/RunForm.vue';
import { SPEC_FIELDS } from '../../../src-renderer/src/lib/spec-form';
import { flush, record, summary } from '../helpers/fake-lab';
import { Readable } from 'node:stream';
import { readCsv } from '@main/data/csv';
import { setupApp } from '../helpers/mount';

vi.mock('vue-chartjs', () => ({ Chart: defineComponent({ props: ['type', 'data', 'options', 'plugins', 'datasetIdKey', 'ariaLabel'], setup: () => () => h('canvas') }) }));

let app: ReturnType<typeof setupApp>;
afterEach(() => app?.close());

describe('renderer/components/RunForm', () => {
  it('has a labelled input for every spec field, filled with the seed’s experiment', async () => {
    app = setupApp();
    await app.form.init();
    const w = mount(RunForm, { attachTo: document.body });
    for (const f of SPEC_FIELDS) {
      const input = w.find(`#field-${f.key}`);
      expect(input.exists(), f.key).toBe(true);
      expect(w.find(`label[for="field-${f.key}"]`).exists(), f.key).toBe(true);
    }
    expect((w.find('#field-shape').element as HTMLInputElement).value).toBe('1, 16, 2');
    expect((w.find('#field-activation').element as HTMLSelectElement).value).toBe('relu');
    expect((w.find('#field-initSeed').element as HTMLInputElement).value).toBe('2');
    w.unmount();
  });

  it('shows a refused field’s error next to that field and marks it invalid', async () => {
    // the lab refuses the spec wherever it sees it: the preview (200 ms after the edit, which may
    // come after the refused start on a loaded machine) must not clear the error either
    const refuse = () => {
      throw new LabApiError({ name: 'SpecError', message: 'learningRate: must be more than 0', field: 'learningRate' });
    };
    app = setupApp({ 'runs/start': refuse, 'spec/preview': refuse });
    await app.form.init();
    const w = mount(RunForm, { attachTo: document.body });
    await w.find('#field-learningRate').setValue('0');
    await w.find('form').trigger('submit');
    await flush();
    const err = w.find('[data-error-for="learningRate"]');
    expect(err.text()).toBe('must be more than 0');
    expect(w.find('#field-learningRate').attributes('aria-invalid')).toBe('true');
    expect(w.find('#field-learningRate').attributes('aria-describedby')).toBe(err.attributes('id'));
    expect(document.activeElement?.id).toBe('field-learningRate');
    w.unmount();
  });

  it('sends the form to the lab when Run is pressed', async () => {
    app = setupApp({ 'runs/start': () => ({ runId: 1 }), 'runs/get': () => ({ run: record(summary(1, {}, { status: 'queued' })) }) });
    await app.form.init();
    const w = mount(RunForm, { attachTo: document.body });
    await w.find('#field-activation').setValue('sigmoid');
    await w.find('form').trigger('submit');
    await flush();
    const start = app.client.calls.find((c) => c.name === 'runs/start');
    expect((start?.request as { spec: { activation: string } }).spec.activation).toBe('sigmoid');
    expect(w.emitted('started')?.[0]).toEqual([1]);
    w.unmount();
  });

  it('randomises the seeds on request', async () => {
    app = setupApp();
    await app.form.init();
    const w = mount(RunForm, { attachTo: document.body });
    await w.find('[data-action="randomise-seeds"]').trigger('click');
    expect(app.form.form.initSeed).not.toBe('2');
    w.unmount();
  });
});

describe('renderer/components/RunForm: the csv task', () => {
  it('picks a stored data set and its columns, fits the shape to them, and sends them', async () => {
    const csv = ['a,b,kind'];
    for (let i = 0; i < 30; i++) csv.push(`${i},${i % 7},${i % 2 ? 'odd' : 'even'}`);
    const table = await readCsv(Readable.from([Buffer.from(csv.join('\n'))]), 'parity.csv');
    const { values: _values, ...info } = table;
    app = setupApp({
      'datasets/list': () => ({ datasets: [{ ...info, id: 1, format: 'csv', importedAt: 0, runs: 0 }] }),
      'runs/start': () => ({ runId: 7 }),
      'runs/get': () => ({ run: record(summary(7, {}, { status: 'queued' })) }),
    });
    await app.form.init();
    const w = mount(RunForm, { attachTo: document.body });
    expect(w.find('[data-testid="dataset-picker"]').exists()).toBe(false);
    await w.find('[data-task="csv"]').trigger('click');
    await flush();
    await w.find('[data-testid="dataset-choice"]').setValue(table.sha256);
    expect(w.findAll('[data-testid="dataset-columns"] tbody tr').map((r) => r.attributes('data-column'))).toEqual(['a', 'b', 'kind']);
    expect((w.find('#field-labelColumn').element as HTMLInputElement).value).toBe('kind');
    expect((w.find('#field-inputColumns').element as HTMLInputElement).value).toBe('a, b');
    expect((w.find('#field-shape').element as HTMLInputElement).value).toBe('2, 16, 2');
    // the form says what it guessed (b's 7 whole numbers could be classes too), until a role is changed
    expect(w.find('[data-testid="dataset-guess"]').text()).toBe('First guess: “kind” as the label (a column of text with 2 classes), a, b as inputs: a classification. Change any column’s role below.');
    // b as the target instead: regression, one output, a linear output layer with sse
    await w.find('[data-column="kind"] select').setValue('unused');
    expect(w.find('[data-testid="dataset-guess"]').exists()).toBe(false);
    await w.find('[data-column="b"] select').setValue('target');
    expect((w.find('#field-shape').element as HTMLInputElement).value).toBe('1, 16, 1');
    await w.find('form').trigger('submit');
    await flush();
    const start = app.client.calls.find((c) => c.name === 'runs/start');
    expect((start?.request as { spec: object }).spec).toMatchObject({ task: 'csv', dataset: table.sha256, inputColumns: ['a'], targetColumns: ['b'], labelColumn: '', shape: [1, 16, 1], loss: 'sse', outputActivation: 'linear' });
    w.unmount();
  });

  it('says so when the database has no data set yet', async () => {
    app = setupApp({ 'datasets/list': () => ({ datasets: [] }) });
    await app.form.init();
    app.form.form.task = 'csv';
    const w = mount(RunForm, { attachTo: document.body });
    await flush();
    expect(w.find('[data-testid="dataset-picker"] [data-testid="no-datasets"]').text()).toContain('import a CSV in the Data tab');
    w.unmount();
  });

  it('says on the tiles of the tasks without a picture why they have none', async () => {
    app = setupApp();
    await app.form.init();
    const w = mount(RunForm, { attachTo: document.body });
    expect(w.find('[data-task="fashion-mnist"]').attributes('title')).toContain('784 inputs');
    expect(w.find('[data-task="fashion-mnist"] [data-glyph]').text()).toBe('28×28');
    expect(w.find('[data-task="csv"] [data-glyph]').text()).toBe('CSV');
    expect(w.find('[data-task="expression"] [data-glyph]').text()).toBe('f(x)');
    expect(w.find('[data-task="circle"] circle').exists()).toBe(true);
    w.unmount();
  });
});

describe('renderer/components/InitPreview', () => {
  it('shows units dead at init per layer', async () => {
    app = setupApp();
    await app.form.init();
    const w = mount(InitPreview);
    expect(w.find('[data-layer="hidden"]').text()).toContain('3 / 16');
    expect(w.find('[data-layer="output"]').text()).toContain('0 / 2');
    expect(w.find('[data-chart="init-weights"]').attributes('data-points')).toBe('2');
    expect(w.find('[data-testid="out-of-reach"]').exists()).toBe(false);
    w.unmount();
  });

  it('says when the output layer cannot reach the targets, as the lab words it', async () => {
    const outOfReach = 'the output layer is relu (the seed’s rule: the hidden activation), which never goes below 0, but the target x^2 - 1 reaches −1 (29 of 30 test points are out of its reach): no weights can fit those; a linear output layer can reach them (Output layer: linear)';
    app = setupApp({ 'spec/preview': () => ({ histogram: { edges: [-0.1, 0, 0.1], counts: [30, 36] }, deadAtInit: [3, 0], units: [16, 1], preActivation: [], probe: 'a 101-point grid over the input range', outOfReach }) });
    await app.form.init();
    const w = mount(InitPreview);
    const note = w.find('[data-testid="out-of-reach"]');
    expect(note.attributes('role')).toBe('status');
    expect(note.text()).toBe(`Out of reach: ${outOfReach}.`);
    w.unmount();
  });
});
