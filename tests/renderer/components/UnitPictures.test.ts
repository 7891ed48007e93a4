// @vitest-environment happy-dom
/** UnitPictures: what each unit computes, in the words of the run's own inputs. */
import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import UnitPictures from '../../../src-renderer/src/components/UnitPictures.vue';
import { inputNames } from '@main/trainer/tasks';
import { DEFAULT_SPEC } from '@main/trainer/spec';

const picture = (layer: number) => ({ layer, values: [new Float64Array(625)], lo: 0, hi: 1, more: 0 });

describe('renderer/components/UnitPictures', () => {
  it('names a table’s input columns on the plane’s axes (it said “x1 across, x2 up” of petal and sepal)', () => {
    const spec = { ...DEFAULT_SPEC, task: 'csv', inputColumns: ['petal', 'sepal'], labelColumn: 'species', shape: [2, 16, 3] };
    const w = mount(UnitPictures, { props: { pictures: [picture(1)], inputs: 2, last: 2, states: () => 'alive', inputNames: inputNames(spec, 2) } });
    expect(w.text()).toContain('over the input plane (petal across, sepal up)');
    w.unmount();
    // Playground's sets keep their x1 and x2
    const circle = mount(UnitPictures, { props: { pictures: [picture(1)], inputs: 2, last: 2, states: () => 'alive', inputNames: inputNames({ ...DEFAULT_SPEC, task: 'circle' }, 2) } });
    expect(circle.text()).toContain('(x1 across, x2 up)');
    circle.unmount();
  });
});
