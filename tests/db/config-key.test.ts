import { describe, expect, it } from 'vitest';
import { configKey } from '../../src-main/db';
import { configKeyV5 } from '../../src-main/db/migrations/5-spec-version';
import { rekeyV12 } from '../../src-main/db/migrations/12-unread-fields';
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
    for (const [field, value] of Object.entries({ eps: 0.2, learningRate: 0.5, dtype: 'float32', checkpoints: 3, initialWeights: [[[0, 1]], [[0, 1], [0, 1]]] })) {
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

  it('gives two specs that train the same runs one key: a field the configuration does not read leaves the key as a default does (nnlab train --init he --init-mean -0.1 was another configuration than --init he, with the same numbers)', () => {
    const same: [Record<string, unknown>, Record<string, unknown>][] = [
      [{ init: 'he', initMean: -0.1, eps: 0.3 }, { init: 'he' }],
      [{ init: 'xavier', initMean: -0.1 }, { init: 'xavier' }],
      [{ optimizer: 'sgd', momentum: 0.5 }, {}],
      [{ optimizer: 'momentum', beta1: 0.8, beta2: 0.99, adamEpsilon: 1e-6 }, { optimizer: 'momentum' }],
      [{ optimizer: 'adam', momentum: 0.5, beta2: 0.99 }, { optimizer: 'adam', beta2: 0.99 }],
      [{ initialWeights: [[[0, 1]], [[0, 1], [0, 1]]], shape: [1, 1, 2], init: 'he', initMean: -0.1 }, { initialWeights: [[[0, 1]], [[0, 1], [0, 1]]], shape: [1, 1, 2] }],
    ];
    for (const [a, b] of same) expect(configKey(parseRunSpec(a)), JSON.stringify(a)).toBe(configKey(parseRunSpec(b)));
    // a field that is read still tells configurations apart
    const apart: [Record<string, unknown>, Record<string, unknown>][] = [
      [{ initMean: -0.1 }, {}],
      [{ init: 'normal', eps: 0.3 }, {}],
      [{ optimizer: 'momentum', momentum: 0.5 }, { optimizer: 'momentum' }],
      [{ optimizer: 'adam', beta2: 0.99 }, { optimizer: 'adam' }],
      [{ init: 'he' }, {}],
    ];
    for (const [a, b] of apart) expect(configKey(parseRunSpec(a)), JSON.stringify(a)).not.toBe(configKey(parseRunSpec(b)));
    // a partial spec counts a missing init or optimizer as its default, which reads its fields
    expect(configKey({ initMean: -0.1 })).toBe('{"initMean":-0.1}');
    expect(configKey({ init: 'he', initMean: -0.1 })).toBe('{"init":"he"}');
  });

  it('is the rule migration v12 froze: the v5 key without the fields the configuration does not read', () => {
    const variants: Record<string, unknown>[] = [
      {}, { activation: 'sigmoid' }, { initMean: -0.1, eps: 0.1 }, { init: 'he', initMean: -0.1, eps: 0.3 }, { init: 'xavier', eps: 0.2 },
      { optimizer: 'adam', beta2: 0.99, momentum: 0.5 }, { optimizer: 'momentum', momentum: 0.5, beta1: 0.5 }, { momentum: 0.5, adamEpsilon: 1e-6 },
      { initialWeights: [[[0, 1]], [[0, 1], [0, 1]]], shape: [1, 1, 2], init: 'he', eps: 0.3 }, { task: 'wave', outputActivation: 'linear', init: 'he' },
    ];
    // the fields of spec version 1, for which v5's rule is what the store wrote up to v11 (its test above)
    for (const v of variants) {
      const spec = specAsOfVersion(parseRunSpec(v), 1);
      expect(rekeyV12(configKeyV5(spec)), JSON.stringify(v)).toBe(configKey(spec));
    }
  });
});
