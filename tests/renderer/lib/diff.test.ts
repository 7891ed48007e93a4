import { describe, expect, it } from 'vitest';
import { configDiff, diffLabel, SEED_FIELDS } from '../../../src-renderer/src/lib/diff';
import { DEFAULT_SPEC } from '@main/trainer/spec';

const spec = (over: Record<string, unknown> = {}) => ({ ...DEFAULT_SPEC, ...over }) as Record<string, unknown>;

describe('renderer/lib/diff', () => {
  it('lists only the fields that differ', () => {
    const rows = configDiff([spec(), spec({ activation: 'sigmoid' })]);
    expect(rows).toEqual([{ field: 'activation', values: ['relu', 'sigmoid'] }]);
  });

  it('compares arrays by value', () => {
    expect(configDiff([spec({ shape: [1, 16, 2] }), spec({ shape: [1, 16, 2] })])).toEqual([]);
    expect(configDiff([spec({ shape: [1, 16, 2] }), spec({ shape: [1, 32, 2] })])[0]).toEqual({ field: 'shape', values: ['[1, 16, 2]', '[1, 32, 2]'] });
  });

  it('keeps the field table’s order and leaves replicate seeds out, unless nothing else differs', () => {
    const a = spec({ initSeed: 3, learningRate: 0.5, activation: 'tanh' });
    expect(configDiff([spec(), a]).map((r) => r.field)).toEqual(['activation', 'learningRate']);
    expect(configDiff([spec(), spec({ initSeed: 3 })])).toEqual([{ field: 'initSeed', values: ['2', '3'] }]);
    expect(configDiff([spec(), spec({ initSeed: 3 })], SEED_FIELDS)).toEqual([]);
  });

  it('shows a field missing from one spec as (default)', () => {
    const rows = configDiff([{ a: 1 }, {}]);
    expect(rows).toEqual([{ field: 'a', values: ['1', '(default)'] }]);
  });

  it('is empty for fewer than two specs', () => {
    expect(configDiff([spec()])).toEqual([]);
  });

  it('labels an item by its values: choices alone, numbers with a short name', () => {
    const rows = configDiff([spec(), spec({ activation: 'sigmoid' })]);
    expect(diffLabel(rows, 1)).toBe('sigmoid');
    const two = configDiff([spec(), spec({ activation: 'sigmoid', initMean: -0.1 })]);
    expect(diffLabel(two, 1)).toBe('sigmoid · mean −0.1');
    const four = configDiff([spec(), spec({ activation: 'tanh', initMean: 1, learningRate: 2, batches: 5 })]);
    // every field that differs (cut to three, the legend hid the one a sweep varied), or as many as asked
    expect(diffLabel(four, 1)).toBe('tanh · mean 1 · lr 2 · batches 5');
    expect(diffLabel(four, 1, 3)).toBe('tanh · mean 1 · lr 2 · …');
  });
});
