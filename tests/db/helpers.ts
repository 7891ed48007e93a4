/** Shared helpers of the store tests: temp dirs, file hashes, real trained results. */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import { FIELD_ADDED_IN, parseRunSpec, type RunSpec, type RunSpecInput } from '../../src-main/trainer/spec';
import { Trainer, type RunResult } from '../../src-main/trainer/trainer';

const dirs: string[] = [];

/** A fresh temp directory, removed after the test. */
export function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nnlab-db-'));
  dirs.push(dir);
  return dir;
}

afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

export function sha256(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** A real run: the trainer on a small spec (20 batches unless overridden). */
export function train(input: RunSpecInput = {}): { spec: RunSpec; result: RunResult } {
  const spec = parseRunSpec({ batches: 20, ...input });
  const trainer = new Trainer(spec);
  trainer.run(1e9);
  return { spec, result: trainer.result() };
}

/** A spec as an nnlab of spec version `version` wrote it: without the fields added after it. */
export function specAsOfVersion(spec: RunSpec | Record<string, unknown>, version: number): Record<string, unknown> {
  const added: Record<string, number | undefined> = FIELD_ADDED_IN;
  return Object.fromEntries(Object.entries(spec).filter(([k]) => (added[k] ?? 1) <= version));
}
