/**
 * `nnlab runs list --where/--sort/--group-by/--columns` and `nnlab runs fields`: the app's runs
 * table on the command line, with the same query language, fields, sort and groups
 * (analysis/query, run-fields, run-table through db/query-runs).
 */
import { metricsOf, outcomeDefinition, outcomeText, notCountedText } from '../analysis/outcome';
import { pointAt, QueryError } from '../analysis/query';
import type { RunField } from '../analysis/run-fields';
import { cellText, type ColumnMedian, hasMedian, type RunGroup, tableRequestError } from '../analysis/run-table';
import { answerQuery, type QueriedTable, storeRunFields } from '../db/query-runs';
import type { RunStore } from '../db/store';
import type { ListRunsOptions, RunSummary } from '../db/types';
import { printable } from './printable';
import { UsageError } from './usage';

export interface QueryListOptions {
  where?: string;
  sort?: string;
  desc?: boolean;
  groupBy?: string;
  /** Comma-separated field names. */
  columns?: string;
  limit?: number;
  learnedAt: number;
}

/** Columns of `--columns` when --group-by is given without them. */
const GROUP_COLUMNS = ['r2', 'skill', 'testMse', 'testAccuracy', 'trainMs'];

function medianText(field: RunField, m: ColumnMedian | undefined): string {
  if (!m || (m.median === null && !m.infinite)) return '–';
  const text = m.infinite ? (m.infinite > 0 ? '∞' : '−∞') : cellText(field, m.median, {});
  return m.n < m.of ? `${text} (${m.n} of ${m.of})` : text;
}

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  return [head, ...rows].map((cells) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd()).join('\n');
}

function columnsOf(text: string | undefined, fallback: readonly string[]): RunField[] {
  const fields = storeRunFields();
  const names = text === undefined ? fallback : text.split(',').map((s) => s.trim()).filter(Boolean);
  return names.map((n) => {
    const f = fields.find(n);
    if (!f) throw new UsageError(`--columns: no run field '${n}' (nnlab runs fields lists them)`);
    return f;
  });
}

/** The groups as a table: the value, its runs, outcome classes (and the runs not counted), the median of each number column. */
function groupTable(by: RunField, groups: RunGroup[], columns: RunField[]): string {
  const numeric = columns.filter(hasMedian);
  const head = [by.label, 'runs', 'outcomes', ...numeric.map((f) => `median ${f.label}`)];
  const rows = groups.map((g) => [
    printable(g.label),
    String(g.runs.length),
    [g.outcomes.n ? outcomeText(g.outcomes) : 'no outcomes yet', g.outcomes.pending ? `${g.outcomes.pending} still training` : null, notCountedText(g.outcomes)].filter(Boolean).join('; '),
    ...numeric.map((f) => medianText(f, g.medians[f.key])),
  ]);
  return table(head, rows);
}

/**
 * Lists the runs a query matches (among those `base` lists) as text or JSON; throws UsageError for
 * a query that does not parse (with a caret under the token) or a field that does not exist.
 */
export function listQueried(store: RunStore, o: QueryListOptions, base: Omit<ListRunsOptions, 'pushdown' | 'limit' | 'offset'>, json: boolean): { text?: string; runs?: RunSummary[]; groups?: RunGroup[] } {
  const fields = storeRunFields();
  const group = o.groupBy;
  const columns = columnsOf(o.columns, group !== undefined ? GROUP_COLUMNS : ['id', 'status', 'task', 'activation', 'learningRate', 'initMean', 'r2', 'skill', 'outcome', 'trainMs']);
  // --sort -r2: descending, as many tools write it (the field's name alone would read '-r2' as r2, ascending)
  const minus = o.sort?.startsWith('-') ?? false;
  const sort = minus ? o.sort!.slice(1) : o.sort;
  const desc = minus ? true : o.desc;
  const refusal = tableRequestError(fields, { sort, group });
  if (refusal) throw new UsageError(`--${refusal.startsWith('group') ? 'group-by' : 'sort'}${refusal.slice(refusal.indexOf(':'))} (nnlab runs fields lists them)`);
  const answer = (t: QueriedTable): { text?: string; runs?: RunSummary[]; groups?: RunGroup[] } => {
    const rows = o.limit === undefined ? t.rows : t.rows.slice(0, o.limit);
    if (json) {
      if (!t.groups) return { runs: t.whole(rows) };
      const all = new Map(t.whole(t.rows).map((r) => [r.id, r]));
      return { groups: t.groups.map((g) => ({ ...g, runs: g.runs.flatMap((r) => all.get(r.id) ?? []) })) };
    }
    if (t.groups) return { text: `${t.rows.length} run${t.rows.length === 1 ? '' : 's'} in ${t.groups.length} group${t.groups.length === 1 ? '' : 's'} by ${fields.find(group!)!.key}\n${groupTable(fields.find(group!)!, t.groups, columns)}\n${outcomeDefinition(o.learnedAt, metricsOf(t.rows))}\n` };
    if (!rows.length) return { text: `no runs match${o.where ? ` '${printable(o.where)}'` : ''} in ${store.file}\n` };
    const body = table(columns.map((c) => c.label), rows.map((r) => columns.map((c) => printable(cellText(c, c.value(r, t.context), t.context)))));
    const more = rows.length < t.rows.length ? `\n(${rows.length} of ${t.rows.length} shown: --limit)` : '';
    return { text: `${body}${more}\n` };
  };
  try {
    return answerQuery(store, { where: o.where, sort, desc, group, columns: columns.map((c) => c.key), learnedAt: o.learnedAt }, base, answer);
  } catch (e) {
    if (e instanceof QueryError) throw new UsageError(`--where: ${e.message}\n${pointAt(o.where ?? '', e)}`);
    throw e;
  }
}

/** `nnlab runs fields`: every field the query, --sort, --group-by and --columns take. */
export function fieldsText(): string {
  const rows = storeRunFields().fields.map((f) => [f.key, f.names.join(', '), f.type + (f.choices ? `: ${f.choices.join('|')}` : ''), f.groupable ? 'yes' : '', f.help]);
  return `${table(['field', 'also', 'values', 'group-by', 'what'], rows)}\n`;
}
