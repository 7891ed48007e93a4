import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countOutcomes } from '../../src-main/analysis/outcome';
import { parseQuery } from '../../src-main/analysis/query';
import { createRunFields, DEFAULT_COLUMNS, FIELD_SECTIONS, normalName } from '../../src-main/analysis/run-fields';
import { runTable, sortRuns, tableRequestError } from '../../src-main/analysis/run-table';
import type { RunSummary } from '../../src-main/db/types';
import { specChoices } from '../../src-main/trainer/spec';
import { fieldMeta, SPEC_KEYS } from '../../src-main/trainer/spec-fields';
import { storedRuns, type StoredRuns } from './helpers/stored-runs';

const fields = createRunFields(specChoices());
let fx: StoredRuns;
let runs: RunSummary[];

describe('analysis/run-fields', () => {
  it('has a field for every spec field that holds one value per run, with the form’s label (its group’s word where it needs it) and group', () => {
    const scalar = SPEC_KEYS.filter((k) => fieldMeta(k).kind !== 'weights' && !fieldMeta(k).replaces);
    for (const k of scalar) {
      const f = fields.get(k);
      // 'Mean' reads right under the form's 'Initial weights' heading only
      expect(f.label).toBe(k === 'initMean' ? 'Init mean' : fieldMeta(k).label);
      expect(f.section).toBe(fieldMeta(k).group);
      expect(f.groupable).toBe(true);
    }
    expect(fields.fields.filter((f) => (SPEC_KEYS as string[]).includes(f.key)).map((f) => f.key).sort()).toEqual([...scalar].sort());
    expect(fields.find('initialWeights')).toBeUndefined();
    expect(fields.get('activation').choices).toEqual(specChoices().activation);
  });

  it('names every field once, in the chooser’s section order, and finds the CLI flag names', () => {
    const names = fields.fields.flatMap((f) => [...new Set([f.key, ...f.names].map(normalName))]);
    expect(new Set(names).size).toBe(names.length);
    const order = fields.fields.map((f) => FIELD_SECTIONS.indexOf(f.section));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(fields.find('lr')?.key).toBe('learningRate');
    expect(fields.find('data-seed')?.key).toBe('dataSeed');
    expect(fields.find('batch')?.key).toBe('batchSize');
    for (const c of DEFAULT_COLUMNS) expect(fields.find(c), c).toBeDefined();
  });

  it('has the job queue a run was sent to and the worker that trained it, empty for a run of the lab’s own pool', () => {
    const remote = { remote: { name: 'nnlab', redis: 'redis://10.0.0.5:6379/0', worker: 'w2' } } as unknown as RunSummary;
    const local = { remote: null } as unknown as RunSummary;
    expect(fields.get('queue').value(remote, {})).toBe('nnlab on redis://10.0.0.5:6379/0');
    expect(fields.get('worker').value(remote, {})).toBe('w2');
    expect([fields.get('queue').value(local, {}), fields.get('worker').value(local, {})]).toEqual([null, null]);
    expect(fields.get('worker').groupable).toBe(true);
  });

});

