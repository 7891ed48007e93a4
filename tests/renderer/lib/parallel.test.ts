import { describe, expect, it } from 'vitest';
import type { RunSummary } from '@main/db/types';
import { compare } from '../../../src-renderer/src/lib/compare';
import { DEFAULT_OPTIONS, type RunData } from '../../../src-renderer/src/lib/compare/context';
import { CHART_THEMES } from '../../../src-renderer/src/lib/colors';
import {
  type Brush,
  brushBetween,
  brushExtent,
  drawnWords,
  layoutParallel,
  numericScale,
  type ParallelAxis,
  parallelModel,
  parallelToCsv,
  parallelToJson,
  parallelToSvg,
  type ParallelUnit,
  positionOf,
  valueAt,
  withBrush,
} from '../../../src-renderer/src/lib/parallel';
import { record, summary } from '../helpers/fake-lab';

/** A 3 × 3 sweep (activation × learning rate 0.01 … 1), two seeds each: test MSE falls with lr, sigmoid worst. */
const ACTS = ['relu', 'tanh', 'sigmoid'] as const;
const LRS = [0.01, 0.1, 1];
let id = 0;
const sweep: RunSummary[] = ACTS.flatMap((activation, a) =>
  LRS.flatMap((learningRate, l) =>
    [1, 2].map((initSeed) => summary(++id, { activation, learningRate, initSeed }, { testMse: 0.001 * (a + 1) * 10 ** (2 - l) * initSeed, baselineMse: 0.5, trainMs: 20 + 100 * l + initSeed })),
  ),
);
const perRun = (runs: readonly RunSummary[]): ParallelUnit[] => runs.map((r) => ({ key: `run-${r.id}`, label: `#${r.id}`, color: '#123456', runs: [r] }));
const axis = (m: NonNullable<ReturnType<typeof parallelModel>>, key: string): ParallelAxis => m.axes.find((a) => a.key === key)!;

