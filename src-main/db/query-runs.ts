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
  const narrowed = pushdown(query);
  const based = Object.keys(base).length > 0;
  // the kept listing, brought up to date, whenever there is one (the query decides on every run
  // anyway); without one, a query the SQL narrows lists only what it may keep
  const listing = !based && (listings.has(store) || !narrowed.length) ? remember(store) : null;
  const experiments = new Map((listing?.experiments ?? store.listExperiments()).map((e) => [e.id, { id: e.id, name: e.name }]));
  const context: FieldContext = { experiments, learnedAt: req.learnedAt };
  const candidates = listing?.runs ?? store.listRuns({ ...base, pushdown: narrowed });
  return { ...runTable(candidates, fields, { ...req, query }, context), context };
}

/**
 * Every run's summary as last listed, kept with each run's revision (runs.rev), so a later answer
 * reads again only what changed. A person typing a query asks again at each pause, while runs
 * train and write their rows; listing every run (reading and checking every stored spec) is most
 * of an answer's cost, and re-reading one changed run is almost none of it.
 * - Unchanged database (no row written through this connection, SQLite's total_changes, and no
 *   commit by any other connection or process, PRAGMA data_version): the listing as it is.
 * - Otherwise every run's id and revision are read (one narrow index-free scan), and only the
 *   runs that are new or whose revision moved are listed again; a run no longer there is dropped.
 *   When most runs changed, all are listed again.
 * The revisions are read before the summaries, so a summary is never older than the revision it
 * is kept under: a write in between only makes the next answer read that run once more.
 * The summaries are shared between answers: nothing here or in analysis/ changes them.
 */
interface Listing {
  stamp: string;
  runs: RunSummary[];
  revs: Map<number, number>;
  experiments: ReturnType<RunStore['listExperiments']>;
}
const listings = new WeakMap<RunStore, Listing>();

function stampOf(store: RunStore): string {
  const changes = store.db.prepare('SELECT total_changes()').pluck().get() as number;
  return `${store.db.pragma('data_version', { simple: true }) as number}:${changes}`;
}

/** The kept listing brought up to date (the whole listing read when none is kept). */
function remember(store: RunStore): Listing {
  const kept = listings.get(store);
  const stamp = stampOf(store);
  if (kept && kept.stamp === stamp) return kept;
  const { ids, revs } = store.runRevisions();
  const changed = kept ? ids.filter((id, i) => kept.revs.get(id) !== revs[i]) : ids;
  const whole = !kept || changed.length > ids.length / 2;
  const fresh = new Map((whole ? store.listRuns() : changed.length ? store.listRuns({ ids: changed }) : []).map((r) => [r.id, r]));
  const old = whole ? new Map<number, RunSummary>() : new Map(kept.runs.map((r) => [r.id, r]));
  const runs: RunSummary[] = [];
  const keptRevs = new Map<number, number>();
  ids.forEach((id, i) => {
    // a changed run not listed again was deleted meanwhile; an unchanged one is as it was
    const r = fresh.get(id) ?? (kept?.revs.get(id) === revs[i] ? old.get(id) : undefined);
    if (r) {
      runs.push(r);
      keptRevs.set(id, revs[i]);
    }
  });
  const l = { stamp, runs, revs: keptRevs, experiments: store.listExperiments() };
  listings.set(store, l);
  return l;
}
