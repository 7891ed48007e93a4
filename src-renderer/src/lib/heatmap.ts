/**
 * The stability map drawn: cell colours on a log scale of the median test MSE (viridis: dark
 * for low cost, yellow for high; readable on light and dark backgrounds, and in grey print), the
 * text written in each cell, a label per cell for screen readers, and the exports — SVG (with
 * provenance in <metadata>), CSV of the cells and JSON. Pure: the maps come from
 * src-main/analysis/stability.ts, shared with `nnlab sweep`.
 */
import { displayValue, valueText } from '@main/analysis/config-diff';
import { outcomeText } from '@main/analysis/outcome';
import { MEAN_OVER_EPS, type StabilityCell, type StabilityMap, type StabilityMaps } from '@main/analysis/stability';
import type { ProvenanceRun } from './chart-model';
import type { ChartTheme } from './colors';
import { EXPORT_FORMAT, EXPORT_VERSION, toCsv } from './exports';
import { fmt } from './format';
import { escapeXml } from './svg';

/** Viridis at nine evenly spaced stops. */
const VIRIDIS = ['#440154', '#482878', '#3e4989', '#31688e', '#26828e', '#1f9e89', '#35b779', '#6ece58', '#fde725'];
/** Cells whose median is not finite (diverged runs). */
export const DIVERGED_COLOR = '#9b1c31';
/** Cells with runs but no outcome yet. */
export const PENDING_COLOR: Record<'light' | 'dark', string> = { light: '#e3e6ec', dark: '#2c323d' };

const hex2 = (n: number) => Math.round(Math.max(0, Math.min(255, n))).toString(16).padStart(2, '0');
const rgb = (h: string) => [1, 3, 5].map((i) => Number.parseInt(h.slice(i, i + 2), 16));

/** Viridis at t in [0, 1], as #rrggbb. */
export function viridis(t: number): string {
  const x = Math.max(0, Math.min(1, Number.isFinite(t) ? t : 0)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x));
  const f = x - i;
  const a = rgb(VIRIDIS[i]);
  const b = rgb(VIRIDIS[i + 1]);
  return `#${a.map((v, k) => hex2(v + (b[k] - v) * f)).join('')}`;
}

/** Position of a cost on the log colour scale of `range` (0.5 when the range is one value). */
export function scalePosition(v: number, range: { min: number; max: number } | null): number {
  if (!range || !(v > 0)) return 0;
  const lo = Math.log10(range.min);
  const hi = Math.log10(range.max);
  return hi > lo ? (Math.log10(v) - lo) / (hi - lo) : 0.5;
}

/** A cell's fill: viridis of its median on the maps' log scale; red-brown when it diverged; grey while pending. */
export function cellColor(c: StabilityCell, range: StabilityMaps['range'], theme: 'light' | 'dark'): string {
  if (c.medianTestMse === null) return PENDING_COLOR[theme];
  if (!Number.isFinite(c.medianTestMse)) return DIVERGED_COLOR;
  return viridis(scalePosition(c.medianTestMse, range));
}

