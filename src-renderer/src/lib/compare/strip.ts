/**
 * The test-MSE strip (groups mode, once a configuration has several seeds): test MSE per run, one
 * column per configuration, with the lines its outcome classes are drawn at. Pure.
 */
import { hasOutcome } from '@main/analysis/status';
import type { ChartModel, PlotSeries } from '../chart-model';
import { type Item, provenanceOf, type RunData } from './context';
import { type ChartView, panel } from './panel';

/**
 * Test MSE per run, one column per item, log y, with the lines the outcome classes are drawn at:
 * the constant predictor's MSE (r² = 0: at or above it a run learned nothing) and
 * (1 − learnedAt) × that (r² = learnedAt: at or below it a run learned). Two basins show as two
 * clouds. A diverged run cannot be drawn (its test MSE is not finite): the notes say how many.
 */
export function testMseStrip(items: Item[], mutedColor: string, learnedAt: number): ChartModel | null {
  const series: PlotSeries[] = [];
  const runs: RunData[] = [];
  let notFinite = 0;
  items.forEach((item, i) => {
    // test MSE is a regression's score (a classification run's is in the accuracy strip)
    const judged = item.runs.filter((d) => hasOutcome(d.run.status) && d.run.kind === 'regression');
    const drawn = judged.filter((d) => d.run.status !== 'diverged' && typeof d.run.testMse === 'number' && d.run.testMse > 0);
    notFinite += judged.length - drawn.length;
    if (!drawn.length) return;
    runs.push(...drawn);
    // deterministic jitter so overlapping seeds stay visible
    const points = drawn.map((d, k) => ({ x: i + (drawn.length > 1 ? (k / (drawn.length - 1) - 0.5) * 0.5 : 0), y: d.run.testMse }));
    series.push({ id: item.key, label: item.label, color: item.color, role: 'points', points, meta: { config: item.label, run_ids: drawn.map((d) => d.run.id).join(' ') } });
  });
  if (!series.length) return null;
  const baselines = [...new Set(runs.map((d) => d.run.baselineMse).filter((b): b is number => b !== null))];
  const line = (id: string, label: string, y: number, dash: number[]): PlotSeries => ({ id, label, color: mutedColor, role: 'reference', dash, width: 1.5, points: [{ x: -0.5, y }, { x: items.length - 0.5, y }] });
  if (baselines.length === 1) {
    series.push(line('baseline', 'constant predictor (r² = 0)', baselines[0], [6, 4]));
    series.push(line('learned', `learned (r² = ${learnedAt})`, (1 - learnedAt) * baselines[0], [2, 3]));
  }
  return {
    id: 'test-mse',
    title: 'Test MSE per sample, one dot per seed',
    kind: 'line',
    x: { label: 'configuration', categories: items.map((it) => it.label) },
    y: { label: 'test MSE per sample', log: true },
    series,
    runs: provenanceOf(runs),
    notes: [
      `below the dotted line a run learned (r² ≥ ${learnedAt}); above the dashed one it learned nothing (r² ≤ 0); between, it underfit`,
      ...(notFinite ? [`${notFinite} run${notFinite === 1 ? '' : 's'} not drawn: test MSE not finite (diverged)`] : []),
    ],
  };
}

export const stripPanel = panel({
  id: 'strip',
  needs: [],
  build: ({ items, options, colors }): ChartView | null => {
    if (options.mode !== 'groups' || !items.some((it) => it.runs.length > 1)) return null;
    const model = testMseStrip(items, colors.muted, options.learnedAt);
    return model && { model, height: 260 };
  },
});
