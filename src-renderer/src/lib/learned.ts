/**
 * The views of what a run learned on its test set (the 'runs/learned' answer): the confusion
 * matrix's cells as counts or row shares with a shade by share, and a regression's predicted vs
 * actual points laid out on a square with the line predicted = actual. Pure: coordinates and
 * text for components/LearnedView.vue.
 */
import type { LearnedView } from '@main/api/contract';
import { CHART_THEMES, type ThemeName } from './colors';

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

/**
 * The shades' hues per theme: the diagonal in the accent, the rest in the danger colour (styles.css
 * --accent and --danger), mixed into the panel by the share.
 */
const HUES: Record<ThemeName, { diagonal: string; off: string }> = {
  light: { diagonal: '#1a5fb8', off: '#c0392b' },
  dark: { diagonal: '#5aa2ff', off: '#ff7a7a' },
};
/** WCAG AA asks 4.5:1 of the cells' text (12.5 px); a little over it, so rounding never dips below. */
const MIN_CONTRAST = 4.6;

const rgbOf = (hex: string) => [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16));
const hexOf = (c: number[]) => `#${c.map((v) => Math.round(v).toString(16).padStart(2, '0')).join('')}`;
/** a mixed into b by t (0: a, 1: b), rounded to #rrggbb. */
const mix = (a: string, b: string, t: number) => {
  const [x, y] = [rgbOf(a), rgbOf(b)];
  return hexOf(x.map((v, i) => v + (y[i] - v) * t));
};
function luminance(hex: string): number {
  const lin = (v: number) => (v / 255 <= 0.04045 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4);
  const [r, g, b] = rgbOf(hex);
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}
function contrast(a: string, b: string): number {
  const [la, lb] = [luminance(a), luminance(b)];
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}
/** How far a hue may be mixed into the panel before the theme's text on it falls under MIN_CONTRAST (the contrast falls as the mix grows). */
function deepest(theme: ThemeName, hue: string): number {
  const { background, text } = CHART_THEMES[theme];
  if (contrast(text, hue) >= MIN_CONTRAST) return 1;
  let lo = 0;
  let hi = 1;
  for (let k = 0; k < 30; k++) {
    const t = (lo + hi) / 2;
    if (contrast(text, mix(background, hue, t)) >= MIN_CONTRAST) lo = t;
    else hi = t;
  }
  return lo;
}
const DEEPEST = Object.fromEntries(
  (Object.keys(HUES) as ThemeName[]).map((theme) => [theme, { diagonal: deepest(theme, HUES[theme].diagonal), off: deepest(theme, HUES[theme].off) }]),
) as Record<ThemeName, { diagonal: number; off: number }>;

/**
 * A cell's background, opaque: its hue (the diagonal's accent, the rest's danger colour) mixed into
 * the theme's panel by the share, from 12 % of the way at a share near 0 to the deepest mix on
 * which the theme's text still reads at 4.5:1 (WCAG AA) at a share of 1; no shade for no share.
 */
export function cellShade(cell: ConfusionCell, theme: ThemeName): string {
  if (cell.share === null || cell.share === 0) return 'transparent';
  const hue = cell.diagonal ? 'diagonal' : 'off';
  const top = DEEPEST[theme][hue];
  const t = Math.min(top, 0.12 + (top - 0.12) * cell.share);
  return mix(CHART_THEMES[theme].background, HUES[theme][hue], t);
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
