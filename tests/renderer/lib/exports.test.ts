import { describe, expect, it } from 'vitest';
import type { ChartModel } from '../../../src-renderer/src/lib/chart-model';
import { pointCount } from '../../../src-renderer/src/lib/chart-model';
import { model } from '../helpers/models';
import { chartToCsv, chartToJson, csvField, exportFileName, toCsv } from '../../../src-renderer/src/lib/exports';


describe('renderer/lib/exports', () => {
  it('quotes CSV fields only when needed', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField(null)).toBe('');
    expect(csvField(NaN)).toBe('');
    expect(csvField(0.1)).toBe('0.1');
    expect(toCsv([['a', 1], ['b', null]])).toBe('a,1\r\nb,\r\n');
  });

  it('writes one row per plotted point, gaps included, after a header of axis labels and meta columns', () => {
    const lines = chartToCsv(model).trimEnd().split('\r\n');
    expect(lines[0]).toBe('series,role,batch,cost (squared error of the batch),run_id,activation');
    expect(lines.length - 1).toBe(pointCount(model));
    expect(lines[1]).toBe('#1 relu,smoothed,1,3,1,relu');
    expect(lines[3]).toBe('#1 relu,smoothed,3,,1,relu');
    expect(lines[7]).toBe('"#2 sigmoid, ""slow""",line,1,4,2,sigmoid');
  });

  it('writes bar charts with their category names as x', () => {
    const bars: ChartModel = { ...model, kind: 'bar', x: { label: 'bin', categories: ['lo', 'hi'] }, series: [{ id: 'c', label: 'count', color: '#000000', role: 'bars', points: [{ x: 0, y: 2 }, { x: 1, y: 5 }] }] };
    expect(chartToCsv(bars)).toBe('series,role,bin,cost (squared error of the batch)\r\ncount,bars,lo,2\r\ncount,bars,hi,5\r\n');
  });

  it('writes JSON with a format tag, the plotted points and the runs behind them', () => {
    const j = JSON.parse(chartToJson(model, '0.1.0'));
    expect(j.format).toBe('nnlab-chart');
    expect(j.version).toBe(1);
    expect(j.appVersion).toBe('0.1.0');
    expect(j.chart.y.log).toBe(true);
    expect(j.series.map((s: { points: unknown[] }) => s.points.length)).toEqual([3, 3, 2]);
    expect(j.series[0].points[2]).toEqual([3, null]);
    expect(j.runs.map((r: { id: number }) => r.id)).toEqual([1, 2]);
  });

  it('names files after the chart and its runs', () => {
    expect(exportFileName(model, 'csv')).toBe('nnlab_cost_runs-1-2.csv');
    const many = { ...model, id: 'fit-sin x', runs: Array.from({ length: 9 }, (_, i) => ({ ...model.runs[0], id: i + 3 })) };
    expect(exportFileName(many, 'svg')).toBe('nnlab_fit-sin-x_runs-3-to-11.svg');
  });
});
