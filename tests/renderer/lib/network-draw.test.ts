/** renderer/lib/network-draw: a unit's curve as an SVG path, and its heatmap's pixels (x1 across, x2 up, viridis on the layer's scale). */
import { describe, expect, it } from 'vitest';
import { gridPoints } from '@main/trainer/tasks';
import { viridis } from '../../../src-renderer/src/lib/heatmap';
import { bandPath, heatmapPixels, linePath, scaleLinear } from '../../../src-renderer/src/lib/network-draw';

const rgb = (hex: string) => [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16));

describe('renderer/lib/network-draw', () => {
  it('draws a curve across the width with lo at the bottom and hi at the top', () => {
    expect(linePath([0, 0.5, 1], 0, 1, 100, 10)).toBe('M0.0,10.0L50.0,5.0L100.0,0.0');
    // a flat (dead) unit on a layer's scale lies at its value; a flat layer at the bottom
    expect(linePath([0, 0], 0, 2, 10, 10)).toBe('M0.0,10.0L10.0,10.0');
    expect(linePath([3, 3], 3, 3, 10, 10)).toBe('M0.0,10.0L10.0,10.0');
  });

  it('lays a unit’s grid out with x1 across and x2 up, as the view grid orders its points (first input slowest)', () => {
    const side = 3;
    const grid = gridPoints([
      [0, 1],
      [0, 1],
    ], [side, side]);
    // the unit's output is x1 + 10 · x2 at every grid point
    const values = Array.from({ length: side * side }, (_, p) => grid[2 * p] + 10 * grid[2 * p + 1]);
    const px = heatmapPixels(values, side, 0, 11);
    const at = (col: number, row: number) => Array.from(px.slice((row * side + col) * 4, (row * side + col) * 4 + 4));
    expect(at(0, side - 1)).toEqual([...rgb(viridis(0)), 255]); // bottom left: x1 = 0, x2 = 0, the lowest
    expect(at(side - 1, 0)).toEqual([...rgb(viridis(1)), 255]); // top right: x1 = 1, x2 = 1, the highest
    expect(at(0, 0)).toEqual([...rgb(viridis(10 / 11)), 255]); // top left: x2 = 1
    expect(at(side - 1, side - 1)).toEqual([...rgb(viridis(1 / 11)), 255]); // bottom right: x1 = 1
    // a non-finite output is black, not a colour of the scale
    expect(Array.from(heatmapPixels([NaN, 0, 0, 0], 2, 0, 1).slice(8, 12))).toEqual([0, 0, 0, 255]); // x1 = x2 = 0: bottom left
  });

  it('draws a band along its low edge and back along its high one, leaving out points without both', () => {
    const x = scaleLinear(0, 10, 0, 100);
    const y = scaleLinear(0, 1, 50, 0);
    expect([x(0), x(5), x(10), y(0), y(1)]).toEqual([0, 50, 100, 50, 0]);
    expect(scaleLinear(3, 3, 0, 10)(3)).toBe(5);
    expect(bandPath([0, 5, 10], [0, 0.2, 0.4], [1, 0.8, 0.6], x, y)).toBe('M0.0,50.0L50.0,40.0L100.0,30.0L100.0,20.0L50.0,10.0L0.0,0.0Z');
    // batch 0's gradient-free NaN row, say, is left out, not drawn at 0
    expect(bandPath([0, 5, 10], [NaN, 0.2, 0.4], [NaN, 0.8, 0.6], x, y)).toBe('M50.0,40.0L100.0,30.0L100.0,20.0L50.0,10.0Z');
    expect(bandPath([0], [NaN], [NaN], x, y)).toBe('');
  });
});
