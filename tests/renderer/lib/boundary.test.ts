import { describe, expect, it } from 'vitest';
import { classOf, resolveTask } from '@main/trainer/tasks';
import { boundaryCaption, boundaryOf, boundaryToCsv, boundaryToSvg, cellFill, classColor, marchingSquares } from '../../../src-renderer/src/lib/boundary';
import { checkpointIndex } from '@main/analysis/checkpoints';
import { compare } from '../../../src-renderer/src/lib/compare';
import { boundariesOf } from '../../../src-renderer/src/lib/compare/classification';
import { DEFAULT_OPTIONS } from '../../../src-renderer/src/lib/compare/context';
import { scoreCharts } from '../../../src-renderer/src/lib/scores';
import { taskThumbnail } from '../../../src-renderer/src/lib/task-preview';
import { CHART_THEMES } from '../../../src-renderer/src/lib/colors';
import { trained, ws } from '../helpers/trained';

describe('renderer/lib/boundary', () => {
  const circle = trained(1, { task: 'circle', learningRate: 0.1, checkpoints: 4 });

  it('colours each of the 25 × 25 grid points by the class whose output leads, as the run’s outputs say', () => {
    const b = boundaryOf(circle, null)!;
    expect(b.n1 * b.n2).toBe(625);
    expect(b.cells).toHaveLength(625);
    const est = circle.series.estimates!;
    const last = (est.shape[0] - 1) * 625 * 2;
    for (const c of b.cells) {
      const p = c.i * 25 + c.j;
      const o0 = est.data[last + 2 * p]!;
      const o1 = est.data[last + 2 * p + 1]!;
      expect(c.cls).toBe(o1 > o0 ? 1 : 0);
      expect(c.lead).toBeCloseTo(Math.min(1, Math.abs(o1 - o0)), 12);
    }
    // the circle learned: the centre is inside, the corners outside
    expect(b.cells.find((c) => c.i === 12 && c.j === 12)!.cls).toBe(1);
    expect(b.cells.find((c) => c.i === 0 && c.j === 0)!.cls).toBe(0);
    expect(b.classes).toEqual(['outside', 'inside']);
  });

  it('draws the run’s training set again from its spec, and its stored test set, with the misses', () => {
    const b = boundaryOf(circle, null)!;
    const task = resolveTask('circle', circle.run.spec);
    expect(b.train).toHaveLength(task.train!.count);
    expect(b.train[7]).toEqual({ x1: task.train!.inputs[14], x2: task.train!.inputs[15], cls: classOf(task.train!.targets, 7, 2) });
    expect(b.test).toHaveLength(250);
    const hits = b.test.filter((p) => p.predicted === p.cls).length;
    expect(hits / 250).toBe(circle.run.testAccuracy);
  });

  it('takes the snapshot the slider asks for: the initial network at 0, the end at 1 or null', () => {
    const init = boundaryOf(circle, 0)!;
    const end = boundaryOf(circle, 1)!;
    expect(init.batch).toBe(0);
    expect(end.batch).toBe(circle.run.spec.batches);
    expect(boundaryOf(circle, null)!.batch).toBeNull();
    expect(init.cells.map((c) => c.cls)).not.toEqual(end.cells.map((c) => c.cls));
    // a run cancelled after its second checkpoint ends at that one
    expect(checkpointIndex([0, 50, 100, 150], 60, null)).toBe(1);
  });

  it('draws the end from the last checkpoint’s row alone, as the lab sends it, and no other snapshot from it', () => {
    const est = circle.series.estimates!;
    const row = 625 * 2;
    const k = est.shape[0] - 1;
    const page = { ...circle, series: { ...circle.series, estimates: { shape: est.shape, from: k * row, data: est.data.slice(k * row), length: est.length } } };
    expect(boundaryOf(page, null)).toEqual(boundaryOf(circle, null));
    expect(boundaryToCsv(boundaryOf(page, null)!, page, null)).toBe(boundaryToCsv(boundaryOf(circle, null)!, circle, null));
    // the initial network's row is not in the page: nothing drawn from another row
    expect(boundaryOf(page, 0)).toBeNull();
  });

  it('traces the boundary where the two outputs tie: every segment end lies on a zero of the interpolated lead', () => {
    const b = boundaryOf(circle, null)!;
    expect(b.contour.length).toBeGreaterThan(10);
    for (const [x1, y1, x2, y2] of b.contour) for (const v of [x1, y1, x2, y2]) expect(Math.abs(v)).toBeLessThanOrEqual(6);
    // a plane's zero line: f = x1 on a 3 × 3 grid gives the vertical segments at x1 = 0
    const segs = marchingSquares([-1, -1, -1, 0.0001, 0.0001, 0.0001, 1, 1, 1], [-1, 0, 1], [-1, 0, 1]);
    expect(segs.length).toBe(2);
    for (const s of segs) expect(Math.abs(s[0])).toBeLessThan(0.01);
  });

  it('greys a diverged network’s grid and says so, instead of drawing a class', () => {
    const d = structuredClone(circle);
    d.series.estimates = { ...d.series.estimates!, data: d.series.estimates!.data.map(() => null) };
    const b = boundaryOf(d, null)!;
    expect(b.notFinite).toBe(625);
    expect(b.cells.every((c) => c.cls === null)).toBe(true);
    expect(cellFill(b.cells[0], '#ffffff')).toBe('#8c8c8c');
    expect(b.notes.join(' ')).toMatch(/625 of 625 grid points .* not finite/);
    expect(b.contour).toEqual([]);
  });

  it('says a csv run’s points are in its data set, not that it has 0 test points', () => {
    // a table's run keeps no copy of its inputs (Task.storedData): its testInputs are empty, its test targets are there
    const d = structuredClone(circle);
    d.run.spec = { ...d.run.spec, task: 'csv', dataset: 'c'.repeat(64), inputColumns: ['u', 'v'], labelColumn: 'where' };
    d.series.testInputs = ws([0, 2], new Float64Array(0));
    const b = boundaryOf(d, null)!;
    expect(b.test).toEqual([]);
    expect(b.notes.join(' ')).toContain('training and test points: not drawn (run #1’s 250 test rows and its training rows are in its data set, not kept with the run; its confusion matrix counts the test rows)');
    expect(b.notes.join(' ')).not.toContain('no generated training set');
    expect(boundaryCaption(b)).not.toMatch(/\b0 (training|test) points/);
    expect(boundaryCaption(b)).toContain('no training or test points drawn');
    expect(boundaryCaption(boundaryOf(circle, null)!)).toMatch(/250 test points/);
  });

  it('has nothing to draw for a regression run (no plane)', () => {
    const d = trained(2, { batches: 20 });
    expect(boundaryOf({ ...d, series: { ...d.series, viewInputs: ws([30, 1], new Float64Array(30)) } }, null)).toBeNull();
  });

  it('exports the drawing as SVG (cells, training and test points, the boundary, provenance) and every grid point as CSV', () => {
    const b = boundaryOf(circle, null)!;
    const { svg } = boundaryToSvg(b, CHART_THEMES.light, { runs: [1] });
    expect(svg.match(/<rect x=/g)!.length).toBe(625 + 1);
    expect(svg.match(/<circle /g)!.length).toBe(b.train.length + b.test.length + 2);
    expect(svg).toContain('<metadata id="nnlab-provenance">');
    expect(svg).toContain(classColor(1));
    const csv = boundaryToCsv(b, circle, null).trim().split('\n');
    expect(csv[0]).toBe('x1,x2,predicted,lead,output: outside,output: inside');
    expect(csv).toHaveLength(626);
  });

  it('puts classification runs’ boundaries in the comparison, and no fits', () => {
    const other = trained(3, { task: 'circle', learningRate: 0.1, activation: 'tanh', checkpoints: 4 });
    const c = compare([circle, other], { ...DEFAULT_OPTIONS, fitAt: 0.5 }, { truth: '#000', muted: '#888' });
    expect(c.views.fits).toBeUndefined();
    const boundaries = c.views.boundaries!.boundaries;
    expect(boundaries.map((b) => b.boundary.runId)).toEqual([1, 3]);
    expect(boundaries.every((b) => b.boundary.batch === 150)).toBe(true);
    expect(boundariesOf(Array.from({ length: 14 }, (_, i) => ({ ...circle, run: { ...circle.run, id: i + 1 } })), null)).toMatchObject({ more: 2, configs: 1 });
    // two configurations of 10 seeds each, listed one after the other: both drawn, seed by seed (it drew 12 of the first and none of the second)
    const twenty = Array.from({ length: 20 }, (_, i) => ({ ...circle, run: { ...circle.run, id: i + 1, configKey: i < 10 ? 'mean 0' : 'mean -eps' } }));
    const drawn = boundariesOf(twenty, null);
    expect(drawn.boundaries.map((b) => b.input.run.id)).toEqual([1, 11, 2, 12, 3, 13, 4, 14, 5, 15, 6, 16]);
    expect(drawn).toMatchObject({ more: 8, configs: 2 });
    expect(c.views.cost!.model.y.label).toBe('cross-entropy per sample');
  });
});

