/** The init inspector's chart: a histogram of the initial weights as a chart model. Pure. */
import type { InitPreview } from '@main/api/contract';
import type { ChartModel } from './chart-model';
import { tickLabel } from './format';

export function histogramModel(p: InitPreview, color: string, title = 'Initial weights'): ChartModel {
  const { edges, counts } = p.histogram;
  const categories = counts.map((_, i) => tickLabel(Number(((edges[i] + edges[i + 1]) / 2).toPrecision(2))));
  return {
    id: 'init-weights',
    title,
    kind: 'bar',
    x: { label: 'weight (bin centre)', categories },
    y: { label: 'weights' },
    series: [{ id: 'count', label: 'weights per bin', color, role: 'bars', points: counts.map((c, i) => ({ x: i, y: c })), legend: false }],
    runs: [],
  };
}

export interface LayerPreview {
  name: string;
  units: number;
  dead: number;
  min: number;
  mean: number;
  max: number;
}

export function layerRows(p: InitPreview): LayerPreview[] {
  return p.units.map((units, l) => ({
    name: l === p.units.length - 1 ? 'output' : `hidden ${p.units.length > 2 ? l + 1 : ''}`.trim(),
    units,
    dead: p.deadAtInit[l] ?? 0,
    min: p.preActivation[l]?.min ?? NaN,
    mean: p.preActivation[l]?.mean ?? NaN,
    max: p.preActivation[l]?.max ?? NaN,
  }));
}
