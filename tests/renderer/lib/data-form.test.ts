/**
 * The New run form's data set picker (lib/data-form): a real CSV read by the lab's reader, its
 * columns' possible roles, a first choice, and the form's text after a choice — checked by the
 * lab's own parseRunSpec against the same table, so the form sends a spec the lab takes.
 */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readCsv } from '@main/data/csv';
import { parseRunSpec, DEFAULT_SPEC } from '@main/trainer/spec';
import { applyChoice, columnChoices, firstChoice, firstChoiceWords, withRole } from '../../../src-renderer/src/lib/data-form';
import { fitBatch, formToSpec, parseNumber, type SpecForm, specToForm } from '../../../src-renderer/src/lib/spec-form';
import type { TableInfo } from '@main/trainer/table';
import { trainingSamples } from '@main/trainer/tasks';

const csv = ['size,weight,"kind, roughly",price'];
for (let i = 0; i < 40; i++) csv.push(`${i / 10},${(i * 7) % 13},${['cat', 'dog', 'fox'][i % 3]},${(i * 1.5).toFixed(1)}`);
const table = () => readCsv(Readable.from([Buffer.from(`${csv.join("\n")}\n`)]), 'pets.csv');

/** The batch the New run form gives the table's training set (useRunForm fits it with the lab's count, spec/task): the seed's 32, or the whole set where that is smaller. */
const fittedBatch = (form: SpecForm, t: TableInfo) => ({ batchSize: fitBatch(form, null, form.batchSize, trainingSamples({ task: 'csv', samples: 0, trainFraction: parseNumber(form.trainFraction) }, t))! });