describe('renderer/lib/parallel (parallel coordinates of a sweep)', () => {
  it('has an axis per swept field and per outcome of the task, in that order', () => {
    const m = parallelModel(perRun(sweep), 'run')!;
    expect(m.axes.map((a) => [a.key, a.kind])).toEqual([
      ['activation', 'field'],
      ['learningRate', 'field'],
      ['testMse', 'metric'],
      ['r2', 'metric'],
      ['trainMs', 'metric'],
    ]);
    expect(m.lines).toHaveLength(18);
    expect(m.notDrawn).toEqual([]);
    // a classification sweep's outcomes are its test loss and accuracy
    const cls = [1, 2, 3, 4].map((i) => summary(i, { task: 'circle', activation: i % 2 ? 'relu' : 'tanh', learningRate: i < 3 ? 0.1 : 0.3 }, { testAccuracy: 0.5 + i / 10 }));
    const mc = parallelModel(perRun(cls), 'run')!;
    expect(mc.axes.map((a) => a.key)).toEqual(['activation', 'learningRate', 'testLoss', 'testAccuracy', 'trainMs']);
    expect(mc.lines.map((l) => l.values[3])).toEqual([60, 70, 80, 90]);
  });

  it('is not drawn for fewer than two swept fields (seeds do not count)', () => {
    const one = sweep.filter((r) => r.spec.activation === 'relu');
    expect(parallelModel(perRun(one), 'run')).toBeNull();
    expect(parallelModel(perRun([sweep[0], sweep[1]]), 'run')).toBeNull();
  });

  it('puts categories evenly in order of first appearance, numbers on a linear scale, and numbers spanning 10× or more on a log scale', () => {
    const m = parallelModel(perRun(sweep), 'run')!;
    const act = axis(m, 'activation');
    expect(act.scale).toEqual({ type: 'category', values: ['relu', 'tanh', 'sigmoid'], labels: ['relu', 'tanh', 'sigmoid'] });
    expect(['relu', 'tanh', 'sigmoid'].map((v) => positionOf(act.scale, v))).toEqual([0, 0.5, 1]);
    const lr = axis(m, 'learningRate');
    expect(lr.scale).toEqual({ type: 'log', min: 0.01, max: 1 });
    expect(positionOf(lr.scale, 0.1)).toBeCloseTo(0.5, 12);
    expect(lr.ticks.map((t) => t.label)).toEqual(['0.01', '0.1', '1']);
    expect(numericScale([-0.1, 0, 0.1])).toEqual({ type: 'linear', min: -0.1, max: 0.1 });
    expect(numericScale([0.5, 1])).toEqual({ type: 'linear', min: 0.5, max: 1 });
    expect(positionOf({ type: 'linear', min: -0.1, max: 0.1 }, 0)).toBeCloseTo(0.5, 12);
    expect(positionOf({ type: 'linear', min: 2, max: 2 }, 2)).toBe(0.5);
    const s = { type: 'log', min: 0.01, max: 1 } as const;
    for (const v of [0.01, 0.03, 0.5, 1]) expect(valueAt(s, positionOf(s, v)!)).toBeCloseTo(v, 12);
    // shapes are categories, written as the page writes them
    const shapes = [1, 2, 3, 4].map((i) => summary(i, { shape: i % 2 ? [1, 16, 2] : [1, 8, 8, 2], learningRate: i < 3 ? 0.1 : 0.3 }));
    const sh = axis(parallelModel(perRun(shapes), 'run')!, 'shape');
    expect(sh.scale).toEqual({ type: 'category', values: ['[1,16,2]', '[1,8,8,2]'], labels: ['[1, 16, 2]', '[1, 8, 8, 2]'] });
    // init means given relative to eps are one axis, init mean / eps
    const rel = [0.1, 1].flatMap((eps, k) => [0, -eps].map((initMean, j) => summary(1 + 2 * k + j, { eps, initMean })));
    expect(parallelModel(perRun(rel), 'run')!.axes.slice(0, 2).map((a) => [a.key, a.label])).toEqual([
      ['eps', 'eps'],
      ['initMean/eps', 'init mean / eps'],
    ]);
  });

  it('places each line at its values: r² = 1 − test MSE / baseline, time and MSE on their own scales', () => {
    const m = parallelModel(perRun(sweep), 'run')!;
    const line = m.lines.find((l) => l.key === 'run-1')!; // relu, lr 0.01, seed 1
    expect(line.values[0]).toBe('relu');
    expect(line.values[1]).toBe(0.01);
    expect(line.values[2]).toBeCloseTo(0.1, 15);
    expect(line.values[3]).toBeCloseTo(1 - 0.1 / 0.5, 15);
    expect(line.values[4]).toBe(21);
    const mse = axis(m, 'testMse').scale;
    expect(mse).toEqual({ type: 'log', min: 0.001 * 1 * 1 * 1, max: 0.001 * 3 * 100 * 2 });
    expect(line.pos[2]).toBeCloseTo(Math.log(0.1 / 0.001) / Math.log(600), 12);
    expect(line.pos[0]).toBe(0);
    expect(line.pos[1]).toBe(0);
  });

  it('says which runs are not drawn and why: still training, diverged, ended, another kind of task', () => {
    const runs = [
      ...sweep.slice(0, 4),
      summary(50, { activation: 'tanh', learningRate: 5 }, { status: 'diverged', testMse: null }),
      summary(51, { activation: 'tanh', learningRate: 0.1 }, { status: 'running', testMse: null, trainMs: null }),
      summary(52, { activation: 'relu', learningRate: 0.1 }, { status: 'cancelled', testMse: null }),
      summary(53, { task: 'circle', activation: 'relu', learningRate: 0.1 }),
    ];
    const m = parallelModel(perRun(runs), 'run')!;
    expect(m.lines.map((l) => l.runIds[0])).toEqual([1, 2, 3, 4]);
    expect(m.notDrawn).toEqual([
      { id: 50, why: 'diverged (no finite test MSE per sample)' },
      { id: 51, why: 'still training' },
      { id: 52, why: 'cancelled, no test MSE per sample' },
      { id: 53, why: 'another kind of task (classification)' },
    ]);
    expect(m.total).toBe(8);
    expect(drawnWords(m)).toBe(
      '4 runs drawn; 4 runs not drawn (no value on some axis): #50 diverged (no finite test MSE per sample); #51 still training; #52 cancelled, no test MSE per sample; #53 another kind of task (classification).',
    );
    // the scale is the drawn runs' (a diverged run's lr 5 is still on the field's axis)
    expect(axis(m, 'learningRate').scale).toEqual({ type: 'log', min: 0.01, max: 5 });
  });

  it('keeps the runs inside every brush: a range on a numeric axis, categories on a category axis, a missing value never', () => {
    const runs = [...sweep, summary(50, { activation: 'tanh', learningRate: 1 }, { status: 'diverged', testMse: null })];
    const units = perRun(runs);
    const all = parallelModel(units, 'run')!;
    expect(all.keptIds).toHaveLength(19);
    expect(all.lines.every((l) => l.kept)).toBe(true);
    const lrHigh: Brush = { axis: 'learningRate', range: [0.05, 1] };
    const m1 = parallelModel(units, 'run', [lrHigh])!;
    expect(m1.keptIds).toEqual(runs.filter((r) => r.spec.learningRate >= 0.05).map((r) => r.id));
    expect(m1.keptIds).toContain(50); // not drawn, but its lr is in the brush
    const m2 = parallelModel(units, 'run', [lrHigh, { axis: 'activation', values: ['relu', 'sigmoid'] }])!;
    expect(m2.keptIds).toEqual(runs.filter((r) => r.spec.learningRate >= 0.05 && r.spec.activation !== 'tanh').map((r) => r.id));
    expect(m2.lines.filter((l) => l.kept).map((l) => l.runIds[0])).toEqual(m2.keptIds);
    // a brush on an outcome: a run without that outcome is not kept
    const good: Brush = { axis: 'testMse', range: [0, 0.01] };
    const m3 = parallelModel(units, 'run', [good])!;
    expect(m3.keptIds).toEqual(runs.filter((r) => r.testMse !== null && r.testMse <= 0.01).map((r) => r.id));
    expect(m3.keptIds).not.toContain(50);
    // both ends are in
    const m4 = parallelModel(units, 'run', [{ axis: 'learningRate', range: [0.1, 0.1] }])!;
    expect(m4.keptIds).toEqual(runs.filter((r) => r.spec.learningRate === 0.1).map((r) => r.id));
    // a brush on an axis that is not here filters nothing, and is dropped
    const m5 = parallelModel(units, 'run', [{ axis: 'momentum', range: [0, 0.5] }])!;
    expect(m5.brushes).toEqual([]);
    expect(m5.keptIds).toHaveLength(19);
  });

  it('turns a drag into a brush in values, and a click into none', () => {
    const m = parallelModel(perRun(sweep), 'run')!;
    const lr = axis(m, 'learningRate');
    const b = brushBetween(lr, 0.75, 0.25) as { axis: string; range: [number, number] };
    expect(b.axis).toBe('learningRate');
    expect(b.range[0]).toBeCloseTo(10 ** -1.5, 12);
    expect(b.range[1]).toBeCloseTo(10 ** -0.5, 12);
    expect(brushExtent(b, lr)!.map((p) => Number(p.toFixed(12)))).toEqual([0.25, 0.75]);
    expect(brushBetween(lr, 0.5, 0.505)).toBeNull();
    const act = axis(m, 'activation');
    expect(brushBetween(act, 0.4, 1.2)).toEqual({ axis: 'activation', values: ['tanh', 'sigmoid'] });
    expect(brushBetween(act, 0.6, 0.9)).toBeNull();
    expect(brushBetween(act, 0.45, 0.55)).toEqual({ axis: 'activation', values: ['tanh'] });
    const set = withBrush([{ axis: 'activation', values: ['relu'] }, { axis: 'learningRate', range: [0, 1] }], 'activation', { axis: 'activation', values: ['tanh'] });
    expect(set).toEqual([{ axis: 'learningRate', range: [0, 1] }, { axis: 'activation', values: ['tanh'] }]);
    expect(withBrush(set, 'learningRate', null)).toEqual([{ axis: 'activation', values: ['tanh'] }]);
  });

  it('draws a line per configuration with the median of its runs on each outcome, its runs kept or not together', () => {
    const units: ParallelUnit[] = ACTS.flatMap((activation) =>
      LRS.map((learningRate) => ({ key: `${activation}-${learningRate}`, label: `${activation} ${learningRate}`, color: '#000000', runs: sweep.filter((r) => r.spec.activation === activation && r.spec.learningRate === learningRate) })),
    );
    units[0] = { ...units[0], runs: [...units[0].runs, summary(60, { activation: 'relu', learningRate: 0.01, initSeed: 3 }, { status: 'running', testMse: null })] };
    const m = parallelModel(units, 'configuration', [{ axis: 'testMse', range: [0, 0.25] }])!;
    expect(m.lines).toHaveLength(9);
    const first = m.lines[0];
    expect(first.runIds).toEqual([1, 2]);
    expect(first.values[2]).toBeCloseTo((0.1 + 0.2) / 2, 15);
    expect(first.values[4]).toBe(21.5);
    expect(m.notDrawn).toEqual([{ id: 60, why: 'still training' }]);
    expect(first.kept).toBe(true);
    // the configuration's running run goes with it
    expect(m.keptIds.slice(0, 3)).toEqual([1, 2, 60]);
    expect(m.keptIds).toEqual(units.filter((_, k) => m.lines[k].kept).flatMap((u) => u.runs.map((r) => r.id)));
    expect(drawnWords(m)).toMatch(/^9 configurations drawn \(the median of 18 runs on each metric\); 1 run not drawn/);
  });

  it('lays the axes out evenly with the kept lines drawn last, and exports the same drawing as SVG, CSV and JSON', () => {
    const m = parallelModel(perRun(sweep), 'run', [{ axis: 'activation', values: ['relu'] }])!;
    const L = layoutParallel(m, 960, 380);
    expect(L.axes.map((a) => a.x)).toEqual([70, 275, 480, 685, 890]);
    expect(L.lines.slice(-6).every((l) => l.kept)).toBe(true);
    expect(L.lines.filter((l) => l.kept)).toHaveLength(6);
    // relu is at the bottom of its axis: the brush is drawn there
    expect(L.axes[0].brush!.y1).toBe(356);
    const { svg, height } = parallelToSvg(m, CHART_THEMES.light, { app: 'nnlab' });
    expect(height).toBeGreaterThan(380);
    expect(svg.match(/<polyline /g)).toHaveLength(18);
    for (const l of L.lines) expect(svg).toContain(`points="${l.points}"`);
    expect(svg).toContain('<metadata id="nnlab-provenance">');
    expect(svg).toContain('(6 of 18 runs kept)');
    const csv = parallelToCsv(m).trimEnd().split('\r\n');
    expect(csv[0]).toBe('run,run_ids,kept,activation,learningRate,test MSE per sample,r²,"training time, ms"');
    expect(csv).toHaveLength(19);
    expect(csv[1]).toBe('#1,1,yes,relu,0.01,0.1,0.8,21');
    const json = JSON.parse(parallelToJson(m, [], '1.0.0'));
    expect(json.format).toBe('nnlab-chart');
    expect(json.keptRunIds).toEqual([1, 2, 3, 4, 5, 6]);
    expect(json.axes[1].scale).toEqual({ type: 'log', min: 0.01, max: 1 });
  });
});

