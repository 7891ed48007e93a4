/**
 * The panels of classification runs: their decision boundaries side by side at the fit slider's
 * checkpoint (lib/boundary.ts), accuracy and loss over training from the checkpoint scores, and
 * the test-accuracy strip in groups mode (lib/scores.ts). Pure.
 */
import { type Boundary, boundaryOf } from '../boundary';
import { accuracyChart, accuracyStrip, scoreLossChart } from '../scores';
import type { RunData } from './context';
import { type ChartView, panel } from './panel';
import { chartsByLoss } from './parts';

/** Boundaries drawn side by side at most (each is a 25 × 25 grid and its points). */
export const MAX_BOUNDARIES = 12;

/**
 * The runs whose boundaries (or networks) are drawn: each configuration's runs in turn (its first
 * seed, then the next configuration's first, …), so a comparison of configurations shows every one
 * of them side by side, seed by seed; the first `most` of that order. (In the selection's order, a
 * preset's 40 runs showed 12 boundaries of its first configuration and none of the other.)
 */
export function drawnRuns(all: readonly RunData[], most = MAX_BOUNDARIES): RunData[] {
  const byConfig = new Map<string, RunData[]>();
  for (const d of all) {
    const list = byConfig.get(d.run.configKey);
    if (list) list.push(d);
    else byConfig.set(d.run.configKey, [d]);
  }
  const lists = [...byConfig.values()];
  const out: RunData[] = [];
  for (let i = 0; out.length < most && lists.some((l) => i < l.length); i++) {
    for (const l of lists) if (i < l.length && out.length < most) out.push(l[i]);
  }
  return out;
}

/** The classification runs' boundaries at the snapshot (some of every configuration), how many more there were, and of how many configurations. */
export function boundariesOf(data: readonly RunData[], at: number | null): { boundaries: { boundary: Boundary; input: RunData }[]; more: number; configs: number } {
  const all = data.filter((d) => d.run.kind === 'classification');
  const boundaries: { boundary: Boundary; input: RunData }[] = [];
  for (const d of drawnRuns(all)) {
    const boundary = boundaryOf(d, at);
    if (boundary) boundaries.push({ boundary, input: d });
  }
  return { boundaries, more: Math.max(0, all.length - MAX_BOUNDARIES), configs: new Set(all.map((d) => d.run.configKey)).size };
}

export interface BoundariesView {
  /** At most MAX_BOUNDARIES classification runs' boundaries at the snapshot, each configuration's in turn. */
  boundaries: { boundary: Boundary; input: RunData }[];
  /** Classification runs beyond those (compare() notes them), and the configurations they are of. */
  more: number;
  configs: number;
  /** The snapshot, as a fraction of training (null: the end). */
  at: number | null;
}

export const boundariesPanel = panel({
  id: 'boundaries',
  // the grid's outputs at each checkpoint, and the test points with their estimates (the misses)
  needs: ['viewInputs', 'estimates', 'checkpointBatches', 'testInputs', 'testTargets', 'testEstimates'],
  build: ({ data, options }): BoundariesView | null => {
    const { boundaries, more, configs } = boundariesOf(data, options.fitAt);
    return boundaries.length ? { boundaries, more, configs, at: options.fitAt } : null;
  },
});

/** Accuracy over training on the training and the test points (drawn beside the loss). */
export const accuracyPanel = panel({
  id: 'accuracy',
  needs: ['checkpointMetrics', 'checkpointBatches'],
  build: ({ items, options }): ChartView | null => {
    const model = accuracyChart(items, options.mode === 'groups');
    return model && { model, height: 240 };
  },
});

/** Loss per sample over training on the training and the test points. */
export const scoreLossPanel = panel({
  id: 'score-loss',
  needs: ['checkpointMetrics', 'checkpointBatches'],
  build: ({ items, options }): ChartView | null => {
    // circle on sse beside circle on cross-entropy: a chart per loss, each in its loss's unit
    const [first, ...rest] = chartsByLoss(items, (its) => scoreLossChart(its, options.mode === 'groups')).map(({ model }): ChartView => ({ model, height: 240 }));
    return first ? { ...first, ...(rest.length ? { more: rest } : {}) } : null;
  },
});

/** Test accuracy per classification run, one column per configuration (groups mode, once a configuration has several seeds). */
export const accuracyStripPanel = panel({
  id: 'accuracy-strip',
  needs: [],
  build: ({ items, options, colors }): ChartView | null => {
    if (options.mode !== 'groups' || !items.some((it) => it.runs.length > 1)) return null;
    const model = accuracyStrip(items, colors.muted, options.learnedAt);
    return model && { model, height: 260 };
  },
});
