import { describe, expect, it } from 'vitest';
import { createRng, STREAM } from '../../src-main/trainer/prng';
import {
  classOf,
  type DataSet,
  generateData,
  gridPoints,
  outputNames,
  TASK_DEFS,
  TASK_NAMES,
  type TaskInfo,
  taskDef,
  VIEW_GRID,
} from '../../src-main/trainer/tasks';
import { resolveSpecTask } from '../../src-main/trainer/task-resolve';
import { DEFAULT_SPEC } from '../../src-main/trainer/spec';

const PLAYGROUND = ['circle', 'xor', 'gauss', 'spiral'] as const;
const settings = { ...DEFAULT_SPEC, noise: 0, samples: 500, trainFraction: 0.5, dataSeed: 1 };
const named = (task: string) => ({ task, target: '', targetColumns: [], labelColumn: '' });

/** Every sample of a generated set, in generation order, at these settings. */
function generated(name: (typeof PLAYGROUND)[number], s = settings): DataSet {
  const def = taskDef(name);
  if (def.sampling !== 'generated') throw new Error('not generated');
  return generateData(def, s.samples, s.noise, createRng(s.dataSeed, STREAM.dataset));
}

function points(d: DataSet): { x: number; y: number; cls: number }[] {
  return Array.from({ length: d.count }, (_, i) => ({ x: d.inputs[2 * i], y: d.inputs[2 * i + 1], cls: classOf(d.targets, i, 2) }));
}

