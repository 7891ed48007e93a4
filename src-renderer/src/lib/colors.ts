/**
 * Colours: one colour-blind-safe palette (Tableau 10, dashes past 10 lines) for a stable colour per
 * run id (the same run is the same colour in every chart, every view and every session) and for
 * replicate groups, and the chart chrome per theme. All
 * colours are #rrggbb so canvas, CSS and exported SVG read them alike.
 */

export type ThemeName = 'light' | 'dark';

export interface ChartTheme {
  name: ThemeName;
  background: string;
  text: string;
  muted: string;
  grid: string;
  /** The truth line in fit charts. */
  truth: string;
}

export const CHART_THEMES: Record<ThemeName, ChartTheme> = {
  light: { name: 'light', background: '#ffffff', text: '#1d2330', muted: '#5b6475', grid: '#e3e6ec', truth: '#1d2330' },
  dark: { name: 'dark', background: '#171b22', text: '#e6e9ef', muted: '#9aa3b2', grid: '#2c323d', truth: '#f2f4f8' },
};

/**
 * Tableau 10 (Tableau's default palette, chosen to stay apart for colour-blind readers and on
 * light and dark backgrounds): the lines of a comparison take these in turn. Past 10 the colours
 * come round again with a dash pattern (lineDash), so up to 30 lines stay told apart.
 */
export const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'] as const;
/** Brighter twins of PALETTE for the dark theme (same hues, same order). */
const PALETTE_DARK = ['#6f9bd1', '#ffa552', '#ff7a7c', '#8fd3ce', '#7cc46f', '#f5d76e', '#cf9cc2', '#ffb3bb', '#c49a80', '#d4ccc8'] as const;
/** Solid, then dashed, then dotted: the i-th round of the palette. */
const DASHES: readonly (readonly number[])[] = [[], [7, 4], [2, 3]];

const pick = (i: number, theme: ThemeName) => {
  const p = theme === 'dark' ? PALETTE_DARK : PALETTE;
  return p[((i % p.length) + p.length) % p.length];
};

/** The dash pattern of the i-th line ([] solid for the first 10, then dashed, then dotted). */
export function lineDash(i: number): number[] {
  return [...DASHES[Math.floor(Math.max(0, i) / PALETTE.length) % DASHES.length]];
}

/**
 * The colour of run `id`: the palette by id, so consecutive ids (the usual comparison, run #12 vs
 * #13) differ and an id's colour never changes, in every chart, view and session.
 */
export function runColor(id: number, theme: ThemeName = 'light'): string {
  return pick(id - 1, theme);
}

/** The colour of the i-th replicate group of a comparison (its dash: lineDash(i)). */
export function groupColor(i: number, theme: ThemeName = 'light'): string {
  return pick(i, theme);
}

/** #rrggbb with an alpha as rgba() (for canvas fills and faint lines). */
export function withAlpha(hex: string, alpha: number): string {
  const n = Number.parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}
