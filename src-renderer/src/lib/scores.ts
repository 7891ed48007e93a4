/**
 * Scores over training, from each run's checkpointMetrics series (trainer CHECKPOINT_METRICS: loss
 * per sample and the task's metric on the training set and the test set, at every checkpoint): for a
 * classification run, accuracy on training (dashed) and test points (solid), and the loss per sample
 * on each. Runs mode draws every run; groups mode draws each group's median over its seeds, and
 * says so. Pure: chart models for ModelChart.
 */
import type { WireSeries } from '@main/api/contract';
import type { RunSummary } from '@main/db/types';
import { median } from '@main/analysis/stats';
import { CHECKPOINT_METRICS } from '@main/trainer/metrics';
import type { ChartModel, PlotSeries } from './chart-model';
import { type Item, provenanceOf, type RunData } from './compare/context';
import { lossLabels } from './compare/cost';
import { hasOutcome } from '@main/analysis/status';

const COLUMN = Object.fromEntries(CHECKPOINT_METRICS.map((name, i) => [name, i])) as Record<(typeof CHECKPOINT_METRICS)[number], number>;

export interface ScoreItem {
  key: string;
  label: string;
  color: string;
  runs: { run: Pick<RunSummary, 'id' | 'kind' | 'spec'> & RunData['run']; series: Partial<Record<'checkpointMetrics' | 'checkpointBatches', WireSeries>> }[];
}

/** (batch, value) at each checkpoint of one column; null where the checkpoint was not reached or the value is not finite. */
function columnOf(d: ScoreItem['runs'][number], col: number): { x: number; y: number | null }[] {
  const m = d.series.checkpointMetrics;
  const b = d.series.checkpointBatches;
  if (!m || !b || m.index || m.shape.length !== 2) return [];
  const [rows, cols] = m.shape;
  const out: { x: number; y: number | null }[] = [];
  for (let k = 0; k < rows; k++) {
    const x = b.data[k];
    const y = m.data[k * cols + col];
    if (x === null || x === undefined) continue;
    out.push({ x, y: y === null || !Number.isFinite(y) ? null : y });
  }
  return out;
}

/** Median per checkpoint over the runs' curves (they share checkpoints when they share a spec). */
function medianCurve(curves: { x: number; y: number | null }[][]): { x: number; y: number | null }[] {
  const longest = curves.reduce((a, c) => (c.length > a.length ? c : a), [] as { x: number; y: number | null }[]);
  return longest.map((p, k) => {
    const ys = curves.map((c) => c[k]?.y).filter((y): y is number => typeof y === 'number');
    return { x: p.x, y: ys.length ? median(ys) : null };
  });
}

function chart(items: ScoreItem[], grouped: boolean, cols: { train: number; test: number }, what: { id: string; title: string; y: string; log?: boolean; percent?: boolean }): ChartModel | null {
  const series: PlotSeries[] = [];
  const used: ScoreItem['runs'] = [];
  const scale = (y: number | null) => (y === null ? null : what.percent ? 100 * y : y);
  for (const item of items) {
    const runs = item.runs.filter((d) => d.run.kind === 'classification' && d.series.checkpointMetrics);
    if (!runs.length) continue;
    used.push(...runs);
    const many = grouped && runs.length > 1;
    for (const [part, col, dash] of [
      ['test', cols.test, undefined],
      ['training', cols.train, [5, 4]],
    ] as const) {
      const curves = runs.map((d) => columnOf(d, col));
      const pts = (many ? medianCurve(curves) : curves[0]).map((p) => ({ x: p.x, y: scale(p.y) }));
      if (!pts.some((p) => p.y !== null)) continue;
      const label = `${item.label} ${part}${many ? ` (median of ${runs.length})` : ''}`;
      series.push({ id: `${item.key}-${part}`, label, color: item.color, role: 'line', dash: dash ? [...dash] : undefined, width: part === 'test' ? 2 : 1.5, points: pts, meta: { config: item.label, set: part, run_ids: runs.map((d) => d.run.id).join(' ') } });
    }
  }
  if (!series.length) return null;
  const notes = ['solid: the test points; dashed: the training points (up to 2,048 of them), scored at each checkpoint'];
  if (grouped && items.some((it) => it.runs.length > 1)) notes.push('groups: the median over the seeds at each checkpoint');
  return {
    id: what.id,
    title: what.title,
    kind: 'line',
    x: { label: 'batch' },
    y: { label: what.y, log: what.log, min: what.percent ? 0 : undefined, max: what.percent ? 100 : undefined },
    series,
    runs: provenanceOf(used as RunData[]),
    notes,
  };
}

