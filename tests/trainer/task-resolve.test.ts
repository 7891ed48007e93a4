import { describe, expect, it } from 'vitest';
import { taskSource } from '../../src-main/trainer/data';
import { createActivations, createLayout, jsBackend } from '../../src-main/trainer/network';
import { DEFAULT_SPEC, parseRunSpec, SpecError } from '../../src-main/trainer/spec';
import { resolveSpecTask, taskInfo } from '../../src-main/trainer/task-resolve';
import { Trainer } from '../../src-main/trainer/trainer';

function specError(input: unknown): SpecError {
  try {
    parseRunSpec(input);
  } catch (e) {
    if (e instanceof SpecError) return e;
    throw e;
  }
  throw new Error(`${JSON.stringify(input)} was accepted`);
}

describe('trainer/task-resolve: the expression task', () => {
  it('makes "sin(x); cos(x)" the seed’s task: the same run, bit for bit', () => {
    const spec = parseRunSpec({ target: 'sin(x); cos(x)' });
    expect(spec).toMatchObject({ task: 'expression', shape: [1, 16, 2], loss: 'sse', outputActivation: 'seed', domain: [0, 1] });
    const ours = new Trainer(spec, { backend: jsBackend }).result();
    const seeds = new Trainer(DEFAULT_SPEC, { backend: jsBackend }).result();
    expect(ours.costHistory).toEqual(seeds.costHistory);
    expect(ours.testEstimates).toEqual(seeds.testEstimates);
    expect(ours.baselineMse).toBe(seeds.baselineMse);
    expect(ours.testTargets).toEqual(seeds.testTargets);
  });

  it('takes its inputs and outputs from the target, and its domain for every input', () => {
    const spec = parseRunSpec({ target: 'x1 * x2; x1 - x2', domain: [-2, 3] });
    expect(spec.shape).toEqual([2, 16, 2]);
    const info = taskInfo(spec)!;
    expect(info).toMatchObject({ inputs: 2, outputs: 2, inputNames: ['x1', 'x2'], outputNames: ['x1 * x2', 'x1 - x2'], kind: 'regression' });
    expect(info.box).toEqual([
      [-2, 3],
      [-2, 3],
    ]);
    const task = resolveSpecTask(spec);
    const acts = createActivations(createLayout(spec.shape), 64, 'float64', jsBackend('float64', 0, 0).allocator);
    const source = taskSource(task, spec.dataSeed);
    source.fill(0, acts);
    for (let r = 0; r < 64; r++) {
      const x1 = acts.outs[0][r * 3 + 1];
      const x2 = acts.outs[0][r * 3 + 2];
      expect(x1).toBeGreaterThanOrEqual(-2);
      expect(x2).toBeLessThan(3);
      expect(acts.targets[r * 2]).toBe(x1 * x2);
      expect(acts.targets[r * 2 + 1]).toBe(x1 - x2);
    }
  });

  it('refuses a target that is not a finite number somewhere in its domain, naming the point', () => {
    const e = specError({ target: 'log(x)' });
    expect(e.field).toBe('target');
    expect(e.message).toBe('target: is -Infinity at x = 0: a target must be a finite number everywhere in the domain (change the domain or the expression)');
    expect(() => parseRunSpec({ target: 'log(x)', domain: [0.5, 2] })).not.toThrow();
    expect(specError({ target: 'x; sqrt(x)', domain: [-1, 1] }).message).toMatch(/^target: is NaN at x = -1 \(output 2, sqrt\(x\)\)/);
  });

  it('refuses a target that is one number over its whole domain (was trained and called diverged: the constant predictor is exact, so no r²)', () => {
    for (const target of ['3', '0*x', 'max(x, 2)']) {
      const e = specError({ target });
      expect(e.field).toBe('target');
      expect(e.message).toMatch(/^target: is one number \(\d\) at every point of the domain \[0, 1\]: there is nothing to learn/);
    }
    expect(specError({ target: 'x1 - x1; 2' }).message).toMatch(/^target: every output is one number at every point of the domain/);
    expect(() => parseRunSpec({ target: 'x; 2' })).not.toThrow();
    expect(() => parseRunSpec({ target: 'max(x, 2)', domain: [0, 3] })).not.toThrow();
  });

  it('refuses bad targets and domains before anything trains, naming the field and the position', () => {
    expect(specError({ target: 'sin(3*x) + y' }).message).toBe("target: position 12: unknown name 'y' (the inputs are x, or x1 and x2; the constants pi, e, tau)");
    expect(specError({ task: 'expression' }).message).toBe('target: the target is empty: write it in x, e.g. sin(3*x) + 0.1*x^2');
    expect(specError({ target: 'x', domain: [1, 0] }).message).toBe('domain: needs lo < hi, e.g. [-1, 1]');
    expect(specError({ task: 'sincos', target: 'x' }).message).toBe('target: task sincos does not read target (only expression does)');
    expect(specError({ task: 'sincos', domain: [0, 2] }).field).toBe('domain');
    expect(specError({ target: 'x', epochs: 2 }).message).toMatch(/^epochs: task expression draws fresh samples/);
    expect(specError({ target: 'x1 + x2', shape: [1, 8, 1] }).message).toBe('shape: task expression needs 2 inputs and 1 output unit, e.g. [2, 16, 1]');
  });
});
