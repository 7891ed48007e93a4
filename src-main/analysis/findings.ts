/**
 * The findings of a comparison: everything a reading says, computed once from the runs, their
 * diagnostics and series, and the honest timing where there is one — outcome classes per
 * configuration, test MSE and r², batches to a target MSE, hidden-layer gradient norms, dead
 * output units at init among runs that learned and runs that did not (and which came back, and
 * when), the paired comparison of two configurations, the stability map of a grid, and what the
 * same configurations did with more batches. The app's tables and charts and the reading
 * (reading.ts) are built from this one object, so a sentence and the figure beside it cannot
 * disagree. Pure (no Node, no DOM): the CLI and the renderer share it.
 */
import type { RunSummary, Stored, TimingEnvironment } from '../db/types';
import type { Diagnostics } from '../trainer/diagnostics';
import type { RunSpec } from '../trainer/spec';
import { configLabel } from './config-diff';
import { groupByConfig } from './groups';
import { countOutcomes, DEFAULT_LEARNED_AT, type Outcome, type OutcomeCounts, OUTCOMES, outcomeOf } from './outcome';
import { type CostSeries, lossDifferenceCurve, type DifferenceCurve, type PairedComparison, pairedComparison, pairRuns } from './paired';
import { fieldValue, isGrid, MEAN_OVER_EPS, meanRelativeToEps, NOT_AXES, type StabilityMaps, stabilityMaps, varyingFields } from './stability';
import { batchesToTarget, median, type Stat, stat } from './stats';
import { hasOutcome } from './status';
import { busyMachine, type TimingSummary } from './timing';
import { type OutOfReachOfSets, outputOutOfReachOfSets } from './output-reach';
import { outputNames } from '../trainer/tasks';
import { sameLoss, sameMeasure } from './units';

/** A series as the analyses read it: a stored Float64Array or a wire array (null for a non-finite value). */
export interface SeriesLike {
  data: ArrayLike<number | null>;
  shape?: readonly number[];
  /** Indices into the full series when decimated. */
  index?: readonly number[];
  /** A page of the series: data[i] is point from + i (the lab sends a checkpoint series' last row so). */
  from?: number;
  length?: number;
}

/** What the findings read of a run (the renderer's RunData and the CLI's store rows both fit). */
export interface RunFacts {
  run: RunSummary & { diagnostics?: Stored<Diagnostics> | null };
  series: { cost?: SeriesLike; checkpointBatches?: SeriesLike; gradNorms?: SeriesLike; estimates?: SeriesLike; testTargets?: SeriesLike };
}

export type ByOutcome = Record<Outcome, number>;

const noneByOutcome = (): ByOutcome => ({ learned: 0, underfit: 0, 'learned-nothing': 0, diverged: 0 });

/** Dead units, for an activation that has them (relu: 0 slope below 0). Counted over runs with an outcome and diagnostics. */
export interface DeadUnitFindings {
  /** Runs with an outcome and diagnostics. */
  n: number;
  /** Runs with at least one output unit dead at init, by outcome. */
  outputDeadAtInit: ByOutcome & { runs: number };
  /** …of which every output unit was dead: no gradient reaches any layer, nothing moves. */
  allOutputsDeadAtInit: number;
  /** Runs with every output unit alive at init, by outcome. */
  outputAliveAtInit: ByOutcome & { runs: number };
  /** Output units dead at init and alive at the end: how many, in how many runs, by their run's outcome. */
  revived: { units: number; runs: number; byOutcome: ByOutcome; /** first checkpoint batch with a non-zero output, per unit (null: not seen) */ atBatch: (number | null)[] };
  /** Runs with an output unit dead at the end, by outcome; and those whose unit died in training. */
  outputDeadAtEnd: ByOutcome & { runs: number };
  outputDiedInTraining: number;
  /** Hidden units (all hidden layers) dead at init and at the end, per run. */
  hiddenUnits: number;
  hiddenDeadAtInit: Stat | null;
  hiddenDeadAtEnd: Stat | null;
  allHiddenDeadAtInit: number;
  /**
   * Per hidden layer (1-based, as the summary names them): its units, the units dead at init per
   * run, and the runs in which the whole layer was dead at init and at the end, by outcome. A
   * wholly dead relu layer passes no gradient down and a constant up: only the layers above it,
   * and no input, shape the output.
   */
  layers: { layer: number; units: number; deadAtInit: Stat | null; wholeAtInit: ByOutcome & { runs: number }; wholeAtEnd: ByOutcome & { runs: number } }[];
  /** Runs with some hidden layer wholly dead at init (at the end), by outcome: their output is the same at every input. */
  wholeLayerAtInit: ByOutcome & { runs: number };
  wholeLayerAtEnd: ByOutcome & { runs: number };
  /** The scores (r² or skill) of the runs with a hidden layer wholly dead at the end, where finite. */
  wholeLayerAtEndScore: Stat | null;
}

