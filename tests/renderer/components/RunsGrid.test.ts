// @vitest-environment happy-dom
/** panels/RunsGrid: the card grid of the Compare panels that show runs one by one (networks, what each learned). */
import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { h } from 'vue';
import RunsGrid from '../../../src-renderer/src/components/panels/RunsGrid.vue';

describe('renderer/components/panels/RunsGrid', () => {
  it('draws a card per run from the slot, says how many were left out only when some were, and names itself', () => {
    const grid = (more: number) =>
      mount(RunsGrid, {
        props: { runs: [{ id: 4 }, { id: 9 }], more, label: 'The networks', testid: 'network-panel', minWidth: 420 },
        slots: { default: ({ run }: { run: { id: number } }) => h('span', { class: 'card' }, `run ${run.id}`), more: () => `${more} more left out` },
      });
    const w = grid(3);
    const section = w.find('section[data-testid="network-panel"]');
    expect(section.attributes('aria-label')).toBe('The networks');
    expect(section.attributes('data-runs')).toBe('2');
    expect(w.findAll('[data-run]').map((c) => [c.attributes('data-run'), c.text()])).toEqual([['4', 'run 4'], ['9', 'run 9']]);
    expect(w.find('.more').text()).toBe('3 more left out');
    expect(grid(0).find('.more').exists()).toBe(false);
  });
});
