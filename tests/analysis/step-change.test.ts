/** analysis/step-change: what a step of a paused run changed — the largest weight changes, units that died or revived. */
import { describe, expect, it } from 'vitest';
import { stepChange, weightName } from '../../src-main/analysis/step-change';
import { viewPointsOf } from '../../src-main/analysis/network-view';
import { parseRunSpec } from '../../src-main/trainer/spec';
import { Trainer } from '../../src-main/trainer/trainer';

// a [1,2,1] relu net: [b1, w1] [b2, w2] | [b, v1, v2]
const shape = [1, 2, 1];
const line = viewPointsOf([[-1, 1]])!;

describe('analysis/step-change', () => {
  it('lists the weights that moved, the largest |change| first, naming each edge or bias', () => {
    const before = [0.5, 1, 0.5, 1, 0, 1, 1];
    const after = [0.5, 1.25, 0.5, 0.5, -0.75, 1, 1];
    const c = stepChange(shape, before, after, 'relu', 'linear', line);
    expect(c.count).toBe(7);
    expect(c.changed).toBe(3);
    expect(c.largest).toEqual([
      { layer: 1, from: -1, to: 0, before: 0, after: -0.75 },
      { layer: 0, from: 0, to: 1, before: 1, after: 0.5 },
      { layer: 0, from: 0, to: 0, before: 1, after: 1.25 },
    ]);
    expect(c.largest.map((w) => weightName(shape, w))).toEqual(['bias of output 1', 'x1 → layer 1 unit 2', 'x1 → layer 1 unit 1']);
    expect(weightName([2, 3, 4, 1], { layer: 1, from: 2, to: 3 })).toBe('layer 1 unit 3 → layer 2 unit 4');
    expect(stepChange(shape, before, after, 'relu', 'linear', line, 1).largest).toHaveLength(1);
    // nothing moved: nothing listed (a weight 0 → −0 did not move either)
    expect(stepChange(shape, [0, ...before.slice(1)], [-0, ...before.slice(1)], 'relu', 'linear', line)).toMatchObject({ largest: [], changed: 0, died: [], revived: [] });
  });

  it('says which hidden units died and which revived (zero slope at every view point), as the network view colours them', () => {
    // unit 1 alive on (−0.5, 1] before; with bias −2 it is below 0 over the whole line after. Unit 2 the other way.
    const before = [0.5, 1, -2, 1, 0, 1, 1];
    const after = [-2, 1, 0.5, 1, 0, 1, 1];
    const c = stepChange(shape, before, after, 'relu', 'linear', line);
    expect(c.died).toEqual([{ layer: 1, unit: 0 }]);
    expect(c.revived).toEqual([{ layer: 1, unit: 1 }]);
    // tanh units never die
    expect(stepChange(shape, before, after, 'tanh', 'linear', line)).toMatchObject({ died: [], revived: [] });
    // no view points (more than 2 inputs): not judged, not "none"
    expect(stepChange(shape, before, after, 'relu', 'linear', null)).toMatchObject({ died: null, revived: null });
  });

  it('lists exactly the changes of one batch of the seed run, each weight from its value before to after', () => {
    const spec = parseRunSpec({ batches: 10 });
    const t = new Trainer(spec);
    const before = Float64Array.from(t.params.flat);
    t.run(1);
    const after = Float64Array.from(t.params.flat);
    const c = stepChange(spec.shape, before, after, spec.activation, spec.outputActivation === 'seed' ? spec.activation : spec.outputActivation, line, 1000);
    const moved = [...after].filter((a, i) => a !== before[i]).length;
    expect(moved).toBeGreaterThan(0);
    expect(c.changed).toBe(moved);
    expect(c.largest).toHaveLength(moved);
    const sizes = c.largest.map((w) => Math.abs(w.after - w.before));
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
    // each listed change reads the flat weights at its own place
    for (const w of c.largest) {
      let at = 0;
      for (let l = 0; l < w.layer; l++) at += spec.shape[l + 1] * (spec.shape[l] + 1);
      at += w.to * (spec.shape[w.layer] + 1) + w.from + 1;
      expect([before[at], after[at]]).toEqual([w.before, w.after]);
    }
  });

  it('refuses weights of another length or another network', () => {
    expect(() => stepChange(shape, [1, 2], [1, 2, 3], 'relu', 'linear', line)).toThrow(/differ in length/);
    expect(() => stepChange(shape, [1, 2], [1, 3], 'relu', 'linear', line)).toThrow(/has 7 weights, not 2/);
  });
});