export interface GroupFindings {
  key: string;
  /** Position among the groups (its colour in the app). */
  index: number;
  /** The differing fields' values: "sigmoid", "mean −0.1". */
  name: string;
  spec: RunSpec;
  runIds: number[];
  outcomes: OutcomeCounts;
  /** What the runs' scores are: test MSE and r² (regression), test accuracy and skill (classification). */
  kind: 'regression' | 'classification';
  /** Test MSE per sample over the runs with an outcome (a diverged run's is +∞). */
  testMse: Stat | null;
  /** Classification: test accuracy over the runs with an outcome (a diverged run has none). */
  testAccuracy: Stat | null;
  /** Classification: what always answering the training set's majority class scores on each run's test set (it varies with the data seed). */
  majorityShare: Stat | null;
  /** The runs' scores (r² or skill) where finite, and their range within each class. */
  score: Stat | null;
  scoreByOutcome: Partial<Record<Outcome, Stat>>;
  /** r² of the runs with an outcome and a finite r², and its range within each class. */
  r2: Stat | null;
  r2ByOutcome: Partial<Record<Outcome, Stat>>;
  baselineMse: number | null;
  /** Sampled timing: training time per run, ms. */
  trainMs: Stat | null;
  /** Batches until the mean MSE per sample of 10 batches is at or below the target (runs with a cost history). */
  toTarget: { n: number; reached: number; batches: Stat | null };
  /**
   * The first hidden layer's gradient norm over training: per run the median over the
   * checkpoints it reached (zeros included), then the median over the runs; null without a
   * hidden layer or recorded norms.
   */
  hiddenGrad: { n: number; median: number; zeros: number } | null;
  dead: DeadUnitFindings | null;
  /**
   * Regression: test targets the output layer cannot produce (a relu output below 0, a sigmoid's
   * outside 0–1), over the test sets of the `runs` runs whose targets were read (analysis/
   * output-reach); null when every target is in reach or no run's targets were read.
   */
  outOfReach: { reach: OutOfReachOfSets; runs: number } | null;
}

export interface MoreBatches {
  batches: number;
  /** The same configurations trained longer, in the order of `groups` (null where none were). */
  groups: (GroupFindings | null)[];
}

export interface TimingFindings {
  /**
   * honest: interleaved repeats after warm-up, alone on the machine (analysis/timing.ts), of one
   * seed per configuration; sampled: the runs' own training times, taken while other runs trained
   * beside them.
   */
  kind: 'honest' | 'sampled';
  /** The target of msToTarget (the honest timing's own). */
  targetMse: number;
  /** Per configuration of `groups`: median wall time per run, ms. */
  wallMs: (number | null)[];
  /** Per configuration: honest time to the target, ms, and at which batch (null: not reached or not timed). */
  msToTarget: (number | null)[];
  batchesToTarget: (number | null)[];
  repeats: number;
  /** The machine was busy while the honest timing ran (analysis/timing busyMachine): its load average and cpus. */
  busy: { load: number; cpus: number } | null;
}

