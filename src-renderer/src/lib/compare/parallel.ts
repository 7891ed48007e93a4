/**
 * Parallel coordinates in Compare (issue 15): for a sweep of two or more fields, an axis per swept
 * field and per outcome metric, a line per run or per configuration (the comparison's mode), and
 * the brushes that keep some of them (lib/parallel.ts). Built from every loaded run, before the
 * brushes: the other panels show only the runs kept (./index.ts panelContext). Pure.
 */
import type { ProvenanceRun } from '../chart-model';
import { type Brush, type ParallelModel, parallelModel } from '../parallel';
import { buildItems, type CompareOptions, provenanceOf, type RunData } from './context';
import { panel } from './panel';

export interface ParallelView {
  model: ParallelModel;
  /** The runs drawn (their provenance, for the exports). */
  runs: ProvenanceRun[];
}

/** The parallel coordinates of these runs under these brushes, or null when fewer than two fields vary. */
export function parallelOf(data: readonly RunData[], opts: Pick<CompareOptions, 'mode' | 'theme'>, brushes: readonly Brush[]): ParallelView | null {
  if (!data.length) return null;
  const { items } = buildItems(data, opts.mode, opts.theme);
  const units = items.map((it) => ({ key: it.key, label: it.label, color: it.color, runs: it.runs.map((d) => d.run) }));
  const model = parallelModel(units, opts.mode === 'groups' ? 'configuration' : 'run', brushes);
  if (!model) return null;
  const drawn = new Set(model.lines.flatMap((l) => l.runIds));
  return { model, runs: provenanceOf(data.filter((d) => drawn.has(d.run.id))) };
}

export const parallelPanel = panel({
  id: 'parallel',
  needs: [],
  build: ({ parallel }): ParallelView | null => parallel,
});