/** Black or white text, whichever reads better on the fill (WCAG relative luminance). */
export function textColorOn(fill: string): string {
  const [r, g, b] = rgb(fill).map((v) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  const L = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  // contrast with black (L + 0.05) / 0.05 against white 1.05 / (L + 0.05)
  return (L + 0.05) / 0.05 >= 1.05 / (L + 0.05) ? '#111111' : '#ffffff';
}

/** An axis name for people: initMean/eps reads as "init mean / eps". */
export function fieldName(field: string): string {
  return field === MEAN_OVER_EPS ? 'init mean / eps' : field;
}

/** A value as shown on an axis: "−0.1", "−1", "relu", "[1, 16, 2]" (a true minus sign on every negative number). */
export const axisValue = (v: unknown): string => (typeof v === 'number' ? String(v).replace('-', '−') : displayValue(v));

/** The two lines written in a cell: the median test MSE, and "k/n learned". */
export function cellText(c: StabilityCell): { main: string; sub: string } {
  if (c.n === 0) return { main: '…', sub: `${c.pending} pending` };
  return { main: fmt(c.medianTestMse), sub: `${c.learned}/${c.n} learned${c.pending ? ` +${c.pending}` : ''}` };
}

/** What a screen reader (and the tooltip) says of a cell. */
export function cellLabel(m: StabilityMaps, map: StabilityMap, c: StabilityCell): string {
  const at = `${fieldName(m.yField)} ${axisValue(c.yValue)}, ${fieldName(m.xField)} ${axisValue(c.xValue)}${map.facetLabel ? ` (${map.facetLabel})` : ''}`;
  if (c.n === 0) return `${at}: ${c.pending} run${c.pending === 1 ? '' : 's'} pending`;
  const runs = `run${c.runIds.length === 1 ? '' : 's'} ${c.runIds.map((id) => `#${id}`).join(', ')}`;
  return `${at}: ${measureWords(m)} ${fmt(c.medianTestMse)}, ${outcomeText(c.outcomes)}${c.pending ? `, ${c.pending} pending` : ''}${c.notCounted ? `, ${c.notCounted} not counted` : ''}; ${runs}`;
}

/** Ticks of the colour legend: the range's ends and the powers of ten between them not too close to an end (their labels would overlap). */
export function legendTicks(range: StabilityMaps['range']): number[] {
  if (!range) return [];
  const out = [range.min];
  for (let e = Math.ceil(Math.log10(range.min)); 10 ** e < range.max; e++) {
    const t = scalePosition(10 ** e, range);
    if (t >= 0.12 && t <= 0.88) out.push(10 ** e);
  }
  if (range.max > range.min) out.push(range.max);
  return out;
}

/** The maps' title: what is coloured and what is written. */
export function stabilityTitle(m: StabilityMaps): string {
  return `Stability map: ${fieldName(m.yField)} × ${fieldName(m.xField)}`;
}

/** What the maps' medians are: "median test MSE", or for classification runs "median test error". */
export function measureWords(m: Pick<StabilityMaps, 'measure'>): string {
  return m.measure === 'test error' ? 'median test error' : 'median test MSE';
}

/** The note in two lines, for the SVG. */
function noteLines(m: Pick<StabilityMaps, 'measure'>): string[] {
  return m.measure === 'test error'
    ? ['colour: median test error (1 − accuracy) over the seeds (log scale)', 'in each cell: the median, and learned/n (skill at least the learned-at threshold)']
    : ['colour: median test MSE per sample over the seeds (log scale)', 'in each cell: the median, and learned/n (r² at least the learned-at threshold)'];
}

/** The maps' note, as the exports carry it. */
export function stabilityNote(m: Pick<StabilityMaps, 'measure'>): string {
  const [a, b] = noteLines(m);
  return `${a}; ${b.replace('in each cell: the median, and', 'written in each cell: the median and')}`;
}

const CELL_W = 92;
const CELL_H = 50;
const num = (x: number) => (Math.round(x * 100) / 100).toString();
const textWidth = (s: string, size: number) => s.length * size * 0.58;

/** The maps as one standalone SVG: side by side, each with its axes, then the colour legend. */
export function stabilityToSvg(m: StabilityMaps, theme: ChartTheme, provenance?: unknown): { svg: string; width: number; height: number } {
  const yLabelW = Math.max(40, ...m.maps.flatMap((map) => map.yValues.map((v) => textWidth(axisValue(v), 12)))) + 10;
  const mapW = (map: StabilityMap) => 30 + yLabelW + map.xValues.length * CELL_W + 24;
  const mapH = (map: StabilityMap) => 24 + map.yValues.length * CELL_H + 44;
  const top = 78;
  const NOTE_LINES = noteLines(m);
  const width = Math.max(480, Math.ceil(Math.max(...NOTE_LINES.map((l) => textWidth(l, 11)))) + 40, m.maps.reduce((w, map) => w + mapW(map), 0) + 16);
  const height = top + Math.max(...m.maps.map(mapH)) + 70;
  const parts: string[] = [];
  parts.push('<?xml version="1.0" encoding="UTF-8"?>');
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, -apple-system, &apos;Segoe UI&apos;, Roboto, sans-serif">`);
  const title = stabilityTitle(m);
  parts.push(`<title>${escapeXml(title)}</title>`);
  if (provenance !== undefined) parts.push(`<metadata id="nnlab-provenance">${escapeXml(JSON.stringify(provenance))}</metadata>`);
  parts.push(`<rect width="100%" height="100%" fill="${theme.background}"/>`);
  parts.push(`<text x="${num(width / 2)}" y="22" text-anchor="middle" font-size="14" font-weight="bold" fill="${theme.text}">${escapeXml(title)}</text>`);
  NOTE_LINES.forEach((line, i) => parts.push(`<text x="${num(width / 2)}" y="${40 + 15 * i}" text-anchor="middle" font-size="11" fill="${theme.muted}">${escapeXml(line)}</text>`));
  let x0 = 8;
  for (const map of m.maps) {
    const left = x0 + 30 + yLabelW;
    const gridTop = top + 24;
    const g: string[] = [`<g class="map"${map.facetLabel ? ` data-facet="${escapeXml(map.facetLabel)}"` : ''}>`];
    if (map.facetLabel) g.push(`<text x="${num(left + (map.xValues.length * CELL_W) / 2)}" y="${num(top + 12)}" text-anchor="middle" font-size="13" font-weight="bold" fill="${theme.text}">${escapeXml(map.facetLabel)}</text>`);
    map.yValues.forEach((v, i) => {
      g.push(`<text x="${num(left - 8)}" y="${num(gridTop + i * CELL_H + CELL_H / 2 + 4)}" text-anchor="end" font-size="12" fill="${theme.muted}">${escapeXml(axisValue(v))}</text>`);
    });
    map.xValues.forEach((v, j) => {
      g.push(`<text x="${num(left + j * CELL_W + CELL_W / 2)}" y="${num(gridTop + map.yValues.length * CELL_H + 16)}" text-anchor="middle" font-size="12" fill="${theme.muted}">${escapeXml(axisValue(v))}</text>`);
    });
    const yMid = gridTop + (map.yValues.length * CELL_H) / 2;
    g.push(`<text class="y-label" x="${num(x0 + 14)}" y="${num(yMid)}" text-anchor="middle" font-size="12" fill="${theme.text}" transform="rotate(-90 ${num(x0 + 14)} ${num(yMid)})">${escapeXml(fieldName(m.yField))}</text>`);
    g.push(`<text class="x-label" x="${num(left + (map.xValues.length * CELL_W) / 2)}" y="${num(gridTop + map.yValues.length * CELL_H + 36)}" text-anchor="middle" font-size="12" fill="${theme.text}">${escapeXml(fieldName(m.xField))}</text>`);
    map.cells.forEach((row, i) =>
      row.forEach((c, j) => {
        const x = left + j * CELL_W;
        const y = gridTop + i * CELL_H;
        if (!c) {
          g.push(`<rect x="${num(x + 1)}" y="${num(y + 1)}" width="${CELL_W - 2}" height="${CELL_H - 2}" fill="none" stroke="${theme.grid}" stroke-dasharray="3 3"/>`);
          g.push(`<text x="${num(x + CELL_W / 2)}" y="${num(y + CELL_H / 2 + 4)}" text-anchor="middle" font-size="11" fill="${theme.muted}">no runs</text>`);
          return;
        }
        const fill = cellColor(c, m.range, theme.name);
        const ink = textColorOn(fill);
        const t = cellText(c);
        g.push(`<g class="cell"><title>${escapeXml(cellLabel(m, map, c))}</title>`);
        g.push(`<rect x="${num(x + 1)}" y="${num(y + 1)}" width="${CELL_W - 2}" height="${CELL_H - 2}" rx="3" fill="${fill}"/>`);
        g.push(`<text x="${num(x + CELL_W / 2)}" y="${num(y + 21)}" text-anchor="middle" font-size="13" font-weight="bold" fill="${ink}">${escapeXml(t.main)}</text>`);
        g.push(`<text x="${num(x + CELL_W / 2)}" y="${num(y + 38)}" text-anchor="middle" font-size="11" fill="${ink}">${escapeXml(t.sub)}</text></g>`);
      }),
    );
    g.push('</g>');
    parts.push(g.join(''));
    x0 += mapW(map);
  }
  // colour legend
  if (m.range) {
    const lw = Math.min(360, width - 240);
    const lx = (width - lw) / 2;
    const ly = height - 42;
    const stops = VIRIDIS.map((c, i) => `<stop offset="${num((100 * i) / (VIRIDIS.length - 1))}%" stop-color="${c}"/>`).join('');
    parts.push(`<defs><linearGradient id="viridis" x1="0" x2="1" y1="0" y2="0">${stops}</linearGradient></defs>`);
    parts.push(`<g class="legend"><text x="${num(lx)}" y="${num(ly - 6)}" font-size="11" fill="${theme.text}">${escapeXml(measureWords(m))}</text>`);
    parts.push(`<rect x="${num(lx)}" y="${num(ly)}" width="${num(lw)}" height="14" fill="url(#viridis)"/>`);
    const ticks = legendTicks(m.range);
    ticks.forEach((v, i) => {
      const tx = lx + scalePosition(v, m.range) * lw;
      const anchor = i === 0 ? 'start' : i === ticks.length - 1 && ticks.length > 1 ? 'end' : 'middle';
      parts.push(`<line x1="${num(tx)}" y1="${num(ly + 14)}" x2="${num(tx)}" y2="${num(ly + 18)}" stroke="${theme.muted}"/><text x="${num(tx)}" y="${num(ly + 30)}" text-anchor="${anchor}" font-size="11" fill="${theme.muted}">${escapeXml(fmt(v))}</text>`);
    });
    parts.push(`<rect x="${num(lx + lw + 14)}" y="${num(ly)}" width="14" height="14" fill="${DIVERGED_COLOR}"/><text x="${num(lx + lw + 32)}" y="${num(ly + 11)}" font-size="11" fill="${theme.text}">diverged (∞)</text></g>`);
  }
  parts.push('</svg>');
  return { svg: parts.join('\n'), width, height };
}

/** One CSV row per cell: the facet's fields, the two axes' values, the median, the outcome classes, n, pending, not counted and the run ids. */
export function stabilityToCsv(m: StabilityMaps): string {
  const rows: (string | number | null)[][] = [[...m.facetFields, m.yField, m.xField, 'median_test_mse', 'learned', 'underfit', 'learned_nothing', 'diverged', 'n', 'pending', 'not_counted', 'run_ids']];
  for (const map of m.maps)
    for (const row of map.cells)
      for (const c of row) {
        if (!c) continue;
        const med = c.medianTestMse === null ? null : Number.isFinite(c.medianTestMse) ? c.medianTestMse : 'inf';
        rows.push([...m.facetFields.map((f) => valueText(map.facet[f])), valueText(c.yValue), valueText(c.xValue), med, c.learned, c.outcomes.counts.underfit, c.outcomes.counts['learned-nothing'], c.outcomes.counts.diverged, c.n, c.pending, c.notCounted, c.runIds.join(' ')]);
      }
  return toCsv(rows);
}

/** The maps as JSON: axes, facets, every cell, the colour range, and the runs behind them (specs, seeds, app version). */
export function stabilityToJson(m: StabilityMaps, runs: readonly ProvenanceRun[], appVersion: string): string {
  const finite = (v: number | null) => (v === null ? null : Number.isFinite(v) ? v : 'inf');
  return JSON.stringify(
    {
      format: EXPORT_FORMAT,
      version: EXPORT_VERSION,
      appVersion,
      chart: { id: 'stability-map', title: stabilityTitle(m), kind: 'heatmap', x: { label: m.xField }, y: { label: m.yField }, facets: m.facetFields, notes: [stabilityNote(m)], colorScale: { scheme: 'viridis', log: true, range: m.range } },
      maps: m.maps.map((map) => ({
        facet: map.facet,
        xValues: map.xValues,
        yValues: map.yValues,
        cells: map.cells.map((row) => row.map((c) => (c ? { ...c, medianFinalCost: finite(c.medianTestMse) } : null))),
      })),
      runs,
    },
    null,
    1,
  );
}