/** How often runs learned at each value of a field that differs, over every configuration (a sweep's "which fields matter"). */
export interface FieldEffect {
  field: string;
  values: { value: unknown; learned: number; learnedNothing: number; n: number }[];
}

export interface Findings {
  learnedAt: number;
  targetMse: number;
  /** Fields that differ between the configurations (seeds left out). */
  fields: string[];
  /** Every configuration, in order of first appearance. */
  configs: GroupFindings[];
  /** The configurations at the fewest batches (all of them when batches does not vary): what the reading compares. */
  groups: GroupFindings[];
  /** The same configurations with more batches (when `batches` varies), longest last. */
  more: MoreBatches[];
  /**
   * Two configurations run with the same seeds: A = groups[0], B = groups[1]; only when both are
   * scored in one measure (analysis/units.ts), and the loss-difference curve only when both train
   * on one loss (else it has no batches).
   */
  paired: { a: number; b: number; comparison: PairedComparison; curve: DifferenceCurve } | null;
  /** Two configurations that would pair by seed but are scored in different measures (a regression and a classification): not paired. */
  notPaired: { a: number; b: number } | null;
  stability: StabilityMaps | null;
  /** Per differing field (batches aside), the runs that learned at each of its values. */
  effects: FieldEffect[];
  timing: TimingFindings | null;
  /** Runs behind the findings, and those not counted anywhere (no outcome). */
  runs: number;
  notCounted: number;
  pending: number;
}

/** An honest timing as the findings read it: its summary, its configurations' keys in order, and the machine it ran on. */
export interface TimingInput {
  summary: TimingSummary;
  configKeys: readonly string[];
  environment?: Pick<TimingEnvironment, 'cpus' | 'loadAverage'> | null;
}

export interface FindingsOptions {
  learnedAt?: number;
  /** Target MSE per sample for "batches to target" (default 0.01). */
  targetMse?: number;
  /** Names of the configurations by configKey (the page's labels); default: the differing fields' values. */
  names?: ReadonlyMap<string, string>;
  /** The newest honest timing of (some of) these configurations, with its config keys in order. */
  timing?: TimingInput | null;
  /** Points of the loss-difference curve (default 600). */
  curvePoints?: number;
}

export const DEFAULT_TARGET_MSE = 0.01;

const hiddenLayersOf = <T>(perLayer: readonly T[]): T[] => perLayer.slice(0, -1);

/** Per run: the median over the checkpoints it reached (batch > 0) of layer 0's gradient norm; non-finite as +∞. */
function hiddenGradOf(f: RunFacts): number | null {
  const g = f.series.gradNorms;
  const b = f.series.checkpointBatches;
  if (!g || !b || g.index || !g.shape || g.shape.length !== 2 || g.shape[1] < 2) return null;
  const [rows, layers] = g.shape;
  const reached = f.run.batchesRun ?? Infinity;
  const values: number[] = [];
  for (let k = 0; k < rows; k++) {
    const at = b.data[k];
    if (at === null || at === undefined || !(at > 0) || at > reached) continue;
    const v = g.data[k * layers];
    values.push(v === null || !Number.isFinite(v) ? Infinity : v);
  }
  return values.length ? median(values) : null;
}

/**
 * First checkpoint batch at which output unit u gives a non-zero output somewhere on the test
 * grid (a dead relu output gives exactly 0 everywhere); null when it never does or nothing was
 * recorded.
 */
function firstAliveBatch(f: RunFacts, u: number): number | null {
  const e = f.series.estimates;
  const b = f.series.checkpointBatches;
  if (!e || !b || e.index || e.from !== undefined || !e.shape || e.shape.length !== 3) return null;
  const [k, points, outs] = e.shape;
  for (let c = 0; c < k; c++) {
    for (let p = 0; p < points; p++) {
      const v = e.data[(c * points + p) * outs + u];
      if (v !== null && v !== 0) return (b.data[c] as number | null) ?? null;
    }
  }
  return null;
}

