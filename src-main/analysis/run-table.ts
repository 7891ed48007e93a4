/**
 * The runs table as data: runs filtered by a query (query.ts), sorted by any run field
 * (run-fields.ts), and grouped by one, each group with its count, its outcome classes
 * (outcome.ts) and the median of every number column over the runs that have a value. The app's
 * runs table (through the lab's 'runs/table') and `nnlab runs list --where/--sort/--group-by`
 * both use it. Pure (no Node, no DOM).
 */
import type { RunSummary } from '../db/types';
import { countOutcomes, DEFAULT_LEARNED_AT, type Outcome, OUTCOME_WORDS, type OutcomeCounts } from './outcome';
import { filterRuns, type Query } from './query';
import type { FieldContext, FieldValue, RunField, RunFieldTable } from './run-fields';

/** Number fields that name a run rather than measure it: no median. */
const IDENTIFIERS = ['id', 'experiment', 'created'];

/** Whether a column gets a median in group rows. */
export function hasMedian(f: RunField): boolean {
  return f.type === 'number' && !IDENTIFIERS.includes(f.key);
}

/** Orders two values of a field: numbers by value, text by locale, lists element by element. */
function compareValues(a: FieldValue, b: FieldValue): number {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const c = compareValues(a[i] as FieldValue, b[i] as FieldValue);
      if (c) return c;
    }
    return a.length - b.length;
  }
  return String(a).localeCompare(String(b));
}

/** A value that sorts: no value, and an empty tag list, go last. */
const missing = (v: FieldValue) => v === null || (Array.isArray(v) && v.length === 0) || (typeof v === 'number' && Number.isNaN(v));

/**
 * The runs sorted by a field, ascending or descending; runs without a value last either way, ties
 * newest first (by id).
 */
export function sortRuns<R extends RunSummary>(runs: readonly R[], field: RunField, desc: boolean, ctx: FieldContext = {}): R[] {
  const keyed = runs.map((r) => ({ r, v: field.value(r, ctx) }));
  const dir = desc ? -1 : 1;
  keyed.sort((x, y) => {
    const mx = missing(x.v);
    const my = missing(y.v);
    if (mx || my) return mx === my ? y.r.id - x.r.id : mx ? 1 : -1;
    return compareValues(x.v, y.v) * dir || y.r.id - x.r.id;
  });
  return keyed.map((k) => k.r);
}

/**
 * A column's median over a group: over the `n` runs of `of` that have a value (n < of: some have
 * none yet). An infinite median (most of a group diverged: r² −∞) is `median` null with
 * `infinite` its sign, so it survives JSON.
 */
export interface ColumnMedian {
  median: number | null;
  infinite?: 1 | -1;
  n: number;
  of: number;
}

export interface RunGroup<R extends RunSummary = RunSummary> {
  /** Stable identity of the group's value (JSON of it; 'null' for runs without one). */
  key: string;
  /** The value as the table shows it. */
  label: string;
  value: FieldValue;
  /** The group's runs, in the table's sort order. */
  runs: R[];
  /** The outcome classes of the runs that have one; the others counted apart. */
  outcomes: OutcomeCounts;
  /** Per number column (hasMedian), by field key. */
  medians: Record<string, ColumnMedian>;
}

/** A field's value as text: shapes as 1-16-2, tags comma-separated, an experiment with its name. */
export function valueLabel(field: RunField, v: FieldValue, ctx: FieldContext = {}): string {
  if (v === null) return field.type === 'tags' ? 'no tags' : `no ${field.label}`;
  if (field.type === 'tags') return (v as readonly string[]).length ? (v as readonly string[]).join(', ') : 'no tags';
  if (field.type === 'shape') return (v as readonly number[]).join('-');
  if (field.key === 'outcome') return OUTCOME_WORDS[v as Outcome] ?? String(v);
  if (field.key === 'experiment') {
    const name = ctx.experiments?.get(v as number)?.name;
    return name ? `#${v} ${name}` : `#${v}`;
  }
  return String(v);
}

/** A value in a table cell (the app's, with a typographic minus, and the CLI's): numbers to 4 significant digits, accuracies as percentages, −∞ for a diverged r². */
export function cellText(field: RunField, v: FieldValue, ctx: FieldContext, options: { typographic?: boolean } = {}): string {
  if (v === null) return '–';
  if (typeof v === 'number' && options.typographic && v < 0 && field.key !== 'id' && field.key !== 'experiment') return `−${cellText(field, -v, ctx)}`;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
    if (field.percent) return `${(100 * v).toFixed(1)} %`;
    if (field.key === 'created') return new Date(v).toISOString().slice(0, 19).replace('T', ' ');
    if (field.key === 'id') return `#${v}`;
    if (Number.isInteger(v) || field.key === 'experiment') return valueLabel(field, v, ctx);
    return `${Number(v.toPrecision(4))}${field.unit ? ` ${field.unit}` : ''}`;
  }
  return valueLabel(field, v, ctx);
}

function medianOf(xs: number[]): number | null {
  if (!xs.length) return null;
  xs.sort((a, b) => a - b);
  const m = xs.length >> 1;
  if (xs.length % 2) return xs[m];
  // (−∞ + −∞) / 2 is −∞, but (−∞ + x) / 2 as well: a middle pair with an infinity gives it
  return (xs[m - 1] + xs[m]) / 2;
}