describe('analysis/run-table', () => {
  beforeAll(() => {
    fx = storedRuns();
    runs = fx.runs;
  });
  afterAll(() => fx.close());

  it('sorts by any field both ways, runs without a value last either way, ties newest first', () => {
    const r2 = fields.get('r2');
    for (const desc of [false, true]) {
      const sorted = sortRuns(runs, r2, desc);
      const values = sorted.map((r) => r2.value(r, {}));
      const known = values.filter((v) => v !== null) as number[];
      expect(values.slice(known.length).every((v) => v === null)).toBe(true);
      expect(known).toEqual([...known].sort((a, b) => (desc ? b - a : a - b)));
    }
    const byAct = sortRuns(runs, fields.get('activation'), false);
    for (let i = 1; i < byAct.length; i++) {
      const [a, b] = [byAct[i - 1], byAct[i]];
      if (a.spec.activation === b.spec.activation) expect(a.id).toBeGreaterThan(b.id);
      else expect(a.spec.activation.localeCompare(b.spec.activation)).toBeLessThan(0);
    }
    const byShape = sortRuns(runs, fields.get('shape'), false).map((r) => r.spec.shape.join('-'));
    expect(byShape[0]).toBe('1-16-2');
    expect(byShape.at(-1)).toBe('2-8-8-2');
  });

  it('groups by a field with each group’s count, outcome classes and the median of each number column', () => {
    const t = runTable(runs, fields, { query: parseQuery('task = sincos', fields), group: 'activation', columns: ['id', 'activation', 'r2', 'testMse', 'learningRate'] }, {});
    const sincos = runs.filter((r) => r.spec.task === 'sincos');
    expect(t.rows).toHaveLength(sincos.length);
    expect(t.groups!.map((g) => g.label)).toEqual(['leakyRelu', 'linear', 'relu', 'sigmoid', 'tanh']);
    for (const g of t.groups!) {
      const members = sincos.filter((r) => r.spec.activation === g.value);
      expect(g.runs.map((r) => r.id).sort()).toEqual(members.map((r) => r.id).sort());
      expect(g.outcomes).toEqual(countOutcomes(members));
      expect(Object.keys(g.medians)).toEqual(['r2', 'testMse', 'learningRate']); // not the run number
      const mse = members.filter((r) => r.testMse !== null).map((r) => r.testMse!).sort((a, b) => a - b);
      const m = mse.length % 2 ? mse[mse.length >> 1] : (mse[mse.length / 2 - 1] + mse[mse.length / 2]) / 2;
      expect(g.medians.testMse).toEqual({ median: mse.length ? m : null, n: mse.length, of: members.length });
    }
    // the queued leakyRelu run and the cancelled sigmoid run: counted apart, and the medians say of how many
    const leaky = t.groups!.find((g) => g.label === 'leakyRelu')!;
    expect(leaky.outcomes.pending).toBe(1);
    expect(leaky.medians.r2).toEqual({ median: null, n: 0, of: 1 });
    expect(t.groups!.find((g) => g.label === 'sigmoid')!.outcomes.notCounted).toEqual({ cancelled: 1 });
  });

  it('groups by tags as a set, by experiment with its name, by shape, and by configuration', () => {
    const experiments = new Map([[fx.experimentId, { id: fx.experimentId, name: 'init-mean' }]]);
    const all = parseQuery('', fields);
    expect(runTable(runs, fields, { query: all, group: 'experiment' }, { experiments }).groups!.map((g) => [g.label, g.runs.length])).toEqual([
      [`#${fx.experimentId} init-mean`, 5],
      ['no experiment', runs.length - 5],
    ]);
    expect(runTable(runs, fields, { query: all, group: 'tags' }).groups!.map((g) => g.label)).toEqual(['adam, baseline', 'baseline', 'exercise', 'Über', 'no tags']);
    expect(runTable(runs, fields, { query: all, group: 'shape' }).groups!.map((g) => g.label)).toEqual(['1-16-2', '2-8-8-2']);
    const configs = runTable(runs, fields, { query: parseQuery('activation = sigmoid and task = sincos', fields), group: 'config' }).groups!;
    expect(configs.map((g) => [g.label, g.runs.length])).toEqual([['activation=sigmoid', 3]]);
  });

  it('groups tags ignoring case, as queries match them, under the spelling most of the group’s runs use (a tie: the oldest run’s)', () => {
    // found by trying (session 9): tag:Baseline matched 'baseline' (f6d970e), but grouping by tags kept two groups
    const tagged = [['Baseline'], ['baseline'], ['baseline'], ['adam', 'Baseline'], ['BASELINE', 'adam'], ['x', 'X']];
    const some = [...runs].sort((a, b) => a.id - b.id).slice(0, tagged.length).map((r, i) => ({ ...r, tags: tagged[i] }));
    const groups = runTable(some, fields, { query: parseQuery('', fields), group: 'tags' }).groups!;
    expect(groups.map((g) => [g.label, g.runs.length])).toEqual([
      ['adam, Baseline', 2],
      ['baseline', 3],
      ['x', 1],
    ]);
    // sorted the other way, the same groups and words: a label does not follow the table's sort
    const desc = runTable(some, fields, { query: parseQuery('', fields), group: 'tags', sort: 'id', desc: false }).groups!;
    expect(desc.map((g) => [g.key, g.label])).toEqual(groups.map((g) => [g.key, g.label]));
  });

  it('refuses an unknown field and grouping by a score, naming them', () => {
    expect(tableRequestError(fields, { sort: 'nope' })).toBe("sort: no run field 'nope'");
    expect(tableRequestError(fields, { group: 'r2' })).toMatch(/^group: runs cannot be grouped by r2/);
    expect(tableRequestError(fields, { columns: ['id', 'x'] })).toBe("columns: no run field 'x'");
    expect(tableRequestError(fields, { sort: 'lr', group: 'optimizer', columns: ['eps'] })).toBeNull();
  });
});