/**
 * The output units of a run dead at init and alive at the end (indices): the findings say when
 * each came back (the first checkpoint at which it gives a non-zero output), so they read every
 * checkpoint's estimates of such a run, where a view needs the last one only.
 */
export function revivedOutputUnits(d: Stored<Diagnostics>): number[] {
  // unit indices (Stored<> types them as nullable: JSON has no NaN to lose here)
  const outInit = (d.atInit.dead[d.atInit.dead.length - 1] ?? []) as number[];
  const outEnd = (d.atEnd.dead[d.atEnd.dead.length - 1] ?? []) as number[];
  return outInit.filter((u) => !outEnd.includes(u));
}

function deadFindings(facts: readonly RunFacts[], learnedAt: number): DeadUnitFindings | null {
  const judged = facts.flatMap((f) => {
    const o = outcomeOf(f.run, learnedAt);
    return o && f.run.diagnostics ? [{ f, o: o.outcome, score: o.score.value, d: f.run.diagnostics }] : [];
  });
  if (!judged.length) return null;
  const out: DeadUnitFindings = {
    n: judged.length,
    outputDeadAtInit: { runs: 0, ...noneByOutcome() },
    allOutputsDeadAtInit: 0,
    outputAliveAtInit: { runs: 0, ...noneByOutcome() },
    revived: { units: 0, runs: 0, byOutcome: noneByOutcome(), atBatch: [] },
    outputDeadAtEnd: { runs: 0, ...noneByOutcome() },
    outputDiedInTraining: 0,
    hiddenUnits: 0,
    hiddenDeadAtInit: null,
    hiddenDeadAtEnd: null,
    allHiddenDeadAtInit: 0,
    layers: [],
    wholeLayerAtInit: { runs: 0, ...noneByOutcome() },
    wholeLayerAtEnd: { runs: 0, ...noneByOutcome() },
    wholeLayerAtEndScore: null,
  };
  const layerDead: number[][] = [];
  const hiddenInit: number[] = [];
  const hiddenEnd: number[] = [];
  const wholeEndScores: (number | null)[] = [];
  for (const { f, o, score, d } of judged) {
    const shape = f.run.spec.shape;
    const outputs = shape[shape.length - 1];
    // unit indices (Stored<> types them as nullable: JSON has no NaN to lose here)
    const outInit = (d.atInit.dead[d.atInit.dead.length - 1] ?? []) as number[];
    const outEnd = (d.atEnd.dead[d.atEnd.dead.length - 1] ?? []) as number[];
    if (outInit.length) {
      out.outputDeadAtInit.runs++;
      out.outputDeadAtInit[o]++;
      if (outInit.length === outputs) out.allOutputsDeadAtInit++;
    } else {
      out.outputAliveAtInit.runs++;
      out.outputAliveAtInit[o]++;
    }
    const back = revivedOutputUnits(d);
    if (back.length) {
      out.revived.runs++;
      out.revived.units += back.length;
      out.revived.byOutcome[o]++;
      for (const u of back) out.revived.atBatch.push(firstAliveBatch(f, u));
    }
    if (outEnd.length) {
      out.outputDeadAtEnd.runs++;
      out.outputDeadAtEnd[o]++;
      if (outEnd.some((u) => !outInit.includes(u))) out.outputDiedInTraining++;
    }
    const hidden = shape.slice(1, -1).reduce((a, b) => a + b, 0);
    out.hiddenUnits = Math.max(out.hiddenUnits, hidden);
    const hi = hiddenLayersOf(d.atInit.dead).reduce((a, l) => a + l.length, 0);
    hiddenInit.push(hi);
    hiddenEnd.push(hiddenLayersOf(d.atEnd.dead).reduce((a, l) => a + l.length, 0));
    if (hidden > 0 && hi === hidden) out.allHiddenDeadAtInit++;
    let wholeAtInit = false;
    let wholeAtEnd = false;
    shape.slice(1, -1).forEach((units, l) => {
      if (!out.layers[l]) out.layers[l] = { layer: l + 1, units, deadAtInit: null, wholeAtInit: { runs: 0, ...noneByOutcome() }, wholeAtEnd: { runs: 0, ...noneByOutcome() } };
      const atInit = d.atInit.dead[l]?.length ?? 0;
      (layerDead[l] ??= []).push(atInit);
      if (atInit === units) {
        out.layers[l].wholeAtInit.runs++;
        out.layers[l].wholeAtInit[o]++;
        wholeAtInit = true;
      }
      if ((d.atEnd.dead[l]?.length ?? 0) === units) {
        out.layers[l].wholeAtEnd.runs++;
        out.layers[l].wholeAtEnd[o]++;
        wholeAtEnd = true;
      }
    });
    if (wholeAtInit) {
      out.wholeLayerAtInit.runs++;
      out.wholeLayerAtInit[o]++;
    }
    if (wholeAtEnd) {
      out.wholeLayerAtEnd.runs++;
      out.wholeLayerAtEnd[o]++;
      wholeEndScores.push(score);
    }
  }
  out.layers.forEach((l, i) => (l.deadAtInit = stat(layerDead[i] ?? [])));
  out.wholeLayerAtEndScore = stat(wholeEndScores);
  out.revived.atBatch.sort((x, y) => (x ?? Infinity) - (y ?? Infinity));
  out.hiddenDeadAtInit = stat(hiddenInit);
  out.hiddenDeadAtEnd = stat(hiddenEnd);
  return out;
}

