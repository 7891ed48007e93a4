/**
 * The comparison, computed: from the selected runs and their series, the parts every panel
 * shares (./context.ts: items, replicate groups, the config diff, and the findings of
 * analysis/findings.ts that the replicate table, the strip and the reading of analysis/reading.ts
 * are built from, so the reading and the figures beside it come from one computed object), then
 * each panel of the registry (./panels.ts) built from them. Pure: the composable useComparison
 * feeds it data and options and CompareView draws what comes out.
 */
import { findings, type Findings, type TimingInput } from '@main/analysis/findings';
import { readFindings } from '@main/analysis/reading';
import { isActive } from '@main/analysis/status';
import type { DiffRow } from '../diff';
import { buildItems, type CompareOptions, type GroupRow, groupNames, groupRows, type Item, type PanelContext, type RunData } from './context';
import { PANELS, type PanelId, type PanelViews } from './panels';
import type { TaskKind } from '@main/trainer/tasks';
import type { Brush } from '../parallel';
import { parallelOf } from './parallel';

export interface Comparison {
  items: Item[];
  groups: GroupRow[];
  /** Spec fields that differ (between runs, or between groups without the seeds). */
  diff: DiffRow[];
  diffHeads: { label: string; color: string }[];
  /** Seeds vary within groups (replicates). */
  seedsVary: boolean;
  /** The kinds of task among the runs (what their scores are). */
  kinds: TaskKind[];
  /** Everything the reading says, computed once (the replicate table and the strip use it too). */
  findings: Findings;
  reading: string[];
  /** "Train these with 10× the batches": the batches to offer, or null. */
  offerBatches: number | null;
  notes: string[];
  /** Each panel's view, by id: only the panels that have something to show for these runs. */
  views: Partial<PanelViews>;
  /** The parallel coordinates' brushes keep some runs: the panels but that one show these of the loaded runs. */
  brushed: { kept: number; total: number } | null;
}

export interface CompareExtra {
  /** The honest timing of these configurations that the page shows (the reading names its speed figure from it). */
  timing?: TimingInput | null;
  /** Some selected runs are still loading: the panels of statistics over all of them wait. */
  partial?: boolean;
  /** The parallel coordinates' brushes (lib/parallel.ts): the other panels show only the runs they keep. */
  brushes?: readonly Brush[];
}

/**
 * The parts every panel builds from (items, groups, diff, findings), computed once — from the runs
 * the parallel coordinates' brushes keep (every loaded run without a brush); the parallel
 * coordinates themselves from every loaded run.
 */
export function panelContext(loaded: readonly RunData[], opts: CompareOptions, colors: { truth: string; muted: string }, extra: CompareExtra = {}): PanelContext {
  const parallel = parallelOf(loaded, opts, extra.brushes ?? []);
  const keep = parallel?.model.brushes.length ? new Set(parallel.model.keptIds) : null;
  const data = keep ? loaded.filter((d) => keep.has(d.run.id)) : loaded;
  const { items, diff, seedsVary, groups } = buildItems(data, opts.mode, opts.theme);
  const names = groupNames(groups, ['batches']);
  const found = findings(data, { learnedAt: opts.learnedAt, targetMse: opts.targetMse, names: new Map(groups.map((g, i) => [g.key, names[i]])), timing: extra.timing ?? null });
  const groupList = groupRows(groups, found.configs, opts.theme, opts.mode);
  const kinds = [...new Set(data.map((d) => d.run.kind))];
  return { data, parallel, options: opts, colors, items, diff, seedsVary, groups: groupList, findings: found, active: data.filter((d) => isActive(d.run.status)).length, kinds };
}

/** Everything the comparison view shows, from the runs' data and the view's options. */
export function compare(data: readonly RunData[], opts: CompareOptions, colors: { truth: string; muted: string }, extra: CompareExtra = {}): Comparison {
  const ctx = panelContext(data, opts, colors, extra);
  const read = ctx.groups.some((g) => g.runIds.length > 1) ? readFindings(ctx.findings) : { paragraphs: [], offerBatches: null };
  const notes: string[] = [];
  const tasks = new Set(data.map((d) => d.run.spec.task));
  const regression = data.find((d) => d.run.kind === 'regression');
  if (tasks.size > 1 && regression) notes.push(`The runs have different tasks (${[...tasks].join(', ')}): fits show the ${regression.run.spec.task} runs only.`);
  const views: Partial<Record<PanelId, unknown>> = {};
  for (const p of PANELS) {
    if (extra.partial && p.whole) continue;
    // a brush that keeps no run leaves only the picture it was drawn on, to take it off again
    if (!ctx.data.length && p.id !== 'parallel') continue;
    const view = p.build(ctx);
    if (view !== null) views[p.id] = view;
  }
  const drawn = views as Partial<PanelViews>;
  if (drawn.boundaries?.more) {
    const b = drawn.boundaries;
    const which = b.configs > 1 ? `the first seeds of each of the ${b.configs} configurations in turn` : 'the first';
    notes.push(`Decision boundaries: ${b.boundaries.length} of ${b.boundaries.length + b.more} classification runs, ${which}.`);
  }
  return {
    items: ctx.items,
    groups: ctx.groups,
    diff: ctx.diff,
    diffHeads: ctx.items.map((it) => ({ label: it.label, color: it.color })),
    seedsVary: ctx.seedsVary,
    kinds: ctx.kinds,
    findings: ctx.findings,
    reading: read.paragraphs,
    offerBatches: read.offerBatches,
    notes,
    views: drawn,
    brushed: ctx.parallel?.model.brushes.length ? { kept: ctx.data.length, total: data.length } : null,
  };
}
