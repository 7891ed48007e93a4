import { describe, expect, it } from 'vitest';
import { DEFAULT_SPEC, FIELD_ADDED_IN, parseRunSpec, RunSpecSchema, SPEC_UPGRADES, SPEC_VERSION, SpecError, weightCount } from '../../src-main/trainer/spec';

function errorOf(input: unknown, limits = {}): SpecError {
  try {
    parseRunSpec(input, limits);
  } catch (e) {
    if (e instanceof SpecError) return e;
    throw e;
  }
  throw new Error('expected a SpecError');
}

describe('trainer/spec', () => {
  it("defaults reproduce the seed's main()", () => {
    expect(DEFAULT_SPEC).toMatchObject({
      task: 'sincos', shape: [1, 16, 2], activation: 'relu', outputActivation: 'seed', init: 'normal',
      eps: 0.1, initMean: 0, learningRate: 1, batchSize: 32, batches: 300, optimizer: 'sgd', dtype: 'float64',
    });
  });

  const cases: [string, unknown, string, RegExp][] = [
    ['an empty shape', { shape: [] }, 'shape', /at least an input and an output/],
    ['a zero-width layer', { shape: [1, 0, 2] }, 'shape[1]', /at least 1 unit/],
    ['a fractional width', { shape: [1, 2.5, 2] }, 'shape[1]', /^shape\[1\]: must be a whole number$/],
    ['a NaN learning rate', { learningRate: NaN }, 'learningRate', /^learningRate: must be a number, not NaN$/],
    ['a negative learning rate', { learningRate: -1 }, 'learningRate', /^learningRate: must be more than 0$/],
    ['a string learning rate', { learningRate: 'fast' }, 'learningRate', /^learningRate: must be a number, not text$/],
    ['batch 0', { batchSize: 0 }, 'batchSize', /^batchSize: must be at least 1$/],
    ['zero batches', { batches: 0 }, 'batches', /^batches: must be at least 1$/],
    ['an unknown activation', { activation: 'swish' }, 'activation', /^activation: must be one of relu, sigmoid, tanh, leakyRelu, linear$/],
    // found by trying (session 13, trycli13): a choice in other letter case was refused with the list alone
    ['an activation in capitals', { activation: 'ReLU' }, 'activation', /^activation: must be one of relu, sigmoid, tanh, leakyRelu, linear \(did you mean relu\?\)$/],
    ['an optimizer in capitals', { optimizer: 'Adam' }, 'optimizer', /^optimizer: must be one of .*adam \(did you mean adam\?\)$/],
    ['a task in capitals', { task: 'Fashion-MNIST' }, 'task', /\(did you mean fashion-mnist\?\)$/],
    ['an unknown output mode', { outputActivation: 'tanh' }, 'outputActivation', /seed/],
    ['an unknown loss', { loss: 'hinge' }, 'loss', /cross-entropy/],
    ['cross-entropy on a regression task', { loss: 'cross-entropy', outputActivation: 'sigmoid' }, 'loss', /task sincos is a regression: use sse/],
    ['cross-entropy after relu outputs', { task: 'circle', outputActivation: 'seed' }, 'outputActivation', /softmax or sigmoid, not relu/],
    ['cross-entropy after linear outputs', { task: 'xor', outputActivation: 'linear' }, 'outputActivation', /softmax or sigmoid, not linear/],
    ['softmax over one output', { task: 'wave', outputActivation: 'softmax' }, 'outputActivation', /softmax over one output is always 1/],
    ['noise on a task without noise', { noise: 0.1 }, 'noise', /task sincos does not read noise \(circle, xor, gauss, spiral do\)/],
    ['samples on a task that draws fresh ones', { task: 'bump', samples: 100 }, 'samples', /does not read samples/],
    ['noise above 0.5', { task: 'circle', noise: 0.6 }, 'noise', /^noise: must be at most 0.5$/],
    ['a train fraction of 1', { task: 'circle', trainFraction: 1 }, 'trainFraction', /^trainFraction: must be less than 1$/],
    ['a train fraction that leaves no training sample', { task: 'circle', samples: 3, trainFraction: 0.2 }, 'trainFraction', /leaves no training sample/],
    // found by trying (session 8): a batch larger than the training set trained, each batch holding samples several times
    ['a batch larger than the training set', { task: 'circle', samples: 100, batchSize: 500 }, 'batchSize', /^batchSize: a batch of 500 is more than task circle's training set of 50 samples \(trainFraction 0\.5 of 100 samples\), so each batch would hold samples twice: at most 50$/],
    ['a batch larger than the training set, with epochs', { task: 'spiral', samples: 100, trainFraction: 0.8, epochs: 3, batchSize: 81 }, 'batchSize', /^batchSize: a batch of 81 is more than task spiral's training set of 80 samples \(trainFraction 0\.8 of 100 samples\), so each batch/],
    ['epochs on a task that draws fresh samples', { epochs: 3 }, 'epochs', /task sincos draws fresh samples for every batch/],
    ['epochs and batches together', { task: 'spiral', epochs: 3, batches: 10 }, 'epochs', /epochs or batches, not both/],
    ['a negative l2', { l2: -1 }, 'l2', /^l2: must be at least 0$/],
    ['an l1 that is not a number', { l1: 'lots' }, 'l1', /^l1: must be a number, not text$/],
    ['an unknown task', { task: 'mnist' }, 'task', /sincos/],
    ['an unknown optimizer', { optimizer: 'lbfgs' }, 'optimizer', /adam/],
    ['a negative eps', { eps: -0.1 }, 'eps', /^eps: must be at least 0$/],
    ['a negative seed', { initSeed: -1 }, 'initSeed', /^initSeed: must be at least 0$/],
    ['an unknown field', { learningrate: 1 }, 'learningrate', /unknown field/],
    // found by trying (session 6, left): zod's own words, 'Too small: expected number to be >0', reached the CLI and the form
    ['zero epochs', { task: 'spiral', epochs: 0 }, 'epochs', /^epochs: must be more than 0$/],
    ['a shape that is no list', { shape: '1,16,2' }, 'shape', /^shape: must be a list, not text$/],
    ['too many checkpoints', { checkpoints: 5000 }, 'checkpoints', /^checkpoints: must be at most 1000$/],
    ['a momentum of 1', { momentum: 1 }, 'momentum', /^momentum: must be less than 1$/],
    ['a shape that does not fit the task', { shape: [2, 16, 2] }, 'shape', /1 input and 2 output units, e.g. \[1, 16, 2\]/],
    ['a shape that does not fit a 2-D task', { task: 'circle', shape: [1, 16, 2] }, 'shape', /task circle needs 2 inputs and 2 output units, e.g. \[2, 8, 8, 2\]/],
    ['a 10^9-weight network', { shape: [1, 31623, 31623, 2] }, 'shape', /over the cap of 50,000,000.*--max-weights/],
    ['a huge batch', { batchSize: 10_000_000 }, 'batchSize', /activation values/],
    ['initial weights with too few layers', { initialWeights: [[[0, 1]]] }, 'initialWeights', /expected 2 layer matrices/],
    ['initial weights with a wrong row count', { shape: [1, 2, 2], initialWeights: [[[0, 1]], [[0, 1, 2], [0, 1, 2]]] }, 'initialWeights[0]', /expected 2 rows/],
    ['initial weights with a wrong column count', { shape: [1, 1, 2], initialWeights: [[[0, 1, 2]], [[0, 1], [0, 1]]] }, 'initialWeights[0][0]', /expected 2 columns/],
  ];
  for (const [name, input, field, message] of cases) {
    it(`rejects ${name}, naming ${field}`, () => {
      const e = errorOf(input);
      expect(e.field).toBe(field);
      expect(e.message).toMatch(message);
      expect(e.message.startsWith(`${field}: `)).toBe(true);
    });
  }

  it('takes a batch as large as the training set, and any batch on a task that draws fresh samples', () => {
    expect(parseRunSpec({ task: 'circle', samples: 100, batchSize: 50 }).batchSize).toBe(50);
    expect(parseRunSpec({ batchSize: 5000 }).batchSize).toBe(5000);
    expect(parseRunSpec({ task: 'circle' }).batchSize).toBe(32);
    // a batch left out is at most the training set: the spec says the batch the run trains with
    const small = parseRunSpec({ task: 'circle', samples: 20 });
    expect(small.batchSize).toBe(10);
    expect(parseRunSpec(small)).toEqual(small);
    expect(parseRunSpec({ task: 'circle', samples: 20, epochs: 3 }).batches).toBe(3);
  });

  it('takes the task’s shape, loss and output layer where the spec leaves them out', () => {
    expect(parseRunSpec({ task: 'circle' })).toMatchObject({ shape: [2, 8, 8, 2], loss: 'cross-entropy', outputActivation: 'softmax', noise: 0, samples: 500, trainFraction: 0.5 });
    // wave's targets reach −1: its output layer is linear by default (the seed's relu output never goes below 0)
    expect(parseRunSpec({ task: 'wave' })).toMatchObject({ shape: [1, 16, 1], loss: 'sse', outputActivation: 'linear' });
    expect(parseRunSpec({ task: 'bump' })).toMatchObject({ shape: [1, 16, 1], loss: 'sse', outputActivation: 'seed' });
    expect(parseRunSpec({ task: 'spiral', shape: [2, 3, 2], loss: 'sse', outputActivation: 'sigmoid' })).toMatchObject({ shape: [2, 3, 2], loss: 'sse', outputActivation: 'sigmoid' });
    expect(parseRunSpec({})).toEqual(DEFAULT_SPEC);
    expect(DEFAULT_SPEC).toMatchObject({ loss: 'sse', l1: 0, l2: 0 });
  });

  it('turns epochs into batches: ⌈epochs · training samples / batch size⌉, and keeps no epochs', () => {
    const spec = parseRunSpec({ task: 'circle', epochs: 10, batchSize: 32 });
    expect(spec.batches).toBe(Math.ceil((10 * 250) / 32));
    expect('epochs' in spec).toBe(false);
    expect(parseRunSpec({ task: 'circle', samples: 100, trainFraction: 0.8, epochs: 0.5, batchSize: 10 }).batches).toBe(4);
    // a parsed spec parses to itself
    expect(parseRunSpec(spec)).toEqual(spec);
  });

  it('resolves an init mean written relative to eps against the spec’s eps, or the default', () => {
    expect(parseRunSpec({ eps: 0.3, initMean: '-eps' }).initMean).toBe(-0.3);
    expect(parseRunSpec({ initMean: '\u2212eps' }).initMean).toBe(-DEFAULT_SPEC.eps);
    expect(parseRunSpec({ eps: 0.3, initMean: 'EPS' }).initMean).toBe(0.3);
    expect(errorOf({ initMean: 'twice eps' }).field).toBe('initMean');
    expect(errorOf({ eps: 'wide', initMean: '-eps' }).field).toBe('eps');
  });

  it('lets --max-weights raise the weight cap', () => {
    const shape = [1, 5000, 5000, 2];
    expect(weightCount(shape)).toBeGreaterThan(2e7);
    expect(() => parseRunSpec({ shape }, { maxWeights: 1e6 })).toThrow(/over the cap of 1,000,000/);
    expect(parseRunSpec({ shape }, { maxWeights: 3e7 }).shape).toEqual(shape);
  });

  it('accepts explicit initial weights of the right shape', () => {
    const w = [[[0.1, 0.2]], [[0.3, 0.4], [0.5, 0.6]]];
    expect(parseRunSpec({ shape: [1, 1, 2], initialWeights: w }).initialWeights).toEqual(w);
  });
});

/**
 * The fields of each released spec version, as released: an nnlab of version v refuses a field it
 * does not know, so a field added to a version already released would make older nnlabs fail on
 * new runs instead of saying "written by a newer nnlab". A new field goes into a new version: bump
 * SPEC_VERSION, date the field with it in FIELD_ADDED_IN, and add the version's list here.
 */
const RELEASED: Record<number, readonly string[]> = {
  1: ['activation', 'adamEpsilon', 'batchSize', 'batches', 'beta1', 'beta2', 'checkpoints', 'dataSeed', 'dtype', 'eps', 'init', 'initMean', 'initSeed', 'initialWeights', 'learningRate', 'momentum', 'optimizer', 'outputActivation', 'shape', 'task'],
  2: ['epochs', 'l1', 'l2', 'loss', 'noise', 'samples', 'trainFraction'],
  3: ['dataset', 'domain', 'inputColumns', 'labelColumn', 'standardize', 'target', 'targetColumns'],
};

describe('trainer/spec versions', () => {
  const dated: Record<string, number> = FIELD_ADDED_IN;
  it('dates every field of the schema, none after SPEC_VERSION', () => {
    expect(Object.keys(dated).sort()).toEqual(Object.keys(RunSpecSchema.shape).sort());
    expect(Math.max(...Object.values(dated))).toBeLessThanOrEqual(SPEC_VERSION);
  });

  it('keeps each released version’s fields as released, and every version after 1 adds fields or upgrades old specs', () => {
    for (let v = 1; v <= SPEC_VERSION; v++) {
      expect(Object.keys(dated).filter((k) => dated[k] === v).sort(), `spec version ${v}`).toEqual(RELEASED[v]);
      if (v > 1) expect(RELEASED[v].length > 0 || SPEC_UPGRADES[v] !== undefined).toBe(true);
    }
  });
});