/** The configuration's test targets out of its output layer's reach, over its runs' test sets (whole series only, not decimated). */
function outOfReachFindings(mine: readonly RunFacts[], spec: RunSpec): GroupFindings['outOfReach'] {
  const outputs = spec.shape[spec.shape.length - 1];
  const sets = mine.flatMap((f) => {
    const t = f.series.testTargets;
    return t && !t.index && t.data.length % outputs === 0 ? [t.data] : [];
  });
  const reach = outputOutOfReachOfSets(spec, sets, outputs, outputNames(spec, outputs));
  return reach && { reach, runs: sets.length };
}

/** Activations whose units can die (zero slope on a whole half-line). */
const CAN_DIE = new Set(['relu']);

function groupFindings(g: ReturnType<typeof groupByConfig<RunFacts['run']>>[number], facts: readonly RunFacts[], name: string, o: { learnedAt: number; targetMse: number }): GroupFindings {
  const byId = new Map(facts.map((f) => [f.run.id, f]));
  const mine = g.runs.map((r) => byId.get(r.id)!);
  const judged = mine.flatMap((f) => {
    const oc = outcomeOf(f.run, o.learnedAt);
    return oc ? [{ f, oc }] : [];
  });
  const r2ByOutcome: Partial<Record<Outcome, Stat>> = {};
  const scoreByOutcome: Partial<Record<Outcome, Stat>> = {};
  for (const c of OUTCOMES) {
    const s = stat(judged.filter((j) => j.oc.outcome === c).map((j) => j.oc.r2));
    if (s) r2ByOutcome[c] = s;
    const k = stat(judged.filter((j) => j.oc.outcome === c).map((j) => j.oc.score.value));
    if (k) scoreByOutcome[c] = k;
  }
  const classification = g.example.kind === 'classification';
  const withCost = judged.filter((j) => j.f.series.cost && !j.f.series.cost.index);
  const reachedAt = withCost.map((j) => {
    const c = j.f.series.cost!;
    const bs = j.f.run.spec.batchSize;
    const mse = Array.from(c.data as ArrayLike<number | null>, (v) => (v === null ? null : v / bs));
    return batchesToTarget(mse, o.targetMse);
  });
  const grads = judged.map((j) => hiddenGradOf(j.f)).filter((x): x is number => x !== null);
  const spec = g.example.spec;
  const dead = CAN_DIE.has(spec.activation) ? deadFindings(mine, o.learnedAt) : null;
  return {
    key: g.key,
    index: g.index,
    name,
    spec,
    runIds: g.runs.map((r) => r.id),
    outcomes: g.outcomes,
    kind: classification ? 'classification' : 'regression',
    testMse: g.testMse,
    testAccuracy: classification ? stat(judged.map((j) => (j.oc.outcome === 'diverged' ? null : j.f.run.testAccuracy))) : null,
    majorityShare: classification ? stat(judged.map((j) => j.f.run.majorityShare)) : null,
    score: stat(judged.map((j) => j.oc.score.value)),
    scoreByOutcome,
    r2: stat(judged.map((j) => j.oc.r2)),
    r2ByOutcome,
    baselineMse: g.example.baselineMse,
    trainMs: stat(judged.map((j) => j.f.run.trainMs)),
    toTarget: { n: withCost.length, reached: reachedAt.filter((x) => x !== null).length, batches: stat(reachedAt) },
    hiddenGrad: grads.length ? { n: grads.length, median: median(grads), zeros: grads.filter((x) => x === 0).length } : null,
    dead,
    outOfReach: classification ? null : outOfReachFindings(mine, spec),
  };
}

