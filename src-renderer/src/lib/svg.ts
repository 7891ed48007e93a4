/**
 * SVG export of a chart model, built here rather than captured from the canvas: vector lines,
 * real text (the title, legend and axis labels are searchable and selectable), the same colours,
 * and — when the live chart's scales are given — the same axis ranges and ticks as on screen.
 * Provenance (run ids, specs, seeds, app version) goes in <metadata>. Pure: a string out.
 */
import { type ChartModel, drawable, inLegend, type PlotSeries } from './chart-model';
import type { ChartTheme } from './colors';
import { tickLabel } from './format';

export interface AxisLayout {
  min: number;
  max: number;
  ticks: { value: number; label: string }[];
}

export interface SvgLayout {
  width: number;
  height: number;
  /** Axis ranges and ticks as the live chart drew them; computed from the data when absent. */
  x?: AxisLayout;
  y?: AxisLayout;
}

const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";

export function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] as string);
}

const textWidth = (s: string, size: number) => s.length * size * 0.58;
const num = (x: number) => (Math.round(x * 100) / 100).toString();

/** About `count` round tick values covering [min, max] (1, 2, 2.5, 5 × 10^k steps). */
export function niceTicks(min: number, max: number, count = 6): { min: number; max: number; step: number; values: number[] } {
  if (!(max > min)) {
    const d = Math.abs(min) > 0 ? Math.abs(min) * 0.1 : 1;
    min -= d;
    max += d;
  }
  const raw = (max - min) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const lo = Math.floor(min / step + 1e-9) * step;
  const hi = Math.ceil(max / step - 1e-9) * step;
  const values: number[] = [];
  for (let v = lo; v <= hi + step * 1e-6; v += step) values.push(Math.abs(v) < step * 1e-9 ? 0 : Number(v.toPrecision(12)));
  return { min: lo, max: hi, step, values };
}


function autoAxis(values: number[], log: boolean, categories?: string[]): AxisLayout {
  if (categories) {
    return { min: -0.5, max: categories.length - 0.5, ticks: categories.map((label, value) => ({ value, label })) };
  }
  const finite = values.filter((v) => Number.isFinite(v) && (!log || v > 0));
  let min = finite.length ? Math.min(...finite) : 0;
  let max = finite.length ? Math.max(...finite) : 1;
  if (log) {
    if (!finite.length) [min, max] = [0.1, 10];
    const lo = Math.floor(Math.log10(min));
    const hi = Math.max(lo + 1, Math.ceil(Math.log10(max)));
    const ticks = [];
    for (let e = lo; e <= hi; e++) ticks.push({ value: 10 ** e, label: tickLabel(10 ** e) });
    return { min: 10 ** lo, max: 10 ** hi, ticks };
  }
  const t = niceTicks(min, max);
  return { min: t.min, max: t.max, ticks: t.values.map((value) => ({ value, label: tickLabel(value) })) };
}

interface Frame {
  left: number;
  right: number;
  top: number;
  bottom: number;
  x: AxisLayout;
  y: AxisLayout;
  xLog: boolean;
  yLog: boolean;
}

function project(f: Frame, x: number, y: number): [number, number] {
  const tx = f.xLog ? (Math.log10(x) - Math.log10(f.x.min)) / (Math.log10(f.x.max) - Math.log10(f.x.min)) : (x - f.x.min) / (f.x.max - f.x.min);
  const ty = f.yLog ? (Math.log10(y) - Math.log10(f.y.min)) / (Math.log10(f.y.max) - Math.log10(f.y.min)) : (y - f.y.min) / (f.y.max - f.y.min);
  return [f.left + tx * (f.right - f.left), f.bottom - ty * (f.bottom - f.top)];
}

function dashAttr(s: PlotSeries): string {
  return s.dash?.length ? ` stroke-dasharray="${s.dash.join(' ')}"` : '';
}

/** Polyline segments between gaps. */
function segments(model: ChartModel, f: Frame, s: PlotSeries): [number, number][][] {
  const out: [number, number][][] = [];
  let cur: [number, number][] = [];
  for (const p of s.points) {
    const y = drawable(model, p.y);
    if (y === null || (f.xLog && p.x <= 0)) {
      if (cur.length) out.push(cur);
      cur = [];
      continue;
    }
    cur.push(project(f, p.x, y));
  }
  if (cur.length) out.push(cur);
  return out;
}

const pathOf = (pts: [number, number][]) => pts.map(([x, y], i) => `${i ? 'L' : 'M'}${num(x)} ${num(y)}`).join('');

