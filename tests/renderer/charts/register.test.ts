/** charts/register: the chart.js set-up the lab's charts share. */
import { Chart } from 'chart.js';
import { describe, expect, it } from 'vitest';
import { registerCharts } from '../../../src-renderer/src/charts/register';
import { CHART_THEMES } from '../../../src-renderer/src/lib/colors';
import { type ChartModel, toChartJs } from '../../../src-renderer/src/lib/chart-model';

describe('renderer/charts/register', () => {
  it('draws a dashed line’s legend marker dashed, as long as the legend’s box (chart.js took the marker’s style from the first point, which has no dash: solid)', () => {
    registerCharts();
    const model: ChartModel = {
      id: 'cost',
      kind: 'line',
      runs: [],
      title: 'Cost',
      x: { label: 'batch' },
      y: { label: 'cost' },
      series: [
        { id: 'a', label: '#1 relu', color: '#4e79a7', role: 'line' as const, points: [{ x: 1, y: 1 }] },
        { id: 'b', label: '#11 relu', color: '#4e79a7', role: 'line' as const, dash: [7, 4], points: [{ x: 1, y: 2 }] },
      ],
    };
    const config = toChartJs(model, CHART_THEMES.light);
    const labels = (config.options as { plugins: { legend: { labels: Record<string, unknown> } } }).plugins.legend.labels;
    // a chart as chart.js's legend reads it: each dataset's meta, its first point's style (the point style asked for)
    const datasets = config.data.datasets as { borderDash: number[]; label: string }[];
    const chart = {
      data: { datasets },
      legend: { options: { labels } },
      _getSortedDatasetMetas: () => datasets.map((_, index) => ({ index, visible: true, controller: { getStyle: () => ({ borderWidth: 2, borderColor: '#4e79a7', backgroundColor: '#4e79a7', pointStyle: 'line' }) } })),
    };
    const items = Chart.defaults.plugins.legend.labels.generateLabels(chart as unknown as Chart);
    expect(items.map((i) => i.lineDash)).toEqual([[], [7, 4]]);
    // the line marker spans the box (10 px of a [7, 4] dash read as solid)
    expect(labels.pointStyleWidth).toBe(labels.boxWidth);
  });
});
