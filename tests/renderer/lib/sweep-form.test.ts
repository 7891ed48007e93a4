import { describe, expect, it } from 'vitest';
import { PRESET_LIST as PRESETS, sweepRunCount } from '@main/analysis/presets';
import { parseSweepRows, parseSweepValues } from '../../../src-renderer/src/lib/sweep-form';

const choices = { activation: ['relu', 'sigmoid', 'tanh'] };

describe('renderer/lib/sweep-form', () => {
  it('reads enum, number, integer and shape values', () => {
    expect(parseSweepValues('activation', 'relu, sigmoid', choices.activation)).toEqual({ values: ['relu', 'sigmoid'], error: null });
    expect(parseSweepValues('learningRate', '0.5, 1,2').values).toEqual([0.5, 1, 2]);
    expect(parseSweepValues('batchSize', '16, 32').values).toEqual([16, 32]);
    expect(parseSweepValues('shape', '1, 16, 2; 1, 32, 2').values).toEqual([
      [1, 16, 2],
      [1, 32, 2],
    ]);
  });

  it('keeps ±eps for the lab to resolve per run', () => {
    expect(parseSweepValues('initMean', '0, -eps').values).toEqual([0, '-eps']);
    expect(parseSweepValues('initMean', '\u2212eps, eps').values).toEqual(['-eps', 'eps']);
  });

  it('says what is wrong with a row', () => {
    expect(parseSweepValues('activation', 'relu, swish', choices.activation).error).toMatch(/swish is not one of/);
    expect(parseSweepValues('batchSize', '16, 2.5').error).toMatch(/whole number/);
    expect(parseSweepValues('learningRate', '').error).toBe('give at least one value');
    expect(parseSweepValues('learningRate', '1, 1').error).toBe('a value is given twice');
    expect(parseSweepValues('initialWeights', '[]').error).toMatch(/cannot be swept/);
  });

  it('builds the grid and refuses a field twice', () => {
    const p = parseSweepRows(
      [
        { field: 'activation', values: 'relu, sigmoid' },
        { field: 'initMean', values: '0, -eps' },
        { field: 'activation', values: 'tanh' },
        { field: '', values: '1' },
      ],
      choices,
    );
    expect(p.grid).toEqual({ activation: ['relu', 'sigmoid'], initMean: [0, '-eps'] });
    expect(Object.keys(p.errors)).toEqual(['2', '3']);
  });

  it('counts runs as the product of the value counts times the seeds', () => {
    expect(sweepRunCount({ activation: ['relu', 'sigmoid'], initMean: [0, '-eps'] }, 10)).toBe(40);
    expect(sweepRunCount({}, 3)).toBe(3);
    for (const p of PRESETS) expect(sweepRunCount(p.sweep.grid, p.sweep.replicates)).toBe(40);
  });
});