describe('trainer/tasks', () => {
  it('names each task’s outputs, one name per output', () => {
    expect(outputNames(named('sincos'), 2)).toEqual(['sin x', 'cos x']);
    expect(outputNames(named('wave'), 1)).toEqual(['sin 2πx']);
    expect(outputNames(named('bump'), 1)).toEqual(['bump']);
    expect(outputNames(named('circle'), 2)).toEqual(['outside', 'inside']);
    for (const name of TASK_NAMES) {
      const entry = TASK_DEFS[name];
      // the expression task and tables take their inputs and outputs from the spec (task-resolve.ts)
      if (entry.sampling === 'expression' || entry.sampling === 'table') continue;
      const def: TaskInfo = entry as TaskInfo;
      expect(def.outputNames).toHaveLength(def.outputs);
      expect(def.inputNames).toHaveLength(def.inputs);
      expect(def.box).toHaveLength(def.inputs);
      expect(def.defaults.shape[0]).toBe(def.inputs);
      expect(def.defaults.shape[def.defaults.shape.length - 1]).toBe(def.outputs);
      if (def.kind === 'classification') expect(def.classes).toHaveLength(def.outputs);
      else expect(def.classes).toBeNull();
    }
  });

  it('numbers the outputs of an unknown task, or of a network with another number of outputs', () => {
    expect(outputNames(named('ring'), 3)).toEqual(['output 1', 'output 2', 'output 3']);
    expect(outputNames(named('sincos'), 1)).toEqual(['output 1']);
  });

  it('hands out a copy, so a caller cannot rename a task', () => {
    outputNames(named('sincos'), 2).push('x');
    expect(outputNames(named('sincos'), 2)).toEqual(['sin x', 'cos x']);
  });

  it('keeps the seed’s task as it was: 30 test points on [0, 1], 101 probe points, the constant predictor’s MSE', () => {
    const t = resolveSpecTask({ ...settings, task: 'sincos' });
    expect(t.sampling).toBe('draws');
    expect(t.test.count).toBe(30);
    expect(t.test.inputs[0]).toBe(0);
    expect(t.test.inputs[29]).toBe(1);
    expect(t.test.targets[2 * 29]).toBe(Math.sin(1));
    expect(t.test.targets[2 * 29 + 1]).toBe(Math.cos(1));
    expect(t.view.inputs).toBe(t.test.inputs);
    expect(t.probe).toHaveLength(101);
    // Var(sin x) + Var(cos x) for x ~ U[0, 1), by its integral: 1 − (1 − cos 1)² − sin² 1
    const exact = 1 - (1 - Math.cos(1)) ** 2 - Math.sin(1) ** 2;
    expect(t.baseline.mse).toBeCloseTo(exact, 9);
    expect(t.baseline.majorityShare).toBeNull();
  });

  describe('Playground’s classification sets', () => {
    for (const name of PLAYGROUND) {
      it(`${name}: 500 points, half of each class where Playground draws halves, within about ±5, seeded`, () => {
        const d = generated(name);
        expect(d.count).toBe(500);
        const ps = points(d);
        for (const p of ps) {
          expect(Number.isFinite(p.x) && Number.isFinite(p.y)).toBe(true);
          // Playground's sets live within ±5 (xor's padding makes it 5.3; gauss's tails reach a little further)
          if (name !== 'gauss') expect(Math.max(Math.abs(p.x), Math.abs(p.y))).toBeLessThanOrEqual(5.3 + 1e-12);
        }
        expect(Array.from(generated(name).inputs)).toEqual(Array.from(d.inputs));
        expect(Array.from(generated(name, { ...settings, dataSeed: 2 }).inputs)).not.toEqual(Array.from(d.inputs));
        // one-hot targets
        for (let i = 0; i < d.count; i++) expect(d.targets[2 * i] + d.targets[2 * i + 1]).toBe(1);
      });
    }

    it('circle: inside within radius 2.5, outside from 3.5 to 5, at noise 0', () => {
      const ps = points(generated('circle'));
      expect(ps.filter((p) => p.cls === 1)).toHaveLength(250);
      for (const p of ps) {
        const r = Math.hypot(p.x, p.y);
        if (p.cls === 1) expect(r).toBeLessThanOrEqual(2.5);
        else {
          expect(r).toBeGreaterThanOrEqual(3.5);
          expect(r).toBeLessThanOrEqual(5);
        }
      }
    });

    it('circle with noise: labels are read at a moved point, so some points carry the other ring’s label', () => {
      const ps = points(generated('circle', { ...settings, noise: 0.5 }));
      const wrong = ps.filter((p) => (Math.hypot(p.x, p.y) < 2.5 ? 1 : 0) !== p.cls).length;
      expect(wrong).toBeGreaterThan(25);
      expect(wrong).toBeLessThan(250);
    });

    it('xor: class same sign where x1·x2 ≥ 0, 0.3 off both axes, at noise 0', () => {
      for (const p of points(generated('xor'))) {
        expect(p.cls).toBe(p.x * p.y >= 0 ? 1 : 0);
        expect(Math.abs(p.x)).toBeGreaterThanOrEqual(0.3);
        expect(Math.abs(p.y)).toBeGreaterThanOrEqual(0.3);
      }
    });

    it('gauss: two clouds around (2, 2) and (−2, −2) with variance 0.5 at noise 0 and 4 at noise 0.5', () => {
      for (const [noise, variance] of [
        [0, 0.5],
        [0.5, 4],
      ]) {
        const ps = points(generated('gauss', { ...settings, noise, samples: 20_000 }));
        for (const cls of [0, 1]) {
          const c = ps.filter((p) => p.cls === cls);
          const cx = c.reduce((a, p) => a + p.x, 0) / c.length;
          const vx = c.reduce((a, p) => a + (p.x - cx) ** 2, 0) / c.length;
          expect(cx).toBeCloseTo(cls === 1 ? 2 : -2, 1);
          expect(vx / variance).toBeGreaterThan(0.95);
          expect(vx / variance).toBeLessThan(1.05);
        }
      }
    });

    it('spiral: two arms of 1.75 turns out to radius 5, the second turned by π', () => {
      const ps = points(generated('spiral'));
      const arm1 = ps.filter((p) => p.cls === 1);
      const arm2 = ps.filter((p) => p.cls === 0);
      expect(arm1).toHaveLength(250);
      arm1.forEach((p, i) => {
        const r = (i / 250) * 5;
        const t = ((1.75 * i) / 250) * 2 * Math.PI;
        expect(p.x).toBeCloseTo(r * Math.sin(t), 12);
        expect(p.y).toBeCloseTo(r * Math.cos(t), 12);
        // arm 2 is arm 1 turned by π: the point opposite
        expect(arm2[i].x).toBeCloseTo(-p.x, 12);
        expect(arm2[i].y).toBeCloseTo(-p.y, 12);
      });
    });

    it('splits into training and test parts by trainFraction, every sample in exactly one, seeded', () => {
      const t = resolveSpecTask({ ...settings, task: 'circle', trainFraction: 0.3 });
      expect(t.sampling).toBe('finite');
      expect(t.train!.count).toBe(150);
      expect(t.test.count).toBe(350);
      const key = (d: DataSet, i: number) => `${d.inputs[2 * i]},${d.inputs[2 * i + 1]}`;
      const all = points(generated('circle')).map((p) => `${p.x},${p.y}`).sort();
      const split = [...Array.from({ length: 150 }, (_, i) => key(t.train!, i)), ...Array.from({ length: 350 }, (_, i) => key(t.test, i))].sort();
      expect(split).toEqual(all);
      // shuffled before the split: both classes on both sides
      const inTrain = Array.from({ length: 150 }, (_, i) => classOf(t.train!.targets, i, 2));
      expect(inTrain.filter((c) => c === 1).length).toBeGreaterThan(40);
      expect(inTrain.filter((c) => c === 1).length).toBeLessThan(110);
    });

    it('measures the constant predictor as the training majority’s share of the test set', () => {
      const t = resolveSpecTask({ ...settings, task: 'xor' });
      const counts = [0, 0];
      for (let i = 0; i < t.train!.count; i++) counts[classOf(t.train!.targets, i, 2)]++;
      const majority = counts[1] > counts[0] ? 1 : 0;
      let hits = 0;
      for (let i = 0; i < t.test.count; i++) if (classOf(t.test.targets, i, 2) === majority) hits++;
      expect(t.baseline.majorityShare).toBe(hits / t.test.count);
      expect(t.baseline.mse).toBeNull();
    });

    it('probes the network on the training set’s own points and draws its output on a 25 × 25 grid over ±6', () => {
      const t = resolveSpecTask({ ...settings, task: 'spiral' });
      expect(Array.from(t.probe)).toEqual(Array.from(t.train!.inputs));
      expect(t.view.grid).toEqual([VIEW_GRID, VIEW_GRID]);
      expect(t.view.inputs).toHaveLength(VIEW_GRID * VIEW_GRID * 2);
      expect([t.view.inputs[0], t.view.inputs[1]]).toEqual([-6, -6]);
      // first input slowest: the second point moves along x2
      expect([t.view.inputs[2], t.view.inputs[3]]).toEqual([-6, -5.5]);
      expect([t.view.inputs.at(-2), t.view.inputs.at(-1)]).toEqual([6, 6]);
    });
  });

  it('lays out grids with the first input slowest', () => {
    expect(Array.from(gridPoints([[0, 1], [10, 20]], [2, 3]))).toEqual([0, 10, 0, 15, 0, 20, 1, 10, 1, 15, 1, 20]);
  });
});
