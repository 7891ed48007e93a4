// @vitest-environment happy-dom
import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import TableHead from '../../../src-renderer/src/components/TableHead.vue';

describe('renderer/components/TableHead', () => {
  it('heads every column with a <th scope="col">, in order; a column of numbers has the class num', () => {
    const w = mount({ components: { TableHead }, template: `<table><TableHead :columns="['Name', { label: 'Size', num: true }, { label: 'Columns' }, '']" /></table>` });
    expect(w.find('thead').element.outerHTML).toBe('<thead><tr><th scope="col">Name</th><th scope="col" class="num">Size</th><th scope="col">Columns</th><th scope="col"></th></tr></thead>');
  });

  it('names a column for screen readers only where its cells say what they are on screen (a configuration’s colour dot and label)', () => {
    const w = mount({ components: { TableHead }, template: `<table><TableHead :columns="[{ label: 'configuration', screenReaderOnly: true }, { label: 'total', num: true }]" /></table>` });
    expect(w.find('thead').element.outerHTML).toBe('<thead><tr><th scope="col"><span class="sr-only">configuration</span></th><th scope="col" class="num">total</th></tr></thead>');
  });
});
