import { afterEach, describe, expect, it } from 'vitest';
import { LabApiError } from '@main/api/contract';
import { DEFAULT_SPEC } from '@main/trainer/spec';
import { createLab } from '../../../src-renderer/src/composables/useLab';
import { createRunForm } from '../../../src-renderer/src/composables/useRunForm';
import { applyChoice, firstChoice } from '../../../src-renderer/src/lib/data-form';
import { fakeClient, record, summary } from '../helpers/fake-lab';
import { type RealLabClient, realLabClient } from '../helpers/real-lab';

const preview = { histogram: { edges: [0, 1], counts: [66] }, deadAtInit: [3, 0], units: [16, 2], preActivation: [], probe: 'a 101-point grid over the input range', outOfReach: null };

function setup(extra: Parameters<typeof fakeClient>[0] = {}) {
  const client = fakeClient({
    'spec/defaults': () => ({ spec: DEFAULT_SPEC, choices: { activation: ['relu', 'sigmoid'] }, maxWeights: 1e6, version: '0.1.0' }),
    'spec/preview': (req) => {
      if ((req.spec as { shape: number[] }).shape[0] !== 1) throw new LabApiError({ name: 'SpecError', message: 'shape: task sincos needs 1 input and 2 output units, e.g. [1, 16, 2]', field: 'shape' });
      return preview;
    },
    ...extra,
  });
  const lab = createLab(client);
  const form = createRunForm(lab, () => 0.5);
  return { client, lab, form };
}

const wait = (ms = 260) => new Promise((r) => setTimeout(r, ms));