/** Accuracy over training of the classification runs among the items (null: none has scores). */
export function accuracyChart(items: ScoreItem[], grouped: boolean): ChartModel | null {
  return chart(items, grouped, { train: COLUMN.trainMetric, test: COLUMN.testMetric }, { id: 'accuracy', title: 'Accuracy over training', y: 'accuracy (%)', percent: true });
}

/**
 * Loss per sample over training of the classification runs among the items (null: none has
 * scores), named in their loss as the cost chart is ("Cross-entropy per sample over training").
 */
export function scoreLossChart(items: ScoreItem[], grouped: boolean): ChartModel | null {
  const { title, axis } = lossLabels(items.flatMap((it) => it.runs.map((d) => d.run)));
  return chart(items, grouped, { train: COLUMN.trainLoss, test: COLUMN.testLoss }, { id: 'score-loss', title: `${title.mse} over training`, y: axis.mse, log: true });
}

/** The accuracy and loss charts of the classification runs among the items (null: none has scores). */
export function scoreCharts(items: ScoreItem[], grouped: boolean): { accuracy: ChartModel | null; loss: ChartModel | null } {
  return { accuracy: accuracyChart(items, grouped), loss: scoreLossChart(items, grouped) };
}

/**
 * Test accuracy per classification run, one column per configuration, with the majority share
 * (skill 0: learned nothing at or below it) and the learned line (skill = learnedAt) where the runs
 * agree on the majority share. A diverged run has no accuracy to draw: the notes count it.
 */
export function accuracyStrip(items: Item[], mutedColor: string, learnedAt: number): ChartModel | null {
  const series: PlotSeries[] = [];
  const runs: RunData[] = [];
  let notDrawn = 0;
  items.forEach((item, i) => {
    const judged = item.runs.filter((d) => hasOutcome(d.run.status) && d.run.kind === 'classification');
    const drawn = judged.filter((d) => d.run.status !== 'diverged' && typeof d.run.testAccuracy === 'number');
    notDrawn += judged.length - drawn.length;
    if (!drawn.length) return;
    runs.push(...drawn);
    const points = drawn.map((d, k) => ({ x: i + (drawn.length > 1 ? (k / (drawn.length - 1) - 0.5) * 0.5 : 0), y: 100 * (d.run.testAccuracy as number) }));
    series.push({ id: item.key, label: item.label, color: item.color, role: 'points', points, meta: { config: item.label, run_ids: drawn.map((d) => d.run.id).join(' ') } });
  });
  if (!series.length) return null;
  const shares = [...new Set(runs.map((d) => d.run.majorityShare).filter((b): b is number => b !== null))];
  const line = (id: string, label: string, y: number, dash: number[]): PlotSeries => ({ id, label, color: mutedColor, role: 'reference', dash, width: 1.5, points: [{ x: -0.5, y }, { x: items.length - 0.5, y }] });
  const notes = [`above the dotted line a run learned (skill ≥ ${learnedAt}); at or below the dashed one, the majority class's share, it learned nothing (skill ≤ 0); between, it underfit`];
  if (shares.length === 1) {
    series.push(line('baseline', 'majority class (skill = 0)', 100 * shares[0], [6, 4]));
    series.push(line('learned', `learned (skill = ${learnedAt})`, 100 * (shares[0] + learnedAt * (1 - shares[0])), [2, 3]));
  } else notes.push('the runs’ majority shares differ (their test sets differ): no common lines');
  if (notDrawn) notes.push(`${notDrawn} run${notDrawn === 1 ? '' : 's'} not drawn: no test accuracy (diverged)`);
  return {
    id: 'test-accuracy',
    title: 'Test accuracy, one dot per seed',
    kind: 'line',
    x: { label: 'configuration', categories: items.map((it) => it.label) },
    y: { label: 'test accuracy (%)', min: 0, max: 100 },
    series,
    runs: provenanceOf(runs),
    notes,
  };
}
