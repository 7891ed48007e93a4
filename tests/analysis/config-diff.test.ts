import { describe, expect, it } from 'vitest';
import { configLabel, configLabels, differingFields, differsParts, displayValue, shortLabel, valueText } from '../../src-main/analysis/config-diff';
import { stabilityMaps, varyingFields } from '../../src-main/analysis/stability';
import { analyse, formatSweepSummary } from '../../src-main/cli/report';
import { DEFAULT_SPEC } from '../../src-main/trainer/spec';

const spec = (over: Record<string, unknown> = {}) => ({ ...DEFAULT_SPEC, ...over });

describe('analysis/config-diff', () => {
  it('finds the fields that differ, in the field table’s order, compared by value', () => {
    expect(differingFields([spec(), spec({ learningRate: 0.5, activation: 'tanh' })])).toEqual(['activation', 'learningRate']);
    expect(differingFields([spec({ shape: [1, 16, 2] }), spec({ shape: [1, 16, 2] })])).toEqual([]);
    expect(differingFields([{ b: 1, a: 1 }, { b: 2, a: 2 }])).toEqual(['a', 'b']);
    expect(differingFields([spec()])).toEqual([]);
  });

  it('leaves the replicates’ seeds out of what differs, unless nothing else does', () => {
    expect(differingFields([spec(), spec({ activation: 'sigmoid', initSeed: 9, dataSeed: 4 })])).toEqual(['activation']);
    expect(differingFields([spec(), spec({ initSeed: 3 })])).toEqual(['initSeed']);
  });

  it('names configurations by the fields that differ: one style to read back, one short for legends', () => {
    const a = spec();
    const b = spec({ activation: 'sigmoid', initMean: -0.1, initSeed: 9 });
    const fields = differingFields([a, b]);
    expect(configLabel(b, fields)).toBe('activation=sigmoid initMean=-0.1');
    expect(shortLabel(fields, (f) => displayValue((b as Record<string, unknown>)[f]))).toBe('sigmoid · mean −0.1');
    expect(configLabel(a, [])).toBe('[1,16,2] relu');
    const four = spec({ activation: 'tanh', initMean: 1, learningRate: 2, batches: 5 });
    expect(shortLabel(differingFields([a, four]), (f) => displayValue((four as Record<string, unknown>)[f]))).toBe('tanh · mean 1 · lr 2 · …');
  });

  it('names the output layer in a short label: its values (seed, sigmoid) would read as a seed or as the hidden activation', () => {
    const a = spec({ activation: 'relu', outputActivation: 'seed' });
    const b = spec({ activation: 'sigmoid', outputActivation: 'sigmoid' });
    const fields = differingFields([a, b]);
    expect(shortLabel(fields, (f) => displayValue((a as Record<string, unknown>)[f]))).toBe('relu · output seed');
    expect(shortLabel(fields, (f) => displayValue((b as Record<string, unknown>)[f]))).toBe('sigmoid · output sigmoid');
  });

  it('writes values one way in labels: bare strings and numbers, JSON otherwise', () => {
    expect(valueText('relu')).toBe('relu');
    expect(valueText(-0.1)).toBe('-0.1');
    expect(valueText([1, 16, 2])).toBe('[1,16,2]');
    expect(valueText(undefined)).toBe('–');
    expect(displayValue([1, 16, 2])).toBe('[1, 16, 2]');
    expect(displayValue(-0.1)).toBe('−0.1');
  });

  it('labels configurations for timing: by what differs, seeds only when nothing else does', () => {
    const a = spec();
    expect(configLabels([a, spec({ activation: 'sigmoid', initSeed: 9 })])).toEqual({ labels: ['activation=relu', 'activation=sigmoid'], differs: ['activation'] });
    expect(configLabels([a, spec({ initSeed: 3 })])).toEqual({ labels: ['initSeed=2', 'initSeed=3'], differs: ['initSeed'] });
    expect(configLabels([a, spec({ shape: [1, 32, 2] })]).labels).toEqual(['shape=[1,16,2]', 'shape=[1,32,2]']);
    expect(configLabels([a]).labels).toEqual(['[1,16,2] relu']);
    expect(configLabels([a, a]).labels).toEqual(['config 1', 'config 2']);
  });

  it('gives the CLI report, the stability map and timing the same names for the same configurations', () => {
    const runs = ['relu', 'sigmoid'].flatMap((activation, c) =>
      [0, -0.1].flatMap((initMean, m) =>
        [0, 1].map((r) => ({ id: 1 + c * 4 + m * 2 + r, status: 'done' as const, testMse: 0.001, baselineMse: 0.0806, configKey: `${activation}${initMean}`, spec: spec({ activation, initMean, initSeed: 2 + r }) })),
      ),
    );
    const specs = runs.map((r) => r.spec);
    expect(varyingFields(specs)).toEqual(differingFields(specs));
    const report = analyse(runs.map((run) => ({ run, series: {} })) as never);
    const table = formatSweepSummary(report.findings.configs, report.swept);
    expect(table).toContain('activation=relu initMean=0 ');
    expect(table).toContain('activation=sigmoid initMean=-0.1 ');
    expect(table).not.toContain('"');
    expect(stabilityMaps(runs, { fields: ['activation', 'initMean'] })!.maps.map((m) => m.facetLabel)).toEqual(['']);
    const withLr = runs.map((r) => ({ ...r, spec: { ...r.spec, learningRate: r.id % 2 ? 1 : 0.5 } }));
    const faceted = stabilityMaps(withLr, { fields: ['initMean', 'learningRate', 'activation'] })!;
    expect(faceted.facetFields).toEqual(['activation']);
    expect(faceted.maps.map((m) => m.facetLabel)).toEqual(['activation=relu', 'activation=sigmoid']);
    const groups = report.findings.configs.map((g) => g.spec);
    expect(configLabels(groups).labels).toEqual(report.findings.configs.map((g) => configLabel(g.spec, report.swept)));
    // the findings (and the reading) name them the same way
    expect(report.findings.configs.map((g) => g.name)).toEqual(configLabels(groups).labels);
  });

  it('says what differs with each value once, and a replicate set’s seeds as their count', () => {
    const eight = ['1', '2', '3', '4', '5', '6', '7', '8'];
    expect(differsParts([{ field: 'activation', values: ['relu', 'sigmoid', 'relu'] }])).toEqual([{ field: 'activation', text: 'relu · sigmoid' }]);
    expect(differsParts([{ field: 'initSeed', values: eight }, { field: 'dataSeed', values: eight }])).toEqual([{ field: null, text: '8 seeds' }]);
    expect(differsParts([{ field: 'initSeed', values: ['4', '4'] }])).toEqual([{ field: null, text: '1 seed' }]);
  });
});
