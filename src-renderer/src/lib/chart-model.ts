/**
 * A chart as data: what is drawn (series of points with colour, width, dash, faintness, bands),
 * the axes and the title. One model feeds the chart.js canvas (toChartJs), the SVG export
 * (svg.ts) and the CSV/JSON export (exports.ts), so the three show the same thing. Pure.
 */
import type { Point } from './series';
import { type ChartTheme, withAlpha } from './colors';
import { tickLabel } from './format';

export type SeriesRole =
  /** A plain line (a run's curve without smoothing, an estimate, a residual). */
  | 'line'
  /** The raw curve drawn faintly under its smoothed version. */
  | 'raw'
  | 'smoothed'
  | 'truth'
  /** A replicate group's centre (its median or mean, as its label says), drawn over its band. */
  | 'centre'
  | 'band-lo'
  | 'band-hi'
  /** A horizontal reference (constant predictor, zero residual). */
  | 'reference'
  /** Markers without a line (strip plots). */
  | 'points'
  | 'bars';

export interface PlotSeries {
  /** Unique within the chart. */
  id: string;
  label: string;
  /** #rrggbb */
  color: string;
  role: SeriesRole;
  points: Point[];
  /** 0–1; faint raw curves use about 0.25. */
  opacity?: number;
  width?: number;
  dash?: number[];
  /** What the line stands for in full (a run's or group's spec): the legend entry's tooltip. */
  detail?: string;
  /** False: drawn but not listed in the legend. */
  legend?: boolean;
  /** band-hi: the id of the band-lo series the area is filled down to. */
  fillTo?: string;
  /** Columns for the CSV export (run id, the differing spec fields, seeds…). */
  meta?: Record<string, string | number | null>;
}

export interface ChartAxis {
  label: string;
  log?: boolean;
  min?: number;
  max?: number;
  /** Category names at x = 0, 1, 2… (bar charts and strip plots). */
  categories?: string[];
  /**
   * A linear axis whose 0 means something (a difference: below 0, A is lower): 0 is always in the
   * range and always a labelled tick (chart.js's label skipping would otherwise drop it).
   */
  zeroTick?: boolean;
}

/** Labelled ticks at most on a zeroTick axis: every k-th multiple of the step, 0 always among them. */
const ZERO_AXIS_LABELS = 6;

/** The tick label of value v on a zeroTick axis among ticks a step apart: only multiples of k·step are labelled. */
export function zeroAxisLabel(v: number, ticks: readonly { value: number }[]): string {
  if (ticks.length < 2) return tickLabel(v);
  const step = Math.abs(ticks[1].value - ticks[0].value);
  const k = Math.ceil(ticks.length / ZERO_AXIS_LABELS);
  const r = Math.round(v / step);
  return Math.abs(v / step - r) < 1e-6 && r % k === 0 ? tickLabel(Math.abs(v) < step * 1e-9 ? 0 : v) : '';
}

/** A run behind a chart, for the exports' provenance. */
export interface ProvenanceRun {
  id: number;
  configKey: string;
  spec: unknown;
  initSeed: number;
  dataSeed: number;
  appVersion: string;
  status: string;
}

export interface ChartModel {
  /** Used in file names: "cost", "fit-sin-x"… */
  id: string;
  title: string;
  kind: 'line' | 'bar';
  x: ChartAxis;
  y: ChartAxis;
  series: PlotSeries[];
  runs: ProvenanceRun[];
  /** What the chart shows beyond its title (smoothing, band meaning), for exports. */
  notes?: string[];
}

export const inLegend = (s: PlotSeries): boolean => s.legend !== false && s.role !== 'band-lo' && s.role !== 'band-hi';

/** Number of points drawn (every series, gaps included): the CSV export has this many rows. */
export function pointCount(model: ChartModel): number {
  return model.series.reduce((n, s) => n + s.points.length, 0);
}

export function legendLabels(model: ChartModel): string[] {
  return model.series.filter(inLegend).map((s) => s.label);
}

/** y values a log axis cannot draw (≤ 0) become gaps. */
export function drawable(model: ChartModel, y: number | null): number | null {
  if (y === null || !Number.isFinite(y)) return null;
  if (model.y.log && y <= 0) return null;
  return y;
}

export interface ChartJsConfig {
  type: 'line' | 'bar';
  data: { labels?: string[]; datasets: Record<string, unknown>[] };
  options: Record<string, unknown>;
}

