/**
 * A runs query against a store: the conditions the store can check on its own columns narrow the
 * listing in SQL (analysis/query.ts pushdown), and the query itself decides on the parsed
 * summaries, then the table is sorted and grouped (analysis/run-table.ts). The lab's 'runs/table'
 * and `nnlab runs list --where` both come here.
 */
import { parseQuery, pushdown } from '../analysis/query';
import { createRunFields, type FieldContext, type RunFieldTable } from '../analysis/run-fields';
import { type RunTable, runTable, type TableRequest } from '../analysis/run-table';
import { specChoices } from '../trainer/spec';
import type { RunStore } from './store';
import type { ListRunsOptions, RunSummary } from './types';

let theFields: RunFieldTable | null = null;

/** The run fields for this nnlab's spec schema. */
export function storeRunFields(): RunFieldTable {
  return (theFields ??= createRunFields(specChoices()));
}

export interface StoreTableRequest extends Omit<TableRequest, 'query'> {
  /** The query text ('' or undefined: every run). Throws QueryError when it does not parse. */
  where?: string;
  learnedAt?: number;
}

/**
 * The runs the request's query matches (among those `base` lists: the CLI's --status and
 * --experiment), sorted and grouped, with the experiments' names for the query and the labels.
 */
export function queryRuns(store: RunStore, req: StoreTableRequest, base: Omit<ListRunsOptions, 'pushdown' | 'limit' | 'offset'> = {}): RunTable<RunSummary> & { context: FieldContext } {
  const fields = storeRunFields();
  const query = parseQuery(req.where ?? '', fields);
  const cached = unchangedListing(store);
  const experiments = new Map((cached?.experiments ?? store.listExperiments()).map((e) => [e.id, { id: e.id, name: e.name }]));
  const context: FieldContext = { experiments, learnedAt: req.learnedAt };
  const narrowed = pushdown(query);
  let candidates: RunSummary[];
  if (cached && !Object.keys(base).length) candidates = cached.runs; // the query decides on every run anyway
  else if (narrowed.length || Object.keys(base).length) candidates = store.listRuns({ ...base, pushdown: narrowed });
  else candidates = remember(store).runs;
  return { ...runTable(candidates, fields, { ...req, query }, context), context };
}

/**
 * Every run's summary as last listed, kept while the database is unchanged: a person typing a
 * query asks again at each pause, and listing (reading and checking every stored spec) is most of
 * an answer's cost. Unchanged means no row written through this connection (SQLite's
 * total_changes) and no commit by any other connection or process (PRAGMA data_version) since.
 * The summaries are shared between answers: nothing here or in analysis/ changes them.
 */
interface Listing {
  stamp: string;
  runs: RunSummary[];
  experiments: ReturnType<RunStore['listExperiments']>;
}
const listings = new WeakMap<RunStore, Listing>();

function stampOf(store: RunStore): string {
  const changes = store.db.prepare('SELECT total_changes()').pluck().get() as number;
  return `${store.db.pragma('data_version', { simple: true }) as number}:${changes}`;
}

function unchangedListing(store: RunStore): Listing | null {
  const l = listings.get(store);
  return l && l.stamp === stampOf(store) ? l : null;
}

function remember(store: RunStore): Listing {
  const stamp = stampOf(store);
  const l = { stamp, runs: store.listRuns(), experiments: store.listExperiments() };
  listings.set(store, l);
  return l;
}
