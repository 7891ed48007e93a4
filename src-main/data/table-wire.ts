/**
 * A table (trainer/table.ts) as it crosses a process boundary: the lab sends a trainer process
 * the columns a spec uses, and the trainer process trusts nothing it is sent. The schema checks
 * every length against the row count, every class index against the classes, and the content
 * hash's form, so a malformed table is refused before it becomes a task.
 */
import { z } from 'zod';
import { MAX_CLASSES, type Table } from '../trainer/table';

const f64 = z.custom<Float64Array>((v) => v instanceof Float64Array, { error: 'expected a Float64Array' });
const u16 = z.custom<Uint16Array>((v) => v instanceof Uint16Array, { error: 'expected a Uint16Array' });
const cell = z.strictObject({ line: z.int().min(1), column: z.int().min(1), reason: z.string().max(2000) });
const bound = z.number().or(z.literal(Infinity)).or(z.literal(-Infinity)).nullable();

export const ColumnInfoSchema = z.strictObject({
  name: z.string().max(500),
  notNumber: cell.nullable(),
  empty: cell.nullable(),
  classes: z.array(z.string().max(10_000)).max(MAX_CLASSES).nullable(),
  distinct: z.int().min(0),
  min: bound,
  max: bound,
});

export const TableInfoSchema = z.strictObject({
  name: z.string().max(1000),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  bytes: z.int().min(0),
  rows: z.int().min(0),
  columns: z.array(ColumnInfoSchema).min(1).max(100_000),
});

export const TableSchema = TableInfoSchema.extend({
  values: z.array(z.strictObject({ values: f64.nullable(), codes: u16.nullable() })),
}).superRefine((t, ctx) => {
  if (t.values.length !== t.columns.length) ctx.addIssue({ code: 'custom', path: ['values'], message: `${t.values.length} value columns for ${t.columns.length} columns` });
  t.values.forEach((v, i) => {
    if (v.values && v.values.length !== t.rows) ctx.addIssue({ code: 'custom', path: ['values', i, 'values'], message: `${v.values.length} values for ${t.rows} rows` });
    if (v.codes) {
      const classes = t.columns[i]?.classes?.length ?? 0;
      if (v.codes.length !== t.rows) ctx.addIssue({ code: 'custom', path: ['values', i, 'codes'], message: `${v.codes.length} classes for ${t.rows} rows` });
      else if (v.codes.some((c) => c >= classes)) ctx.addIssue({ code: 'custom', path: ['values', i, 'codes'], message: `a class index past the column's ${classes} classes` });
    }
  });
});

/** True when A and B are the same type (each assignable to the other). */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const tableSchemaIsTable: Same<z.output<typeof TableSchema>, Table> = true;
void tableSchemaIsTable;
