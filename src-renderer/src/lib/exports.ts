/**
 * CSV and JSON of exactly what a chart plots (the smoothed or aggregated series, not the stored
 * ones), with the run ids and specs behind it. One CSV row per plotted point, gaps included, so a
 * chart of N points exports N rows after the header. Pure.
 */
import type { ChartModel } from './chart-model';

export const EXPORT_FORMAT = 'nnlab-chart';
export const EXPORT_VERSION = 1;

/** One CSV field: quoted when it holds a comma, quote or line break; null is empty. */
export function csvField(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : v;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(rows: readonly (readonly (string | number | null | undefined)[])[]): string {
  return rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/**
 * The chart's points as rows: series label, role, x, y (headed by the axis labels), then the
 * series' meta columns (run id, the spec fields that differ, seeds…). The CSV export and the
 * chart's data table (ModelChart) both show these.
 */
export function chartRows(model: ChartModel): (string | number | null)[][] {
  const metaKeys: string[] = [];
  for (const s of model.series) for (const k of Object.keys(s.meta ?? {})) if (!metaKeys.includes(k)) metaKeys.push(k);
  const rows: (string | number | null)[][] = [['series', 'role', model.x.label, model.y.label, ...metaKeys]];
  for (const s of model.series) {
    const meta = metaKeys.map((k) => s.meta?.[k] ?? null);
    for (const p of s.points) {
      const x = model.x.categories && model.kind === 'bar' ? (model.x.categories[p.x] ?? p.x) : p.x;
      rows.push([s.label, s.role, x, p.y, ...meta]);
    }
  }
  return rows;
}

/** The chart's points as CSV (chartRows). */
export function chartToCsv(model: ChartModel): string {
  return toCsv(chartRows(model));
}

/** The chart as JSON: its axes, every plotted series, and the runs (specs, seeds, app version). */
export function chartToJson(model: ChartModel, appVersion: string): string {
  return JSON.stringify(
    {
      format: EXPORT_FORMAT,
      version: EXPORT_VERSION,
      appVersion,
      chart: { id: model.id, title: model.title, kind: model.kind, x: model.x, y: model.y, notes: model.notes ?? [] },
      series: model.series.map((s) => ({ id: s.id, label: s.label, role: s.role, color: s.color, meta: s.meta ?? {}, points: s.points.map((p) => [p.x, p.y]) })),
      runs: model.runs,
    },
    null,
    1,
  );
}

/** A file name from a chart title and the run ids: "cost-per-batch_runs-12-13.csv". */
export function exportFileName(model: Pick<ChartModel, 'id' | 'runs'>, ext: string): string {
  const ids = [...new Set(model.runs.map((r) => r.id))].sort((a, b) => a - b);
  const runs = ids.length === 0 ? '' : ids.length <= 4 ? `_runs-${ids.join('-')}` : `_runs-${ids[0]}-to-${ids[ids.length - 1]}`;
  const base = model.id.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'chart';
  return `nnlab_${base}${runs}.${ext}`;
}
