/**
 * Step-through of a live run in the renderer (issue 15), pure: the paused points a page has seen
 * (each the state runs/control answered: the batch, the costs, the weights), kept within a bound,
 * and what the last move changed — cost before and after, the largest weight changes, units that
 * died or revived (analysis/step-change). useStepThrough fetches; StepThrough.vue draws.
 */
import type { WirePausedAt } from '@main/api/contract';
import type { RunSpec } from '@main/trainer/spec';
import { type StepChange, stepChange } from '@main/analysis/step-change';
import { viewPointsOf } from '@main/analysis/network-view';
import { fixedTaskInfo, isTaskName } from '@main/trainer/tasks';

/** A paused state of the run: after `batch` of `batches`; numbers null where the lab had none (NaN). */
export interface StepPoint {
  batch: number;
  batches: number;
  cost: number | null;
  testLoss: number | null;
  testMetric: number | null;
  /** The flat weights then (null for a network of more than a million weights). */
  weights: Float64Array | null;
}

/** The page keeps at most this many paused points, and at most this many weight values over them (the oldest go first). */
export const MAX_STEP_POINTS = 64;
export const MAX_STEP_VALUES = 4_000_000;

export function pointOf(at: WirePausedAt): StepPoint {
  return {
    batch: at.batchesDone,
    batches: at.batches,
    cost: at.cost,
    testLoss: at.testLoss,
    testMetric: at.testMetric,
    weights: at.weights ? Float64Array.from(at.weights, (x) => (x === null ? NaN : x)) : null,
  };
}

/** The points with `p` added in batch order (a point at a batch already kept replaces it), the oldest dropped beyond the bounds. */
export function withPoint(points: readonly StepPoint[], p: StepPoint): StepPoint[] {
  const out = points.filter((q) => q.batch !== p.batch);
  out.push(p);
  out.sort((a, b) => a.batch - b.batch);
  const values = (ps: StepPoint[]) => ps.reduce((n, q) => n + (q.weights?.length ?? 0), 0);
  while (out.length > 1 && (out.length > MAX_STEP_POINTS || values(out) > MAX_STEP_VALUES)) out.shift();
  return out;
}

/** What moved between the two last points: the batches, the costs before and after, and the weights' change (null without weights). */
export interface LastMove {
  from: StepPoint;
  to: StepPoint;
  change: StepChange | null;
}

/** The output function of a spec's last layer ('seed': the hidden activation, as the trainer reads it). */
export const outputOf = (spec: RunSpec) => (spec.outputActivation === 'seed' ? spec.activation : spec.outputActivation);

/**
 * The view points of a run's task, where the network view and step-through judge dead units and
 * draw what each unit computes; null beyond 2 inputs. A built-in task's box; the expression task's
 * domain in every input; a table's `box` as its run's stored view points span it (viewBoxOf: the
 * page does not know a table's range, standardised or not, by itself) — null until it is given.
 */
export function viewOf(spec: RunSpec, box?: readonly (readonly [number, number])[] | null): Float64Array | null {
  const info = isTaskName(spec.task) ? fixedTaskInfo(spec.task) : null;
  if (info) return viewPointsOf(info.box);
  if (spec.task === 'expression') return viewPointsOf(Array.from({ length: spec.shape[0] }, () => [spec.domain[0], spec.domain[1]] as const));
  return box && box.length === spec.shape[0] ? viewPointsOf(box) : null;
}

/** Each input's smallest and largest value among a run's stored view points ((points, inputs) row-major; nulls skipped); null when there are none. */
export function viewBoxOf(data: readonly (number | null)[], inputs: number): [number, number][] | null {
  const box = Array.from({ length: inputs }, () => [Infinity, -Infinity] as [number, number]);
  data.forEach((v, i) => {
    if (v === null || !Number.isFinite(v)) return;
    const b = box[i % inputs];
    if (v < b[0]) b[0] = v;
    if (v > b[1]) b[1] = v;
  });
  return box.every(([lo, hi]) => lo <= hi) ? box : null;
}

export function lastMove(spec: RunSpec, points: readonly StepPoint[]): LastMove | null {
  if (points.length < 2) return null;
  const from = points[points.length - 2];
  const to = points[points.length - 1];
  const change = from.weights && to.weights ? stepChange(spec.shape, from.weights, to.weights, spec.activation, outputOf(spec), viewOf(spec)) : null;
  return { from, to, change };
}
