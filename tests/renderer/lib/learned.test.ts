/**
 * lib/learned's confusion-matrix shades: every cell's text (the theme's --text, read from
 * styles.css) meets WCAG AA (4.5:1) on its shade, in the light and the dark theme, at every share.
 * The contrast ratio is computed here from WCAG 2's definition, not by the code under test.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type ConfusionCell, cellShade } from '../../../src-renderer/src/lib/learned';

const css = readFileSync(new URL('../../../src-renderer/src/styles.css', import.meta.url), 'utf8');
/** A theme's variable from styles.css (the light block is `:root, :root[data-theme='light']`). */
function themeVar(theme: 'light' | 'dark', name: string): string {
  const block = css.split(`:root[data-theme='${theme}'] {`)[1].split('}')[0];
  const m = new RegExp(`--${name}:\\s*(#[0-9a-f]{6})`, 'i').exec(block);
  if (!m) throw new Error(`no --${name} in the ${theme} theme`);
  return m[1];
}

type RGBA = [number, number, number, number];
/** #rrggbb, rgba(r, g, b, a) or transparent as [r, g, b, a] (0–255, alpha 0–1). */
function parse(c: string): RGBA {
  if (c === 'transparent') return [0, 0, 0, 0];
  if (c.startsWith('#')) return [1, 3, 5].map((i) => Number.parseInt(c.slice(i, i + 2), 16)).concat(1) as RGBA;
  const m = /^rgba?\(([^)]+)\)$/.exec(c);
  if (!m) throw new Error(`unread colour ${c}`);
  const v = m[1].split(',').map(Number);
  return [v[0], v[1], v[2], v[3] ?? 1];
}
/** The colour seen: c over an opaque background. */
const over = (c: RGBA, bg: RGBA): RGBA => [0, 1, 2].map((i) => c[i] * c[3] + bg[i] * (1 - c[3])).concat(1) as RGBA;
/** WCAG 2 relative luminance. */
function luminance([r, g, b]: RGBA): number {
  const lin = (v: number) => {
    const s = v / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}
const contrast = (a: RGBA, b: RGBA) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
};

const cell = (share: number | null, diagonal: boolean): ConfusionCell => ({ text: '1', share, diagonal, label: '' });

describe('renderer/lib/learned cellShade', () => {
  for (const theme of ['light', 'dark'] as const) {
    it(`keeps every cell's text at 4.5:1 or more in the ${theme} theme, on and off the diagonal, at every share`, () => {
      const panel = parse(themeVar(theme, 'panel'));
      const text = parse(themeVar(theme, 'text'));
      let worst = Infinity;
      for (const diagonal of [true, false]) {
        for (let i = 0; i <= 1000; i++) {
          const bg = over(parse(cellShade(cell(i / 1000, diagonal), theme)), panel);
          worst = Math.min(worst, contrast(text, bg));
        }
      }
      expect(worst).toBeGreaterThanOrEqual(4.5);
    });
  }

  it('still shades by share: no shade for no share, darker (light theme) or lighter (dark theme) as the share grows', () => {
    for (const theme of ['light', 'dark'] as const) {
      const panel = parse(themeVar(theme, 'panel'));
      expect(cellShade(cell(null, true), theme)).toBe('transparent');
      expect(cellShade(cell(0, false), theme)).toBe('transparent');
      for (const diagonal of [true, false]) {
        const L = [0.01, 0.25, 0.5, 0.75, 1].map((s) => luminance(over(parse(cellShade(cell(s, diagonal), theme)), panel)));
        for (let k = 1; k < L.length; k++) {
          if (theme === 'light') expect(L[k]).toBeLessThan(L[k - 1]);
          else expect(L[k]).toBeGreaterThan(L[k - 1]);
        }
        // the fullest shade is far from the panel: at least 1.6:1 against it
        expect(contrast(over(parse(cellShade(cell(1, diagonal), theme)), panel), panel)).toBeGreaterThan(1.6);
      }
    }
  });
});
