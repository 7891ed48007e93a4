import { PerformanceObserver } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { compileTarget, ExpressionError } from '../../src-main/trainer/expression';
import { createRng } from '../../src-main/trainer/prng';

const at = (text: string, ...x: number[]) => {
  const t = compileTarget(text);
  const y = new Float64Array(t.outputs);
  t.evaluate(Float64Array.from(x), 0, y, 0);
  return Array.from(y);
};

/** The error compileTarget throws for `text` (fails the test if it compiles). */
function refusal(text: string): ExpressionError {
  try {
    compileTarget(text);
  } catch (e) {
    if (e instanceof ExpressionError) return e;
    throw e;
  }
  throw new Error(`${text} compiled`);
}

describe('trainer/expression', () => {
  it('computes what Math computes, bit for bit', () => {
    for (const x of [-2, -0.3, 0, 0.5, 1.7]) {
      expect(at('sin(3*x) + 0.1*x^2', x)).toEqual([Math.sin(3 * x) + 0.1 * Math.pow(x, 2)]);
      expect(at('exp(-x^2) * cos(pi x)', x)).toEqual([Math.exp(-Math.pow(x, 2)) * Math.cos(Math.PI * x)]);
    }
    expect(at('sin(x); cos(x)', 0.25)).toEqual([Math.sin(0.25), Math.cos(0.25)]);
    expect(at('x1 * x2 + atan2(x2, x1)', 0.5, -2)).toEqual([0.5 * -2 + Math.atan2(-2, 0.5)]);
    expect(at('hypot(3, 4); min(x, 2, -1); max(x); log(8, 2); sqrt(x)', 9)).toEqual([5, -1, 9, Math.log(8) / Math.log(2), 3]);
  });

  it('follows mathjs where it differs from JavaScript: mod takes the divisor’s sign, round takes halves away from zero', () => {
    expect(at('-7 mod 3; 7 mod -3; x mod 0; -7 % 3', 5)).toEqual([2, -2, 5, 2]);
    expect(at('round(-2.5); round(2.5); fix(-2.7)')).toEqual([-3, 3, -2]);
    expect(at('x > 0 ? x : -x; x >= 1 and x < 2; not x; x == 1', -4)).toEqual([4, 0, 0, 0]);
    expect(at('-x^2', 3)).toEqual([-9]);
    expect(at('2x + 3 (x + 1)', 2)).toEqual([13]);
  });

  it('takes its inputs from the names used: x for one, x1 … x9 for several (the largest index sets the count)', () => {
    expect(compileTarget('sin(x)').inputs).toBe(1);
    expect(compileTarget('x2').inputs).toBe(2);
    expect(compileTarget('x1 + x3').inputs).toBe(3);
    expect(compileTarget('1').inputs).toBe(1);
    const t = compileTarget(' sin(x) ;cos(x)  ');
    expect(t.outputs).toBe(2);
    expect(t.outputTexts).toEqual(['sin(x)', 'cos(x)']);
  });

  it.each([
    ['sin(x', 6, 'parenthesis ) expected'],
    ['x +* 2', 4, 'value expected'],
    ['sin(3*x) + y', 12, "unknown name 'y'"],
    ['x + x1', 5, 'not both'],
    ['foo(x)', 1, "unknown function 'foo'"],
    ['sin(x, 2)', 1, 'sin takes 1 argument, got 2'],
    ['atan2(x)', 1, 'atan2 takes 2 arguments'],
    ['sin', 1, 'sin is a function'],
    ['x(2)', 1, 'x is not a function'],
    ['x!', 2, 'operator ! is not allowed'],
    ['"text"', 1, 'only numbers'],
    ['[1, 2]', 1, 'arrays are not allowed'],
    ['{a: 1}', 1, 'objects are not allowed'],
    ['1:3', 2, 'ranges are not allowed'],
    ['x = 1', 3, 'assignments are not allowed'],
    ['f(x) = x', 6, 'assignments are not allowed'],
    ['1e999 * x', 1, 'not a finite number'],
    ['sin(x); ', 8, 'output 2 is empty'],
    ['sin(x); cos(x', 14, 'parenthesis ) expected'],
    ['sin(x); 2 * z', 13, "unknown name 'z'"],
    ['x\n+ 1', 2, 'one line'],
  ])('refuses %j at position %i (%s)', (text, position, reason) => {
    const e = refusal(text);
    expect(e.position).toBe(position);
    expect(e.message).toContain(reason);
    expect(e.message).toMatch(new RegExp(`^position ${position}: `));
  });

  it('refuses an empty target and one with too many outputs, without a position inside it', () => {
    expect(refusal('  ').message).toMatch(/empty/);
    expect(refusal(Array.from({ length: 17 }, () => 'x').join(';')).message).toMatch(/at most 16 outputs/);
  });

  // what an attacker writes to reach JavaScript through an expression evaluator
  it.each([
    ['constructor', "unknown name 'constructor'"],
    ['__proto__', "unknown name '__proto__'"],
    ['x.constructor', 'property access'],
    ['x["constructor"]', 'property access'],
    ['sin.constructor', 'property access'],
    ['sin["constructor"]("return process")()', 'value expected'],
    ['cos.constructor("return process.exit(3)")', 'only the math functions can be called'],
    ['toString()', "unknown function 'toString'"],
    ['valueOf(x)', "unknown function 'valueOf'"],
    ['hasOwnProperty(x)', "unknown function 'hasOwnProperty'"],
    ['import({}, {override: true})', "unknown function 'import'"],
    ['evaluate("1")', "unknown function 'evaluate'"],
    ['parse("x")', "unknown function 'parse'"],
    ['createUnit("foo")', "unknown function 'createUnit'"],
    ['__proto__.polluted = 1', 'assignments are not allowed'],
    ['x.__proto__.polluted = 1', 'assignments are not allowed'],
    ['Object', "unknown name 'Object'"],
    ['process', "unknown name 'process'"],
    ['globalThis', "unknown name 'globalThis'"],
    ['this', "unknown name 'this'"],
    ['Math.sin(x)', 'only the math functions'],
  ])('refuses %j: nothing but the math functions is reachable', (text, reason) => {
    const e = refusal(text);
    expect(e.message).toContain(reason);
    expect(e.position).not.toBeNull();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('either refuses or computes a number, for any mix of tokens (a fuzz over 3,000 strings), and pollutes nothing', () => {
    const tokens = ['x', 'x1', 'x2', '1', '0.5', '2e3', 'pi', 'e', 'sin', 'cos', 'log', 'min', 'max', '(', ')', ',', '+', '-', '*', '/', '^', 'mod', '?', ':', '<', '==', 'and', 'not', '.', '[', ']', '{', '}', '=', '"', "'", ';', 'constructor', '__proto__', 'prototype', 'toString', 'process', 'import', ' ', '!', "'"];
    const rng = createRng(14, 0);
    const before = Object.getOwnPropertyNames(Object.prototype).join();
    let compiled = 0;
    for (let i = 0; i < 3000; i++) {
      const n = 1 + Math.floor(rng.uniform() * 12);
      let text = '';
      for (let k = 0; k < n; k++) text += tokens[Math.floor(rng.uniform() * tokens.length)];
      let t;
      try {
        t = compileTarget(text);
      } catch (e) {
        expect(e, text).toBeInstanceOf(ExpressionError);
        continue;
      }
      compiled++;
      const y = new Float64Array(t.outputs);
      t.evaluate(Float64Array.from({ length: t.inputs }, () => 0.3), 0, y, 0);
      for (const v of y) expect(typeof v).toBe('number');
    }
    expect(compiled).toBeGreaterThan(50);
    expect(Object.getOwnPropertyNames(Object.prototype).join()).toBe(before);
  });

  /** Minor garbage collections while `body` runs (a synchronous loop: nothing else allocates meanwhile). */
  async function scavengesDuring(body: () => void): Promise<number> {
    let minor = 0;
    const obs = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) if ((entry as unknown as { detail?: { kind?: number } }).detail?.kind === 1) minor++;
    });
    obs.observe({ entryTypes: ['gc'] });
    body();
    // gc entries are delivered after the loop, from the event loop
    await new Promise((r) => setTimeout(r, 50));
    obs.disconnect();
    return minor;
  }

  it('evaluates without allocating: millions of samples cause no garbage collection (an allocating evaluator does)', async () => {
    const t = compileTarget('sin(3*x) + 0.1*x^2 + (x > 0 ? exp(-x) : log1p(x^2)); hypot(x, 1, 2)');
    const x = new Float64Array(1);
    const y = new Float64Array(2);
    const loop = (f: (x: Float64Array, y: Float64Array) => void, n: number) => {
      for (let i = 0; i < n; i++) {
        x[0] = (i % 1000) / 500 - 1;
        f(x, y);
      }
    };
    const compiledTarget = (xs: Float64Array, ys: Float64Array) => t.evaluate(xs, 0, ys, 0);
    // an evaluator of the kind the stack program replaces: a result object per call, kept a while
    // (as a tree walker's intermediate values are), so that no engine's escape analysis removes it
    // (Node 24's V8 did, and the control saw 2 scavenges)
    const kept: unknown[] = new Array(1024);
    let calls = 0;
    const boxing = (xs: Float64Array, ys: Float64Array) => {
      const r = { v: Math.sin(3 * xs[0]), w: [xs[0], 1, 2] };
      kept[calls++ & 1023] = r;
      ys[0] = r.v + r.w.length;
    };
    loop(compiledTarget, 200_000); // warm up: let the optimiser settle first
    loop(boxing, 200_000);
    const control = await scavengesDuring(() => loop(boxing, 3_000_000));
    const ours = await scavengesDuring(() => loop(compiledTarget, 3_000_000));
    expect(control).toBeGreaterThan(3);
    expect(ours).toBeLessThanOrEqual(1);
  });
});
