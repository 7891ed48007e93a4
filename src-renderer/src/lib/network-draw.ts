/**
 * Drawing the network view's small pictures (components/NetworkView.vue, UnitPictures.vue), pure:
 * a unit's curve over a 1-D domain as an SVG path, and its output over a plane as the RGBA pixels
 * of a heatmap (viridis on the layer's scale, lib/heatmap.ts). The values come from
 * analysis/network-view.
 */
import { viridis } from './heatmap';

/** `values` at evenly spaced x across `width`, scaled so [lo, hi] spans `height` (up is high), as an SVG path. */
export function linePath(values: ArrayLike<number>, lo: number, hi: number, width: number, height: number): string {
  const n = values.length;
  const span = hi - lo || 1;
  const parts: string[] = [];
  for (let i = 0; i < n; i++) {
    const v = Number.isFinite(values[i]) ? values[i] : lo;
    parts.push(`${i ? 'L' : 'M'}${((i / Math.max(1, n - 1)) * width).toFixed(1)},${(height - ((v - lo) / span) * height).toFixed(1)}`);
  }
  return parts.join('');
}

/**
 * The RGBA pixels (side × side) of a unit's output over a grid laid out first input slowest
 * (analysis/network-view viewPointsOf): pixel column i is x1's i-th value, row 0 the largest x2
 * (up is high), coloured by viridis of (v − lo) / (hi − lo); a non-finite value is drawn black.
 */
export function heatmapPixels(values: ArrayLike<number>, side: number, lo: number, hi: number): Uint8ClampedArray<ArrayBuffer> {
  const out = new Uint8ClampedArray(side * side * 4);
  const span = hi - lo;
  for (let i = 0; i < side; i++)
    for (let j = 0; j < side; j++) {
      const v = values[i * side + j];
      const at = ((side - 1 - j) * side + i) * 4;
      if (Number.isFinite(v)) {
        const hex = viridis(span > 0 ? (v - lo) / span : 0.5);
        out[at] = Number.parseInt(hex.slice(1, 3), 16);
        out[at + 1] = Number.parseInt(hex.slice(3, 5), 16);
        out[at + 2] = Number.parseInt(hex.slice(5, 7), 16);
      }
      out[at + 3] = 255;
    }
  return out;
}

/** A linear map from [d0, d1] to [r0, r1] (a zero-width domain maps to the range's middle). */
export function scaleLinear(d0: number, d1: number, r0: number, r1: number): (v: number) => number {
  return d1 === d0 ? () => (r0 + r1) / 2 : (v) => r0 + ((v - d0) / (d1 - d0)) * (r1 - r0);
}

/** The band between `lo` and `hi` over `xs` as one closed SVG path (along lo, back along hi); points where either is not finite are left out. */
export function bandPath(xs: readonly number[], lo: ArrayLike<number>, hi: ArrayLike<number>, x: (v: number) => number, y: (v: number) => number): string {
  const keep = xs.map((_, i) => i).filter((i) => Number.isFinite(lo[i]) && Number.isFinite(hi[i]));
  if (!keep.length) return '';
  const pt = (i: number, v: number) => `${x(xs[i]).toFixed(1)},${y(v).toFixed(1)}`;
  return `M${keep.map((i) => pt(i, lo[i])).join('L')}L${[...keep].reverse().map((i) => pt(i, hi[i])).join('L')}Z`;
}