function scale(axis: ChartAxis, theme: ChartTheme, isX: boolean, kind: ChartModel['kind']): Record<string, unknown> {
  const cats = axis.categories;
  const s: Record<string, unknown> = {
    type: kind === 'bar' && isX ? 'category' : axis.log ? 'logarithmic' : 'linear',
    title: { display: true, text: axis.label, color: theme.text, font: { size: 12 } },
    grid: { color: theme.grid },
    border: { color: theme.muted },
    ticks: { color: theme.muted, font: { size: 11 }, maxRotation: 0, autoSkipPadding: 12 },
  };
  if (axis.min !== undefined) s.min = axis.min;
  if (axis.max !== undefined) s.max = axis.max;
  if (axis.log) {
    // label 1, 2 and 5 × 10^k (only 1 × 10^k over more than two decades); other lines faint
    const label = (x: number, ticks: { value: number }[]) => {
      if (!(x > 0)) return '';
      const lo = ticks.length ? ticks[0].value : x;
      const hi = ticks.length ? ticks[ticks.length - 1].value : x;
      const wide = lo > 0 && Math.log10(hi / lo) > 2.2;
      const m = x / 10 ** Math.floor(Math.log10(x) + 1e-9);
      return (wide ? [1] : [1, 2, 5]).some((k) => Math.abs(m - k) < 1e-6) ? tickLabel(x) : '';
    };
    s.ticks = { ...(s.ticks as object), autoSkip: false, callback: (v: number | string, _i: number, ticks: { value: number }[]) => label(Number(v), ticks) };
    s.grid = { color: (ctx: { tick?: { label?: unknown } }) => (ctx.tick?.label ? theme.grid : withAlpha(theme.grid, 0.45)) };
  }
  if (axis.zeroTick && !axis.log && !cats) {
    // chart.js puts linear ticks on multiples of a step, so 0 is a tick once it is in range
    s.beginAtZero = true;
    s.ticks = { ...(s.ticks as object), autoSkip: false, callback: (v: number | string, _i: number, ticks: { value: number }[]) => zeroAxisLabel(Number(v), ticks) };
    s.grid = { color: (ctx: { tick?: { value?: number } }) => (ctx.tick?.value === 0 ? theme.muted : theme.grid) };
  }
  if (cats && kind !== 'bar' && isX) {
    // one tick per category, at x = 0, 1, 2…
    s.afterBuildTicks = (axis: { ticks: { value: number }[] }) => {
      axis.ticks = cats.map((_, value) => ({ value }));
    };
    s.ticks = { ...(s.ticks as object), autoSkip: false, callback: (v: number | string) => cats[Number(v)] ?? '' };
    s.grid = { color: theme.grid, offset: false };
    s.min ??= -0.5;
    s.max ??= cats.length - 0.5;
  }
  return s;
}

/** How the canvas shows a model beyond the model itself. */
export interface CanvasLook {
  /** The legend is a list beside the canvas (many series): chart.js draws none, and the plot keeps the height. */
  listLegend?: boolean;
  /** A series id to bring forward: every other line fades (its raw twin and band stay with it). */
  highlight?: string | null;
}

/** The series a highlight of `id` keeps bright: it, its raw twin and its band. */
export function highlighted(s: PlotSeries, id: string): boolean {
  return s.id === id || s.id === `${id}-raw` || s.id === `${id}-lo` || s.id === `${id}-hi`;
}

/** The chart.js configuration of a model (canvas colours from the theme). */
export function toChartJs(model: ChartModel, theme: ChartTheme, look: CanvasLook = {}): ChartJsConfig {
  const index = new Map(model.series.map((s, i) => [s.id, i]));
  const hl = look.highlight ?? null;
  const datasets = model.series.map((s) => {
    const fade = hl !== null && !highlighted(s, hl) && s.role !== 'reference' ? 0.12 : 1;
    const color = withAlpha(s.color, (s.opacity ?? 1) * fade);
    const base: Record<string, unknown> = {
      label: s.label,
      borderColor: color,
      backgroundColor: color,
      borderWidth: s.width ?? 2,
      borderDash: s.dash ?? [],
      nnlabLegend: inLegend(s),
    };
    if (model.kind === 'bar') return { ...base, data: s.points.map((p) => p.y), borderWidth: 0, barPercentage: 1, categoryPercentage: 1 };
    // a point chart.js can draw as it is is handed over as it is (chart.js reads, never writes, its data's points)
    const data = s.points.map((p) => {
      const y = drawable(model, p.y);
      return y === p.y ? p : { x: p.x, y };
    });
    const line = { ...base, data, pointRadius: 0, pointHitRadius: 6, pointStyle: 'line', tension: 0, fill: false, spanGaps: false };
    switch (s.role) {
      case 'points':
        return { ...line, showLine: false, pointRadius: 3, pointStyle: 'circle', borderWidth: 1, backgroundColor: withAlpha(s.color, s.opacity ?? 0.75) };
      case 'band-lo':
        return { ...line, borderWidth: 0 };
      case 'band-hi':
        return { ...line, borderWidth: 0, fill: s.fillTo !== undefined && index.has(s.fillTo) ? index.get(s.fillTo) : false, backgroundColor: withAlpha(s.color, s.opacity ?? 0.18) };
      default:
        return line;
    }
  });
  return {
    type: model.kind,
    data: model.kind === 'bar' ? { labels: model.x.categories ?? [], datasets } : { datasets },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      normalized: true,
      interaction: { mode: 'nearest', intersect: false, axis: 'x' },
      layout: { padding: 4 },
      plugins: {
        title: { display: true, text: model.title, color: theme.text, font: { size: 14, weight: 'bold' }, padding: { top: 4, bottom: 6 } },
        legend: {
          display: !look.listLegend && model.series.some(inLegend),
          labels: {
            color: theme.text,
            usePointStyle: true,
            boxWidth: 24,
            // the line marker as long as the box, so a dash shows ([7, 4] over chart.js's 10 px read as solid)
            pointStyleWidth: 24,
            boxHeight: 7,
            font: { size: 12 },
            filter: (item: { datasetIndex?: number }) => (item.datasetIndex === undefined ? true : inLegend(model.series[item.datasetIndex])),
          },
        },
        tooltip: { enabled: true },
        nnlabBackground: { color: theme.background },
        nnlabHighlight: { id: hl },
      },
      scales: { x: scale(model.x, theme, true, model.kind), y: scale(model.y, theme, false, model.kind) },
    },
  };
}