describe('renderer/composables/useRunForm', () => {
  it('starts from the seed’s experiment with its fixed seeds, and previews the init', async () => {
    const { form, lab } = setup();
    await form.init();
    expect(form.form.activation).toBe('relu');
    expect(form.form.initSeed).toBe('2');
    expect(form.form.dataSeed).toBe('1');
    expect(form.preview.value?.deadAtInit).toEqual([3, 0]);
    form.randomiseSeeds();
    expect(form.form.initSeed).toBe(String(2 ** 31));
    form.reset();
    expect(form.form.initSeed).toBe('2');
    form.close();
    lab.close();
  });

  it('puts the lab’s error next to the field it names, before Run is pressed', async () => {
    const { form, lab } = setup();
    await form.init();
    form.form.shape = '2, 16, 2';
    await wait();
    expect(form.errors.value.shape).toBe('task sincos needs 1 input and 2 output units, e.g. [1, 16, 2]');
    expect(form.previewError.value).toMatch(/^shape: /);
    form.form.shape = '1, 16, 2';
    await wait();
    expect(form.errors.value.shape).toBeUndefined();
    form.close();
    lab.close();
  });

  it('does not send a form it cannot read', async () => {
    const { form, lab, client } = setup({ 'runs/start': () => ({ runId: 1 }) });
    await form.init();
    form.form.learningRate = 'fast';
    expect(await form.start()).toBeNull();
    expect(form.errors.value.learningRate).toBe('must be a number');
    expect(client.calls.some((c) => c.name === 'runs/start')).toBe(false);
    form.close();
    lab.close();
  });

  it('starts a run with notes and tags and follows it to the end', async () => {
    const done = record(summary(7));
    let status: 'queued' | 'done' = 'queued';
    const { form, lab, client } = setup({
      'runs/start': () => ({ runId: 7 }),
      'runs/get': () => ({ run: status === 'done' ? done : { ...done, status: 'queued' } }),
    });
    await form.init();
    form.form.activation = 'sigmoid';
    form.notes.value = 'first try';
    form.tags.value = 'a, b';
    expect(await form.start()).toBe(7);
    const req = client.calls.find((c) => c.name === 'runs/start')?.request as { spec: Record<string, unknown>; notes: string; tags: string[] };
    expect(req.spec.activation).toBe('sigmoid');
    expect(req.spec.initSeed).toBe(2);
    expect(req.notes).toBe('first try');
    expect(req.tags).toEqual(['a', 'b']);
    expect(form.runStatus.value).toBe('queued');
    client.emit({ type: 'run/started', runId: 7 });
    expect(form.runStatus.value).toBe('running');
    status = 'done';
    client.emit({ type: 'run/finished', runId: 7, status: 'done', error: null });
    await wait(20);
    expect(form.runStatus.value).toBe('done');
    expect(form.runRecord.value?.id).toBe(7);
    form.close();
    lab.close();
  });

  it('says running once the run trains, when its start event came before the lab answered with its id', async () => {
    const queued = { ...record(summary(8)), status: 'queued' as const };
    let emit: (e: Parameters<ReturnType<typeof setup>['client']['emit']>[0]) => void = () => {};
    // the lab starts the run and says so before its answer to runs/start reaches the page; the store still says queued
    const { form, lab, client } = setup({
      'runs/start': () => {
        emit({ type: 'run/started', runId: 8 });
        return { runId: 8 };
      },
      'runs/get': () => ({ run: queued }),
    });
    emit = client.emit;
    await form.init();
    expect(await form.start()).toBe(8);
    client.emit({ type: 'run/progress', runId: 8, batchesDone: 10, batches: 1000, cost: 1, elapsedMs: 5, from: 0, stride: 1, costs: [1] });
    expect(form.runStatus.value).toBe('running');
    form.close();
    lab.close();
  });

  it('says running at once when the run’s progress came before the lab answered with its id', async () => {
    const queued = { ...record(summary(9)), status: 'queued' as const };
    let emit: (e: Parameters<ReturnType<typeof setup>['client']['emit']>[0]) => void = () => {};
    const { form, lab, client } = setup({
      'runs/start': () => {
        emit({ type: 'run/started', runId: 9 });
        emit({ type: 'run/progress', runId: 9, batchesDone: 10, batches: 1000, cost: 1, elapsedMs: 5, from: 0, stride: 1, costs: [1] });
        return { runId: 9 };
      },
      'runs/get': () => ({ run: queued }),
    });
    emit = client.emit;
    await form.init();
    expect(await form.start()).toBe(9);
    expect(form.runStatus.value).toBe('running');
    form.close();
    lab.close();
  });

  it('starts a run paused when asked', async () => {
    const { form, lab, client } = setup({ 'runs/start': () => ({ runId: 8 }), 'runs/get': () => ({ run: { ...record(summary(8)), status: 'queued' } }) });
    await form.init();
    form.paused.value = true;
    expect(await form.start()).toBe(8);
    expect((client.calls.find((c) => c.name === 'runs/start')?.request as { paused?: boolean }).paused).toBe(true);
    expect(form.runStatus.value).toBe('queued');
    form.close();
    lab.close();
  });

  it('shows a refusal that names a field next to it, and one that does not by the button', async () => {
    let err = new LabApiError({ name: 'SpecError', message: 'batchSize: 10 rows × … needs more than 64,000,000 activation values', field: 'batchSize' });
    const { form, lab } = setup({
      'runs/start': () => {
        throw err;
      },
    });
    await form.init();
    expect(await form.start()).toBeNull();
    expect(form.errors.value.batchSize).toMatch(/^10 rows/);
    err = new LabApiError({ name: 'Error', message: 'the lab is closing' });
    await form.start();
    expect(form.generalError.value).toBe('the lab is closing');
    form.close();
    lab.close();
  });
  it('says "updating…" from a change until its network is fitted, while an answer about the settings before it is still on its way', async () => {
    // the lab reads a target's inputs slowly: the answer about 'x' comes after the person typed 'x1 + x2'
    const inputs = (target: string) => (target.includes('x2') ? 2 : 1);
    const { form, lab } = setup({
      'spec/task': async (req) => {
        const target = (req.spec as { target: string }).target;
        await wait(120);
        const n = inputs(target);
        return { task: { name: 'expression', kind: 'regression', inputs: n, outputs: 1, defaults: { shape: [n, 16, 1], loss: 'sse', outputActivation: 'seed' }, trainSamples: null } };
      },
      'spec/preview': (req) => {
        const spec = req.spec as { shape: number[]; target: string };
        if (spec.shape[0] !== inputs(spec.target)) throw new LabApiError({ name: 'SpecError', message: `shape: task expression needs ${inputs(spec.target)} inputs`, field: 'shape' });
        return preview;
      },
    });
    await form.init();
    form.form.task = 'expression';
    form.form.target = 'x';
    await wait(250); // the debounced preview has asked about 'x'
    form.form.target = 'x1 + x2';
    // every moment the form says it is settled, its shape is the one the lab gives x1 + x2
    const seen: string[] = [];
    for (let t = 0; t < 1000; t += 5) {
      await wait(5);
      if (!form.previewLoading.value) seen.push(form.form.shape);
    }
    expect(seen.length).toBeGreaterThan(0);
    expect([...new Set(seen)]).toEqual(['2, 16, 1']);
    expect(form.errors.value.shape).toBeUndefined();
    form.close();
    lab.close();
  });
});

