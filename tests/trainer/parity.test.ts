/**
 * Parity with the float64 oracle (reference/seed_nn.py) and with the project's numpy reference
 * (tests/reference/nn_reference.py: every loss, output layer and regulariser): random specs run
 * through both, cost history, final weights and test estimates compared at
 * |a − b| ≤ 1e-10·|a| + 1e-12 (float32: 1e-4 relative). Committed fixtures keep parity checked
 * where python3/numpy is missing.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseReplaySpec, replay, type ReplayResult, type ReplaySpecInput } from '../../src-main/trainer/replay';
import { oracleSkipNote, type RandomSpecOptions, randomOracleSpec, runOracle, runReference, runReferenceAll, worstViolation } from '../helpers/oracle';

// under CI=true a missing oracle fails this file instead of skipping (tests/helpers/ci.ts)
const missing = oracleSkipNote();

function expectWithin(expected: ReplayResult, actual: ReplayResult, rel: number, abs: number): void {
  for (const field of ['costHistory', 'finalWeights', 'testEstimates'] as const) {
    const worst = worstViolation(expected[field], actual[field], rel, abs, field);
    expect(worst, `${field} differs from the oracle`).toBeNull();
  }
}

const run = (spec: ReplaySpecInput, dtype: 'float64' | 'float32' = 'float64') => replay(parseReplaySpec(spec), { dtype });

describe('trainer/replay parity with committed oracle and reference outputs', () => {
  for (const fixtures of ['oracle', 'reference']) {
    const dir = join(__dirname, '../fixtures', fixtures);
    for (const file of readdirSync(dir)) {
      it(`matches ${fixtures}/${file} in float64`, () => {
        const { spec, result } = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { spec: ReplaySpecInput; result: ReplayResult };
        expectWithin(result, run(spec), 1e-10, 1e-12);
      });
    }
  }
});

describe.skipIf(missing !== null)(`trainer/replay parity with the live oracle${missing ? ` (skipped: ${missing})` : ''}`, () => {
  const cases = Array.from({ length: 24 }, (_, i) => ({
    seed: 500 + i,
    activation: i % 2 ? ('sigmoid' as const) : ('relu' as const),
    initMean: i % 4 < 2 ? ('zero' as const) : ('minusEps' as const),
  }));
  for (const c of cases) {
    it(`matches the oracle: ${c.activation}, init mean ${c.initMean}, spec seed ${c.seed}`, () => {
      const spec = randomOracleSpec(c.seed, c);
      const oracle = runOracle(spec);
      expectWithin(oracle, run(spec), 1e-10, 1e-12);
      const f32 = run(spec, 'float32');
      expect(worstViolation(oracle.costHistory, f32.costHistory, 1e-4, 1e-6, 'costHistory (float32)')).toBeNull();
    });
  }
});

describe.skipIf(missing !== null)(`trainer/replay parity with the project's numpy reference${missing ? ` (skipped: ${missing})` : ''}`, () => {
  it('agrees with the seed’s own oracle where both apply (sse after the hidden activation, no regulariser)', () => {
    for (const [i, activation] of (['relu', 'sigmoid'] as const).entries()) {
      const spec = randomOracleSpec(600 + i, { activation, initMean: 'zero' });
      expect(worstViolation(runOracle(spec), runReference(spec), 1e-12, 1e-14)).toBeNull();
    }
  });

  /**
   * A spec with an unbounded (linear) layer trains at a tenth of its learning rate: at the random
   * specs' rates such a network diverges to costs of 1e14 and beyond, where round-off grows past
   * any tolerance (both sides agree until it does). Diverging specs are compared in cli/replay.
   */
  const stable = (spec: ReplaySpecInput): ReplaySpecInput =>
    spec.activation === 'linear' || spec.outputActivation === 'linear' ? { ...spec, learningRate: spec.learningRate / 10 } : spec;

  const outputs: Pick<RandomSpecOptions, 'loss' | 'outputActivation'>[] = [
    { loss: 'sse', outputActivation: 'seed' },
    { loss: 'sse', outputActivation: 'linear' },
    { loss: 'sse', outputActivation: 'sigmoid' },
    { loss: 'sse', outputActivation: 'softmax' },
    { loss: 'cross-entropy', outputActivation: 'sigmoid' },
    { loss: 'cross-entropy', outputActivation: 'softmax' },
  ];
  const activations = ['relu', 'sigmoid', 'tanh', 'leakyRelu', 'linear'] as const;
  const regularisers: Pick<RandomSpecOptions, 'l1' | 'l2'>[] = [{ l2: 0.05 }, { l1: 0.01 }, { l1: 0.003, l2: 0.2 }];
  const cases: { name: string; spec: ReplaySpecInput; regularised: boolean }[] = [];
  let seed = 700;
  for (const o of outputs) {
    for (const activation of activations) {
      const c = { ...o, activation, initMean: 'zero' as const };
      cases.push({ name: `${activation} hidden, ${o.outputActivation} output, ${o.loss}, spec seed ${seed}`, spec: stable(randomOracleSpec(seed++, c)), regularised: false });
    }
  }
  for (const reg of regularisers) {
    for (const o of [outputs[1], outputs[5]]) {
      const c = { ...o, ...reg, activation: 'tanh' as const, initMean: 'zero' as const };
      cases.push({ name: `${JSON.stringify(reg)}, ${o.outputActivation} output, ${o.loss}, spec seed ${seed}`, spec: stable(randomOracleSpec(seed++, c)), regularised: true });
    }
  }
  // one python process for every case (and for the regularised cases' unregularised twins)
  let results: ReplayResult[] = [];
  let plain: ReplayResult[] = [];
  beforeAll(() => {
    const twins = cases.filter((c) => c.regularised).map((c) => ({ ...c.spec, l1: 0, l2: 0 }));
    const all = runReferenceAll([...cases.map((c) => c.spec), ...twins]);
    results = all.slice(0, cases.length);
    plain = all.slice(cases.length);
  });

  cases.forEach((c, i) => {
    it(`matches the reference: ${c.name}`, () => {
      expectWithin(results[i], run(c.spec), 1e-10, 1e-12);
      const f32 = run(c.spec, 'float32');
      expect(worstViolation(results[i].costHistory, f32.costHistory, 1e-4, 1e-6, 'costHistory (float32)')).toBeNull();
      if (c.regularised) {
        // the regulariser changed the training (a test of it that could not fail would be no test)
        const twin = plain[cases.slice(0, i).filter((x) => x.regularised).length];
        expect(worstViolation(twin.finalWeights, results[i].finalWeights, 1e-8, 1e-10)).not.toBeNull();
      }
    });
  });
});
