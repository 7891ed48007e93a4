import { describe, expect, it } from 'vitest';
import { configKey } from '../../src-main/db';
import { configKeyV5 } from '../../src-main/db/migrations/5-spec-version';
import { DEFAULT_SPEC, parseRunSpec } from '../../src-main/trainer/spec';
import { specAsOfVersion } from './helpers';

describe('db/config-key', () => {
  it('leaves out the seeds and every field at its default', () => {
    expect(configKey(DEFAULT_SPEC)).toBe('{}');
    expect(configKey(parseRunSpec({ activation: 'sigmoid', initMean: -0.1, initSeed: 9, dataSeed: 4 }))).toBe('{"activation":"sigmoid","initMean":-0.1}');
    expect(configKey(parseRunSpec({ shape: [1, 32, 2] }))).toBe('{"shape":[1,32,2]}');
  });

  it('gives a spec without a defaulted field the key of the spec with it (a field added later keeps old runs in their group)', () => {
    const full = parseRunSpec({ activation: 'sigmoid', batches: 50 });
    // every field but the two set: each holds its default, as a field added later would in a new run
    for (const field of Object.keys(DEFAULT_SPEC).filter((f) => f !== 'activation' && f !== 'batches')) {
      const partial: Record<string, unknown> = { ...full };
      delete partial[field];
      expect(configKey(partial), field).toBe(configKey(full));
    }
  });

  it('tells configurations apart by any field that differs, seeds aside', () => {
    const a = parseRunSpec({ initSeed: 1 });
    expect(configKey({ ...a, initSeed: 2, dataSeed: 7 })).toBe(configKey(a));
    for (const [field, value] of Object.entries({ eps: 0.2, momentum: 0.5, dtype: 'float32', checkpoints: 3, initialWeights: [[[0, 1]], [[0, 1], [0, 1]]] })) {
      expect(configKey({ ...a, [field]: value }), field).not.toBe(configKey(a));
    }
  });

  it('is the rule migration v5 froze, for the fields of spec version 1 (changing a default needs a migration)', () => {
    const variants: Record<string, unknown>[] = [
      {}, { activation: 'sigmoid' }, { initMean: -0.1, eps: 0.1 }, { shape: [1, 8, 8, 2], learningRate: 0.5 }, { optimizer: 'adam', beta2: 0.99 },
      { dtype: 'float32', checkpoints: 0, batchSize: 8, batches: 10 }, { task: 'wave', outputActivation: 'linear', init: 'he' },
    ];
    for (const v of variants) {
      const spec: Record<string, unknown> = { ...specAsOfVersion(DEFAULT_SPEC, 1), ...v };
      expect(configKeyV5(spec), JSON.stringify(v)).toBe(configKey(spec));
    }
  });
});