function drawSeries(model: ChartModel, f: Frame, s: PlotSeries, all: Map<string, PlotSeries>): string {
  const opacity = s.opacity ?? 1;
  if (s.role === 'band-lo') return '';
  if (s.role === 'band-hi') {
    const lo = s.fillTo ? all.get(s.fillTo) : undefined;
    if (!lo) return '';
    const parts: string[] = [];
    // one polygon per run of points where both bounds are drawable
    let upper: [number, number][] = [];
    let lower: [number, number][] = [];
    const flush = () => {
      if (upper.length > 1) parts.push(`<path d="${pathOf([...upper, ...lower.reverse()])}Z" fill="${s.color}" fill-opacity="${s.opacity ?? 0.18}" stroke="none"/>`);
      upper = [];
      lower = [];
    };
    for (let i = 0; i < s.points.length; i++) {
      const hi = drawable(model, s.points[i].y);
      const lov = drawable(model, lo.points[i]?.y ?? null);
      if (hi === null || lov === null) {
        flush();
        continue;
      }
      upper.push(project(f, s.points[i].x, hi));
      lower.push(project(f, lo.points[i].x, lov));
    }
    flush();
    return parts.join('');
  }
  if (s.role === 'points') {
    return s.points
      .map((p) => {
        const y = drawable(model, p.y);
        if (y === null) return '';
        const [cx, cy] = project(f, p.x, y);
        return `<circle cx="${num(cx)}" cy="${num(cy)}" r="3" fill="${s.color}" fill-opacity="${s.opacity ?? 0.75}" stroke="${s.color}" stroke-width="1"/>`;
      })
      .join('');
  }
  return segments(model, f, s)
    .map((pts) => `<path d="${pathOf(pts)}" fill="none" stroke="${s.color}" stroke-opacity="${opacity}" stroke-width="${s.width ?? 2}" stroke-linejoin="round" stroke-linecap="round"${dashAttr(s)}/>`)
    .join('');
}

function drawBars(model: ChartModel, f: Frame): string {
  const n = model.x.categories?.length ?? 0;
  if (!n) return '';
  const w = (f.right - f.left) / n;
  return model.series
    .map((s) =>
      s.points
        .map((p, i) => {
          const y = drawable(model, p.y);
          if (y === null) return '';
          const [, top] = project(f, 0, y);
          const [, base] = project(f, 0, f.yLog ? f.y.min : Math.max(f.y.min, 0));
          return `<rect x="${num(f.left + i * w)}" y="${num(Math.min(top, base))}" width="${num(w)}" height="${num(Math.abs(base - top))}" fill="${s.color}" fill-opacity="${s.opacity ?? 1}"/>`;
        })
        .join(''),
    )
    .join('');
}

/** The legend laid out in centred rows, as chart.js does. */
function legend(model: ChartModel, theme: ChartTheme, width: number, top: number): { svg: string; bottom: number } {
  const items = model.series.filter(inLegend);
  if (!items.length) return { svg: '', bottom: top };
  const size = 12;
  const rows: { s: PlotSeries; w: number }[][] = [[]];
  let rowW = 0;
  for (const s of items) {
    const w = 30 + textWidth(s.label, size) + 14;
    if (rowW + w > width - 20 && rows[rows.length - 1].length) {
      rows.push([]);
      rowW = 0;
    }
    rows[rows.length - 1].push({ s, w });
    rowW += w;
  }
  const parts: string[] = ['<g class="legend">'];
  rows.forEach((row, r) => {
    const total = row.reduce((a, b) => a + b.w, 0);
    let x = (width - total) / 2;
    const y = top + r * 20 + 10;
    for (const { s, w } of row) {
      const mark =
        s.role === 'points'
          ? `<circle cx="${num(x + 12)}" cy="${num(y)}" r="4" fill="${s.color}"/>`
          : `<line x1="${num(x)}" y1="${num(y)}" x2="${num(x + 24)}" y2="${num(y)}" stroke="${s.color}" stroke-opacity="${s.opacity ?? 1}" stroke-width="${Math.max(2, s.width ?? 2)}"${dashAttr(s)}/>`;
      parts.push(`${mark}<text x="${num(x + 30)}" y="${num(y + 4)}" font-size="${size}" fill="${theme.text}">${escapeXml(s.label)}</text>`);
      x += w;
    }
  });
  parts.push('</g>');
  return { svg: parts.join(''), bottom: top + rows.length * 20 + 4 };
}

