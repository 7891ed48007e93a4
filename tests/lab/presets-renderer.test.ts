import { describe, expect, it } from 'vitest';
import { PRESETS as LAB_PRESETS } from '../../src-main/lab/presets';
import { PRESETS as APP_PRESETS } from '../../src-renderer/src/lib/presets';

describe('src-renderer/src/lib/presets', () => {
  it('starts the same sweeps as nnlab sweep --preset (the renderer keeps its own copy: it imports no lab code)', () => {
    expect(APP_PRESETS.map((p) => p.id)).toEqual(Object.keys(LAB_PRESETS));
    for (const p of APP_PRESETS) expect(p.sweep).toEqual(LAB_PRESETS[p.id as keyof typeof LAB_PRESETS].sweep);
  });
});
