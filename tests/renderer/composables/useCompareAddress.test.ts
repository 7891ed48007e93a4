import { describe, expect, it } from 'vitest';
import { optionsToParams, paramsToOptions } from '../../../src-renderer/src/composables/useCompareAddress';
import { type CompareOptions, DEFAULT_OPTIONS } from '../../../src-renderer/src/lib/compare/context';

const fresh = (): CompareOptions => ({ ...DEFAULT_OPTIONS });

describe('renderer/composables/useCompareAddress', () => {
  it('writes the options that differ from the defaults, and reads them back', () => {
    expect(Object.values(optionsToParams(fresh(), true)).filter((v) => v !== undefined)).toEqual([]);
    const o: CompareOptions = { ...fresh(), logY: false, logX: true, xAxis: 'samples', yMetric: 'cost', smoothing: 0.8, mode: 'runs', aggregate: 'mean' };
    const params = optionsToParams(o, false);
    expect(params).toEqual({ y: 'lin', x: 'log', axis: 'samples', metric: 'cost', smooth: '0.8', mode: 'runs', centre: 'mean' });
    const back = fresh();
    const p = new URLSearchParams(Object.entries(params) as [string, string][]);
    expect(paramsToOptions(p, back)).toEqual({ modeGiven: true });
    expect(back).toEqual(o);
  });

  it('leaves an option it cannot read at its default, and the mode to follow the runs when not given', () => {
    const o = fresh();
    const { modeGiven } = paramsToOptions(new URLSearchParams('y=sideways&x=&axis=minutes&metric=r2&smooth=1.5&centre=mode&mode=both'), o);
    expect(modeGiven).toBe(false);
    expect(o).toEqual(fresh());
    expect(paramsToOptions(new URLSearchParams('smooth=0'), o)).toEqual({ modeGiven: false });
    expect(o.smoothing).toBe(0);
  });
});
