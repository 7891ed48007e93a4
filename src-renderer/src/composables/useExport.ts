/**
 * Exports of a chart: PNG from the chart's own canvas (what is on screen, background included,
 * at 1×, 2× or 3× its size in CSS pixels, with the provenance the SVG carries in text chunks),
 * SVG built from the chart model with the live chart's axis ranges and ticks, PDF of that SVG
 * (vector, lib/pdf.ts, provenance in its XMP), and CSV/JSON of the plotted series. Downloads go
 * through a Blob and an <a download>, which works in a browser and in Electron alike.
 */
import type { Chart } from 'chart.js';
import { type ChartModel, inLegend } from '../lib/chart-model';
import type { ChartTheme } from '../lib/colors';
import { chartToCsv, chartToJson, exportFileName } from '../lib/exports';
import { svgToPdf } from '../lib/pdf';
import { provenanceText, withPngText } from '../lib/png-text';
import { type AxisLayout, chartToSvg, type SvgLayout } from '../lib/svg';

export function downloadBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  // give the download a moment to start before the URL goes
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The axis as the live chart drew it. */
function axisOf(chart: Chart, id: 'x' | 'y'): AxisLayout | undefined {
  const s = chart.scales[id];
  if (!s) return undefined;
  return {
    min: s.min,
    max: s.max,
    ticks: s.ticks.map((t) => ({ value: t.value, label: Array.isArray(t.label) ? t.label.join(' ') : String(t.label ?? '') })),
  };
}

export function svgLayoutOf(chart: Chart | null | undefined, model: ChartModel): SvgLayout {
  const width = Math.round(chart?.width ?? 800) || 800;
  const height = Math.round(chart?.height ?? 400) || 400;
  if (!chart) return { width, height };
  return { width, height, x: model.kind === 'bar' ? undefined : axisOf(chart, 'x'), y: axisOf(chart, 'y') };
}

export function provenance(model: ChartModel, appVersion: string): unknown {
  return { app: 'nnlab', appVersion, chart: model.id, notes: model.notes ?? [], runs: model.runs };
}

/** A canvas as PNG bytes with nnlab's provenance in text chunks (canvas.toBlob writes none). */
export async function canvasToPng(canvas: HTMLCanvasElement, appVersion: string, prov: unknown): Promise<Blob> {
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
  if (!blob) throw new Error('the chart could not be drawn to a PNG');
  const bytes = withPngText(new Uint8Array(await blob.arrayBuffer()), provenanceText(appVersion, prov));
  return new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'image/png' });
}

/** The scales a PNG export offers: pixels per CSS pixel of the chart. */
export const PNG_SCALES = [1, 2, 3] as const;
export type PngScale = (typeof PNG_SCALES)[number];

/**
 * The chart's canvas as PNG at `scale` pixels per CSS pixel: chart.js draws it once more at that
 * pixel ratio (same layout, finer pixels), and the screen's ratio is put back after. A chart whose
 * legend is the list beside it (ModelChart, many lines) has none in its canvas: for the PNG
 * chart.js draws its own above the plot, the canvas taller by the legend's rows, so the picture
 * names its lines as the SVG and PDF do.
 */
export async function chartPng(chart: Chart, scale: PngScale, appVersion: string, prov: unknown, withLegend = false): Promise<Blob> {
  const options = chart.options as { devicePixelRatio?: number; plugins?: { legend?: { display?: boolean } } };
  const legend = options.plugins?.legend;
  const addLegend = withLegend && !!legend && legend.display === false;
  const was = options.devicePixelRatio;
  const { width, height } = chart;
  if (addLegend) {
    // measured on a canvas tall enough that chart.js gives the legend every row (it caps a top
    // legend at half the height), at 1× (a tall canvas at 3× is a large allocation for one number)
    legend.display = true;
    chart.resize(width, height * 20);
    const rows = chart.legend?.height ?? 0;
    options.devicePixelRatio = scale;
    chart.resize(width, height + rows);
  } else {
    options.devicePixelRatio = scale;
    chart.resize();
  }
  try {
    return await canvasToPng(chart.canvas, appVersion, prov);
  } finally {
    options.devicePixelRatio = was;
    if (addLegend) legend.display = false;
    chart.resize();
  }
}

export async function exportPng(chart: Chart, model: ChartModel, appVersion: string, scale: PngScale = 1): Promise<void> {
  downloadBlob(await chartPng(chart, scale, appVersion, provenance(model, appVersion), model.series.some(inLegend)), exportFileName(model, 'png'));
}

export function exportSvg(chart: Chart | null | undefined, model: ChartModel, theme: ChartTheme, appVersion: string): void {
  const svg = chartToSvg(model, theme, svgLayoutOf(chart, model), provenance(model, appVersion));
  downloadBlob(new Blob([svg], { type: 'image/svg+xml' }), exportFileName(model, 'svg'));
}

export async function exportPdf(chart: Chart | null | undefined, model: ChartModel, theme: ChartTheme, appVersion: string): Promise<void> {
  const layout = svgLayoutOf(chart, model);
  const prov = provenance(model, appVersion);
  const pdf = await svgToPdf(chartToSvg(model, theme, layout, prov), layout.width, layout.height, { title: model.title, appVersion, provenance: prov });
  downloadBlob(pdf, exportFileName(model, 'pdf'));
}

export function exportCsv(model: ChartModel): void {
  downloadBlob(new Blob([chartToCsv(model)], { type: 'text/csv' }), exportFileName(model, 'csv'));
}

export function exportJson(model: ChartModel, appVersion: string): void {
  downloadBlob(new Blob([chartToJson(model, appVersion)], { type: 'application/json' }), exportFileName(model, 'json'));
}
