/**
 * A runs query against a store: the conditions the store can check on its own columns narrow the
 * listing in SQL (analysis/query.ts pushdown), and the query itself decides on the parsed
 * summaries, then the table is sorted and grouped (analysis/run-table.ts). The lab's 'runs/table'
 * and `nnlab runs list --where` both come here.
 */
import { checkExperimentNames, parseQuery, pushdown } from '../analysis/query';
import { createRunFields, type FieldContext, type RunFieldTable } from '../analysis/run-fields';
import { type RunTable, runTable, type TableRequest } from '../analysis/run-table';
import { type RunSpec, specChoices } from '../trainer/spec';
import { PROJECTABLE, type ProjectableProp, type RunStore, UnprojectedError } from './store';
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

/** A table answer's runs with what its fields read, and `whole`: the given runs as whole summaries. */
export type QueriedTable = RunTable<RunSummary> & { context: FieldContext; whole(runs: readonly RunSummary[]): RunSummary[] };

/** Runs whose full summaries the first answer reads to learn which properties its request reads. */
const PROBE_RUNS = 64;

/** Stores that answered a first answer from a projected listing: their next answer keeps one. */
const answered = new WeakSet<RunStore>();

/**
 * The runs the request's query matches (among those `base` lists: the CLI's --status and
 * --experiment), sorted and grouped, with the experiments' names for the query and the labels,
 * given to `use`, which makes the answer of it: everything `use` reads of the runs is read while
 * it runs, and the runs it hands on (a page, a group's runs, JSON) go through `t.whole`.
 * - With a kept listing (db/query-runs' `remember`): that listing, brought up to date.
 * - Otherwise (a store's first answer, every `nnlab runs list`): a projected listing, which reads
 *   of every run only the columns the answer needs (store.listRunsProjected) and of its spec
 *   only the fields it reads, and whole summaries only for the runs `use` hands on. Which ones:
 *   those `use` read of the whole summaries (and their specs) of the newest PROBE_RUNS runs,
 *   answering the same request over them first. A run whose answer reads more
 *   (UnprojectedError: a branch the probe's runs did not take), or a request that reads a
 *   summary or a spec whole (enumerates its properties), is answered from whole summaries
 *   instead, as before: the projection changes the cost of an answer, never the answer.
 */
export function answerQuery<T>(store: RunStore, req: StoreTableRequest, base: Omit<ListRunsOptions, 'pushdown' | 'limit' | 'offset'>, use: (t: QueriedTable) => T): T {
  const fields = storeRunFields();
  const query = parseQuery(req.where ?? '', fields);
  if (query.experimentNames?.length) checkExperimentNames(query, store.experimentNames());
  const narrowed = pushdown(query);
  const based = Object.keys(base).length > 0;
  const table = (runs: readonly RunSummary[], experiments: ReturnType<RunStore['experimentNames']>, whole: QueriedTable['whole']): QueriedTable => {
    const context: FieldContext = { experiments: new Map(experiments.map((e) => [e.id, { id: e.id, name: e.name }])), learnedAt: req.learnedAt };
    return { ...runTable(runs, fields, { ...req, query }, context), context, whole };
  };
  const same = (runs: readonly RunSummary[]) => [...runs];
  // the kept listing, brought up to date, whenever there is one (the query decides on every run
  // anyway), and for a store's second answer on, when the query does not narrow the listing
  if (!based && (listings.has(store) || (!narrowed.length && answered.has(store)))) {
    const listing = remember(store);
    return use(table(listing.runs, listing.experiments, same));
  }
  const options = { ...base, pushdown: narrowed };
  const experiments = store.experimentNames();
  const wholeRuns = () => use(table(store.listRuns(options), experiments, same));
  // what the answer reads of a run and of its spec, answering it over the newest runs' whole summaries
  const read = new Set<string>();
  const specRead = new Set<string>();
  let enumerated = false;
  const enumerating = {
    ownKeys(target: object) {
      enumerated = true;
      return Reflect.ownKeys(target);
    },
    getOwnPropertyDescriptor(target: object, prop: string | symbol) {
      enumerated = true;
      return Reflect.getOwnPropertyDescriptor(target, prop);
    },
  };
  const specRecorder: ProxyHandler<RunSpec> = {
    get(target, prop, receiver) {
      if (typeof prop === 'string') specRead.add(prop);
      return Reflect.get(target, prop, receiver);
    },
    has(target, prop) {
      if (typeof prop === 'string') specRead.add(prop);
      return Reflect.has(target, prop);
    },
    ...enumerating,
  };
  const specs = new WeakMap<RunSpec, RunSpec>();
  const recordedSpec = (spec: RunSpec) => {
    let p = specs.get(spec);
    if (!p) specs.set(spec, (p = new Proxy(spec, specRecorder)));
    return p;
  };
  const recorder: ProxyHandler<RunSummary> = {
    get(target, prop, receiver) {
      if (typeof prop === 'string') read.add(prop);
      if (prop === 'spec') return recordedSpec(target.spec);
      return Reflect.get(target, prop, receiver);
    },
    has(target, prop) {
      enumerated = true;
      return Reflect.has(target, prop);
    },
    ...enumerating,
  };
  const probe = store.listRuns({ ...options, limit: PROBE_RUNS });
  use(table(probe.map((r) => new Proxy(r, recorder)), experiments, same));
  if (!based && !narrowed.length) answered.add(store);
  if (enumerated) return wholeRuns();
  const props = (Object.keys(PROJECTABLE) as ProjectableProp[]).filter((p) => read.has(p));
  const light = store.listRunsProjected(props, options, [...specRead]);
  const whole = (runs: readonly RunSummary[]) => {
    if (!runs.length) return [];
    const byId = new Map(store.listRuns({ ids: runs.map((r) => r.id) }).map((r) => [r.id, r]));
    // a run deleted since the projected listing has no whole summary: it is left out
    return runs.flatMap((r) => byId.get(r.id) ?? []);
  };
  try {
    return use(table(light, experiments, whole));
  } catch (e) {
    if (!(e instanceof UnprojectedError)) throw e;
    return wholeRuns();
  }
}

/**
 * Lists every run and keeps the listing, unless one is kept already: what a lab that answered a
 * first answer from a projected listing does next, when idle, so that its next answer reads only
 * the runs that changed (remember) instead of listing every run itself.
 */
export function keepListing(store: RunStore): void {
  if (!listings.has(store)) remember(store);
}

/** Whether the store keeps a listing (keepListing). */
export function keepsListing(store: RunStore): boolean {
  return listings.has(store);
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
  experiments: ReturnType<RunStore['experimentNames']>;
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
  const l = { stamp, runs, revs: keptRevs, experiments: store.experimentNames() };
  listings.set(store, l);
  return l;
}
