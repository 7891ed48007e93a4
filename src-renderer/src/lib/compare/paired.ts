/**
 * The paired comparison as the Compare view shows it: for two configurations of the comparison
 * run as pairs (same init and data seeds; a sweep pairs every configuration by construction), the
 * median paired difference in test MSE per sample with its bootstrap interval, the win rate, the
 * loss-difference chart (MSE per sample of each batch, A − B: median over the pairs with a
 * 25–75 % band), and what differs between A and B. Pure: the numbers and the sentence come from
 * src-main/analysis/paired.ts, shared with `nnlab sweep` and the reading.
 */
import { type DifferenceCurve, lossDifferenceCurve, measureOf, type PairedComparison, pairedComparison, pairedReading, pairRuns } from '@main/analysis/paired';
import { groupByConfig } from '@main/analysis/groups';
import { hasOutcome } from '@main/analysis/status';
import type { ChartModel, PlotSeries } from '../chart-model';
import { groupColor, type ThemeName } from '../colors';
import { configDiff, diffLabel, type DiffRow, SEED_FIELDS } from '../diff';
import { fmt } from '../format';
import { groupNames, provenanceOf, type RunData } from './context';
import { panel } from './panel';
import { lossLabels } from './cost';
import { sameLoss, sameMeasure } from '@main/analysis/units';

/** A configuration's test measure in the words the picker gives it. */
const measureWords = (r: Parameters<typeof measureOf>[0]) => (measureOf(r) === 'test MSE' ? 'test MSE' : 'test error (1 − accuracy)');

/** Points of the loss-difference chart at most. */
export const DIFFERENCE_POINTS = 600;

export interface PairedSide {
  name: string;
  color: string;
  runIds: number[];
}

export interface PairedChoice {
  key: string;
  name: string;
  whyNotA: string | null;
  whyNotB: string | null;
}

export interface PairedView {
  /**
   * Every configuration of the comparison, to choose A and B from, each with why it cannot be A
   * (it pairs with no other configuration) or B beside this A (another measure, too few runs with
   * A's seeds), null where it can: the pickers list them all and say so beside those they refuse.
   */
  groups: PairedChoice[];
  aKey: string;
  bKey: string;
  a: PairedSide;
  b: PairedSide;
  comparison: PairedComparison;
  curve: DifferenceCurve;
  /** The loss-difference chart; null when A and B train on different losses (`noChart` says so). */
  chart: ChartModel | null;
  noChart: string | null;
  /** What is lower below 0 in the chart: "MSE" (sse) or "loss". */
  lower: string;
  /** The fields that differ between A and B (seeds left out). */
  diff: DiffRow[];
  /** One sentence reading the numbers. */
  reading: string;
}

/**
 * The paired comparison of two configurations among the compared runs: `aKey` and `bKey` (config
 * keys) when given and they can be paired, else the first configuration that pairs with another
 * and the first other one it pairs with (two pairs of ended runs with the same seeds, in one
 * measure). Null when no two configurations pair.
 */
