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
  const experiments = new Map(store.listExperiments().map((e) => [e.id, { id: e.id, name: e.name }]));
  const context: FieldContext = { experiments, learnedAt: req.learnedAt };
  const candidates = store.listRuns({ ...base, pushdown: pushdown(query) });
  return { ...runTable(candidates, fields, { ...req, query }, context), context };
}
