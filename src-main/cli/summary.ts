/** Plain-text summaries of a run for the terminal. */
import type { RunSpec } from '../trainer/spec';
import type { RunResult } from '../trainer/trainer';
import { outputNames } from '../trainer/tasks';

const fmt = (x: number, digits = 5) => (Number.isFinite(x) ? x.toFixed(digits) : String(x));

function maxOf(a: Float64Array): number {
  let m = -Infinity;
  for (const v of a) m = v > m || Number.isNaN(v) ? v : m;
  return m;
}

export function describeSpec(s: RunSpec): string {
  const init = s.initialWeights ? 'explicit weights' : s.init === 'normal' ? `Normal(${s.initMean}, ${s.eps})` : s.init;
  const opt = s.optimizer === 'sgd' ? 'SGD' : s.optimizer;
  return `${s.task} [${s.shape.join(',')}] ${s.activation}${s.outputActivation === 'linear' ? ' (linear output)' : ''}, ${opt} lr ${s.learningRate}, batch ${s.batchSize} × ${s.batches}, init ${init}, seeds ${s.initSeed}/${s.dataSeed}, ${s.dtype}`;
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

/** The seed's closing line, then time, health and verdict, then estimates vs truth. */
export function formatSummary(spec: RunSpec, r: RunResult): string {
  const lines: string[] = [];
  const h = r.costHistory;
  lines.push(`${fmt(maxOf(h.subarray(0, 10)))} cost at the start of learning and ${fmt(maxOf(h.subarray(Math.max(0, h.length - 10))))} at the end`);
  const t = r.timing;
  const us = t.usPerSample;
  lines.push(
    `time: ${t.trainMs.toFixed(1)} ms for ${r.batchesRun} batches (${Math.round(t.samplesPerSecond).toLocaleString('en-US')} samples/s); µs per sample: forward ${fmt(us.forward, 3)}, backward ${fmt(us.backward, 3)}, update ${fmt(us.update, 3)} [${r.kernel}]`,
  );
  lines.push(`dead units (init → end): ${deadLine(r, spec.shape)}`);
  const sat = r.diagnostics.atEnd.saturation;
  if (sat.some((s) => s > 0)) lines.push(`saturation at end: ${sat.map((s) => `${(100 * s).toFixed(1)} %`).join(', ')}`);
  if (r.status === 'diverged') lines.push(`diverged: the cost became ${h[h.length - 1]} at batch ${r.diagnostics.divergedAtBatch}`);
  lines.push(
    r.failed
      ? `failed: final MSE per sample ${fmt(r.finalMse)} is not below the constant predictor's ${fmt(r.baselineMse)} (learned nothing)`
      : `learned: final MSE per sample ${fmt(r.finalMse)} vs ${fmt(r.baselineMse)} for the best constant; test MSE ${fmt(r.testMse)}`,
  );
  lines.push('', estimatesTable(spec, r));
  return lines.join('\n');
}

function estimatesTable(spec: RunSpec, r: RunResult): string {
  const nOut = spec.shape[spec.shape.length - 1];
  const names = outputNames(spec.task, nOut);
  const head = ['x'.padStart(7), ...names.flatMap((n) => [n.padStart(9), 'estimate'.padStart(9)])].join(' ');
  const rows = [head];
  const points = r.testInputs.length;
  for (let p = 0; p < points; p++) {
    const cells = [r.testInputs[p].toFixed(3).padStart(7)];
    for (let k = 0; k < nOut; k++) cells.push(r.testTargets[p * nOut + k].toFixed(4).padStart(9), r.testEstimates[p * nOut + k].toFixed(4).padStart(9));
    rows.push(cells.join(' '));
  }
  return rows.join('\n');
}

/** Rows of a (rows, cols) flat array as nested arrays. */
export function rowsOf(a: Float64Array, cols: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < a.length; i += cols) out.push(Array.from(a.subarray(i, i + cols)));
  return out;
}
