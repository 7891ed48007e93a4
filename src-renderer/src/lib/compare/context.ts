/**
 * What every Compare panel builds from: the compared runs' data (RunData), the view's options,
 * the items (a line per run, or per replicate group) and the replicate groups in the page's
 * labels and colours, the config diff, and the findings (analysis/findings.ts) the reading and
 * the replicate table share. compare() (./index.ts) computes this once per change and hands it
 * to each panel's build (./panels.ts). Pure.
 */
import type { WireSeries } from '@main/api/contract';
import type { RunRecord, RunSummary, SeriesName } from '@main/db/types';
import type { DeadUnitFindings, Findings, GroupFindings } from '@main/analysis/findings';
import { groupByConfig } from '@main/analysis/groups';
import { DEFAULT_LEARNED_AT, type OutcomeCounts } from '@main/analysis/outcome';
import type { Stat } from '@main/analysis/stats';
import type { ProvenanceRun } from '../chart-model';
import { groupColor, lineDash, runColor, type ThemeName } from '../colors';
import { configDiff, type DiffRow, diffLabel, SEED_FIELDS } from '../diff';
import type { Aggregate, XAxis } from '../series';
import type { TaskKind } from '@main/trainer/tasks';
import type { ParallelView } from './parallel';

/** Live cost points of a run still training (from progress events). */
export interface LivePoints {
  /** Batch numbers (1-based) and costs. */
  batch: number[];
  cost: (number | null)[];
  batchesDone: number;
  batches: number;
  elapsedMs: number;
}

export interface RunData {
  /** The full record once fetched (timing, diagnostics); the summary before. */
  run: RunSummary & Partial<Pick<RunRecord, 'timing' | 'diagnostics' | 'verification'>>;
  /** The stored series the panels need (./panels.ts COMPARE_SERIES), once the run has them. */
  series: Partial<Record<SeriesName, WireSeries>>;
  live?: LivePoints;
}

export type YMetric = 'cost' | 'mse';
export type CurveMode = 'runs' | 'groups';

export interface CompareOptions {
  xAxis: XAxis;
  yMetric: YMetric;
  logY: boolean;
  /** A logarithmic x axis on the training curves (a sweep's 300-batch runs beside its 20,000-batch ones). */
  logX: boolean;
  /** EMA weight, 0 (off) to 0.99. */
  smoothing: number;
  mode: CurveMode;
  /** Groups' centre line and band: median with the 25–75 % band, or mean ± 1 sd. */
  aggregate: Aggregate;
  /** Fit snapshot as a fraction of training (0 = init, 1 = end); null: the final fit. */
  fitAt: number | null;
  theme: ThemeName;
  /** Target MSE per sample for "time to target". */
  targetMse: number;
  /** A run learned when its r² is at least this (the outcome classes' threshold). */
  learnedAt: number;
  /** The paired comparison's A and B (config keys) as the person chose them; null: the first two that pair. */
  pairA: string | null;
  pairB: string | null;
}

/** MSE per sample is the page's unit; the seed's batch cost is one choice away. */
export const DEFAULT_OPTIONS: CompareOptions = { xAxis: 'batch', yMetric: 'mse', logY: true, logX: false, smoothing: 0.6, mode: 'runs', aggregate: 'median', fitAt: null, theme: 'light', targetMse: 0.01, learnedAt: DEFAULT_LEARNED_AT, pairA: null, pairB: null };

export const Y_LABELS: Record<YMetric, string> = {
  cost: 'cost (squared error of the batch)',
  mse: 'MSE per sample',
};

/** One line or group in the comparison: a run (runs mode) or a replicate group. */
export interface Item {
  key: string;
  label: string;
  color: string;
  /** The line's dash pattern ([] solid): past the palette's 10 colours, lines differ by dash too. */
  dash?: number[];
  /** The full spec behind the line (a legend entry's tooltip). */
  detail?: string;
  runs: RunData[];
}

/** A row of the replicate table: a configuration's findings in the page's colours. */
export interface GroupRow {
  key: string;
  /** The differing fields' values: "relu". */
  name: string;
  /** The name with the seed count: "relu (20 seeds)". */
  label: string;
  color: string;
  runIds: number[];
  outcomes: OutcomeCounts;
  /** What the scores are: test MSE and r² (regression), test accuracy and skill (classification). */
  kind: 'regression' | 'classification';
  /** Test MSE per sample (a diverged run's +∞) and r² over the runs with an outcome. */
  testMse: Stat | null;
  r2: Stat | null;
  /** Classification: test accuracy and skill over the runs with an outcome (null for regression). */
  testAccuracy: Stat | null;
  skill: Stat | null;
  trainMs: Stat | null;
  dead: DeadUnitFindings | null;
}