/** Waits until the form has settled: its task fitted and the preview of that network in (or refused). */
async function settled(form: ReturnType<typeof createRunForm>) {
  await wait();
  for (let t = 0; form.previewLoading.value; t += 10) {
    if (t > 20_000) throw new Error('the form did not settle');
    await wait(10);
  }
}

/** A data set of `rows` rows stored in the lab (three numeric inputs, a numeric target), as the Data view imports it. */
async function stored(client: RealLabClient, name: string, rows: number) {
  const text = `a,b,c,y\n${Array.from({ length: rows }, (_, i) => `${i},${(i * 7) % 11},${(i * 13) % 37},${(i * 0.1).toFixed(1)}`).join('\n')}\n`;
  const { dataset } = await client.call('datasets/import', { name, base64: Buffer.from(text).toString('base64') });
  return dataset;
}

describe('renderer/composables/useRunForm against the lab', () => {
  let client: RealLabClient;
  afterEach(async () => client?.close());

  /** A New run form over a real lab on a temp database, initialised, with these data sets stored (name → rows). */
  async function formInLab(sets: Record<string, number> = {}) {
    client = realLabClient();
    const kept: Record<string, Awaited<ReturnType<typeof stored>>> = {};
    for (const [name, rows] of Object.entries(sets)) kept[name] = await stored(client, name, rows);
    const lab = createLab(client);
    const form = createRunForm(lab);
    await form.init();
    return { lab, form, sets: kept };
  }

  /** Picks data set `set` for the task csv, as the picker does (its first inputs and target). */
  const pick = (form: ReturnType<typeof createRunForm>, set: Awaited<ReturnType<typeof stored>>) => {
    form.form.task = 'csv';
    Object.assign(form.form, applyChoice(form.form, set, firstChoice(set)));
  };

  it('fits its batch to the training set of the task or data set it picks, as it fits the shape, and back up to the default on a bigger one', async () => {
    const { lab, form, sets: { 'small.csv': small, 'big.csv': big } } = await formInLab({ 'small.csv': 40, 'big.csv': 200 });
    expect(form.form.batchSize).toBe('32');
    // circle's 20 samples, half of them for training: a batch of 10 (it sent 32, every batch holding the 10 three times over)
    form.form.task = 'circle';
    form.form.samples = '20';
    await settled(form);
    expect(form.form.batchSize).toBe('10');
    form.form.samples = '2000';
    await settled(form);
    expect(form.form.batchSize).toBe('32');
    form.form.trainFraction = '0.01';
    await settled(form);
    expect(form.form.batchSize).toBe('20');
    form.form.trainFraction = '0.5';
    // a data set picked as the picker does: 40 rows, 20 for training
    pick(form, small);
    await settled(form);
    expect(form.form).toMatchObject({ shape: '3, 8, 8, 1', trainFraction: '0.5', batchSize: '20' });
    expect(form.errors.value).toEqual({});
    form.form.trainFraction = '0.25';
    await settled(form);
    expect(form.form.batchSize).toBe('10');
    Object.assign(form.form, applyChoice(form.form, big, firstChoice(big)));
    await settled(form);
    expect(form.form.batchSize).toBe('32');
    // a task that draws fresh samples has no training set to fit
    form.form.task = 'expression';
    form.form.target = 'x^2';
    await settled(form);
    expect(form.form).toMatchObject({ shape: '1, 8, 8, 1', batchSize: '32' });
    expect(form.errors.value).toEqual({});
    form.close();
    lab.close();
  });

  it('starts the fitted form when Run is pressed before the lab has described the data set just picked', async () => {
    const { lab, form, sets: { 'small.csv': small } } = await formInLab({ 'small.csv': 40 });
    form.form.batches = '5';
    pick(form, small);
    // at once: the network's widths are the picker's, the batch the lab's answer about the data set
    const id = await form.start();
    expect(id).not.toBeNull();
    const { run } = await client.call('runs/get', { id: id! });
    expect(run.spec).toMatchObject({ task: 'csv', dataset: small.sha256, shape: [3, 16, 1], batchSize: 20 });
    form.close();
    lab.close();
  });

  it('shows the lab’s refusal of a typed batch larger than the training set next to the batch field, before Run and at Run', async () => {
    const { lab, form, sets: { 'small.csv': small, 'big.csv': big } } = await formInLab({ 'small.csv': 40, 'big.csv': 200 });
    pick(form, small);
    await settled(form);
    form.form.batchSize = '30';
    await settled(form);
    const refusal = "a batch of 30 is more than task csv's training set of 20 samples (trainFraction 0.5 of the data set's 40 rows), so each batch would hold samples twice: at most 20";
    expect(form.errors.value).toEqual({ batchSize: refusal });
    expect(await form.start()).toBeNull();
    expect(form.errors.value).toEqual({ batchSize: refusal });
    // on a bigger set the typed batch stays, and fits
    Object.assign(form.form, applyChoice(form.form, big, firstChoice(big)));
    await settled(form);
    expect(form.form.batchSize).toBe('30');
    expect(form.errors.value).toEqual({});
    // a generated set: circle's 20 samples train 10
    form.form.task = 'circle';
    form.form.samples = '20';
    await settled(form);
    expect(form.errors.value.batchSize).toMatch(/^a batch of 30 is more than task circle's training set of 10 samples \(trainFraction 0\.5 of 20 samples\)/);
    form.close();
    lab.close();
  });

  it('leaves a batch it fitted out of a sweep’s base, so a sweep over smaller training sets trains each at its own (and keeps a typed one)', async () => {
    const { lab, form, sets: { 'small.csv': small } } = await formInLab({ 'small.csv': 40 });
    form.form.task = 'csv';
    form.form.batches = '5';
    Object.assign(form.form, applyChoice(form.form, small, firstChoice(small)));
    await settled(form);
    expect(form.form.batchSize).toBe('20');
    const sweep = (base: Record<string, unknown>) => client.call('sweeps/start', { sweep: { base, grid: { trainFraction: [0.25, 0.5] }, replicates: 1 } });
    // it was refused: 'a batch of 20 is more than task csv's training set of 10 samples … (at trainFraction=0.25)'
    const { runIds } = await sweep(form.sweepBase().spec);
    const batches = await Promise.all(runIds.map(async (id) => (await client.call('runs/get', { id })).run.spec.batchSize));
    expect(batches).toEqual([10, 20]);
    form.form.batchSize = '20';
    expect(form.sweepBase().spec.batchSize).toBeUndefined();
    form.form.batchSize = '16';
    expect(form.sweepBase().spec.batchSize).toBe(16);
    await expect(sweep(form.sweepBase().spec)).rejects.toThrow(/^batchSize: a batch of 16 is more than task csv's training set of 10 samples/);
    form.close();
    lab.close();
  });

  it('leaves the task’s own values it holds out of a sweep’s base, so a sweep over tasks trains each with its own network (the seed’s [1, 16, 2] went to circle and was refused), and keeps typed ones', async () => {
    const { lab, form } = await formInLab({});
    const sweep = (base: Record<string, unknown>) => client.call('sweeps/start', { sweep: { base: { ...base, batches: 5 }, grid: { task: ['sincos', 'circle'] }, replicates: 1 } });
    const { runIds } = await sweep(form.sweepBase().spec);
    const specs = await Promise.all(runIds.map(async (id) => (await client.call('runs/get', { id })).run.spec));
    expect(specs.map((s) => [s.task, s.shape, s.loss, s.outputActivation])).toEqual([
      ['sincos', [1, 16, 2], 'sse', 'seed'],
      ['circle', [2, 8, 8, 2], 'cross-entropy', 'softmax'],
    ]);
    // a value the person chose goes as chosen, and is refused where a task cannot take it, naming the field
    form.form.shape = '1, 32, 2';
    expect(form.sweepBase().spec.shape).toEqual([1, 32, 2]);
    await expect(sweep(form.sweepBase().spec)).rejects.toThrow(/^shape: task circle needs 2 inputs/);
    form.form.shape = '1, 16, 2';
    form.form.loss = 'sse';
    expect(form.sweepBase().spec.shape).toBeUndefined();
    form.form.learningRate = '0.5';
    expect(form.sweepBase().spec.learningRate).toBe(0.5);
    form.close();
    lab.close();
  });

  it('keeps a batch the person typed through every fit', async () => {
    const { lab, form, sets: { 'small.csv': small } } = await formInLab({ 'small.csv': 40 });
    form.form.batchSize = '8';
    form.form.task = 'circle';
    form.form.samples = '20';
    await settled(form);
    expect(form.form.batchSize).toBe('8');
    pick(form, small);
    await settled(form);
    expect(form.form.batchSize).toBe('8');
    expect(form.errors.value).toEqual({});
    form.close();
    lab.close();
  });
});
