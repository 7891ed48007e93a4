/** A run trained for real in the test process, with its series as the API hands them out (for the renderer's chart builders). */
import type { WireSeries } from '@main/api/contract';
import { runMetrics } from '@main/trainer/metrics';
import { parseRunSpec, type RunSpecInput } from '@main/trainer/spec';
import { Trainer } from '@main/trainer/trainer';
import type { RunData } from '../../../src-renderer/src/lib/compare/context';
import { record, summary } from './fake-lab';

/** A series as the wire carries it (non-finite values as null). */
export const ws = (shape: number[], data: ArrayLike<number>): WireSeries => ({ shape, data: Array.from(data, (v) => (Number.isFinite(v) ? v : null)), length: data.length });

/** A run trained for real, with its series as the API hands them out. */
export function trained(id: number, input: RunSpecInput): RunData {
  const spec = parseRunSpec(input);
  const t = new Trainer(spec);
  t.run(spec.batches);
  const r = t.result();
  const cps = r.checkpoints.batches.length;
  const s = summary(id, spec, { kind: r.kind, ...runMetrics({ kind: r.kind, finalLoss: r.finalLoss, testLoss: r.testLoss, testMetric: r.testMetric, baseline: r.baseline }), batchesRun: r.batchesRun, status: r.status });
  return {
    run: record(s),
    series: {
      viewInputs: ws([25, 25, 2], r.viewInputs),
      estimates: ws([cps, 625, 2], r.checkpoints.estimates),
      checkpointBatches: ws([cps], r.checkpoints.batches),
      checkpointMetrics: ws([cps, 5], r.checkpoints.metrics),
      testInputs: ws([r.testInputs.length / 2, 2], r.testInputs),
      testTargets: ws([r.testTargets.length / 2, 2], r.testTargets),
      testEstimates: ws([r.testEstimates.length / 2, 2], r.testEstimates),
    },
  };
}