describe('renderer/lib/compare parallel coordinates panel', () => {
  const data: RunData[] = sweep.map((s) => ({ run: record(s), series: {} }));
  const colors = { truth: '#000', muted: '#888' };

  it('is drawn for a sweep of two fields, from every loaded run, and the brushes keep the runs the other panels show', () => {
    const all = compare(data, DEFAULT_OPTIONS, colors);
    expect(all.views.parallel?.model.lines).toHaveLength(18);
    expect(all.brushed).toBeNull();
    expect(all.views['config-diff']?.heads).toHaveLength(18);
    const brushes: Brush[] = [{ axis: 'activation', values: ['tanh'] }];
    const some = compare(data, DEFAULT_OPTIONS, colors, { brushes });
    expect(some.brushed).toEqual({ kept: 6, total: 18 });
    expect(some.items.map((it) => it.runs[0].run.spec.activation)).toEqual(Array(6).fill('tanh'));
    expect(some.views['config-diff']?.heads).toHaveLength(6);
    // the picture itself still draws every run
    expect(some.views.parallel?.model.lines).toHaveLength(18);
    expect(some.views.parallel?.runs).toHaveLength(18);
    // a brush that keeps none leaves only the picture
    const none = compare(data, DEFAULT_OPTIONS, colors, { brushes: [{ axis: 'testMse', range: [1e6, 1e7] }] });
    expect(none.brushed).toEqual({ kept: 0, total: 18 });
    expect(Object.keys(none.views)).toEqual(['parallel']);
  });

  it('is not drawn when one field varies', () => {
    const one = data.filter((d) => d.run.spec.learningRate === 0.1);
    expect(compare(one, DEFAULT_OPTIONS, colors).views.parallel).toBeUndefined();
  });
});
