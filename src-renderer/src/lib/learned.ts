/**
 * The views of what a run learned on its test set (the 'runs/learned' answer): the confusion
 * matrix's cells as counts or row shares with a shade by share, and a regression's predicted vs
 * actual points laid out on a square with the line predicted = actual. Pure: coordinates and
 * text for components/LearnedView.vue.
 */
import type { LearnedView } from '@main/api/contract';

export type ConfusionMode = 'counts' | 'shares';

export interface ConfusionCell {
  text: string;
  /** The row share in [0, 1] (null: a class without test examples), for the cell's shade. */
  share: number | null;
  diagonal: boolean;
  /** For a screen reader and the title: "Coat predicted as Pullover: 175 of 1,000 (17.5 %)". */
  label: string;
}

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;

/** The matrix's rows of cells (rows: true class; columns: predicted). */
export function confusionCells(view: LearnedView, mode: ConfusionMode): ConfusionCell[][] {
  const c = view.confusion;
  if (!c) return [];
  const names = view.outputNames;
  return c.counts.map((row, t) => {
    const n = row.reduce((a, b) => a + b, 0);
    return row.map((count, p) => {
      const share = c.shares[t][p];
      return {
        text: mode === 'counts' ? count.toLocaleString('en-US') : share === null ? '–' : pct(share),
        share,
        diagonal: t === p,
        label: `${names[t] ?? t} predicted as ${names[p] ?? p}: ${count.toLocaleString('en-US')} of ${n.toLocaleString('en-US')}${share === null ? '' : ` (${pct(share)})`}`,
      };
    });
  });
}

/** A cell's background: the share as the accent's opacity (the diagonal in the accent, the rest in the danger colour). */
export function cellShade(cell: ConfusionCell): string {
  if (cell.share === null || cell.share === 0) return 'transparent';
  const alpha = Math.min(0.85, 0.12 + 0.73 * cell.share);
  return cell.diagonal ? `rgba(31, 111, 209, ${alpha.toFixed(3)})` : `rgba(200, 60, 60, ${alpha.toFixed(3)})`;
}

export interface ScatterPlot {
  /** Per output: points in [0, 100]² (y down), and its name. */
  outputs: { name: string; points: { x: number; y: number }[] }[];
  /** The range both axes span (the same for both, so predicted = actual is the diagonal). */
  lo: number;
  hi: number;
}

/** Predicted (y) vs actual (x) values on one square for all outputs; null without them. */
export function scatterPlot(view: LearnedView): ScatterPlot | null {
  const p = view.predicted;
  if (!p || p.shown === 0) return null;
  let lo = Infinity;
  let hi = -Infinity;
  for (const out of p.points) {
    for (const [a, b] of out) {
      lo = Math.min(lo, a, b);
      hi = Math.max(hi, a, b);
    }
  }
  if (!(hi > lo)) {
    lo -= 0.5;
    hi += 0.5;
  }
  const pad = (hi - lo) * 0.04;
  lo -= pad;
  hi += pad;
  const at = (v: number) => ((v - lo) / (hi - lo)) * 100;
  return { outputs: p.points.map((pts, k) => ({ name: view.outputNames[k] ?? `output ${k + 1}`, points: pts.map(([a, b]) => ({ x: at(a), y: 100 - at(b) })) })), lo, hi };
}

/** Which test examples a predicted-vs-actual plot shows: "all 30 test examples", "every 3rd of 5,000 test examples (1,667 shown)". */
export function shownText(p: { total: number; shown: number }): string {
  if (p.shown >= p.total) return `all ${p.total.toLocaleString('en-US')} test examples`;
  const k = Math.ceil(p.total / p.shown);
  const suffix = k % 100 >= 11 && k % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][k % 10] ?? 'th');
  return `every ${k}${suffix} of ${p.total.toLocaleString('en-US')} test examples (${p.shown.toLocaleString('en-US')} shown)`;
}