/** The median of each number column over runs (the runs that have a value). */
export function columnMedians(runs: readonly RunSummary[], columns: readonly RunField[], ctx: FieldContext = {}): Record<string, ColumnMedian> {
  const out: Record<string, ColumnMedian> = {};
  for (const f of columns) {
    if (!hasMedian(f)) continue;
    const xs: number[] = [];
    for (const r of runs) {
      const v = f.value(r, ctx);
      if (typeof v === 'number' && !Number.isNaN(v)) xs.push(v);
    }
    const m = medianOf(xs);
    out[f.key] = m !== null && !Number.isFinite(m) ? { median: null, infinite: m > 0 ? 1 : -1, n: xs.length, of: runs.length } : { median: m, n: xs.length, of: runs.length };
  }
  return out;
}

/** A run's tag set as a group's key: each tag once ignoring case (as queries match tags: query.ts), lower-cased and sorted. */
function tagSetKey(tags: readonly string[]): string[] {
  return [...new Set(tags.map((t) => t.toLowerCase()))].sort();
}

/**
 * How a group spells each of its tags (`key`, lower-cased): the spelling most of its runs use, a
 * tie going to the oldest run's (lowest id), so the label does not change with the table's sort.
 */
function tagSpellings(tagsByRun: readonly { id: number; tags: readonly string[] }[], key: readonly string[]): string[] {
  const oldestFirst = [...tagsByRun].sort((a, b) => a.id - b.id);
  return key.map((lower) => {
    // in the order first seen, oldest run first: a later spelling must be used more to win
    const uses = new Map<string, number>();
    for (const r of oldestFirst) {
      const spelt = r.tags.find((t) => t.toLowerCase() === lower);
      if (spelt !== undefined) uses.set(spelt, (uses.get(spelt) ?? 0) + 1);
    }
    let best = lower;
    let most = 0;
    for (const [spelt, n] of uses)
      if (n > most) {
        best = spelt;
        most = n;
      }
    return best;
  });
}

/**
 * Runs grouped by a field's value, each group's runs in the order given; groups ordered by their
 * value (runs without one last). A run's tags are one value (the set), so a run is in one group;
 * tags that differ only in case are one tag, as in queries (tagSpellings picks the label's spelling).
 */
export function groupRuns<R extends RunSummary>(runs: readonly R[], by: RunField, columns: readonly RunField[], ctx: FieldContext = {}): RunGroup<R>[] {
  const groups = new Map<string, { value: FieldValue; runs: R[]; tags: { id: number; tags: readonly string[] }[] }>();
  for (const r of runs) {
    let v = by.value(r, ctx);
    const tags = Array.isArray(v) && by.type === 'tags' ? (v as readonly string[]) : null;
    if (tags) v = tagSetKey(tags);
    const key = JSON.stringify(v);
    const g = groups.get(key);
    if (g) g.runs.push(r);
    else groups.set(key, { value: v, runs: [r], tags: [] });
    if (tags) groups.get(key)!.tags.push({ id: r.id, tags });
  }
  for (const g of groups.values()) if (by.type === 'tags' && Array.isArray(g.value)) g.value = tagSpellings(g.tags, g.value as string[]);
  const learnedAt = ctx.learnedAt ?? DEFAULT_LEARNED_AT;
  return [...groups.entries()]
    .sort(([, a], [, b]) => {
      const ma = missing(a.value);
      const mb = missing(b.value);
      if (ma || mb) return ma === mb ? 0 : ma ? 1 : -1;
      return compareValues(a.value, b.value);
    })
    .map(([key, g]) => ({
      key,
      label: valueLabel(by, g.value, ctx),
      value: g.value,
      runs: g.runs,
      outcomes: countOutcomes(g.runs, learnedAt),
      medians: columnMedians(g.runs, columns, ctx),
    }));
}

export interface TableRequest {
  query: Query;
  /** A field key (default id, newest first). */
  sort?: string;
  desc?: boolean;
  /** A groupable field key, or undefined for no groups. */
  group?: string;
  /** The shown columns' keys: group rows get a median of each number column among them. */
  columns?: readonly string[];
}

export interface RunTable<R extends RunSummary = RunSummary> {
  /** Every run the query matched, sorted. */
  rows: R[];
  groups: RunGroup<R>[] | null;
}

/** Why a table request is refused (an unknown or ungroupable field), naming it; null when fine. */
export function tableRequestError(fields: RunFieldTable, req: Omit<TableRequest, 'query'>): string | null {
  if (req.sort !== undefined && !fields.find(req.sort)) return `sort: no run field '${req.sort}'`;
  if (req.group !== undefined) {
    const g = fields.find(req.group);
    if (!g) return `group: no run field '${req.group}'`;
    if (!g.groupable) return `group: runs cannot be grouped by ${g.key} (a score: every run has its own value); sort by it instead`;
  }
  for (const c of req.columns ?? []) if (!fields.find(c)) return `columns: no run field '${c}'`;
  return null;
}

/** Filters, sorts and groups runs as the table asks (throws for a request tableRequestError refuses). */
export function runTable<R extends RunSummary>(runs: readonly R[], fields: RunFieldTable, req: TableRequest, ctx: FieldContext = {}): RunTable<R> {
  const refusal = tableRequestError(fields, req);
  if (refusal) throw new Error(refusal);
  const matched = filterRuns(runs, req.query, ctx);
  const sortField = fields.find(req.sort ?? 'id')!;
  const rows = sortRuns(matched, sortField, req.desc ?? (req.sort === undefined || sortField.key === 'id'), ctx);
  if (req.group === undefined) return { rows, groups: null };
  const columns = (req.columns ?? []).map((c) => fields.find(c)!);
  return { rows, groups: groupRuns(rows, fields.find(req.group)!, columns, ctx) };
}
