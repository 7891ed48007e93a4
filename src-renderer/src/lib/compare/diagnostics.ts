/**
 * The diagnostics panel: per run, its hidden units dead at init and at the end (and those that
 * died in training), the hidden layers' saturation, dead output units, where it diverged, its
 * outcome and its latest re-run check. Pure.
 */
import type { Verification } from '@main/db/types';
import { DEFAULT_LEARNED_AT, type Outcome, outcomeOf, type ScoreMetric } from '@main/analysis/outcome';
import type { Item, RunData } from './context';
import { panel } from './panel';
import { hasEpochs, probeWords } from '@main/trainer/tasks';

export interface DiagnosticsRow {
  runId: number;
  label: string;
  color: string;
  hiddenUnits: number;
  deadAtInit: number | null;
  deadAtEnd: number | null;
  /** Dead at the end but alive at init: died during training. */
  diedInTraining: number | null;
  /** Mean saturation of the hidden layers at the end (sigmoid/tanh), 0–1. */
  saturationAtEnd: number | null;
  /** The batch whose cost was first not finite, counted from 1 as the charts' x axis and the CLI count (the trainer stores its index). */
  divergedAtBatch: number | null;
  outputDeadAtInit: number | null;
  outputDeadAtEnd: number | null;
  status: string;
  /** The run's outcome class (null: no outcome: still training, cancelled, interrupted, ended in an error). */
  outcome: Outcome | null;
  /** The metric the outcome was judged by (r², or skill for classification; null: no outcome). */
  metric: ScoreMetric | null;
  /** The threshold the outcome was classed at. */
  learnedAt: number;
  r2: number | null;
  /** The run's latest re-run check (null: never checked). */
  verification: Verification | null;
  /** The run's task, and where its units were probed for "dead", in words (null: no diagnostics stored). */
  task: string;
  probe: string | null;
}

/** A stored batch index as the batch's number, counted from 1. */
const batchNumber = (index: number | null): number | null => (index === null ? null : index + 1);

const hiddenLayers = <T>(perLayer: readonly T[]): T[] => perLayer.slice(0, -1);

function deadCounts(d: RunData): { hidden: number; init: number | null; end: number | null; died: number | null; sat: number | null; out: number | null; outInit: number | null } {
  const hidden = d.run.spec.shape.slice(1, -1).reduce((a, b) => a + b, 0);
  const g = d.run.diagnostics;
  if (!g) return { hidden, init: null, end: null, died: null, sat: null, out: null, outInit: null };
  const init = hiddenLayers(g.atInit.dead).reduce((a, l) => a + l.length, 0);
  const end = hiddenLayers(g.atEnd.dead).reduce((a, l) => a + l.length, 0);
  let died = 0;
  hiddenLayers(g.atEnd.dead).forEach((l, k) => {
    const before = new Set(g.atInit.dead[k]);
    died += l.filter((u) => !before.has(u)).length;
  });
  const sats = hiddenLayers(g.atEnd.saturation).filter((s): s is number => s !== null);
  const sat = sats.length ? sats.reduce((a, b) => a + b, 0) / sats.length : null;
  const out = g.atEnd.dead[g.atEnd.dead.length - 1]?.length ?? null;
  const outInit = g.atInit.dead[g.atInit.dead.length - 1]?.length ?? null;
  return { hidden, init, end, died, sat, out, outInit };
}

export function diagnosticsRows(items: Item[], learnedAt = DEFAULT_LEARNED_AT): DiagnosticsRow[] {
  return items.flatMap((item) =>
    item.runs.map((d) => {
      const c = deadCounts(d);
      const judged = outcomeOf(d.run, learnedAt);
      return {
        runId: d.run.id,
        label: item.runs.length > 1 ? `#${d.run.id} (${item.label})` : item.label,
        color: item.color,
        hiddenUnits: c.hidden,
        deadAtInit: c.init,
        deadAtEnd: c.end,
        diedInTraining: c.died,
        saturationAtEnd: c.sat,
        divergedAtBatch: batchNumber(d.run.diagnostics?.divergedAtBatch ?? null),
        outputDeadAtInit: c.outInit,
        outputDeadAtEnd: c.out,
        status: d.run.status,
        outcome: judged?.outcome ?? null,
        metric: judged?.score.metric ?? null,
        learnedAt,
        r2: judged?.r2 ?? null,
        verification: d.run.verification ?? null,
        task: d.run.spec.task,
        probe: typeof d.run.diagnostics?.probePoints === 'number' ? probeWords({ drawn: !hasEpochs(d.run.spec.task), inputs: d.run.spec.shape[0], points: d.run.diagnostics.probePoints }) : null,
      };
    }),
  );
}

/**
 * Where the rows' units were probed for "dead", in words: one place ("250 of the run’s training
 * points"), or each task's ("sincos: a 101-point grid over the input range; circle, xor: …").
 */
export function probedWhere(rows: readonly Pick<DiagnosticsRow, 'task' | 'probe'>[]): string | null {
  const tasks = new Map<string, string[]>();
  for (const r of rows) {
    if (r.probe === null) continue;
    const names = tasks.get(r.probe) ?? [];
    if (!names.includes(r.task)) names.push(r.task);
    tasks.set(r.probe, names);
  }
  if (!tasks.size) return null;
  if (tasks.size === 1) return [...tasks.keys()][0];
  return [...tasks].map(([probe, names]) => `${names.join(', ')}: ${probe}`).join('; ');
}

export const diagnosticsPanel = panel({
  id: 'diagnostics',
  needs: [],
  build: ({ items, options }) => diagnosticsRows(items, options.learnedAt),
});
