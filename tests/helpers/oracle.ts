/**
 * The float64 oracle (`../shared/reference/seed_nn.py`, numpy + scipy), run as a real process,
 * and random oracle specs for parity tests.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createRng } from '../../src-main/trainer/prng';
import type { ReplayResult, ReplaySpec } from '../../src-main/trainer/replay';
import { skipUnlessRequired } from './ci';

export const ORACLE = resolve(__dirname, '../../../shared/reference/seed_nn.py');

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

export function runOracle(spec: ReplaySpec): ReplayResult {
  const dir = mkdtempSync(join(tmpdir(), 'nnlab-oracle-'));
  const file = join(dir, 'spec.json');
  writeFileSync(file, JSON.stringify(spec));
  const r = spawnSync('python3', [ORACLE, file], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`oracle failed: ${r.stderr}`);
  return JSON.parse(r.stdout.replace(/\bNaN\b/g, 'null').replace(/-?Infinity\b/g, 'null'));
}

export interface RandomSpecOptions {
  activation: 'relu' | 'sigmoid';
  initMean: 'zero' | 'minusEps';
}

/** A random oracle spec: 2–5 layers, widths 1–40, batch 1–64, 1–50 batches, lr up to 1. */
export function randomOracleSpec(seed: number, opts: RandomSpecOptions): ReplaySpec {
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
  const targets = inputs.map((b) => b.map((row) => Array.from({ length: nOut }, (_, k) => (k % 2 ? Math.cos(row[0] + k) : Math.sin(row[0] + k)))));
  const testInputs = Array.from({ length: 7 }, (_, p) => Array.from({ length: nIn }, () => p / 6));
  return { shape, activation: opts.activation, learningRate: lr, initialWeights, inputs, targets, testInputs };
}

/** Largest violation of |a − b| ≤ rel·|a| + abs over two nested number arrays (0 = all within). */
export function worstViolation(expected: unknown, actual: unknown, rel: number, abs: number, path = ''): { path: string; expected: number; actual: number } | null {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) return { path: `${path} (length)`, expected: NaN, actual: NaN };
    for (let i = 0; i < expected.length; i++) {
      const w = worstViolation(expected[i], actual[i], rel, abs, `${path}[${i}]`);
      if (w) return w;
    }
    return null;
  }
  const a = expected as number | null;
  const b = actual as number | null;
  if (a === null || b === null || !Number.isFinite(a) || !Number.isFinite(b)) return (a === null || !Number.isFinite(a)) && (b === null || !Number.isFinite(b)) ? null : { path, expected: a ?? NaN, actual: b ?? NaN };
  return Math.abs(a - b) <= rel * Math.abs(a) + abs ? null : { path, expected: a, actual: b };
}