describe('renderer/lib/data-form', () => {
  it('says what each column may be: numbers are inputs or targets, a column of up to 1,000 distinct values a label (as the lab allows)', async () => {
    const t = await table();
    const form = { ...specToForm(DEFAULT_SPEC), task: 'csv' };
    const c = columnChoices(form, t);
    expect(c.map((x) => [x.name, x.allowed])).toEqual([
      ['size', ['input', 'target', 'label', 'unused']],
      ['weight', ['input', 'target', 'label', 'unused']],
      ['kind, roughly', ['label', 'unused']],
      ['price', ['input', 'target', 'label', 'unused']],
    ]);
    expect(c.map((x) => x.holds)).toEqual(['numbers 0 … 3.9', 'numbers 0 … 12 (13 classes)', '3 classes: cat, dog, fox', 'numbers 0 … 58.5']);
    expect(c.every((x) => x.role === 'unused')).toBe(true);
  });

  it('writes a column’s range with the minus sign the rest of the page writes (it read “numbers -0.9999 … 0.9939”)', async () => {
    const rows = ['x,y'];
    for (let i = 0; i < 30; i++) rows.push(`${(i - 20) / 10},${-2e-7 * (i + 1)}`);
    const t = await readCsv(Readable.from([Buffer.from(`${rows.join('\n')}\n`)]), 'signs.csv');
    expect(columnChoices({ ...specToForm(DEFAULT_SPEC), task: 'csv' }, t).map((x) => x.holds)).toEqual(['numbers −2 … 0.9', 'numbers −0.000006 … −2e−7']);
  });

  it('says why a column of numbers with one bad cell is no input: the line and what is there (it read "text, 30 distinct values")', async () => {
    const rows = ['a,b,c,kind,price'];
    for (let i = 0; i < 30; i++) rows.push(`${i},${i === 7 ? '' : i * 2},${i === 3 ? 'NaN' : i},${['x', 'y'][i % 2]},"${i % 6},5"`);
    const t = await readCsv(Readable.from([Buffer.from(`${rows.join('\n')}\n`)]), 'gaps.csv');
    const c = columnChoices({ ...specToForm(DEFAULT_SPEC), task: 'csv' }, t);
    expect(c.map((x) => x.holds)).toEqual([
      'numbers 0 … 29',
      'text, 30 distinct values — not numbers from line 9: the value is empty',
      "text, 30 distinct values — not numbers from line 5: 'NaN' is not a finite number",
      // a column that is text from its first row is a text column: nothing to explain
      '2 classes: x, y',
      // values written with a comma are quoted (it read "0,5, 1,5, 2,5, …")
      "6 classes: '0,5', '1,5', '2,5', '3,5', '4,5', '5,5'",
    ]);
    expect(c.map((x) => x.allowed.includes('input'))).toEqual([true, false, false, false, false]);
  });

  it('a first choice classifies on the text column, and the form then holds a spec the lab takes on the table', async () => {
    const t = await table();
    const form = { ...specToForm(DEFAULT_SPEC), task: 'csv', trainFraction: '0.5' };
    const changes = applyChoice(form, t, firstChoice(t));
    expect(changes).toMatchObject({ dataset: t.sha256, inputColumns: 'size, weight, price', targetColumns: '', labelColumn: 'kind, roughly', shape: '3, 16, 3', loss: 'cross-entropy', outputActivation: 'softmax' });
    const data = { table: (sha: string) => (sha === t.sha256 ? t : undefined) };
    // the seed's batch of 32 is more than the 20 training rows: the form fits it (the lab refuses it as it is)
    expect(() => parseRunSpec(formToSpec({ ...form, ...changes }).spec, { data })).toThrow(/^batchSize: a batch of 32 is more than task csv's training set of 20 samples/);
    const { spec, errors } = formToSpec({ ...form, ...changes, ...fittedBatch({ ...form, ...changes }, t) });
    expect(errors).toEqual({});
    const parsed = parseRunSpec(spec, { data });
    expect(parsed).toMatchObject({ task: 'csv', shape: [3, 16, 3], labelColumn: 'kind, roughly', inputColumns: ['size', 'weight', 'price'], batchSize: 20 });
  });

  it('guesses a text column with classes as the label before a later column of few whole numbers, and says what it guessed and why (a count last took the label from the text column, and nothing said so)', async () => {
    const read = (name: string, header: string, row: (i: number) => string) => readCsv(Readable.from([Buffer.from(`${[header, ...Array.from({ length: 40 }, (_, i) => row(i))].join('\n')}\n`)]), name);
    // the label in the middle, a count of 0 to 3 last
    const mid = await read('mid.csv', 'u,class,v,count', (i) => `${i / 40},${i % 3 ? 'in' : 'out'},${(i * 7) % 40},${i % 4}`);
    expect(firstChoice(mid)).toEqual({ u: 'input', class: 'label', v: 'input', count: 'input' });
    expect(firstChoiceWords(mid)).toBe('First guess: “class” as the label (a column of text with 2 classes), u, v, count as inputs: a classification. Change any column’s role below.');
    // numbers only: the last column of few whole numbers is the label, and the words say it is a guess from its values
    const counts = await read('counts.csv', 'a,b,y,z', (i) => `${i / 40},${(i * 7) % 40},${(i * 1.5).toFixed(1)},${i % 4}`);
    expect(firstChoice(counts)).toEqual({ a: 'input', b: 'input', y: 'input', z: 'label' });
    expect(firstChoiceWords(counts)).toBe('First guess: “z” as the label (the last column of few distinct numbers: 4 classes), a, b, y as inputs: a classification. Change any column’s role below.');
    // no column with classes: the last numeric column is the target
    const reg = await read('reg.csv', 'a,b,y', (i) => `${i / 40},${(i * 7) % 40},${(i * 1.5).toFixed(1)}`);
    expect(firstChoiceWords(reg)).toBe('First guess: “y” as the target (the last column of numbers; no column has few enough distinct values to be a label), a, b as inputs: a regression. Change any column’s role below.');
  });

  it('switching to regression fits the output width and takes a linear output with sse; hidden layers stay', async () => {
    const t = await table();
    let form = { ...specToForm(DEFAULT_SPEC), task: 'csv', shape: '1, 32, 8, 2' };
    form = { ...form, ...applyChoice(form, t, firstChoice(t)) };
    expect(form.shape).toBe('3, 32, 8, 3');
    // price becomes the target: the label is dropped (one of the two), and the kind changed
    let roles = withRole(columnChoices(form, t), 'price', 'target');
    roles = withRole(columnChoices({ ...form, ...applyChoice(form, t, roles) }, t), 'kind, roughly', 'unused');
    const changes = applyChoice(form, t, roles);
    expect(changes).toMatchObject({ inputColumns: 'size, weight', targetColumns: 'price', labelColumn: '', shape: '2, 32, 8, 1', loss: 'sse', outputActivation: 'linear' });
    form = { ...form, ...changes };
    // a loss the person chose stays while the kind stays
    form.loss = 'sse';
    form.outputActivation = 'seed';
    const more = applyChoice(form, t, withRole(columnChoices(form, t), 'weight', 'unused'));
    expect(more).toMatchObject({ inputColumns: 'size', shape: '1, 32, 8, 1' });
    expect(more.outputActivation).toBeUndefined();
    form = { ...form, ...more };
    expect(parseRunSpec(formToSpec({ ...form, ...fittedBatch(form, t) }).spec, { data: { table: () => t } })).toMatchObject({ shape: [1, 32, 8, 1], outputActivation: 'seed', batchSize: 20 });
  });

  it('one label at most: a new label makes the old one unused', async () => {
    const t = await table();
    const form = { ...specToForm(DEFAULT_SPEC), task: 'csv' };
    const f2 = { ...form, ...applyChoice(form, t, firstChoice(t)) };
    const roles = withRole(columnChoices(f2, t), 'weight', 'label');
    expect(roles).toMatchObject({ weight: 'label', 'kind, roughly': 'unused' });
    expect(applyChoice(f2, t, roles)).toMatchObject({ labelColumn: 'weight', inputColumns: 'size, price', shape: '2, 16, 13' });
  });

  it('leaves the shape alone while the columns make no task (the lab then names the missing field)', async () => {
    const t = await table();
    const form = { ...specToForm(DEFAULT_SPEC), task: 'csv' };
    const changes = applyChoice(form, t, { size: 'input' });
    expect(changes).toEqual({ dataset: t.sha256, inputColumns: 'size', targetColumns: '', labelColumn: '' });
  });
});
