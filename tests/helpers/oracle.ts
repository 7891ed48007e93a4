/**
 * The float64 oracle (`../shared/reference/seed_nn.py`, numpy + scipy) and the project's numpy
 * reference that extends it (tests/reference/nn_reference.py: losses, output layers,
 * regularisers), run as real processes, and random specs for parity tests.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createRng } from '../../src-main/trainer/prng';
import type { ReplayResult, ReplaySpecInput } from '../../src-main/trainer/replay';
import { skipUnlessRequired } from './ci';

export const ORACLE = resolve(__dirname, '../../../shared/reference/seed_nn.py');
/** The project's reference: the seed's oracle plus what the run spec adds. */
export const REFERENCE = resolve(__dirname, '../reference/nn_reference.py');

/** Why the oracle cannot run here, or null when python3 with numpy and scipy is available. */
export function oracleUnavailable(): string | null {
  if (!existsSync(ORACLE)) return `the oracle ${ORACLE} is missing (clone with ../shared beside the repo)`;
  const r = spawnSync('python3', ['-c', 'import numpy, scipy.special'], { encoding: 'utf8' });
  if (r.error) return `python3 is not installed (${r.error.message})`;
  if (r.status !== 0) return `python3 lacks numpy or scipy: ${r.stderr.trim().split('\n').pop()}`;
  return null;
}

/**
 * The skip note for the live-oracle tests, or null when the oracle runs here. Under CI=true a
 * missing oracle is an error (tests/helpers/ci.ts), unless the CI machine lists it as absent.
 */
export function oracleSkipNote(): string | null {
  return skipUnlessRequired(oracleUnavailable(), 'oracle');
}

/** Runs a reference script (the seed's oracle by default) on a spec; NaN and ±Infinity come back as null. */
export function runOracle(spec: ReplaySpecInput, script = ORACLE): ReplayResult {
  return runScript(spec, script) as ReplayResult;
}

/** The project's reference on many specs in one python process (it takes a list). */
export function runReferenceAll(specs: readonly ReplaySpecInput[]): ReplayResult[] {
  return runScript(specs, REFERENCE) as ReplayResult[];
}

function runScript(spec: unknown, script: string): unknown {
  const dir = mkdtempSync(join(tmpdir(), 'nnlab-oracle-'));
  const file = join(dir, 'spec.json');
  writeFileSync(file, JSON.stringify(spec));
  const r = spawnSync('python3', [script, file], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`oracle failed: ${r.stderr}`);
  return JSON.parse(r.stdout.replace(/\bNaN\b/g, 'null').replace(/-?Infinity\b/g, 'null'));
}

/** The project's reference (nn_reference.py) on a spec. */
export function runReference(spec: ReplaySpecInput): ReplayResult {
  return runOracle(spec, REFERENCE);
}

export interface RandomSpecOptions {
  activation: 'relu' | 'sigmoid' | 'tanh' | 'leakyRelu' | 'linear';
  initMean: 'zero' | 'minusEps';
  /** The run spec's fields the seed's oracle does not know (the project's reference does). */
  outputActivation?: 'seed' | 'linear' | 'sigmoid' | 'softmax';
  loss?: 'sse' | 'cross-entropy';
  l1?: number;
  l2?: number;
}

/**
 * A random oracle spec: 2–5 layers, widths 1–40, batch 1–64, 1–50 batches, lr up to 1. Targets:
 * sin/cos of the first input, or for cross-entropy class labels (one-hot rows after softmax,
 * independent 0/1 after sigmoid). A softmax output layer gets at least 2 units.
 */
export function randomOracleSpec(seed: number, opts: RandomSpecOptions): ReplaySpecInput {
  const rng = createRng(seed, 99);
  const int = (lo: number, hi: number) => lo + (rng.nextU32() % (hi - lo + 1));
  const layers = int(2, 5);
  const shape = Array.from({ length: layers }, () => int(1, 40));
  const eps = 0.05 + 0.15 * rng.uniform();
  const mean = opts.initMean === 'zero' ? 0 : -eps;
  const batch = int(1, 64);
  const batches = int(1, 50);
  const lr = 0.05 + 0.95 * rng.uniform();
  const initialWeights = shape.slice(1).map((n, l) => Array.from({ length: n }, () => Array.from({ length: shape[l] + 1 }, () => rng.normal(mean, eps))));
  const nIn = shape[0];
  const nOut = shape[layers - 1];
  const inputs = Array.from({ length: batches }, () => Array.from({ length: batch }, () => Array.from({ length: nIn }, () => rng.uniform())));
  if (opts.outputActivation === 'softmax' && nOut < 2) {
    shape[layers - 1] = 2;
    initialWeights[layers - 2] = Array.from({ length: 2 }, () => Array.from({ length: shape[layers - 2] + 1 }, () => rng.normal(mean, eps)));
  }
  const outputs = shape[layers - 1];
  const label = (row: number[], k: number) => {
    if (opts.outputActivation === 'softmax') return Math.floor(row[0] * outputs) === k ? 1 : 0;
    return (row[0] + k / outputs) % 1 < 0.5 ? 1 : 0;
  };
  const targets =
    opts.loss === 'cross-entropy'
      ? inputs.map((b) => b.map((row) => Array.from({ length: outputs }, (_, k) => label(row, k))))
      : inputs.map((b) => b.map((row) => Array.from({ length: outputs }, (_, k) => (k % 2 ? Math.cos(row[0] + k) : Math.sin(row[0] + k)))));
  const testInputs = Array.from({ length: 7 }, (_, p) => Array.from({ length: nIn }, () => p / 6));
  const extra = Object.fromEntries((['outputActivation', 'loss', 'l1', 'l2'] as const).filter((k) => opts[k] !== undefined).map((k) => [k, opts[k]]));
  return { shape, activation: opts.activation, learningRate: lr, initialWeights, inputs, targets, testInputs, ...extra };
}

/**
 * The first violation of |a − b| ≤ rel·|a| + abs over two nested number arrays or RESULT objects
 * (every field of the expected one), null when all are within; non-finite values (null after
 * JSON) must be non-finite on both sides.
 */
export function worstViolation(expected: unknown, actual: unknown, rel: number, abs: number, path = ''): { path: string; expected: number; actual: number } | null {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) return { path: `${path} (length)`, expected: NaN, actual: NaN };
    for (let i = 0; i < expected.length; i++) {
      const w = worstViolation(expected[i], actual[i], rel, abs, `${path}[${i}]`);
      if (w) return w;
    }
    return null;
  }
  if (expected !== null && typeof expected === 'object') {
    // a RESULT: every field of the expected one, compared in turn (an object is not a number to skip)
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return { path: `${path} (not an object)`, expected: NaN, actual: NaN };
    for (const [k, v] of Object.entries(expected)) {
      if (!(k in actual)) return { path: `${path}.${k} (missing)`, expected: NaN, actual: NaN };
      const w = worstViolation(v, (actual as Record<string, unknown>)[k], rel, abs, path ? `${path}.${k}` : k);
      if (w) return w;
    }
    return null;
  }
  const a = expected as number | null;
  const b = actual as number | null;
  if (a === null || b === null || !Number.isFinite(a) || !Number.isFinite(b)) return (a === null || !Number.isFinite(a)) && (b === null || !Number.isFinite(b)) ? null : { path, expected: a ?? NaN, actual: b ?? NaN };
  return Math.abs(a - b) <= rel * Math.abs(a) + abs ? null : { path, expected: a, actual: b };
}