/** The chart as a standalone SVG document. */
export function chartToSvg(model: ChartModel, theme: ChartTheme, layout: SvgLayout, provenance?: unknown): string {
  const { width, height } = layout;
  const xs: number[] = [];
  const ys: number[] = [];
  for (const s of model.series)
    for (const p of s.points) {
      xs.push(p.x);
      if (p.y !== null) ys.push(p.y);
    }
  if (model.kind === 'bar' && !model.y.log) ys.push(0);
  const x = layout.x ?? autoAxis(xs, !!model.x.log, model.x.categories);
  // an axis whose 0 means something keeps 0 in range, and niceTicks puts a tick on it
  const y = layout.y ?? autoAxis(model.y.zeroTick && !model.y.log ? [...ys, 0] : ys, !!model.y.log);
  const title = `<text x="${num(width / 2)}" y="22" text-anchor="middle" font-size="14" font-weight="bold" fill="${theme.text}">${escapeXml(model.title)}</text>`;
  const leg = legend(model, theme, width, 32);
  const yLabelW = Math.max(24, ...y.ticks.map((t) => textWidth(t.label, 11)));
  // an x tick's label is centred on its tick: the first and last ones need half their width inside the picture
  const xEnds = model.kind === 'bar' ? [] : x.ticks.filter((t) => t.label && t.value >= Math.min(x.min, x.max) - 1e-12 && t.value <= Math.max(x.min, x.max) + 1e-12);
  const halfLabel = (t: { label: string } | undefined) => (t ? textWidth(t.label, 11) / 2 + 4 : 0);
  const f: Frame = {
    left: Math.max(8 + 16 + 6 + yLabelW + 6, halfLabel(xEnds[0])),
    right: width - Math.max(16, halfLabel(xEnds[xEnds.length - 1])),
    top: leg.bottom + 8,
    bottom: height - (8 + 16 + 4 + 16),
    x,
    y,
    xLog: !!model.x.log && model.kind !== 'bar',
    yLog: !!model.y.log,
  };
  const parts: string[] = [];
  parts.push(`<?xml version="1.0" encoding="UTF-8"?>`);
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${escapeXml(FONT)}">`);
  parts.push(`<title>${escapeXml(model.title)}</title>`);
  if (provenance !== undefined) parts.push(`<metadata id="nnlab-provenance">${escapeXml(JSON.stringify(provenance))}</metadata>`);
  parts.push(`<rect width="100%" height="100%" fill="${theme.background}"/>`);
  parts.push(title, leg.svg);
  parts.push(`<defs><clipPath id="plot-area"><rect x="${num(f.left)}" y="${num(f.top)}" width="${num(f.right - f.left)}" height="${num(f.bottom - f.top)}"/></clipPath></defs>`);
  // grid and ticks
  const grid: string[] = ['<g class="grid">'];
  const inRange = (v: number, a: AxisLayout) => v >= Math.min(a.min, a.max) - 1e-12 && v <= Math.max(a.min, a.max) + 1e-12;
  if (model.kind !== 'bar') {
    for (const t of x.ticks) {
      if (!inRange(t.value, x) || (f.xLog && t.value <= 0)) continue;
      const [px] = project(f, t.value, y.min);
      grid.push(`<line x1="${num(px)}" y1="${num(f.top)}" x2="${num(px)}" y2="${num(f.bottom)}" stroke="${theme.grid}" stroke-opacity="${t.label ? 1 : 0.45}" stroke-width="1"/>`);
      if (t.label) grid.push(`<text x="${num(px)}" y="${num(f.bottom + 16)}" text-anchor="middle" font-size="11" fill="${theme.muted}">${escapeXml(t.label)}</text>`);
    }
  } else {
    const n = model.x.categories?.length ?? 0;
    const w = (f.right - f.left) / Math.max(1, n);
    const every = Math.max(1, Math.ceil((n * 56) / (f.right - f.left)));
    model.x.categories?.forEach((c, i) => {
      if (i % every) return;
      grid.push(`<text x="${num(f.left + (i + 0.5) * w)}" y="${num(f.bottom + 16)}" text-anchor="middle" font-size="11" fill="${theme.muted}">${escapeXml(c)}</text>`);
    });
  }
  for (const t of y.ticks) {
    if (!inRange(t.value, y) || (f.yLog && t.value <= 0)) continue;
    const [, py] = project(f, x.min, t.value);
    grid.push(`<line x1="${num(f.left)}" y1="${num(py)}" x2="${num(f.right)}" y2="${num(py)}" stroke="${theme.grid}" stroke-opacity="${t.label ? 1 : 0.45}" stroke-width="1"/>`);
    if (t.label) grid.push(`<text x="${num(f.left - 6)}" y="${num(py + 4)}" text-anchor="end" font-size="11" fill="${theme.muted}">${escapeXml(t.label)}</text>`);
  }
  grid.push(`<rect x="${num(f.left)}" y="${num(f.top)}" width="${num(f.right - f.left)}" height="${num(f.bottom - f.top)}" fill="none" stroke="${theme.muted}" stroke-width="1"/>`);
  grid.push('</g>');
  parts.push(grid.join(''));
  // axis titles
  parts.push(`<text class="x-label" x="${num((f.left + f.right) / 2)}" y="${num(height - 10)}" text-anchor="middle" font-size="12" fill="${theme.text}">${escapeXml(model.x.label)}</text>`);
  const yl = [8 + 12, (f.top + f.bottom) / 2];
  parts.push(`<text class="y-label" x="${num(yl[0])}" y="${num(yl[1])}" text-anchor="middle" font-size="12" fill="${theme.text}" transform="rotate(-90 ${num(yl[0])} ${num(yl[1])})">${escapeXml(model.y.label)}</text>`);
  // data
  const byId = new Map(model.series.map((s) => [s.id, s]));
  parts.push('<g class="data" clip-path="url(#plot-area)">');
  if (model.kind === 'bar') parts.push(drawBars(model, f));
  else {
    // bands underneath; then, as chart.js does, the first series on top
    for (const s of model.series) if (s.role === 'band-hi') parts.push(drawSeries(model, f, s, byId));
    for (const s of [...model.series].reverse()) if (s.role !== 'band-hi') parts.push(drawSeries(model, f, s, byId));
  }
  parts.push('</g></svg>');
  return parts.join('\n');
}
