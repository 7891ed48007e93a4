/**
 * The text report of a set of runs (a sweep, an experiment, any runs): one line per
 * configuration with its outcome classes, then — with exactly two configurations run as pairs —
 * the paired comparison, — with two or more swept fields — the stability map, and the reading.
 * All of it from one findings object (analysis/findings.ts), the one the app's Compare page is
 * built from. `nnlab sweep` prints it when the sweep ends; `nnlab runs compare` prints it for
 * saved runs.
 */
import { type Findings, findings, type GroupFindings, type RunFacts, type TimingInput } from '../analysis/findings';
import { configLabel, SEED_FIELDS, valueText } from '../analysis/config-diff';
import { DEFAULT_LEARNED_AT, learnedAtError, type Outcome, outcomeDefinition, outcomeOf } from '../analysis/outcome';
import type { DifferenceCurve, PairedComparison } from '../analysis/paired';
import { readFindings } from '../analysis/reading';
import { type StabilityMaps, varyingFields } from '../analysis/stability';
import { groupByConfig } from '../analysis/groups';
import type { RunStore } from '../db/store';
import type { RunSummary } from '../db/types';
import type { RunSpec } from '../trainer/spec';
import { perSampleWords } from '../analysis/units';
import { UsageError } from './usage';

/** `--learned-at R`: the threshold of the outcome class `learned`, on every command that classifies runs. */
export const LEARNED_AT_OPTION = ['--learned-at <score>', `a run learned when its score is at least this: r² (1 − test MSE / the constant predictor's) for regression, skill (accuracy above the majority class's, as a share of what was left) for classification (default ${DEFAULT_LEARNED_AT})`] as const;

/** The --learned-at value, checked (exit 2 naming the flag when it is not a number in (0, 1]). */
export function learnedAtOption(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_LEARNED_AT;
  const x = Number(raw);
  const why = raw.trim() === '' ? 'must be a number above 0 and at most 1' : learnedAtError(x);
  if (why) throw new UsageError(`--learned-at: ${why}, got '${raw}'`);
  return x;
}

const fmt = (x: number, d = 4) => (Number.isFinite(x) ? x.toFixed(d) : String(x));
const pct = (x: number) => `${Math.round(100 * x)} %`;

function table(head: string[], rows: string[][], leftCols = 1): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < leftCols ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  return [line(head), ...rows.map(line)].join('\n');
}

/**
 * One line per configuration: the swept values, its outcome classes, its median scores (test MSE
 * and r² for regression runs, test accuracy and skill for classification runs: a column for each
 * kind present, never two units in one), median training time (sampled timing).
 */
export function formatSweepSummary(groups: readonly GroupFindings[], swept: readonly string[]): string {
  const diverged = groups.some((g) => g.outcomes.counts.diverged);
  const notCounted = groups.some((g) => g.outcomes.notCountedTotal || g.outcomes.pending);
  const regression = groups.some((g) => g.kind === 'regression');
  const classification = groups.some((g) => g.kind === 'classification');
  const head = [
    'config', 'runs', 'learned', 'underfit', 'learned nothing', ...(diverged ? ['diverged'] : []), ...(notCounted ? ['not counted'] : []),
    ...(regression ? ['median test MSE', 'median r²'] : []), ...(classification ? ['median test accuracy', 'median skill'] : []), 'sampled time',
  ];
  const rows = groups.map((g) => {
    const c = g.outcomes.counts;
    const n = g.outcomes.n;
    return [
      configLabel(g.spec, swept),
      String(g.runIds.length),
      `${c.learned} of ${n}`,
      `${c.underfit} of ${n}`,
      `${c['learned-nothing']} of ${n}`,
      ...(diverged ? [`${c.diverged} of ${n}`] : []),
      ...(notCounted ? [String(g.outcomes.notCountedTotal + g.outcomes.pending)] : []),
      ...(regression ? [g.testMse ? fmt(g.testMse.median, 5) : '–', g.r2 ? fmt(g.r2.median, 3) : '–'] : []),
      ...(classification ? [g.testAccuracy ? `${fmt(100 * g.testAccuracy.median, 1)} %` : '–', g.kind === 'classification' && g.score ? fmt(g.score.median, 3) : '–'] : []),
      g.trainMs ? `${fmt(g.trainMs.median, 1)} ms` : '–',
    ];
  });
  return table(head, rows);
}