describe('renderer/lib/scores', () => {
  it('draws test (solid) and training (dashed) accuracy in percent at every checkpoint, from the run’s own scores', () => {
    const d = trained(5, { task: 'xor', learningRate: 0.1, checkpoints: 4 });
    const { accuracy, loss } = scoreCharts([{ key: 'r5', label: '#5', color: '#123456', runs: [d] }], false);
    expect(accuracy!.series.map((s) => s.label)).toEqual(['#5 test', '#5 training']);
    const m = d.series.checkpointMetrics!.data;
    expect(accuracy!.series[0].points.map((p) => p.y)).toEqual([0, 1, 2, 3, 4].map((k) => 100 * m[k * 5 + 3]!));
    expect(accuracy!.series[1].dash).toEqual([5, 4]);
    expect(accuracy!.y).toMatchObject({ min: 0, max: 100 });
    expect(loss!.series[0].points.at(-1)!.y).toBe(d.run.testLoss);
  });

  it('has no score charts for regression runs', () => {
    const d = trained(6, { batches: 20 });
    expect(scoreCharts([{ key: 'r6', label: '#6', color: '#123456', runs: [d] }], false)).toEqual({ accuracy: null, loss: null });
  });
});

describe('renderer/lib/task-preview', () => {
  it('draws a classification set’s points in their class colours with the form’s settings, and a regression task’s targets', () => {
    const t = taskThumbnail('circle', { noise: 0, samples: 200, trainFraction: 0.5, dataSeed: 1 })!;
    expect(t.kind).toBe('points');
    if (t.kind !== 'points') return;
    expect(t.points).toHaveLength(200);
    expect(new Set(t.points.map((p) => p.color))).toEqual(new Set([classColor(0), classColor(1)]));
    for (const p of t.points) expect(p.x >= 0 && p.x <= 1 && p.y >= 0 && p.y <= 1).toBe(true);
    const noisy = taskThumbnail('circle', { noise: 0.5, samples: 200, trainFraction: 0.5, dataSeed: 1 });
    expect(noisy).not.toEqual(t);
    const s = taskThumbnail('sincos', { noise: 0, samples: 500, trainFraction: 0.5, dataSeed: 1 })!;
    expect(s.kind === 'lines' && s.lines.length).toBe(2);
  });
});
