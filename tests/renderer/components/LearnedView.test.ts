// @vitest-environment happy-dom
/**
 * LearnedView: a run's confusion matrix (counts, then shares of the true class), its test images
 * misclassified first and marked, and a regression's predicted vs actual — drawn from a
 * 'runs/learned' answer made by the lab's own analysis functions.
 */
import { mount } from '@vue/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import type { LearnedView as Learned } from '@main/api/contract';
import { confusionMatrix, examplesToShow, predictedVsActual } from '@main/analysis/learned';
import LearnedView from '../../../src-renderer/src/components/LearnedView.vue';
import { flush } from '../helpers/fake-lab';
import { setupApp } from '../helpers/mount';

let app: ReturnType<typeof setupApp>;
afterEach(() => app?.close());

const oneHot = (classes: number[], k: number) => Float64Array.from(classes.flatMap((c) => Array.from({ length: k }, (_, j) => (j === c ? 1 : 0))));
const truth = [0, 0, 1, 1, 2, 2, 2];
const pred = [0, 1, 1, 1, 2, 0, 2];
const est = Float64Array.from(pred.flatMap((c, i) => [0, 1, 2].map((j) => (j === c ? 0.6 + i / 100 : (0.4 - i / 100) / 2))));

function classification(): Learned {
  const { examples, misclassified } = examplesToShow(est, oneHot(truth, 3), 3, 4);
  return {
    kind: 'classification',
    task: 'fashion-mnist',
    outputNames: ['Coat', 'Shirt', 'Bag'],
    testPoints: 7,
    confusion: confusionMatrix(est, oneHot(truth, 3), 3),
    images: { width: 2, height: 2, misclassified, examples: examples.map((e) => ({ ...e, pixels: Buffer.from([0, 64, 128, 255]).toString('base64') })) },
    imagesNote: null,
    predicted: null,
  };
}

describe('renderer/components/LearnedView', () => {
  it('shows the confusion matrix as counts, then as shares of each true class, over the run’s test examples', async () => {
    app = setupApp({ 'runs/learned': () => classification() });
    const w = mount(LearnedView, { props: { run: { id: 5, status: 'done' } } });
    await flush();
    expect(w.find('[data-testid="confusion"]').text()).toContain('over its 7 test examples');
    expect(w.find('[data-testid="confusion"]').text()).toContain('5 right (71.4 %)');
    const row = (name: string) => w.findAll(`[data-true="${name}"] td`).map((td) => td.text());
    expect(row('Coat')).toEqual(['1', '1', '0']);
    expect(row('Bag')).toEqual(['1', '0', '2']);
    await w.find('[data-mode="shares"]').setValue(true);
    expect(row('Bag')).toEqual(['33.3 %', '0.0 %', '66.7 %']);
    expect(w.find('[data-true="Coat"] td').attributes('aria-label')).toBe('Coat predicted as Coat: 1 of 2 (50.0 %)');
    w.unmount();
  });

  it('lists test images misclassified first, marked, with true and predicted labels', async () => {
    app = setupApp({ 'runs/learned': () => classification() });
    const w = mount(LearnedView, { props: { run: { id: 5, status: 'done' } } });
    await flush();
    const items = w.findAll('[data-testid="image-grid"] li');
    expect(items.map((li) => li.attributes('data-wrong'))).toEqual(['true', 'true', 'false', 'false']);
    // the more confident mistake first: row 5 (a Bag taken for a Coat at 0.65) before row 1 (0.61)
    expect(items.map((li) => li.attributes('data-index'))).toEqual(['5', '1', '0', '2']);
    expect(items[0].text()).toContain('true: Bag');
    expect(items[0].text()).toContain('pred: Coat (65 %)');
    expect(w.find('[data-testid="image-grid"]').text()).toContain('2 misclassified in all');
    w.unmount();
  });

  it('plots a regression’s predicted against actual values and says how many of its test examples', async () => {
    const targets = Float64Array.from({ length: 5000 }, (_, i) => i / 5000);
    const view: Learned = { kind: 'regression', task: 'csv', outputNames: ['price'], testPoints: 5000, confusion: null, images: null, imagesNote: null, predicted: predictedVsActual(targets.map((t) => t * 0.9), targets, 1, 2000) };
    app = setupApp({ 'runs/learned': () => view });
    const w = mount(LearnedView, { props: { run: { id: 9, status: 'done' } } });
    await flush();
    const s = w.find('[data-testid="predicted-actual"]');
    expect(s.text()).toContain('every 3rd of 5,000 test examples (1,667 shown)');
    expect(s.findAll('[data-output="price"] circle')).toHaveLength(1667);
    expect(w.find('[data-testid="confusion"]').exists()).toBe(false);
    w.unmount();
  });
});