/** The paired comparison of A and B: median difference with its interval, wins, and the loss-difference curve at a few batches. */
export function formatPaired(labelA: string, labelB: string, c: PairedComparison, curve: DifferenceCurve | null, loss: RunSpec['loss']): string {
  const lines = [`paired comparison by seeds (${c.pairs} pair${c.pairs === 1 ? '' : 's'}): A = ${labelA}, B = ${labelB}`];
  if (c.unpairedA || c.unpairedB) lines.push(`  without a partner: ${c.unpairedA} run(s) of A, ${c.unpairedB} of B (left out)`);
  if (!c.pairs) return lines.join('\n');
  lines.push(`  ${c.measure === 'test MSE' ? 'test MSE per sample' : 'test error (1 − accuracy)'} A − B: median ${fmt(c.medianDifference, 5)}, 95 % bootstrap interval ${fmt(c.ci.low, 5)} to ${fmt(c.ci.high, 5)}`);
  lines.push(`  A ended lower in ${c.winsA} of ${c.pairs} pairs, B in ${c.winsB}, ties ${c.ties} (A's win rate ${pct(c.winRateA)}, ties count half)`);
  if (curve && curve.batch.length) {
    // the curve is drawn of one loss only (findings), so it is in that loss's unit, whatever the end score's measure
    lines.push(`  ${perSampleWords(loss)} of the batch, A − B (median over the pairs, 25–75 % band):`);
    const rows = curve.batch.map((b, i) => [String(b), fmt(curve.median[i] ?? NaN, 5), fmt(curve.lo[i] ?? NaN, 5), fmt(curve.hi[i] ?? NaN, 5), String(curve.n[i])]);
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
    const title = `stability map: median ${m.measure} (learned/n) by ${m.yField} (rows) × ${m.xField} (columns)${map.facetLabel ? ` — ${map.facetLabel}` : ''}`;
    const head = ['', ...map.xValues.map((v) => `${m.xField}=${valueText(v)}`)];
    const rows = map.yValues.map((y, i) => [
      `${m.yField}=${valueText(y)}`,
      ...map.cells[i].map((c) => {
        if (!c) return '–';
        const med = c.medianTestMse === null ? '–' : fmt(c.medianTestMse, 5);
        const counts = [c.n ? `${c.learned}/${c.n}` : '', c.pending ? `${c.pending} pending` : '', c.notCounted ? `${c.notCounted} not counted` : ''].filter(Boolean).join(', ');
        return `${med} (${counts})`;
      }),
    ]);
    out.push(`${title}\n${table(head, rows)}`);
  }
  return out.join('\n\n');
}

export interface Report {
  findings: Findings;
  swept: string[];
  /** Labels of the configurations (findings.configs), from the swept fields. */
  /** `loss`: A's, the curve's unit (a curve is drawn only when B trains on the same loss). */
  paired: { a: string; b: string; comparison: PairedComparison; curve: DifferenceCurve | null; loss: RunSpec['loss'] } | null;
  stability: StabilityMaps | null;
}

/** The series the findings read, and the fewest points of a cost history that the CLI's curve table prints. */
const FACT_SERIES = ['cost', 'checkpointBatches', 'gradNorms', 'estimates', 'testTargets'] as const;

