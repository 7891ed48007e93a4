/**
 * The text report of a set of runs (a sweep, an experiment, any runs): one line per
 * configuration, then — with exactly two configurations run as pairs — the paired comparison, and
 * — with two or more swept fields — the stability map. `nnlab sweep` prints it when the sweep
 * ends; `nnlab runs compare` prints it for saved runs.
 */
import { type CostSeries, type DifferenceCurve, lossDifferenceCurve, type PairedComparison, pairedComparison, pairRuns } from '../analysis/paired';
import { configLabel, valueText } from '../analysis/config-diff';
import { type StabilityMaps, stabilityMaps, varyingFields } from '../analysis/stability';
import { type ConfigGroup, groupByConfig } from '../analysis/stats';
import { hasOutcome } from '../analysis/status';
import type { RunSummary } from '../db/types';

const fmt = (x: number, d = 4) => (Number.isFinite(x) ? x.toFixed(d) : String(x));
const pct = (x: number) => `${Math.round(100 * x)} %`;

function table(head: string[], rows: string[][], leftCols = 1): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < leftCols ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  return [line(head), ...rows.map(line)].join('\n');
}

/** One line per configuration: the swept values, median final cost, failures "k of n", median time. */
export function formatSweepSummary(groups: ConfigGroup[], swept: string[]): string {
  const head = ['config', 'runs', 'median final cost', 'failed', 'median time'];
  const rows = groups.map((g) => [configLabel(g.example.spec, swept), String(g.runs.length), fmt(g.medianFinalCost), `${g.failedCount} of ${g.finished}`, `${fmt(g.medianTrainMs, 1)} ms`]);
  return table(head, rows);
}

/** The paired comparison of A and B: median difference with its interval, wins, and the loss-difference curve at a few batches. */
export function formatPaired(labelA: string, labelB: string, c: PairedComparison, curve: DifferenceCurve | null): string {
  const lines = [`paired comparison by seeds (${c.pairs} pair${c.pairs === 1 ? '' : 's'}): A = ${labelA}, B = ${labelB}`];
  if (c.unpairedA || c.unpairedB) lines.push(`  without a partner: ${c.unpairedA} run(s) of A, ${c.unpairedB} of B (left out)`);
  if (!c.pairs) return lines.join('\n');
  lines.push(`  final cost A − B: median ${fmt(c.medianDifference)}, 95 % bootstrap interval ${fmt(c.ci.low)} to ${fmt(c.ci.high)}`);
  lines.push(`  A ended lower in ${c.winsA} of ${c.pairs} pairs, B in ${c.winsB}, ties ${c.ties} (A's win rate ${pct(c.winRateA)}, ties count half)`);
  if (curve && curve.batch.length) {
    lines.push('  loss difference lossA − lossB per batch (median over the pairs, 25–75 % band):');
    const rows = curve.batch.map((b, i) => [String(b), fmt(curve.median[i] ?? NaN), fmt(curve.lo[i] ?? NaN), fmt(curve.hi[i] ?? NaN), String(curve.n[i])]);
    lines.push(
      table(['batch', 'median', '25 %', '75 %', 'pairs'], rows, 0)
        .split('\n')
        .map((l) => `    ${l}`)
        .join('\n'),
    );
  }
  return lines.join('\n');
}

/** The stability maps as text tables: rows = y values, columns = x values, "median (failed/n)" per cell. */
export function formatStability(m: StabilityMaps): string {
  const out: string[] = [];
  for (const map of m.maps) {
    const title = `stability map: median final cost (failed/n) by ${m.yField} (rows) × ${m.xField} (columns)${map.facetLabel ? ` — ${map.facetLabel}` : ''}`;
    const head = ['', ...map.xValues.map((v) => `${m.xField}=${valueText(v)}`)];
    const rows = map.yValues.map((y, i) => [
      `${m.yField}=${valueText(y)}`,
      ...map.cells[i].map((c) => {
        if (!c) return '–';
        const med = c.medianFinalCost === null ? '–' : fmt(c.medianFinalCost);
        const counts = [c.n ? `${c.failed}/${c.n}` : '', c.pending ? `${c.pending} pending` : ''].filter(Boolean).join(', ');
        return `${med} (${counts})`;
      }),
    ]);
    out.push(`${title}\n${table(head, rows)}`);
  }
  return out.join('\n\n');
}

export interface Report {
  groups: ConfigGroup[];
  swept: string[];
  paired: { a: string; b: string; comparison: PairedComparison; curve: DifferenceCurve | null } | null;
  stability: StabilityMaps | null;
}

/**
 * The analyses of a set of runs. `swept`: the swept fields in the sweep's order (default: the
 * spec fields that differ between the runs); `costOf`: a run's cost history, for the
 * loss-difference curve (`curvePoints` batches of it).
 */
export function analyse(runs: readonly RunSummary[], options: { swept?: string[]; costOf?: (id: number) => CostSeries | undefined; curvePoints?: number } = {}): Report {
  const groups = groupByConfig(runs);
  const swept = options.swept ?? varyingFields(groups.map((g) => g.example.spec));
  let paired: Report['paired'] = null;
  if (groups.length === 2) {
    const [a, b] = groups;
    const comparison = pairedComparison(a.runs, b.runs);
    let curve: DifferenceCurve | null = null;
    if (options.costOf && comparison.pairs) {
      const ended = (g: ConfigGroup) => g.runs.filter((r) => hasOutcome(r.status));
      const pairs = pairRuns(ended(a), ended(b)).flatMap((p) => {
        const ca = options.costOf!(p.a.id);
        const cb = options.costOf!(p.b.id);
        return ca && cb ? [{ a: { ...ca, diverged: p.a.status === 'diverged' }, b: { ...cb, diverged: p.b.status === 'diverged' } }] : [];
      });
      if (pairs.length) curve = lossDifferenceCurve(pairs, { maxPoints: options.curvePoints ?? 6 });
    }
    paired = { a: configLabel(a.example.spec, swept), b: configLabel(b.example.spec, swept), comparison, curve };
  }
  const maps = swept.length >= 2 ? stabilityMaps(runs, { fields: swept }) : null;
  return { groups, swept, paired, stability: maps };
}

export const FAILED_NOTE = 'failed = learned nothing (final MSE per sample not below the best constant predictor), diverged, or crashed';

/** The report as text: the summary table, the failure note, then the paired comparison and the stability maps where they apply. */
export function formatReport(r: Report): string {
  const parts = [`${formatSweepSummary(r.groups, r.swept)}\n${FAILED_NOTE}`];
  if (r.paired) parts.push(formatPaired(r.paired.a, r.paired.b, r.paired.comparison, r.paired.curve));
  if (r.stability) parts.push(formatStability(r.stability));
  return parts.join('\n\n');
}

/** The report as JSON-ready data (non-finite numbers become null when stringified by the caller). */
export function reportJson(r: Report): unknown {
  return {
    swept: r.swept,
    groups: r.groups.map((g) => ({ config: configLabel(g.example.spec, r.swept), configKey: g.key, runIds: g.runs.map((x) => x.id), finished: g.finished, failed: g.failedCount, medianFinalCost: g.medianFinalCost, medianTrainMs: g.medianTrainMs })),
    paired: r.paired,
    stability: r.stability,
  };
}
