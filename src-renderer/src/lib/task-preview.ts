/**
 * A task as a small picture for choosing it: a classification set's points in their class colours
 * (drawn from the task's own generator with the form's noise, samples and data seed, so the
 * picture is the data the run will see), a regression task's target curves over its box. Pure:
 * coordinates in [0, 1] for the TaskPicker's thumbnails.
 */
import { classOf, fixedTaskInfo, isTaskName, resolveTask, type TaskName, type TaskSettings } from '@main/trainer/tasks';
import { classColor } from './boundary';

export type Thumbnail =
  | { kind: 'points'; points: { x: number; y: number; color: string }[] }
  | { kind: 'lines'; lines: string[] }
  /** A task with no picture to draw before its data is chosen (or too big for one): a word, and why. */
  | { kind: 'glyph'; text: string; why: string };

/** The tasks whose data is not drawn in a thumbnail, and why. */
const GLYPHS: Partial<Record<TaskName, { text: string; why: string }>> = {
  expression: { text: 'f(x)', why: 'your function: it is drawn once you write it (the Target field)' },
  csv: { text: 'CSV', why: 'a data set stored in this database: choose it and its columns below' },
  'fashion-mnist': { text: '28×28', why: 'no picture here: 784 inputs (28×28 pixels) per image; the run’s page shows test images with their predicted labels' },
};

/** At most this many points in a thumbnail (a big set is thinned evenly). */
const MAX_POINTS = 600;

/** The form's task parameters a thumbnail draws with. */
export type ThumbnailSettings = Pick<TaskSettings, 'noise' | 'samples' | 'trainFraction' | 'dataSeed'>;

/** A built-in task's picture; a glyph (with why) for a task whose data is the person's (an expression, a table) or has no small picture (images). */
export function taskThumbnail(name: string, settings: ThumbnailSettings): Thumbnail | null {
  if (!isTaskName(name)) return null;
  const glyph = GLYPHS[name];
  if (glyph) return { kind: 'glyph', ...glyph };
  const def = fixedTaskInfo(name);
  if (!def || def.inputs > 2) return null;
  if (def.inputs === 2 && def.kind === 'classification') {
    const task = resolveTask(name, settings);
    const sets = [task.train, task.test].filter((d) => d !== null);
    const [[lo1, hi1], [lo2, hi2]] = def.box;
    const points: { x: number; y: number; color: string }[] = [];
    const total = sets.reduce((n, d) => n + d.count, 0);
    const step = Math.max(1, Math.ceil(total / MAX_POINTS));
    let i = 0;
    for (const d of sets) {
      for (let r = 0; r < d.count; r++, i++) {
        if (i % step) continue;
        points.push({ x: (d.inputs[2 * r] - lo1) / (hi1 - lo1), y: 1 - (d.inputs[2 * r + 1] - lo2) / (hi2 - lo2), color: classColor(classOf(d.targets, r, def.outputs)) });
      }
    }
    return { kind: 'points', points };
  }
  if (def.inputs === 1) {
    const test = resolveTask(name, settings).test;
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of test.targets) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    const span = hi > lo ? hi - lo : 1;
    const lines = Array.from({ length: def.outputs }, (_, k) =>
      Array.from({ length: test.count }, (_, p) => `${p ? 'L' : 'M'}${((p / (test.count - 1)) * 100).toFixed(1)} ${((1 - (test.targets[p * def.outputs + k] - lo) / span) * 100).toFixed(1)}`).join(''),
    );
    return { kind: 'lines', lines };
  }
  return null;
}
