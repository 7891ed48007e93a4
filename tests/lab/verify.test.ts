import { afterEach, describe, expect, it } from 'vitest';
import { verifyRun } from '../../src-main/lab/verify';
import { createTestLab, type TestLab } from '../helpers/lab';

let t: TestLab | null = null;
afterEach(async () => {
  await t?.close();
  t = null;
});

describe('lab/verify', () => {
  it('reproduces a saved run bit for bit, and finds an injected one-ulp change at its batch', async () => {
    t = createTestLab();
    const id = t.lab.startRun({ batches: 120, activation: 'sigmoid' });
    await t.lab.wait(id);
    expect(verifyRun(t.store, id)).toMatchObject({ verdict: 'identical', firstDifferentBatch: null, batches: 120 });
    // one ulp up in batch 77's stored cost
    const blob = t.store.db.prepare("SELECT data FROM run_series WHERE run_id = ? AND name = 'cost'").pluck().get(id) as Buffer;
    const bytes = new Uint8Array(blob);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    view.setBigUint64(77 * 8, view.getBigUint64(77 * 8, true) + 1n, true);
    t.store.db.prepare("UPDATE run_series SET data = ? WHERE run_id = ? AND name = 'cost'").run(Buffer.from(bytes), id);
    const report = verifyRun(t.store, id);
    expect(report).toMatchObject({ verdict: 'differs', firstDifferentBatch: 77 });
    expect(report.maxRelativeDifference).toBeGreaterThan(0);
    expect(report.maxRelativeDifference).toBeLessThan(1e-15);
  });

  it('says "different app version" when the run was saved by another nnlab', async () => {
    t = createTestLab();
    const id = t.lab.startRun({ batches: 30 });
    await t.lab.wait(id);
    t.store.db.prepare("UPDATE runs SET app_version = '0.0.1' WHERE id = ?").run(id);
    t.store.db.prepare("UPDATE run_series SET data = zeroblob(length(data)) WHERE run_id = ? AND name = 'cost'").run(id);
    expect(verifyRun(t.store, id).verdict).toBe('different-app-version');
  });
});
