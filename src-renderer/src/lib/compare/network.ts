/**
 * The network view in Compare (issue 15): the networks of two compared runs side by side, each at
 * the fit slider's checkpoint with its own slider and play (components/NetworkView.vue fetches
 * each run's kept weights itself: they are not among the series the comparison fetches). Pure.
 */
import type { RunSummary } from '@main/db/types';
import { drawnRuns } from './classification';
import type { RunData } from './context';
import { panel } from './panel';

/** Networks side by side at most. */
export const MAX_NETWORKS = 2;

/** Statuses of a run whose training ended with a network (a diverged or cancelled run keeps its weights up to its stop). */
const TRAINED: readonly RunSummary['status'][] = ['done', 'diverged', 'cancelled'];

export interface NetworkPanelView {
  /** The runs whose networks are drawn: the first of each configuration in turn, at most MAX_NETWORKS. */
  runs: Pick<RunSummary, 'id' | 'spec'>[];
  /** Runs with a network left out (compared runs beyond MAX_NETWORKS). */
  more: number;
  /** The snapshot, as a fraction of training (null: the end). */
  at: number | null;
}

export const networkPanel = panel({
  id: 'network',
  needs: [],
  build: ({ data, options }): NetworkPanelView | null => {
    const trained = data.filter((d: RunData) => TRAINED.includes(d.run.status));
    if (!trained.length) return null;
    const runs = drawnRuns(trained, MAX_NETWORKS).map((d) => ({ id: d.run.id, spec: d.run.spec }));
    return { runs, more: trained.length - runs.length, at: options.fitAt };
  },
});
