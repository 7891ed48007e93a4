/**
 * Writes a few oracle outputs to tests/fixtures/oracle/ so parity is still checked on machines
 * without python3/numpy. Run: node_modules/.bin/tsx scripts/make-oracle-fixtures.ts
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomOracleSpec, runOracle } from '../tests/helpers/oracle';

const cases = [
  { name: 'relu-mean0', seed: 1001, activation: 'relu', initMean: 'zero' },
  { name: 'relu-minus-eps', seed: 1002, activation: 'relu', initMean: 'minusEps' },
  { name: 'sigmoid-mean0', seed: 1003, activation: 'sigmoid', initMean: 'zero' },
  { name: 'sigmoid-minus-eps', seed: 1004, activation: 'sigmoid', initMean: 'minusEps' },
] as const;

for (const c of cases) {
  const spec = randomOracleSpec(c.seed, c);
  // keep fixtures small: at most 12 batches
  spec.inputs = spec.inputs.slice(0, 12);
  spec.targets = spec.targets.slice(0, 12);
  const result = runOracle(spec);
  writeFileSync(join(__dirname, '../tests/fixtures/oracle', `${c.name}.json`), JSON.stringify({ spec, result }));
  console.log(c.name, spec.shape, spec.inputs.length, spec.inputs[0].length);
}
