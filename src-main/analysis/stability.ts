/**
 * The stability map: over two swept fields (init mean × eps, eps × learning rate…), one cell per
 * pair of values with the median test MSE of its runs and their outcome classes ("k/n learned"). One
 * map per value of any further swept field (per activation, say). Pure (no Node, no DOM): the
 * CLI prints it as a text table, the renderer draws it as a heatmap.
 */
import type { RunSummary } from '../db/types';
import { configLabel, differingFields, SEED_FIELDS } from './config-diff';
import { countOutcomes, DEFAULT_LEARNED_AT, type OutcomeCounts } from './outcome';
import { measureOf, type TestMeasure, testScoreOf } from './paired';
import { median } from './stats';
import { hasOutcome } from './status';

type MapRun = Pick<RunSummary, 'id' | 'status' | 'testMse' | 'baselineMse' | 'spec'> & Partial<Pick<RunSummary, 'kind' | 'testAccuracy' | 'majorityShare'>>;

/** Fields that are never axes: the seeds vary within a configuration, explicit weights are not a setting. */
export const NOT_AXES: readonly string[] = [...SEED_FIELDS, 'initialWeights'];

const keyOf = (v: unknown) => JSON.stringify(v) ?? 'undefined';

/** Spec fields whose values differ between the runs (analysis/config-diff), less those that are never axes. */
export function varyingFields(specs: readonly object[]): string[] {
  return differingFields(specs).filter((f) => !NOT_AXES.includes(f));
}

export interface StabilityCell {
  xValue: unknown;
  yValue: unknown;
  runIds: number[];
  /** Outcome classes of the runs with an outcome; pending and not-counted runs apart. */
  outcomes: OutcomeCounts;
  /** Runs with an outcome (done, diverged). */
  n: number;
  learned: number;
  /** Runs without an outcome yet (queued, running). */
  pending: number;
  /** Runs without one ever (cancelled, interrupted, ended in an error). */
  notCounted: number;
  /**
   * Median test score of the runs with an outcome, in the maps' measure: test MSE per sample, or
   * test error 1 − accuracy for classification runs (a diverged run's counts as +∞); null when n = 0.
   */
  medianTestMse: number | null;
}

export interface StabilityMap {
  /** The other swept fields' values shared by this map's runs ({} when only the two axes vary). */
  facet: Record<string, unknown>;
  /** "activation=relu", or "" without a facet. */
  facetLabel: string;
  xValues: unknown[];
  yValues: unknown[];
  /** cells[row][col]: row = y value, col = x value (both in xValues / yValues order); null where no run has that pair. */
  cells: (StabilityCell | null)[][];
}

export interface StabilityMaps {
  xField: string;
  yField: string;
  /** Swept fields beyond the two axes: one map per combination of their values. */
  facetFields: string[];
  maps: StabilityMap[];
  learnedAt: number;
  /** What the cells' medians measure: 'test MSE' (regression runs) or 'test error' (classification runs). */
  measure: TestMeasure;
  /** Lowest and highest finite, positive median over every map: a colour scale shared by the maps. */
  range: { min: number; max: number } | null;
}

/**
 * The init mean as a multiple of eps: a sweep of `initMean: [0, '-eps']` over several eps gives a
 * different mean per eps, so the swept setting is the ratio (0 and −1), and the map uses it as the
 * axis instead of a diagonal of absolute means.
 */
export const MEAN_OVER_EPS = 'initMean/eps';

const ratio = (s: Record<string, unknown>) => Math.round(((s.initMean as number) / (s.eps as number)) * 1e9) / 1e9;

/** A field's value in a spec, the derived initMean/eps included. */
export function fieldValue(spec: object, field: string): unknown {
  const s = spec as Record<string, unknown>;
  return field === MEAN_OVER_EPS ? ratio(s) : s[field];
}

/** True when the init means were given relative to eps: fewer distinct ratios initMean/eps than distinct means. */
export function meanRelativeToEps(specs: readonly object[], fields: readonly string[]): boolean {
  if (!fields.includes('initMean') || !fields.includes('eps')) return false;
  const ss = specs as readonly Record<string, unknown>[];
  if (!ss.every((s) => typeof s.initMean === 'number' && typeof s.eps === 'number' && s.eps !== 0)) return false;
  return new Set(ss.map(ratio)).size < new Set(ss.map((s) => s.initMean)).size;
}

/** Values in order: numbers ascending, anything else in order of first appearance. */
function orderValues(values: unknown[]): unknown[] {
  const seen = new Map<string, unknown>();
  for (const v of values) if (!seen.has(keyOf(v))) seen.set(keyOf(v), v);
  const list = [...seen.values()];
  return list.every((v) => typeof v === 'number') ? (list as number[]).sort((a, b) => a - b) : list;
}

/**
 * Picks the two axes among the swept fields: numeric fields first (they order naturally), in the
 * order given; the rest become facets.
 */
