/**
 * wasm-features: relaxed SIMD is feature-detected, in fresh processes (a V8 flag can only be
 * set once per process, and an unknown one is reported on stderr from C++, past any try/catch).
 * Node 20 needs --experimental-wasm-relaxed-simd; Node 22+ has the feature and Node 24 rejects the
 * flag, so `.ci/run` runs these on both.
 */
import { fork, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/cli';

const [v8Major, v8Minor] = process.versions.v8.split('.').map(Number);
/** Relaxed SIMD shipped on by default in V8 11.4 (Node 20 has 11.3). */
const builtIn = v8Major > 11 || (v8Major === 11 && v8Minor >= 4);

function probe(code: string, execArgv: string[] = []) {
  return spawnSync(process.execPath, [...execArgv, '--import', 'tsx', '-e', code], { cwd: ROOT, encoding: 'utf8' });
}

describe('wasm-features', () => {
  it(`enables relaxed SIMD ${builtIn ? 'without a flag (built in here)' : 'with the V8 flag (Node 20)'} and prints nothing`, () => {
    const r = probe(
      "const f = require('./src-main/wasm-features.ts'); const before = f.relaxedSimdValid(); console.log(JSON.stringify({ before, found: f.enableRelaxedSimd(), after: f.relaxedSimdValid() }))",
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ before: builtIn, found: builtIn ? 'built-in' : 'flag', after: true });
  });

  it('lets the fma kernels validate after it, and a second call changes nothing', () => {
    const r = probe(
      "const f = require('./src-main/wasm-features.ts'); const w = require('./src-main/trainer/wasm/index.ts'); const a = f.enableRelaxedSimd(); const b = f.enableRelaxedSimd(); console.log(JSON.stringify({ a, b, fma: w.wasmFmaSupported(), simd: w.wasmSupported() }))",
    );
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ a: builtIn ? 'built-in' : 'flag', b: 'built-in', fma: true, simd: true });
  });

  it('starts a trainer process that prints nothing on stderr', async () => {
    const child = fork(resolve(ROOT, 'out/main/trainer-worker.js'), [], { serialization: 'advanced', stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    let stderr = '';
    let stdout = '';
    child.stderr!.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.stdout!.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    const ready = await new Promise<unknown>((res) => child.once('message', res));
    expect(ready).toMatchObject({ type: 'ready', wasm: true });
    const exit = new Promise<number | null>((res) => child.once('exit', res));
    child.send({ type: 'shutdown' });
    expect(await exit).toBe(0);
    expect({ stdout, stderr }).toEqual({ stdout: '', stderr: '' });
  });
});
