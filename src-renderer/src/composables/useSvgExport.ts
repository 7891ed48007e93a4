/**
 * Exports of views drawn as SVG rather than by chart.js (the stability map): the SVG as built,
 * and a PNG of it rasterised in the page (an <img> of the SVG drawn on a canvas, at the screen's
 * pixel ratio), so the PNG shows exactly what the SVG does and carries the same provenance.
 */
import { canvasToPng, downloadBlob } from './useExport';

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

export async function downloadSvgAsPng(svg: string, width: number, height: number, name: string, appVersion: string, provenance: unknown): Promise<void> {
  downloadBlob(await svgToPngBlob(svg, width, height, appVersion, provenance), name);
}