export function chooseAxes(fields: readonly string[], isNumeric: (f: string) => boolean): { x: string; y: string; facets: string[] } | null {
  if (fields.length < 2) return null;
  const ranked = [...fields.filter(isNumeric), ...fields.filter((f) => !isNumeric(f))];
  const [x, y] = ranked;
  return { x, y, facets: fields.filter((f) => f !== x && f !== y) };
}

/**
 * The stability maps of a set of runs (a sweep, or any selection). `fields`: the swept fields in
 * the sweep's order (default: the spec fields that vary between the runs); `x`, `y`: the axes
 * (default: chosen by chooseAxes). Init means given relative to eps become the field
 * 'initMean/eps'. Null when fewer than two fields vary.
 */
export function stabilityMaps(runs: readonly MapRun[], options: { fields?: readonly string[]; x?: string; y?: string; learnedAt?: number } = {}): StabilityMaps | null {
  const learnedAt = options.learnedAt ?? DEFAULT_LEARNED_AT;
  // one measure per map: regression and classification runs have no common score to colour by
  if (new Set(runs.map((r) => measureOf(r))).size > 1) return null;
  const specs = runs.map((r): Record<string, unknown> => r.spec);
  const varying = varyingFields(specs);
  let fields = (options.fields ?? varying).filter((f) => !NOT_AXES.includes(f) && varying.includes(f));
  if (meanRelativeToEps(specs, fields)) fields = fields.map((f) => (f === 'initMean' ? MEAN_OVER_EPS : f));
  const isNumeric = (f: string) => specs.every((s) => typeof fieldValue(s, f) === 'number');
  const chosen = chooseAxes(fields, isNumeric);
  if (!chosen) return null;
  const x = options.x && fields.includes(options.x) ? options.x : chosen.x;
  const y = options.y && fields.includes(options.y) && options.y !== x ? options.y : [chosen.x, chosen.y, ...chosen.facets].find((f) => f !== x)!;
  const facetFields = fields.filter((f) => f !== x && f !== y);

  // runs by facet, in order of first appearance
  const byFacet = new Map<string, MapRun[]>();
  for (const r of runs) {
    const k = keyOf(facetFields.map((f) => fieldValue(r.spec, f)));
    const list = byFacet.get(k);
    if (list) list.push(r);
    else byFacet.set(k, [r]);
  }
  let min = Infinity;
  let max = -Infinity;
  const maps: StabilityMap[] = [...byFacet.values()].map((list) => {
    const facet = Object.fromEntries(facetFields.map((f) => [f, fieldValue(list[0].spec, f)]));
    const xValues = orderValues(list.map((r) => fieldValue(r.spec, x)));
    const yValues = orderValues(list.map((r) => fieldValue(r.spec, y)));
    const col = new Map(xValues.map((v, i) => [keyOf(v), i]));
    const row = new Map(yValues.map((v, i) => [keyOf(v), i]));
    const cellRuns: MapRun[][][] = yValues.map(() => xValues.map(() => []));
    for (const r of list) cellRuns[row.get(keyOf(fieldValue(r.spec, y)))!][col.get(keyOf(fieldValue(r.spec, x)))!].push(r);
    const cells = cellRuns.map((rowRuns, i) =>
      rowRuns.map((rs, j): StabilityCell | null => {
        if (!rs.length) return null;
        const ended = rs.filter((r) => hasOutcome(r.status));
        const outcomes = countOutcomes(rs, learnedAt);
        const m = ended.length ? median(ended.map(testScoreOf)) : null;
        if (m !== null && Number.isFinite(m) && m > 0) {
          min = Math.min(min, m);
          max = Math.max(max, m);
        }
        return {
          xValue: xValues[j],
          yValue: yValues[i],
          runIds: rs.map((r) => r.id),
          outcomes,
          n: outcomes.n,
          learned: outcomes.counts.learned,
          pending: outcomes.pending,
          notCounted: outcomes.notCountedTotal,
          medianTestMse: m,
        };
      }),
    );
    const facetLabel = facetFields.length ? configLabel(facet, facetFields) : '';
    return { facet, facetLabel, xValues, yValues, cells };
  });
  return { xField: x, yField: y, facetFields, maps, learnedAt, measure: measureOf(runs[0] ?? {}), range: min <= max ? { min, max } : null };
}

/**
 * True when some map is a real 2-D grid: at least two values on each axis, and more filled cells
 * than values on the longer axis (two fields that vary together fill only a diagonal).
 */
export function isGrid(m: StabilityMaps | null): m is StabilityMaps {
  return (
    !!m &&
    m.maps.some((map) => {
      const filled = map.cells.reduce((n, row) => n + row.filter((c) => c !== null).length, 0);
      return map.xValues.length >= 2 && map.yValues.length >= 2 && filled > Math.max(map.xValues.length, map.yValues.length);
    })
  );
}
