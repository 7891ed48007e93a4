import { describe, expect, it } from 'vitest';
import { legendLabels, pointCount, toChartJs, zeroAxisLabel } from '../../../src-renderer/src/lib/chart-model';
import { CHART_THEMES, groupColor, lineDash, PALETTE, runColor, withAlpha } from '../../../src-renderer/src/lib/colors';
import { model } from '../helpers/models';

describe('renderer/lib/chart-model', () => {
  it('gives chart.js one dataset per series, with gaps and faint raw curves', () => {
    const c = toChartJs(model, CHART_THEMES.light);
    expect(c.type).toBe('line');
    expect(c.data.datasets).toHaveLength(3);
    expect(c.data.datasets[0].data).toEqual([{ x: 1, y: 3 }, { x: 2, y: 2 }, { x: 3, y: null }]);
    expect(c.data.datasets[1].borderColor).toBe(withAlpha('#1f6fd1', 0.2));
    expect(c.data.datasets[1].nnlabLegend).toBe(false);
  });

  it('hands chart.js the points it can draw as they are, and copies only those it cannot (a copy of every point, 21,000 at 72 runs, on each open)', () => {
    const withBad: typeof model = { ...model, series: [{ ...model.series[0], points: [{ x: 1, y: 3 }, { x: 2, y: 0 }, { x: 3, y: Infinity }, { x: 4, y: null }] }] };
    const [points] = withBad.series.map((s) => s.points);
    const data = toChartJs(withBad, CHART_THEMES.light).data.datasets[0].data as { x: number; y: number | null }[];
    // a log axis cannot draw 0, nor anything draw ∞: gaps, in copies; the model keeps its values
    expect(data).toEqual([{ x: 1, y: 3 }, { x: 2, y: null }, { x: 3, y: null }, { x: 4, y: null }]);
    expect(data[0]).toBe(points[0]);
    expect(data[3]).toBe(points[3]);
    expect(data[1]).not.toBe(points[1]);
    expect(points[1].y).toBe(0);
    expect(points[2].y).toBe(Infinity);
  });

  it('uses a log scale, titles on both axes and the chart title', () => {
    const o = toChartJs(model, CHART_THEMES.dark).options as { scales: Record<string, { type: string; title: { text: string } }>; plugins: { title: { text: string; color: string } } };
    expect(o.scales.y.type).toBe('logarithmic');
    expect(o.scales.x.type).toBe('linear');
    expect(o.scales.x.title.text).toBe('batch');
    expect(o.plugins.title.text).toBe('Cost per batch');
    expect(o.plugins.title.color).toBe(CHART_THEMES.dark.text);
  });

  it('always labels 0 on an axis of differences, where chart.js’s label skipping dropped it', () => {
    // the loss-difference chart of relu vs sigmoid: ticks −5 … 25, 5 apart, on a short axis
    const ticks = [-5, 0, 5, 10, 15, 20, 25].map((value) => ({ value }));
    expect(ticks.map((t) => zeroAxisLabel(t.value, ticks))).toEqual(['', '0', '', '10', '', '20', '']);
    const few = [-2, -1, 0, 1].map((value) => ({ value }));
    expect(few.map((t) => zeroAxisLabel(t.value, few))).toEqual(['-2', '-1', '0', '1']);
    const diff = { ...model, y: { label: 'MSE A − MSE B', zeroTick: true } };
    const y = (toChartJs(diff, CHART_THEMES.light).options as { scales: { y: { beginAtZero: boolean; ticks: { autoSkip: boolean; callback: (v: number, i: number, t: { value: number }[]) => string } } } }).scales.y;
    expect(y.beginAtZero).toBe(true);
    expect(y.ticks.autoSkip).toBe(false);
    expect(y.ticks.callback(0, 1, ticks)).toBe('0');
  });

  it('labels only 1, 2, 5 × 10^k on a log axis', () => {
    const o = toChartJs(model, CHART_THEMES.light).options as { scales: { y: { ticks: { callback: (v: number, i: number, t: { value: number }[]) => string } } } };
    const ticks = [0.1, 0.2, 0.3, 0.5, 1, 2, 3].map((value) => ({ value }));
    expect(ticks.map((t, i) => o.scales.y.ticks.callback(t.value, i, ticks))).toEqual(['0.1', '0.2', '', '0.5', '1', '2', '']);
  });

  it('fills a band between its two edges', () => {
    const band = {
      ...model,
      series: [
        { id: 'lo', label: 'lo', color: '#000000', role: 'band-lo' as const, points: [{ x: 1, y: 1 }] },
        { id: 'hi', label: 'hi', color: '#000000', role: 'band-hi' as const, fillTo: 'lo', points: [{ x: 1, y: 2 }] },
        { id: 'm', label: 'median', color: '#000000', role: 'centre' as const, points: [{ x: 1, y: 1.5 }] },
      ],
    };
    const c = toChartJs(band, CHART_THEMES.light);
    expect(c.data.datasets[1].fill).toBe(0);
    expect(legendLabels(band)).toEqual(['median']);
  });

  it('counts plotted points and legend entries', () => {
    expect(pointCount(model)).toBe(8);
    expect(legendLabels(model)).toEqual(['#1 relu', '#2 sigmoid, "slow"']);
  });

  it('gives a run the same colour every time, and neighbours different ones', () => {
    expect(runColor(12)).toBe(runColor(12));
    expect(runColor(12)).toMatch(/^#[0-9a-f]{6}$/);
    expect(runColor(12)).not.toBe(runColor(13));
    expect(groupColor(0)).not.toBe(groupColor(1));
    expect(groupColor(10)).toBe(groupColor(0));
  });

  it('tells 30 lines apart: Tableau 10’s colours, then again dashed, then dotted', () => {
    expect(new Set(PALETTE).size).toBe(10);
    expect(new Set(Array.from({ length: 10 }, (_, i) => groupColor(i))).size).toBe(10);
    const looks = Array.from({ length: 30 }, (_, i) => `${groupColor(i)} ${lineDash(i).join(',')}`);
    expect(new Set(looks).size).toBe(30);
    expect(lineDash(0)).toEqual([]);
    // a run's colour is its id's, consecutive ids apart
    expect(new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((id) => runColor(id))).size).toBe(10);
  });
});
