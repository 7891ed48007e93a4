/** Plain-text summaries of a run for the terminal. */
import { DEFAULT_LEARNED_AT, OUTCOME_WORDS, outcomeOf, type RunOutcome } from '../analysis/outcome';
import { seedLine } from '../analysis/seed-line';
import { confusionMatrix } from '../analysis/learned';
import type { RunSpec } from '../trainer/spec';
import type { RunResult } from '../trainer/trainer';
import { classOf, outputNames, TASK_DEFS } from '../trainer/tasks';
import { outOfReachText, outputOutOfReach } from '../analysis/output-reach';

const fmt = (x: number, digits = 5) => (Number.isFinite(x) ? x.toFixed(digits) : String(x));

export function describeSpec(s: RunSpec): string {
  const init = s.initialWeights ? 'explicit weights' : s.init === 'normal' ? `Normal(${s.initMean}, ${s.eps})` : s.init;
  const opt = s.optimizer === 'sgd' ? 'SGD' : s.optimizer;
  const data = taskDetails(s);
  const output = s.outputActivation === 'seed' ? '' : ` (${s.outputActivation} output)`;
  const loss = s.loss === 'sse' ? '' : `, ${s.loss}`;
  const reg = [s.l2 ? `l2 ${s.l2}` : '', s.l1 ? `l1 ${s.l1}` : ''].filter(Boolean).join(' ');
  return `${s.task}${data} [${s.shape.join(',')}] ${s.activation}${output}${loss}, ${opt} lr ${s.learningRate}${reg ? ` ${reg}` : ''}, batch ${s.batchSize} × ${s.batches}, init ${init}, seeds ${s.initSeed}/${s.dataSeed}, ${s.dtype}`;
}

/** The task's parameters, as the spec sets them (empty for a task without any). */
function taskDetails(s: RunSpec): string {
  const def = TASK_DEFS[s.task];
  switch (def.sampling) {
    case 'generated':
      return ` (${s.samples} samples, noise ${s.noise}, train ${s.trainFraction})`;
    case 'expression':
      return ` ${s.target} on [${s.domain.join(', ')}]`;
    case 'table':
      return ` ${s.dataset.slice(0, 12)}: ${s.inputColumns.join(', ')} → ${s.labelColumn || s.targetColumns.join(', ')} (train ${s.trainFraction}${s.standardize ? ', standardised' : ''})`;
    case 'images':
      return s.dataset ? ` ${s.dataset.slice(0, 12)}` : '';
    default:
      return '';
  }
}

function deadLine(r: RunResult, shape: readonly number[]): string {
  const { atInit, atEnd } = r.diagnostics;
  return atInit.dead
    .map((d, i) => {
      const l = i + 1;
      const name = l === shape.length - 1 ? 'output' : `hidden ${l}`;
      return `${name} ${d.length}/${shape[l]} → ${atEnd.dead[i].length}/${shape[l]}`;
    })
    .join(', ');
}

/**
 * The seed's closing line (analysis/seed-line, as the app's run page shows it), then time, health
 * and outcome, then estimates vs truth (a table's: predicted vs actual). `names`: the outputs'
 * names where the spec alone does not say them (a table's classes).
 */
