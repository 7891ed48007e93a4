/**
 * Colours: a stable colour per run id (the same run is the same colour in every chart, every
 * view and every session), a palette for replicate groups, and the chart chrome per theme. All
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

function hslToHex(h: number, s: number, l: number): string {
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => {
    const k = (n + h / 30) % 12;
    const c = l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1));
    return Math.round(c * 255)
      .toString(16)
      .padStart(2, '0');
  };
  return `#${f(0)}${f(8)}${f(4)}`;
}

/**
 * The colour of run `id`: hues a golden angle apart, so consecutive ids (the usual comparison,
 * run #12 vs #13) are far apart on the wheel, and an id's colour never changes.
 */
export function runColor(id: number, theme: ThemeName = 'light'): string {
  const hue = (((id * 137.508) % 360) + 360 + 210) % 360;
  return hslToHex(hue, 0.68, theme === 'dark' ? 0.64 : 0.45);
}

const GROUP_PALETTE: Record<ThemeName, string[]> = {
  light: ['#1f6fd1', '#d1495b', '#2a9d5c', '#8a5cd1', '#e08a1e', '#16a3b8', '#b5487f', '#6b7a1f'],
  dark: ['#5aa2ff', '#ff7a8a', '#5fd18f', '#b794ff', '#ffb454', '#4fd6e8', '#f07ab8', '#b9c95a'],
};

/** The colour of the i-th replicate group of a comparison. */
export function groupColor(i: number, theme: ThemeName = 'light'): string {
  const p = GROUP_PALETTE[theme];
  return p[((i % p.length) + p.length) % p.length];
}

/** #rrggbb with an alpha as rgba() (for canvas fills and faint lines). */
export function withAlpha(hex: string, alpha: number): string {
  const n = Number.parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}
