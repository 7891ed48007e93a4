/**
 * The runs table's view logic, pure: a row's difference from the baseline run per column, how a
 * group's median reads, and where the arrow keys move in the table (a grid of cells: the APG
 * data grid pattern, one tab stop, arrows move between cells).
 */
import type { FieldContext, FieldValue, RunField } from '@main/analysis/run-fields';
import { cellText, type ColumnMedian } from '@main/analysis/run-table';

export interface Delta {
  text: string;
  /** better / worse for a score with a direction; same when equal; neutral for a spec number. */
  tone: 'better' | 'worse' | 'same' | 'neutral';
  /** For screen readers: "0.012 more than run #3". */
  label: string;
}

/** The difference v − base of a number column, or null when either has no finite value. */
export function deltaOf(field: RunField, v: FieldValue | number | null, base: FieldValue, baselineId: number): Delta | null {
  if (field.type !== 'number' || field.key === 'id' || field.key === 'experiment' || field.key === 'created') return null;
  if (typeof v !== 'number' || typeof base !== 'number' || !Number.isFinite(v) || !Number.isFinite(base)) return null;
  const d = v - base;
  const abs = cellText(field, Math.abs(d), {});
  if (d === 0) return { text: '=', tone: 'same', label: `the same as run #${baselineId}` };
  const tone = field.higherIsBetter === undefined ? 'neutral' : d > 0 === field.higherIsBetter ? 'better' : 'worse';
  return { text: `${d > 0 ? '+' : '−'}${abs}`, tone, label: `${abs} ${d > 0 ? 'more' : 'less'} than run #${baselineId}` };
}

/** A group's median as the table shows it: the value, and "of how many" when some runs have none. */
export function medianText(field: RunField, m: ColumnMedian | undefined, ctx: FieldContext): { text: string; partial: string | null } {
  if (!m || (m.median === null && !m.infinite)) return { text: '–', partial: m && m.of ? `none of ${m.of} runs has a value yet` : null };
  const text = m.infinite ? (m.infinite > 0 ? '∞' : '−∞') : cellText(field, m.median, ctx, { typographic: true });
  return { text, partial: m.n < m.of ? `median of the ${m.n} of ${m.of} runs with a value` : null };
}

/** A cell of the grid: row (0 = the header row) and column. */
export interface Cell {
  row: number;
  col: number;
}

/** Where a key moves the active cell, or null for a key the grid does not take. */
export function moveCell(at: Cell, key: string, size: { rows: number; cols: number }, ctrl = false): Cell | null {
  const clamp = (row: number, col: number): Cell => ({ row: Math.max(0, Math.min(size.rows - 1, row)), col: Math.max(0, Math.min(size.cols - 1, col)) });
  switch (key) {
    case 'ArrowUp':
      return clamp(at.row - 1, at.col);
    case 'ArrowDown':
      return clamp(at.row + 1, at.col);
    case 'ArrowLeft':
      return clamp(at.row, at.col - 1);
    case 'ArrowRight':
      return clamp(at.row, at.col + 1);
    case 'Home':
      return ctrl ? clamp(0, 0) : clamp(at.row, 0);
    case 'End':
      return ctrl ? clamp(size.rows - 1, size.cols - 1) : clamp(at.row, size.cols - 1);
    case 'PageUp':
      return clamp(at.row - 10, at.col);
    case 'PageDown':
      return clamp(at.row + 10, at.col);
    default:
      return null;
  }
}
