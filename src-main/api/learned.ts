/**
 * The 'runs/learned' answer: what a finished run learned on its test set, from the outputs and
 * targets the store keeps for every test example (analysis/learned.ts), with the names of its
 * classes or targets (a table's from its data set), and for an image task the test images shown
 * — read from the data set's files where the run trained, checked against the content hash its
 * spec recorded (the pixels are not in the database). Node-side: it reads those files.
 */
import { confusionMatrix, examplesToShow, predictedVsActual } from '../analysis/learned';
import { DataMissingError, loadFashionMnist } from '../data/fashion-mnist';
import { outputNamesOf } from '../data/sources';
import type { RunStore } from '../db/store';
import type { RunRecord } from '../db/types';
import type { DataContext } from '../trainer/task-resolve';
import { TASK_DEFS, taskKind } from '../trainer/tasks';
import { type LearnedView, MAX_LEARNED_POINTS } from './contract';

/** Default count of test images shown. */
const DEFAULT_IMAGES = 48;

export function learnedView(store: RunStore, run: RunRecord, data: DataContext, images: number = DEFAULT_IMAGES): LearnedView {
  const { spec } = run;
  const outputs = spec.shape[spec.shape.length - 1];
  const kind = taskKind(spec);
  const s = store.getSeries(run.id, ['testEstimates', 'testTargets']);
  const estimates = s.testEstimates?.data;
  const targets = s.testTargets?.data;
  const has = !!estimates && !!targets && targets.length > 0 && estimates.length === targets.length;
  let outputNames: string[];
  try {
    outputNames = outputNamesOf(spec, data);
  } catch {
    // the data set's description is not readable here (its files missing): the outputs by number
    outputNames = Array.from({ length: outputs }, (_, k) => `output ${k + 1}`);
  }
  const view: LearnedView = {
    kind,
    task: spec.task,
    outputNames,
    testPoints: has ? targets.length / outputs : 0,
    confusion: null,
    images: null,
    imagesNote: null,
    predicted: null,
  };
  if (!has) return view;
  if (kind === 'classification') view.confusion = confusionMatrix(estimates, targets, outputs);
  else view.predicted = predictedVsActual(estimates, targets, outputs, MAX_LEARNED_POINTS);
  const def = TASK_DEFS[spec.task];
  if (def.sampling === 'images' && images > 0) {
    try {
      const set = loadFashionMnist();
      if (set.sha256 !== spec.dataset) {
        view.imagesNote = `the ${spec.task} files here (content hash ${set.sha256.slice(0, 12)}…) are not the ones this run trained on (${spec.dataset.slice(0, 12)}…): its test images are not shown`;
      } else {
        const { examples, misclassified } = examplesToShow(estimates, targets, outputs, images);
        const size = set.width * set.height;
        const pixels = set.test.pixels;
        view.images = {
          width: set.width,
          height: set.height,
          misclassified,
          examples: examples.map((e) => ({ ...e, pixels: Buffer.from(pixels.buffer, pixels.byteOffset + e.index * size, size).toString('base64') })),
        };
      }
    } catch (e) {
      if (!(e instanceof DataMissingError)) throw e;
      view.imagesNote = `its test images are not shown: ${e.message}`;
    }
  }
  return view;
}