export function formatSummary(spec: RunSpec, r: RunResult, learnedAt = DEFAULT_LEARNED_AT, names?: readonly string[]): string {
  const lines: string[] = [];
  const h = r.costHistory;
  lines.push(seedLine({ data: h })?.text ?? 'no batches trained');
  const t = r.timing;
  const us = t.usPerSample;
  lines.push(
    `time: ${t.trainMs.toFixed(1)} ms for ${r.batchesRun} batches (${Math.round(t.samplesPerSecond).toLocaleString('en-US')} samples/s); µs per sample: forward ${fmt(us.forward, 3)}, backward ${fmt(us.backward, 3)}, update ${fmt(us.update, 3)} [${r.kernel}]`,
  );
  lines.push(`dead units (init → end): ${deadLine(r, spec.shape)}`);
  const sat = r.diagnostics.atEnd.saturation;
  if (sat.some((s) => s > 0)) lines.push(`saturation at end: ${sat.map((s) => `${(100 * s).toFixed(1)} %`).join(', ')}`);
  // batches counted from 1, as "for N batches" above and the charts' x axis count them
  if (r.status === 'diverged') lines.push(`diverged: the cost became ${h[h.length - 1]} at batch ${(r.diagnostics.divergedAtBatch ?? h.length - 1) + 1}`);
  const o = outcomeOf({ status: r.status, testMse: r.testMse, baselineMse: r.baselineMse, testAccuracy: r.testAccuracy, majorityShare: r.majorityShare }, learnedAt);
  const outputs = names ?? outputNames(spec, spec.shape[spec.shape.length - 1]);
  if (r.kind === 'classification') lines.push(verdictOfClassification(spec, r, o, learnedAt));
  else {
    // a diverged network's outputs are NaN or ±Infinity: said in words, not as a number
    const testMse = Number.isFinite(r.testMse) ? `${fmt(r.testMse)} vs` : 'not finite: the network’s outputs overflowed; vs';
    if (o) lines.push(`${OUTCOME_WORDS[o.outcome]}: r² ${o.r2 === null ? '–' : o.r2.toFixed(3)} (test MSE per sample ${testMse} ${fmt(r.baselineMse)} for the best constant predictor; learned at r² ≥ ${learnedAt})`);
    // a verdict that no training could change: the output layer's range, not the learning
    const reach = outputOutOfReach(spec, r.testTargets, spec.shape[spec.shape.length - 1], outputs);
    if (reach) lines.push(`note: ${outOfReachText(reach, '--output-activation linear')}`);
  }
  if (spec.l1 || spec.l2) lines.push(`penalty of the final weights: ${fmt(r.penalty)} beside the final loss per sample ${fmt(r.finalLoss)}`);
  lines.push('', r.kind === 'classification' ? classificationTables(spec, r, outputs) : estimatesTable(spec, r, outputs));
  return lines.join('\n');
}

const pct = (x: number) => (Number.isFinite(x) ? `${(100 * x).toFixed(1)} %` : String(x));

/** The outcome of a classification run: its class by skill over the majority class, with the accuracy behind it. */
function verdictOfClassification(spec: RunSpec, r: RunResult, o: RunOutcome | null, learnedAt: number): string {
  const points = r.testTargets.length / spec.shape[spec.shape.length - 1];
  const acc = r.testAccuracy ?? NaN;
  const hits = Math.round(acc * points);
  const loss = `test ${spec.loss === 'sse' ? 'squared error' : 'cross-entropy'} ${fmt(r.testLoss)} per sample`;
  const skill = o?.score.value === null || o?.score.value === undefined ? '–' : o.score.value.toFixed(3);
  return `${o ? OUTCOME_WORDS[o.outcome] : 'no outcome'}: skill ${skill} (test accuracy ${pct(acc)}, ${hits} of ${points} held-out points, vs ${pct(r.majorityShare ?? NaN)} for the majority class; learned at skill ≥ ${learnedAt}); ${loss}`;
}

/** The confusion matrix of the test set and, for a plane, the decision boundary as text. */
function classificationTables(spec: RunSpec, r: RunResult, names: readonly string[]): string {
  const nOut = spec.shape[spec.shape.length - 1];
  const { counts, total: points } = confusionMatrix(r.testEstimates, r.testTargets, nOut);
  const corner = 'true \\ predicted';
  const first = Math.max(corner.length, ...names.map((n) => n.length));
  const w = Math.max(6, ...names.map((n) => n.length));
  const lines = [`test set (${points} points): rows are the true class, columns the predicted one`, [corner.padEnd(first), ...names.map((n) => n.padStart(w))].join('  ')];
  names.forEach((n, i) => lines.push([n.padEnd(first), ...counts[i].map((c) => String(c).padStart(w))].join('  ')));
  const boundary = boundaryMap(r, nOut, names);
  return boundary ? `${lines.join('\n')}\n\n${boundary}` : lines.join('\n');
}

