/**
 * What compared runs learned on their test sets, in Compare: the confusion matrix of each
 * classification run, the test images of an image task's run (misclassified first), and a csv
 * regression's predicted vs actual — for the first run of each configuration in turn, at most
 * MAX_LEARNED of them (components/LearnedView.vue fetches each run's 'runs/learned' itself: the
 * per-example view is computed where the outputs are stored). Pure.
 */
import type { RunSummary } from '@main/db/types';
import { drawnRuns } from './classification';
import type { RunData } from './context';
import { panel } from './panel';

/** Runs shown side by side at most. */
export const MAX_LEARNED = 2;

/** Statuses of a run that was scored on its test set at its end. */
const SCORED: readonly RunSummary['status'][] = ['done', 'diverged', 'cancelled'];

export interface LearnedPanelView {
  runs: Pick<RunSummary, 'id' | 'status'>[];
  /** Runs with such a view left out (beyond MAX_LEARNED). */
  more: number;
}

/** A run whose test set has a per-example view: a classification's confusion matrix, a table's predicted vs actual. */
export function hasLearnedView(run: Pick<RunSummary, 'kind' | 'status' | 'spec'>): boolean {
  return SCORED.includes(run.status) && (run.kind === 'classification' || run.spec.task === 'csv');
}

export const learnedPanel = panel({
  id: 'learned',
  needs: [],
  build: ({ data }): LearnedPanelView | null => {
    const shown = data.filter((d: RunData) => hasLearnedView(d.run));
    if (!shown.length) return null;
    const runs = drawnRuns(shown, MAX_LEARNED).map((d) => ({ id: d.run.id, status: d.run.status }));
    return { runs, more: shown.length - runs.length };
  },
});
