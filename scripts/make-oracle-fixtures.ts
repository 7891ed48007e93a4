/**
 * Writes a few oracle outputs to tests/fixtures/oracle/ (the seed's oracle) and
 * tests/fixtures/reference/ (the project's reference: losses, output layers, regularisers) so
 * parity is still checked on machines without python3/numpy.
 * Run: node_modules/.bin/tsx scripts/make-oracle-fixtures.ts
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RandomSpecOptions, randomOracleSpec, runOracle, runReference } from '../tests/helpers/oracle';

const cases = [
  { name: 'relu-mean0', seed: 1001, activation: 'relu', initMean: 'zero' },
  { name: 'relu-minus-eps', seed: 1002, activation: 'relu', initMean: 'minusEps' },
  { name: 'sigmoid-mean0', seed: 1003, activation: 'sigmoid', initMean: 'zero' },
  { name: 'sigmoid-minus-eps', seed: 1004, activation: 'sigmoid', initMean: 'minusEps' },
] as const;

const referenceCases: (RandomSpecOptions & { name: string; seed: number })[] = [
  { name: 'tanh-softmax-cross-entropy', seed: 2001, activation: 'tanh', initMean: 'zero', outputActivation: 'softmax', loss: 'cross-entropy' },
  { name: 'relu-sigmoid-cross-entropy-l2', seed: 2002, activation: 'relu', initMean: 'zero', outputActivation: 'sigmoid', loss: 'cross-entropy', l2: 0.01 },
  { name: 'leakyRelu-softmax-sse-l1', seed: 2003, activation: 'leakyRelu', initMean: 'zero', outputActivation: 'softmax', loss: 'sse', l1: 0.005 },
  { name: 'sigmoid-linear-sse-l1-l2', seed: 2004, activation: 'sigmoid', initMean: 'minusEps', outputActivation: 'linear', l1: 0.002, l2: 0.03 },
];

for (const [dir, list, run] of [
  ['oracle', cases, runOracle],
  ['reference', referenceCases, runReference],
] as const) {
  // the seed's fixtures are kept as committed unless asked for (--oracle): parity holds for any draw
  if (dir === 'oracle' && !process.argv.includes('--oracle')) continue;
  mkdirSync(join(__dirname, '../tests/fixtures', dir), { recursive: true });
  for (const c of list) write(dir, c, run);
}

function write(dir: string, c: RandomSpecOptions & { name: string; seed: number }, run: typeof runOracle) {
  const spec = randomOracleSpec(c.seed, c);
  // keep fixtures small: at most 12 batches (the reference's: 6 batches of at most 8 rows)
  const [batches, rows] = dir === 'oracle' ? [12, Infinity] : [6, 8];
  spec.inputs = spec.inputs.slice(0, batches).map((b) => b.slice(0, rows));
  spec.targets = spec.targets.slice(0, batches).map((b) => b.slice(0, rows));
  const result = run(spec);
  writeFileSync(join(__dirname, '../tests/fixtures', dir, `${c.name}.json`), JSON.stringify({ spec, result }));
  console.log(dir, c.name, spec.shape, spec.inputs.length, spec.inputs[0].length);
}