/** What a panel's build reads: the comparison's shared parts, computed once. */
export interface PanelContext {
  /** Every compared run that is loaded and that the parallel coordinates' brushes keep (all of them without a brush), in the selection's order. */
  data: readonly RunData[];
  /** The parallel coordinates of every loaded run, before the brushes (null: fewer than two fields vary). */
  parallel: ParallelView | null;
  options: CompareOptions;
  colors: { truth: string; muted: string };
  items: Item[];
  /** Spec fields that differ (between runs, or between groups without the seeds). */
  diff: DiffRow[];
  /** Seeds vary within groups (replicates). */
  seedsVary: boolean;
  groups: GroupRow[];
  findings: Findings;
  /** Compared runs still queued or training. */
  active: number;
  /** The kinds of task among the runs (what their scores are), in the order the runs first have them. */
  kinds: TaskKind[];
}

export function provenanceOf(runs: readonly RunData[]): ProvenanceRun[] {
  return runs.map(({ run }) => ({ id: run.id, configKey: run.configKey, spec: run.spec, initSeed: run.initSeed, dataSeed: run.dataSeed, appVersion: run.appVersion, status: run.status }));
}

/** Items (lines) of the comparison, with labels from the config diff. */
export function buildItems(data: readonly RunData[], mode: CurveMode, theme: ThemeName): { items: Item[]; diff: DiffRow[]; seedsVary: boolean; groups: ReturnType<typeof groupByConfig<RunSummary>> } {
  const runs = data.map((d) => d.run);
  const groups = groupByConfig(runs);
  const byId = new Map(data.map((d) => [d.run.id, d]));
  if (mode === 'groups') {
    const diff = configDiff(groups.map((g) => g.runs[0].spec), SEED_FIELDS);
    const labels = groupLabels(groups);
    const seedsVary = groups.some((g) => g.runs.length > 1);
    const items = groups.map((g, i) => ({
      key: g.key,
      label: labels[i],
      color: groupColor(g.index, theme),
      dash: lineDash(g.index),
      detail: `${labels[i]}: runs ${g.runs.map((r) => `#${r.id}`).join(' ')}\n${specText(g.runs[0].spec, SEED_FIELDS)}`,
      runs: g.runs.map((r) => byId.get(r.id) as RunData),
    }));
    return { items, diff, seedsVary, groups };
  }
  const diff = configDiff(runs.map((r) => r.spec));
  const items = data.map((d, i) => {
    const what = diff.length ? diffLabel(diff, i) : d.run.spec.activation;
    return { key: `run-${d.run.id}`, label: `#${d.run.id} ${what}`, color: runColor(d.run.id, theme), dash: lineDash(d.run.id - 1), detail: `run #${d.run.id}\n${specText(d.run.spec)}`, runs: [d] };
  });
  return { items, diff, seedsVary: false, groups };
}

/** A spec in full for a tooltip, one field a line (`ignore`d fields left out: a group's seeds vary). */
export function specText(spec: object, ignore: readonly string[] = []): string {
  return JSON.stringify(Object.fromEntries(Object.entries(spec).filter(([k]) => !ignore.includes(k))), null, 1);
}

/**
 * Names of replicate groups from the fields that differ between them: "relu", "initMean −0.1".
 * `ignore`: fields left out too (the reading names configurations without `batches`, which it
 * states itself: "with 10× the batches").
 */
export function groupNames(groups: readonly { runs: readonly RunSummary[] }[], ignore: readonly string[] = []): string[] {
  const diff = configDiff(groups.map((g) => g.runs[0].spec), [...SEED_FIELDS, ...ignore]);
  return groups.map((_, i) => (diff.length ? diffLabel(diff, i) : groups.length === 1 ? 'all runs' : `config ${i + 1}`));
}

/** Group labels with their seed count: "relu (20 seeds)". */
export function groupLabels(groups: readonly { runs: readonly RunSummary[] }[]): string[] {
  return groupNames(groups).map((name, i) => `${name} (${groups[i].runs.length} seed${groups[i].runs.length === 1 ? '' : 's'})`);
}

/**
 * Rows of the replicate summary, from the findings. A group of one run takes the run's colour in
 * runs mode, so a run is the same colour in every chart and table of the view.
 */
export function groupRows(groups: ReturnType<typeof groupByConfig<RunSummary>>, found: readonly GroupFindings[], theme: ThemeName, mode: CurveMode = 'groups'): GroupRow[] {
  const labels = groupLabels(groups);
  const names = groupNames(groups);
  return groups.map((g, i) => {
    const f = found.find((x) => x.key === g.key)!;
    return {
      key: g.key,
      name: names[i],
      label: labels[i],
      color: mode === 'runs' && g.runs.length === 1 ? runColor(g.runs[0].id, theme) : groupColor(g.index, theme),
      runIds: f.runIds,
      outcomes: f.outcomes,
      kind: f.kind,
      testMse: f.testMse,
      r2: f.r2,
      testAccuracy: f.testAccuracy,
      skill: f.kind === 'classification' ? f.score : null,
      trainMs: f.trainMs,
      dead: f.dead,
    };
  });
}