/**
 * The decision boundary on the view grid as characters (one per grid point: the predicted class's
 * mark, x1 across, x2 up), for a two-input task.
 */
function boundaryMap(r: RunResult, nOut: number, names: readonly string[]): string | null {
  if (r.viewGrid.length !== 2 || r.viewInputs.length !== r.viewGrid[0] * r.viewGrid[1] * 2) return null;
  const [n1, n2] = r.viewGrid;
  const last = r.checkpoints.estimates.subarray(r.checkpoints.estimates.length - n1 * n2 * nOut);
  const marks = nOut === 2 ? ['.', '#'] : '0123456789abcdefghijklmnopqrstuvwxyz'.split('');
  const rows: string[] = [];
  for (let j = n2 - 1; j >= 0; j--) {
    let line = '';
    for (let i = 0; i < n1; i++) line += `${marks[classOf(last, i * n2 + j, nOut) % marks.length]} `;
    rows.push(line.trimEnd());
  }
  const lo = (k: number) => r.viewInputs[k];
  const hi = (k: number) => r.viewInputs[r.viewInputs.length - 2 + k];
  const legend = names.map((n, k) => `${marks[k % marks.length]} ${n}`).join(', ');
  return [`decision boundary at the end (x1 ${lo(0)} … ${hi(0)} across, x2 ${lo(1)} … ${hi(1)} up; ${legend}):`, ...rows].join('\n');
}

/** At most this many test points are listed (a table's test set can have thousands). */
const LISTED_POINTS = 30;

/**
 * Estimates vs truth at the test points: the inputs (when the run kept them) and, per output, the
 * target and the estimate; a longer test set is shown by its first LISTED_POINTS points.
 */
function estimatesTable(spec: RunSpec, r: RunResult, names: readonly string[]): string {
  const nIn = spec.shape[0];
  const nOut = spec.shape[spec.shape.length - 1];
  const points = nOut > 0 ? r.testTargets.length / nOut : 0;
  const hasInputs = r.testInputs.length === points * nIn && points > 0;
  const inputNames = nIn === 1 ? ['x'] : Array.from({ length: nIn }, (_, i) => `x${i + 1}`);
  const shownInputs = hasInputs && nIn <= 4 ? inputNames : [];
  const head = [...shownInputs.map((n) => n.padStart(7)), ...names.flatMap((n) => [(hasInputs ? n : `${n} actual`).padStart(9), (hasInputs ? 'estimate' : 'predicted').padStart(9)])].join(' ');
  const rows = [head];
  const listed = Math.min(points, LISTED_POINTS);
  for (let p = 0; p < listed; p++) {
    const cells = shownInputs.map((_, k) => r.testInputs[p * nIn + k].toFixed(3).padStart(7));
    for (let k = 0; k < nOut; k++) cells.push(fmt4(r.testTargets[p * nOut + k]).padStart(9), fmt4(r.testEstimates[p * nOut + k]).padStart(9));
    rows.push(cells.join(' '));
  }
  if (points > listed) rows.push(`… (${listed} of ${points.toLocaleString('en-US')} test points)`);
  return rows.join('\n');
}

/** A value in a column of 9: 4 decimals, or 4 significant digits for values too large for them. */
function fmt4(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  return Math.abs(x) >= 1e4 ? x.toPrecision(4) : x.toFixed(4);
}

/** Rows of a (rows, cols) flat array as nested arrays. */
export function rowsOf(a: Float64Array, cols: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < a.length; i += cols) out.push(Array.from(a.subarray(i, i + cols)));
  return out;
}
