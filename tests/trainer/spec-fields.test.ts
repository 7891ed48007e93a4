import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { RunSpecSchema, specChoices } from '../../src-main/trainer/spec';
import { columnListText, FIELD_GROUPS, type FieldMeta, fieldMeta, parseColumnList, SPEC_FIELD_META, SPEC_KEYS, type SpecKey } from '../../src-main/trainer/spec-fields';
import { Command } from 'commander';
import { addSpecFlags, SPEC_FLAGS } from '../../src-main/cli/spec-flags';

/** The schema of a field without its default/optional wrapper. */
function inner(key: SpecKey): z.core.$ZodType {
  const s = RunSpecSchema.shape[key] as unknown as { unwrap(): z.core.$ZodType };
  return s.unwrap();
}

describe('trainer/spec-fields', () => {
  it('has one entry per spec field, in the schema’s order', () => {
    expect(SPEC_KEYS).toEqual(Object.keys(RunSpecSchema.shape));
  });

  it('refuses, as a type, a table that forgets a field', () => {
    const { task: _task, ...withoutTask } = SPEC_FIELD_META;
    // @ts-expect-error a field table without `task` is not a field table of RunSpec
    const table: Record<SpecKey, FieldMeta> = withoutTask;
    expect(Object.keys(table)).not.toContain('task');
  });

  it('says what the schema says about each field’s kind', () => {
    for (const key of SPEC_KEYS) {
      const meta = fieldMeta(key);
      const def = inner(key)._zod.def as { type: string; format?: string; element?: { _zod: { def: { type: string } } } };
      const element = def.element?._zod.def.type;
      const kind =
        def.type === 'enum' ? 'enum'
        : def.type === 'number' ? (def.format === 'safeint' ? 'int' : 'number')
        : def.type === 'array' ? (element === 'number' ? 'shape' : element === 'string' ? 'columns' : 'weights')
        : def.type === 'string' ? 'text'
        : def.type === 'tuple' || def.type === 'pipe' ? 'range'
        : def.type;
      expect(meta.kind, key).toBe(kind);
    }
  });

  it('puts every field in one of the form’s groups and gives it a label and help', () => {
    for (const key of SPEC_KEYS) {
      const meta = fieldMeta(key);
      expect(FIELD_GROUPS, key).toContain(meta.group);
      expect(meta.label.length, key).toBeGreaterThan(0);
      expect(meta.help.length, key).toBeGreaterThan(0);
    }
  });

  it('gives the API and the CLI the choices of every enum field, from the schema', () => {
    expect(specChoices()).toEqual({
      task: ['sincos', 'wave', 'bump', 'circle', 'xor', 'gauss', 'spiral', 'expression', 'csv', 'fashion-mnist'],
      activation: ['relu', 'sigmoid', 'tanh', 'leakyRelu', 'linear'],
      outputActivation: ['seed', 'linear', 'sigmoid', 'softmax'],
      loss: ['sse', 'cross-entropy'],
      init: ['normal', 'xavier', 'he'],
      optimizer: ['sgd', 'momentum', 'adam'],
      dtype: ['float64', 'float32'],
    });
    expect(SPEC_FLAGS.find((f) => f.field === 'task')?.description).toBe(
      "task: sincos|wave|bump|circle|xor|gauss|spiral|expression|csv|fashion-mnist (circle, xor, gauss, spiral: Playground's 2-D classification sets; expression: set by --target; csv: set by --data; fashion-mnist: 28×28 images of clothing)",
    );
    expect(SPEC_FLAGS.find((f) => f.field === 'dtype')?.description).toBe('float64|float32 (float64 is the parity mode)');
  });

  it('gives the CLI a flag for every field that has one, switches after their field’s flag', () => {
    expect(SPEC_FLAGS.map((f) => `${f.flags.split(' ')[0]}=${f.field}`)).toEqual([
      '--task=task', '--noise=noise', '--samples=samples', '--train-fraction=trainFraction', '--target=target', '--domain=domain',
      '--dataset=dataset', '--inputs=inputColumns', '--targets=targetColumns', '--label=labelColumn', '--standardize=standardize', '--shape=shape', '--activation=activation',
      '--output-activation=outputActivation', '--loss=loss', '--init=init', '--eps=eps', '--init-mean=initMean', '--lr=learningRate',
      '--batch=batchSize', '--batches=batches', '--epochs=epochs', '--l2=l2', '--l1=l1', '--optimizer=optimizer', '--momentum=momentum',
      '--beta1=beta1', '--beta2=beta2', '--adam-epsilon=adamEpsilon', '--seed=initSeed', '--data-seed=dataSeed', '--dtype=dtype',
      '--float32=dtype', '--checkpoints=checkpoints',
    ]);
    expect(SPEC_FLAGS.find((f) => f.flags === '--float32')?.constant).toBe('float32');
    expect(SPEC_FLAGS.find((f) => f.field === 'shape')?.listSeparator).toBe(';');
    for (const key of SPEC_KEYS) expect(SPEC_FLAGS.some((f) => f.field === key), key).toBe(fieldMeta(key).flag !== null);
  });

  it('states each flag’s default once, as parseRunSpec fills it in: the task’s where the task has its own, none for an empty text', () => {
    const help = new Map(addSpecFlags(new Command()).options.map((o) => [o.flags.split(' ')[0], o.description]));
    // the schema's default, and the tasks that have their own (withTaskDefaults)
    expect(help.get('--lr')).toMatch(/\(default 1; fashion-mnist: 0\.1\)$/);
    expect(help.get('--batch')).toMatch(/\(default 32; fashion-mnist: 64\)$/);
    expect(help.get('--init')).toMatch(/\(default normal; fashion-mnist: he\)$/);
    expect(help.get('--batches')).toMatch(/\(default 300; fashion-mnist: 5 epochs\)$/);
    // every task has its own
    expect(help.get('--shape')).toMatch(/\(default: the task’s; sincos: 1,16,2\)$/);
    expect(help.get('--output-activation')).toMatch(/\(default: the task’s; sincos: seed\)$/);
    expect(help.get('--loss')).toMatch(/\(default: the task’s; sincos: sse\)$/);
    // a yes|no flag says yes or no; an empty text has no default to state
    expect(help.get('--standardize')).toMatch(/\(default no\)$/);
    for (const flag of ['--target', '--dataset', '--inputs', '--targets', '--label']) expect(help.get(flag), flag).not.toMatch(/default/);
    for (const [flag, text] of help) expect(text.match(/default/g)?.length ?? 0, `${flag}: ${text}`).toBeLessThanOrEqual(1);
  });

  it('writes column names so that parseColumnList reads the same names back: commas, quotes and edge spaces quoted (the form’s “ d” came back as “d”)', () => {
    const names = ['a', 'b, c', ' d', 'say "hi"', 'x y'];
    expect(columnListText(names)).toBe('a, "b, c", " d", "say ""hi""", x y');
    expect(parseColumnList(columnListText(names))).toEqual(names);
    expect(parseColumnList(columnListText([]))).toEqual([]);
  });
});
