/** The opt-in wasm-fma kernels through the lab: real trainer processes set the flag Node 20 needs. */
import { afterEach, describe, expect, it } from 'vitest';
import { enableRelaxedSimd } from '../../src-main/wasm-features';
import { verifyRun } from '../../src-main/lab/verify';
import { createTestLab, type TestLab } from '../helpers/lab';
import { wasmFmaSkipNote } from '../helpers/wasm';

// verifyRun replays in this process, as `nnlab verify` does in the CLI's
enableRelaxedSimd();
const noFma = wasmFmaSkipNote();

let t: TestLab | null = null;
afterEach(async () => {
  await t?.close();
  t = null;
});

describe.skipIf(noFma !== null)(`lab with kernel wasm-fma${noFma ? ` (skipped: ${noFma})` : ''}`, () => {
  it('records the fma kernel and re-runs it bit for bit; the default stays plain SIMD', async () => {
    t = createTestLab({ kernel: 'wasm-fma' });
    const id = t.lab.startRun({ batches: 300, shape: [1, 32, 32, 2] });
    const done = await t.lab.wait(id);
    expect(done?.status).toBe('done');
    expect(t.store.getRun(id)!.kernel).toBe('wasm-fma-f64');
    expect(verifyRun(t.store, id)).toMatchObject({ verdict: 'identical', replay: { kernel: 'wasm-fma-f64' } });
    await t.close();

    t = createTestLab();
    const plain = t.lab.startRun({ batches: 300, shape: [1, 32, 32, 2] });
    await t.lab.wait(plain);
    expect(t.store.getRun(plain)!.kernel).toBe('wasm-simd-f64');
  });
});