export function pairedView(data: readonly RunData[], opts: { theme: ThemeName; muted: string; aKey?: string | null; bKey?: string | null }): PairedView | null {
  const groups = groupByConfig(data.map((d) => d.run));
  if (groups.length < 2) return null;
  const names = groupNames(groups);
  type Group = (typeof groups)[number];
  const ended = (g: Group) => g.runs.filter((r) => hasOutcome(r.status));
  const pairsOf = (x: Group, y: Group) => pairRuns(ended(x), ended(y));
  // why y cannot be B beside A = x (null: it can). B is scored in A's measure (analysis/units.ts):
  // a test MSE minus a test error means nothing; and a median of one difference is no comparison
  const whyNotB = (x: Group, y: Group): string | null => {
    if (y === x) return null;
    if (!sameMeasure(y.example, x.example)) return `scored by ${measureWords(y.example)}, A by ${measureWords(x.example)}`;
    const n = pairsOf(x, y).length;
    if (n >= 2) return null;
    return n === 0 ? 'no ended run has A’s init and data seeds' : 'only 1 ended run has A’s seeds: a paired comparison needs 2';
  };
  const canA = (x: Group) => groups.some((y) => y !== x && !whyNotB(x, y));
  // a chosen A or B that cannot be (an address or an earlier choice among other runs) gives way to one that can
  const ga = groups.find((g) => g.key === opts.aKey && canA(g)) ?? groups.find(canA);
  if (!ga) return null;
  const canB = (g: Group) => g !== ga && !whyNotB(ga, g);
  const gb = groups.find((g) => g.key === opts.bKey && canB(g)) ?? groups.find(canB)!;
  const pairs = pairsOf(ga, gb);
  const ia = groups.indexOf(ga);
  const ib = groups.indexOf(gb);
  const comparison = pairedComparison(ga.runs, gb.runs);
  const byId = new Map(data.map((d) => [d.run.id, d]));
  // a squared error minus a cross-entropy means nothing either: no loss-difference curve across losses
  const oneLoss = sameLoss(ga.example, gb.example);
  const withCost = (oneLoss ? pairs : []).flatMap((p) => {
    const ca = byId.get(p.a.id)?.series.cost;
    const cb = byId.get(p.b.id)?.series.cost;
    const side = (c: typeof ca, r: typeof p.a) => ({ ...c!, diverged: r.status === 'diverged', batchSize: r.spec.batchSize });
    return ca && cb ? [{ a: side(ca, p.a), b: side(cb, p.b), ids: [p.a.id, p.b.id] }] : [];
  });
  const curve = lossDifferenceCurve(withCost, { maxPoints: DIFFERENCE_POINTS });
  const a: PairedSide = { name: names[ia], color: groupColor(ga.index, opts.theme), runIds: ga.runs.map((r) => r.id) };
  const b: PairedSide = { name: names[ib], color: groupColor(gb.index, opts.theme), runIds: gb.runs.map((r) => r.id) };
  const diff = configDiff([ga.example.spec, gb.example.spec], SEED_FIELDS);
  // the chart is named by what sets A and B apart (the notes and the exported columns name each in
  // full): a name of every field that differs in the comparison left no room on the canvas
  const label = diff.length ? `${diffLabel(diff, 0)} − ${diffLabel(diff, 1)}` : `${a.name} − ${b.name}`;
  // the loss's own words: 'MSE per sample' (sse), 'cross-entropy per sample'
  const unit = lossLabels([ga.example]).axis.mse;
  const measure = comparison.measure === 'test MSE' ? 'test MSE per sample' : 'test error (1 − accuracy)';
  const meta = { config_a: a.name, config_b: b.name, run_ids_a: withCost.map((p) => p.ids[0]).join(' '), run_ids_b: withCost.map((p) => p.ids[1]).join(' ') };
  const pts = (ys: (number | null)[]) => curve.batch.map((x, k) => ({ x, y: ys[k] }));
  const series: PlotSeries[] = [
    { id: 'difference', label: `${label}, median over ${curve.pairs} pairs`, color: a.color, role: 'centre', points: pts(curve.median), meta },
    { id: 'zero', label: 'no difference', color: opts.muted, role: 'reference', dash: [6, 4], width: 1.5, legend: false, points: curve.batch.length ? [{ x: curve.batch[0], y: 0 }, { x: curve.batch[curve.batch.length - 1], y: 0 }] : [] },
    { id: 'difference-lo', label: `${label} 25 %`, color: a.color, role: 'band-lo', points: pts(curve.lo), legend: false, meta },
    { id: 'difference-hi', label: `${label} 75 %`, color: a.color, role: 'band-hi', points: pts(curve.hi), fillTo: 'difference-lo', legend: false, meta },
  ];
  const chart: ChartModel = {
    id: 'loss-difference',
    title: `Loss difference per batch: ${label}`,
    kind: 'line',
    x: { label: 'batch' },
    y: { label: `${unit}, A − B (same seeds)`, zeroTick: true },
    series,
    runs: provenanceOf(withCost.flatMap((p) => p.ids.map((id) => byId.get(id)!))),
    notes: [
      `A = ${a.name}, B = ${b.name}; ${curve.pairs} pairs of runs with the same init and data seeds`,
      `${unit} of each batch, A − B: median over the pairs, band from the 25th to the 75th percentile; below 0, A has the lower ${ga.example.spec.loss === 'sse' ? 'error' : 'loss'}`,
      `${measure} A − B at the end: median ${fmt(comparison.medianDifference)}, 95 % bootstrap interval ${fmt(comparison.ci.low)} to ${fmt(comparison.ci.high)} (2000 resamples, seed 1)`,
    ],
  };
  const noChart = oneLoss ? null : `No loss-difference chart: A trains on ${ga.example.spec.loss} and B on ${gb.example.spec.loss}, two units; the test scores above compare them.`;
  return {
    groups: groups.map((g, i) => ({ key: g.key, name: names[i], whyNotA: canA(g) ? null : 'pairs with no other configuration here', whyNotB: whyNotB(ga, g) })),
    aKey: ga.key,
    bKey: gb.key,
    a,
    b,
    comparison,
    curve,
    chart: oneLoss ? chart : null,
    noChart,
    lower: ga.example.spec.loss === 'sse' ? 'MSE' : 'loss',
    diff,
    reading: pairedReading(a.name, b.name, comparison),
  };
}

export const pairedPanel = panel({
  id: 'paired',
  needs: ['cost'],
  whole: true,
  build: ({ data, options, colors }) => pairedView(data, { theme: options.theme, muted: colors.muted, aKey: options.pairA, bKey: options.pairB }),
});
