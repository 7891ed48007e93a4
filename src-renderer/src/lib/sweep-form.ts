/**
 * The sweep form: rows of "field = comma-separated values" read into a sweep grid, with an error
 * per row when the values cannot be read. Pure. Shapes are separated by ";" or "|" (their own
 * numbers use commas); initMean accepts "-eps" and "eps", which the lab resolves per run (parseRunSpec).
 */
import { epsSign, fieldMeta } from '@main/trainer/spec-fields';
import { FIELD_BY_KEY, parseNumber, parseShape, type SpecField } from './spec-form';

export interface SweepRow {
  field: string;
  values: string;
}

export interface ParsedValues {
  values: unknown[];
  error: string | null;
}

export function parseSweepValues(field: string, text: string, choices?: readonly string[]): ParsedValues {
  const f = FIELD_BY_KEY[field];
  if (!f || !f.sweep) return { values: [], error: `${field} cannot be swept` };
  const parts = text
    .split(f.kind === 'shape' ? /[;|]/ : /,/)
    .map((s) => s.trim())
    .filter(Boolean);
  if (!parts.length) return { values: [], error: 'give at least one value' };
  const values: unknown[] = [];
  for (const p of parts) {
    const read = readValue(f, p, choices);
    if ('error' in read) return { values: [], error: read.error };
    values.push(read.value);
  }
  if (new Set(values.map((v) => JSON.stringify(v))).size !== values.length) return { values: [], error: 'a value is given twice' };
  return { values, error: null };
}

/** One value of a row, read by its field's kind (a kind without its reading here is a type error). */
function readValue(f: SpecField, p: string, choices?: readonly string[]): { value: unknown } | { error: string } {
  switch (f.kind) {
    case 'enum':
      return choices && !choices.includes(p) ? { error: `${p} is not one of ${choices.join(', ')}` } : { value: p };
    case 'shape': {
      const s = parseShape(p);
      return s ? { value: s } : { error: `${p} is not a shape (e.g. 1, 16, 2; 1, 32, 2)` };
    }
    case 'int':
    case 'number': {
      const sign = fieldMeta(f.key).relativeToEps ? epsSign(p) : null;
      if (sign !== null) return { value: sign < 0 ? '-eps' : 'eps' }; // the lab resolves it per configuration
      const n = parseNumber(p);
      if (!Number.isFinite(n) || (f.kind === 'int' && !Number.isInteger(n))) return { error: `${p} is not ${f.kind === 'int' ? 'a whole number' : 'a number'}` };
      return { value: n };
    }
    case 'boolean':
      return /^(yes|true)$/i.test(p) ? { value: true } : /^(no|false)$/i.test(p) ? { value: false } : { error: `${p} is not yes or no` };
    case 'text':
      return { value: p };
    case 'range':
    case 'columns':
      // their values hold commas themselves: a sweep file or nnlab sweep takes them
      return { error: `${f.key} cannot be swept from this form (a sweep file or nnlab sweep can)` };
    case 'weights':
      return { error: `${f.key} cannot be swept` }; // no weights field is sweepable (the field table)
    default: {
      const unread: never = f.kind;
      return unread;
    }
  }
}

export interface ParsedSweep {
  grid: Record<string, unknown[]>;
  /** Row index → error. */
  errors: Record<number, string>;
}

export function parseSweepRows(rows: readonly SweepRow[], choices: Record<string, readonly string[]> = {}): ParsedSweep {
  const grid: Record<string, unknown[]> = {};
  const errors: Record<number, string> = {};
  rows.forEach((r, i) => {
    if (!r.field) {
      errors[i] = 'pick a field';
      return;
    }
    if (r.field in grid) {
      errors[i] = `${r.field} is already swept above`;
      return;
    }
    const p = parseSweepValues(r.field, r.values, choices[r.field]);
    if (p.error) errors[i] = p.error;
    else grid[r.field] = p.values;
  });
  return { grid, errors };
}