/** The configuration's fields without `batches`: the same configuration trained for longer shares it. */
function withoutBatches(spec: RunSpec): string {
  const { batches: _b, initSeed: _i, dataSeed: _d, ...rest } = spec;
  return JSON.stringify(Object.entries(rest).sort(([a], [b]) => a.localeCompare(b)));
}

/** Default names: the differing fields' values ("activation=sigmoid", config-diff's style); the page passes its own. */
function defaultNames(specs: readonly RunSpec[], fields: readonly string[]): string[] {
  return specs.map((s, i) => (fields.length || specs.length === 1 ? configLabel(s, fields) : `config ${i + 1}`));
}

/** The findings of a set of runs (see the file header). */
export function findings(facts: readonly RunFacts[], options: FindingsOptions = {}): Findings {
  const learnedAt = options.learnedAt ?? DEFAULT_LEARNED_AT;
  const targetMse = options.targetMse ?? DEFAULT_TARGET_MSE;
  const runs = facts.map((f) => f.run);
  const all = groupByConfig(runs, { learnedAt });
  const fields = varyingFields(all.map((g) => g.example.spec));
  const defaults = defaultNames(
    all.map((g) => g.example.spec),
    fields,
  );
  const nameOf = (g: (typeof all)[number], i: number) => options.names?.get(g.key) ?? defaults[i];
  const minBatches = Math.min(...all.map((g) => g.example.spec.batches));
  const varyBatches = fields.includes('batches');
  const main = all.filter((g) => !varyBatches || g.example.spec.batches === minBatches);
  const configs = all.map((g, i) => groupFindings(g, facts, nameOf(g, i), { learnedAt, targetMse }));
  const groups = configs.filter((_, i) => main.includes(all[i]));
  const more: MoreBatches[] = [];
  if (varyBatches) {
    const longer = [...new Set(all.map((g) => g.example.spec.batches))].filter((b) => b !== minBatches).sort((a, b) => a - b);
    for (const batches of longer) {
      const list = configs.filter((g) => g.spec.batches === batches);
      more.push({ batches, groups: groups.map((m) => list.find((x) => withoutBatches(x.spec) === withoutBatches(m.spec)) ?? null) });
    }
  }

  let paired: Findings['paired'] = null;
  let notPaired: Findings['notPaired'] = null;
  if (main.length === 2) {
    const [ga, gb] = main;
    const comparison = pairedComparison(ga.runs, gb.runs);
    // a difference of a test MSE and a test error means nothing: such configurations are not paired
    if (comparison.pairs >= 2 && !sameMeasure(ga.example, gb.example)) notPaired = { a: 0, b: 1 };
    else if (comparison.pairs >= 2) {
      const byId = new Map(facts.map((f) => [f.run.id, f]));
      const withCost = pairRuns(
        ga.runs.filter((r) => hasOutcome(r.status)),
        gb.runs.filter((r) => hasOutcome(r.status)),
      ).flatMap((p) => {
        const ca = byId.get(p.a.id)?.series.cost;
        const cb = byId.get(p.b.id)?.series.cost;
        const side = (c: SeriesLike, r: RunSummary): CostSeries => ({ data: c.data, index: c.index, diverged: r.status === 'diverged', batchSize: r.spec.batchSize });
        return ca && cb ? [{ a: side(ca, p.a), b: side(cb, p.b), ids: [p.a.id, p.b.id] as [number, number] }] : [];
      });
      // the losses per sample of two losses are two units: no curve of their difference
      if (!sameLoss(ga.example, gb.example)) withCost.length = 0;
      paired = { a: 0, b: 1, comparison, curve: lossDifferenceCurve(withCost, { maxPoints: options.curvePoints ?? 600 }) };
    }
  }

  const maps = stabilityMaps(runs, { learnedAt });
  let timing: TimingFindings | null = null;
  const t = options.timing;
  if (t) {
    const at = groups.map((g) => t.configKeys.indexOf(g.key));
    if (at.filter((i) => i >= 0).length >= Math.min(2, groups.length)) {
      const c = (i: number) => (i >= 0 ? t.summary.configs[i] : undefined);
      timing = {
        kind: 'honest',
        targetMse: t.summary.targetMse,
        wallMs: at.map((i) => c(i)?.wallMs?.median ?? null),
        msToTarget: at.map((i) => (c(i)?.reached ? c(i)?.msToTarget?.median ?? null : null)),
        batchesToTarget: at.map((i) => c(i)?.batchesToTarget ?? null),
        repeats: t.summary.repeats,
        busy: busyMachine(t.environment),
      };
    }
  }
  if (!timing && groups.some((g) => g.trainMs)) {
    timing = { kind: 'sampled', targetMse, wallMs: groups.map((g) => g.trainMs?.median ?? null), msToTarget: groups.map(() => null), batchesToTarget: groups.map(() => null), repeats: 0, busy: null };
  }
  const counts = countOutcomes(runs, learnedAt);
  const specs = groups.map((g) => g.spec);
  const effectFields = fields.filter((f) => f !== 'batches' && !NOT_AXES.includes(f));
  const relative = meanRelativeToEps(specs, effectFields);
  const effects: FieldEffect[] = effectFields
    .map((f) => (relative && f === 'initMean' ? MEAN_OVER_EPS : f))
    .map((field) => {
      const values: FieldEffect['values'] = [];
      for (const g of groups) {
        const v = fieldValue(g.spec, field);
        let e = values.find((x) => JSON.stringify(x.value) === JSON.stringify(v));
        if (!e) values.push((e = { value: v, learned: 0, learnedNothing: 0, n: 0 }));
        e.learned += g.outcomes.counts.learned;
        e.learnedNothing += g.outcomes.counts['learned-nothing'] + g.outcomes.counts.diverged;
        e.n += g.outcomes.n;
      }
      return { field, values };
    });
  return {
    learnedAt,
    targetMse,
    fields,
    configs,
    groups,
    more,
    paired,
    notPaired,
    stability: isGrid(maps) ? maps : null,
    effects,
    timing,
    runs: runs.length,
    notCounted: counts.notCountedTotal,
    pending: counts.pending,
  };
}
