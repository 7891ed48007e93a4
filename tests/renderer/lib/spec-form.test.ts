import { describe, expect, it } from 'vitest';
import { fieldGroups, fieldOfPath, fitBatch, formToSpec, isSpecTask, parseNumber, parseShape, randomSeed, refit, retask, SPEC_FIELDS, specToForm, taskDefaultTexts } from '../../../src-renderer/src/lib/spec-form';
import { DEFAULT_SPEC, parseRunSpec, RunSpecSchema } from '@main/trainer/spec';

describe('renderer/lib/spec-form', () => {
  it('has a field for every spec field', () => {
    expect(SPEC_FIELDS.map((f) => f.key).sort()).toEqual(Object.keys(RunSpecSchema.shape).sort());
    expect(fieldGroups().flatMap((g) => g.fields)).toHaveLength(SPEC_FIELDS.length);
  });

  it('round-trips the defaults: the form of the seed’s experiment is the seed’s experiment', () => {
    const { spec, errors } = formToSpec(specToForm(DEFAULT_SPEC));
    expect(errors).toEqual({});
    expect(RunSpecSchema.parse(spec)).toEqual(DEFAULT_SPEC);
    expect(spec.initSeed).toBe(2);
    expect(spec.dataSeed).toBe(1);
  });

  it('reads numbers, the typographic minus and exponents', () => {
    expect(parseNumber(' -0.1 ')).toBe(-0.1);
    expect(parseNumber('\u22120.1')).toBe(-0.1);
    expect(parseNumber('1e-8')).toBe(1e-8);
    expect(parseNumber('.5')).toBe(0.5);
    expect(parseNumber('1,5')).toBeNaN();
    expect(parseNumber('')).toBeNaN();
    expect(parseNumber('0x10')).toBeNaN();
  });

  it('reads shapes written several ways', () => {
    expect(parseShape('1, 16, 2')).toEqual([1, 16, 2]);
    expect(parseShape('[1,32,2]')).toEqual([1, 32, 2]);
    expect(parseShape('1 8 8 2')).toEqual([1, 8, 8, 2]);
    expect(parseShape('1×16×2')).toEqual([1, 16, 2]);
    expect(parseShape('1, 1.5, 2')).toBeNull();
    expect(parseShape('')).toBeNull();
  });

  it('sends mean −eps as written, and the lab resolves it against the eps field', () => {
    const form = { ...specToForm(DEFAULT_SPEC), eps: '0.2', initMean: '-eps' };
    expect(formToSpec(form).errors).toEqual({});
    expect(parseRunSpec(formToSpec(form).spec).initMean).toBe(-0.2);
    expect(parseRunSpec(formToSpec({ ...form, initMean: '\u2212eps' }).spec).initMean).toBe(-0.2);
    expect(parseRunSpec(formToSpec({ ...form, initMean: ' +EPS ' }).spec).initMean).toBe(0.2);
    expect(formToSpec({ ...form, initMean: 'half eps' }).errors.initMean).toBe('must be a number, eps or -eps');
  });

  it('names the field whose text cannot be read', () => {
    const form = { ...specToForm(DEFAULT_SPEC), shape: '1, a, 2', batches: '3.5', learningRate: 'fast', initialWeights: '[[' };
    const { errors, spec } = formToSpec(form);
    expect(Object.keys(errors).sort()).toEqual(['batches', 'initialWeights', 'learningRate', 'shape']);
    expect(spec.shape).toBeUndefined();
    expect(formToSpec({ ...specToForm(DEFAULT_SPEC), eps: '' }).errors.eps).toBe('enter a value');
  });

  it('sends explicit initial weights only when given', () => {
    expect('initialWeights' in formToSpec(specToForm(DEFAULT_SPEC)).spec).toBe(false);
    const w = [[[0.1, 0.2]], [[0.3, 0.4]]];
    expect(formToSpec({ ...specToForm(DEFAULT_SPEC), shape: '1,1,1', initialWeights: JSON.stringify(w) }).spec.initialWeights).toEqual(w);
  });

  it('draws seeds in [0, 2³²)', () => {
    expect(randomSeed(() => 0)).toBe(0);
    expect(randomSeed(() => 0.999999999999)).toBeLessThan(2 ** 32);
    expect(Number.isInteger(randomSeed())).toBe(true);
  });

  it('maps the lab’s error paths to form fields', () => {
    expect(fieldOfPath('shape')).toBe('shape');
    expect(fieldOfPath('initialWeights[1][0]')).toBe('initialWeights');
    expect(fieldOfPath('spec.learningRate')).toBe('learningRate');
    expect(fieldOfPath('grid')).toBeNull();
    expect(fieldOfPath(undefined)).toBeNull();
  });

  it('gives a newly chosen task its own shape, loss and output layer, but keeps what the person typed', () => {
    const form = specToForm(DEFAULT_SPEC);
    expect(retask(form, 'sincos', 'circle')).toEqual({ shape: '2, 8, 8, 2', loss: 'cross-entropy', outputActivation: 'softmax' });
    // a shape the person typed keeps its hidden layers and takes the new task's widths (it stayed 1, 32, 2: "task spiral needs 2 inputs…")
    const typed = { ...form, shape: '1, 32, 2', loss: 'sse' };
    expect(retask(typed, 'sincos', 'spiral')).toEqual({ shape: '2, 32, 2', outputActivation: 'softmax', loss: 'cross-entropy' });
    expect(retask({ ...form, shape: '1, 64, 64, 2' }, 'sincos', 'fashion-mnist', form)).toMatchObject({ shape: '784, 64, 64, 10' });
    // sse is sincos's loss too: the person did not change it, so it follows the task
    const back = { ...form, ...retask(form, 'sincos', 'xor') };
    expect(retask(back, 'xor', 'sincos')).toEqual({ shape: '1, 16, 2', loss: 'sse', outputActivation: 'seed' });
    expect(formToSpec({ ...back, task: 'xor' }).errors).toEqual({});
    expect(parseRunSpec(formToSpec({ ...back, task: 'xor' }).spec)).toMatchObject({ task: 'xor', shape: [2, 8, 8, 2], loss: 'cross-entropy' });
  });

  it('fits the network to a task the lab described (the expression’s target, a table’s columns): widths always, the rest where it held the old task’s', () => {
    const form = specToForm(DEFAULT_SPEC);
    const sincos = taskDefaultTexts('sincos', form);
    const expr = { shape: '2, 16, 3', loss: 'sse', outputActivation: 'seed' };
    expect(refit(form, sincos, expr)).toEqual({ shape: '2, 16, 3' });
    expect(refit({ ...form, shape: '1, 32, 32, 2' }, sincos, expr)).toEqual({ shape: '2, 32, 32, 3' });
    // from circle's classification network to a regression: its loss and output layer go too
    const circle = { ...form, ...retask(form, 'sincos', 'circle', form) };
    expect(refit(circle, taskDefaultTexts('circle', form), expr)).toEqual({ shape: '2, 16, 3', loss: 'sse', outputActivation: 'seed' });
    // a shape that does not read stays, for its field's error
    expect(refit({ ...form, shape: '1, x' }, sincos, expr)).toEqual({});
    // a task whose network the lab describes gets only the training settings at once (Fashion-MNIST's epochs do not follow it)
    const fm = { ...form, ...retask(form, 'sincos', 'fashion-mnist', form) };
    expect(retask(fm, 'fashion-mnist', 'expression', form)).toEqual({ learningRate: '1', batchSize: '32', init: 'normal', epochs: '' });
    expect(isSpecTask('expression') && isSpecTask('csv') && !isSpecTask('fashion-mnist') && !isSpecTask('sincos')).toBe(true);
  });

  it('gives Fashion-MNIST its own training settings too (learning rate, batch, init, 5 epochs), and takes the seed’s back after', () => {
    const form = specToForm(DEFAULT_SPEC);
    const fm = retask(form, 'sincos', 'fashion-mnist', form);
    expect(fm).toEqual({ shape: '784, 128, 10', loss: 'cross-entropy', outputActivation: 'softmax', learningRate: '0.1', batchSize: '64', init: 'he', epochs: '5' });
    const on = { ...form, ...fm, task: 'fashion-mnist' };
    expect(parseRunSpec(formToSpec(on).spec, { data: { imagesHash: () => 'a'.repeat(64) } })).toMatchObject({ shape: [784, 128, 10], learningRate: 0.1, batchSize: 64, init: 'he', batches: 4688 }) // 5 × 60,000 / 64, as nnlab train runs it;
    // a value the person typed stays; the rest go back to the seed's experiment
    const back = retask({ ...on, learningRate: '0.05' }, 'fashion-mnist', 'sincos', form);
    expect(back).toEqual({ shape: form.shape, loss: form.loss, outputActivation: form.outputActivation, batchSize: form.batchSize, init: form.init, epochs: form.epochs });
  });
  it('sends only the task parameters its task reads: a csv choice left in the form does not follow it to Fashion-MNIST', () => {
    const form = specToForm(DEFAULT_SPEC);
    const csv = { ...form, task: 'csv', dataset: 'c'.repeat(64), inputColumns: 'u, v', targetColumns: '', labelColumn: 'where', standardize: 'yes', shape: '2, 16, 2', loss: 'cross-entropy', outputActivation: 'softmax', batches: '400' };
    expect(formToSpec(csv).spec).toMatchObject({ dataset: 'c'.repeat(64), inputColumns: ['u', 'v'], labelColumn: 'where', standardize: true });
    const fm = { ...csv, ...retask(csv, 'csv', 'fashion-mnist', form), task: 'fashion-mnist' };
    const { spec, errors } = formToSpec(fm);
    expect(errors).toEqual({});
    for (const k of ['inputColumns', 'targetColumns', 'labelColumn', 'standardize', 'noise', 'samples', 'trainFraction', 'target', 'domain']) expect(spec).not.toHaveProperty(k);
    // the lab takes it as it is (it was refused: 'task fashion-mnist does not read inputColumns'), with Fashion-MNIST's files' hash
    expect(parseRunSpec(spec, { data: { imagesHash: () => 'a'.repeat(64) } })).toMatchObject({ task: 'fashion-mnist', dataset: 'a'.repeat(64), inputColumns: [], labelColumn: '', batches: 4688 });
    // and a generated task still sends its own; a sweep's base keeps them all (its grid may vary the task)
    expect(formToSpec({ ...form, task: 'circle', noise: '0.2' }).spec).toMatchObject({ noise: 0.2, samples: 500 });
    expect(formToSpec({ ...form, noise: '0.2' }).spec).not.toHaveProperty('noise');
    expect(formToSpec({ ...form, noise: '0.2' }, { keepUnread: true }).spec).toMatchObject({ task: 'sincos', noise: 0.2 });
  });

  it('empties the data set field when the task moves between a table and Fashion-MNIST (the hash of one is not the other’s), and keeps it otherwise', () => {
    const form = specToForm(DEFAULT_SPEC);
    const csv = { ...form, task: 'csv', dataset: 'c'.repeat(64) };
    expect(retask(csv, 'csv', 'fashion-mnist', form).dataset).toBe('');
    expect(retask({ ...csv, dataset: 'f'.repeat(64) }, 'fashion-mnist', 'csv', form).dataset).toBe('');
    expect(retask({ ...csv, dataset: 'f'.repeat(64) }, 'circle', 'fashion-mnist', form).dataset).toBe('');
    // a table's choice waits while another kind of task is tried, and an empty field stays empty
    expect(retask(csv, 'csv', 'circle', form)).not.toHaveProperty('dataset');
    expect(retask(csv, 'circle', 'csv', form)).not.toHaveProperty('dataset');
    expect(retask({ ...form, task: 'sincos' }, 'sincos', 'fashion-mnist', form)).not.toHaveProperty('dataset');
  });

  it('fits a batch the form gave to the training set (the whole set where it is smaller, the task’s batch back on a bigger one), and keeps one typed', () => {
    const form = specToForm(DEFAULT_SPEC);
    const gave = { batchSize: '32' };
    expect(fitBatch(form, gave, '32', 20)).toBe('20');
    expect(fitBatch({ ...form, batchSize: '20' }, { batchSize: '20' }, '32', 250)).toBe('32');
    expect(fitBatch(form, gave, '32', 32)).toBe('32');
    // a task that draws fresh samples: no set bounds it
    expect(fitBatch({ ...form, batchSize: '20' }, { batchSize: '20' }, '32', null)).toBe('32');
    // Fashion-MNIST's own 64 on its 60,000 training images
    expect(fitBatch({ ...form, batchSize: '64' }, { batchSize: '64' }, '64', 60_000)).toBe('64');
    // typed: it stays, on a smaller set too (the lab says why it is too large, next to the field)
    expect(fitBatch({ ...form, batchSize: '50' }, gave, '32', 20)).toBeNull();
    expect(fitBatch({ ...form, batchSize: '8' }, { batchSize: '20' }, '32', 250)).toBeNull();
    // what the form gave is not known: the form's batch is taken as the task's
    expect(fitBatch(form, null, '32', 10)).toBe('10');
  });
});
