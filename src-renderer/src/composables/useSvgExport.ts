/**
 * Exports of views drawn as SVG rather than by chart.js (the stability map, the decision boundary): the SVG as built,
 * a PNG of it rasterised in the page (an <img> of the SVG drawn on a canvas at 1×, 2× or 3×), so
 * the PNG shows exactly what the SVG does, and a vector PDF of it (lib/pdf.ts) — each with the same provenance.
 */
import type { ChartModel } from '../lib/chart-model';
import { exportFileName } from '../lib/exports';
import { svgToPdf } from '../lib/pdf';
import { canvasToPng, downloadBlob, type PngScale } from './useExport';

export async function svgToPngBlob(svg: string, width: number, height: number, appVersion: string, provenance: unknown, scale = Math.max(1, Math.min(3, globalThis.devicePixelRatio || 1))): Promise<Blob> {
  const img = new Image();
  img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  await img.decode();
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(width * scale);
  canvas.height = Math.round(height * scale);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no canvas to draw the PNG on');
  ctx.scale(scale, scale);
  ctx.drawImage(img, 0, 0, width, height);
  return canvasToPng(canvas, appVersion, provenance);
}

export function downloadText(text: string, type: string, name: string): void {
  downloadBlob(new Blob([text], { type }), name);
}

export async function downloadSvgAsPng(svg: string, width: number, height: number, name: string, appVersion: string, provenance: unknown, scale: PngScale = 1): Promise<void> {
  downloadBlob(await svgToPngBlob(svg, width, height, appVersion, provenance, scale), name);
}

/** A view drawn as SVG, as its exports need it: its file names' model, its CSV and JSON texts, its SVG, and the provenance its PNG carries. */
export interface SvgFigure {
  model: Pick<ChartModel, 'id' | 'runs'>;
  /** The PDF's title. */
  title: string;
  csv: () => string;
  json: () => string;
  svg: () => { svg: string; width: number; height: number };
  appVersion: string;
  provenance: unknown;
}

/** Writes one export of an SVG-drawn view (components/ExportGroup.vue's buttons; `scale`: the PNG's). */
export async function exportSvgFigure(kind: 'png' | 'svg' | 'pdf' | 'csv' | 'json', fig: SvgFigure, scale: PngScale = 1): Promise<void> {
  if (kind === 'csv') return downloadText(fig.csv(), 'text/csv', exportFileName(fig.model, 'csv'));
  if (kind === 'json') return downloadText(fig.json(), 'application/json', exportFileName(fig.model, 'json'));
  const { svg, width, height } = fig.svg();
  if (kind === 'svg') return downloadText(svg, 'image/svg+xml', exportFileName(fig.model, 'svg'));
  if (kind === 'pdf') return downloadBlob(await svgToPdf(svg, width, height, { title: fig.title, appVersion: fig.appVersion, provenance: fig.provenance }), exportFileName(fig.model, 'pdf'));
  await downloadSvgAsPng(svg, width, height, exportFileName(fig.model, 'png'), fig.appVersion, fig.provenance, scale);
}