/** What the findings need of saved runs: each run's record (diagnostics) and series. */
export function factsOf(store: RunStore, runs: readonly RunSummary[]): RunFacts[] {
  return runs.map((r) => {
    const rec = store.getRun(r.id);
    return { run: { ...r, diagnostics: rec?.diagnostics ?? null }, series: rec ? store.getSeries(r.id, [...FACT_SERIES]) : {} };
  });
}

/**
 * The analyses of a set of runs. `swept`: the swept fields in the sweep's order (default: the
 * spec fields that differ between the runs); `learnedAt`: the threshold of `learned`; `timing`:
 * the honest timing of these configurations, if there is one.
 */
export function analyse(facts: readonly RunFacts[], options: { swept?: string[]; learnedAt?: number; timing?: TimingInput | null; curvePoints?: number } = {}): Report {
  const runs = facts.map((f) => f.run);
  // a swept seed is replicates, not a configuration: its runs share a group, whose label and map would name one run's seed
  const swept = (options.swept ?? varyingFields(groupByConfig(runs).map((g) => g.example.spec))).filter((f) => !(SEED_FIELDS as readonly string[]).includes(f));
  const names = new Map(groupByConfig(runs).map((g) => [g.key, configLabel(g.example.spec, swept)]));
  const f = findings(facts, { learnedAt: options.learnedAt, names, timing: options.timing, curvePoints: options.curvePoints ?? 6 });
  const paired = f.paired
    ? { a: f.groups[f.paired.a].name, b: f.groups[f.paired.b].name, comparison: f.paired.comparison, curve: f.paired.curve.batch.length ? f.paired.curve : null, loss: f.groups[f.paired.a].spec.loss }
    : null;
  const stability = swept.length >= 2 && f.stability ? f.stability : null;
  return { findings: f, swept, paired, stability };
}

/** What the table's time column is, so it is not read as the honest timing's figure (nnlab time). */
export const SAMPLED_TIME_NOTE = 'sampled time: the median of the runs’ own training times, taken while other runs trained beside them, the first runs with the trainer processes’ warm-up: no fair comparison of speed (honest timing: nnlab time)';

/** The report as text: the summary table and what it counts, then the paired comparison, the stability maps, and the reading. */
export function formatReport(r: Report, options: { reading?: boolean } = {}): string {
  const parts = [`${formatSweepSummary(r.findings.configs, r.swept)}\n${outcomeDefinition(r.findings.learnedAt, r.findings.configs.map((g) => (g.kind === 'classification' ? 'skill' : 'r2')))}\n${SAMPLED_TIME_NOTE}`];
  if (r.paired) parts.push(formatPaired(r.paired.a, r.paired.b, r.paired.comparison, r.paired.curve, r.paired.loss));
  if (r.stability) parts.push(formatStability(r.stability));
  if (options.reading !== false) {
    const reading = readFindings(r.findings).paragraphs;
    if (reading.length) parts.push(reading.join('\n'));
  }
  return parts.join('\n\n');
}

/** A run as JSON with its outcome: every ended run with an outcome gets `r2` and `outcome` (null for the others). */
export function withOutcome<R extends RunSummary>(run: R, learnedAt: number): R & { r2: number | null; outcome: Outcome | null; learnedAt: number } {
  const o = outcomeOf(run, learnedAt);
  return { ...run, r2: o?.r2 ?? null, outcome: o?.outcome ?? null, learnedAt };
}

/** The report as JSON-ready data (non-finite numbers become null when stringified by the caller). */
export function reportJson(r: Report): unknown {
  const f = r.findings;
  return {
    swept: r.swept,
    learnedAt: f.learnedAt,
    groups: f.configs.map((g) => ({
      config: g.name,
      configKey: g.key,
      runIds: g.runIds,
      outcomes: g.outcomes,
      medianTestMse: g.testMse?.median ?? null,
      medianR2: g.r2?.median ?? null,
      medianTrainMs: g.trainMs?.median ?? null,
    })),
    paired: r.paired,
    stability: r.stability,
    reading: readFindings(f).paragraphs,
  };
}
