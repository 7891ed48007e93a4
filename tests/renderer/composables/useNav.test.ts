// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { nextTick } from 'vue';
import { formatHash, go, parseHash, selection, syncWithHash, toggleSelected, view } from '../../../src-renderer/src/composables/useNav';

describe('renderer/composables/useNav', () => {
  it('reads and writes the view and the selection in the hash', () => {
    expect(parseHash('#/compare/12,13')).toEqual({ view: 'compare', ids: [12, 13] });
    expect(parseHash('#/runs')).toEqual({ view: 'runs', ids: [] });
    expect(parseHash('#/nope/1,x,1,2')).toEqual({ view: null, ids: [1, 2] });
    expect(formatHash('compare', [3, 4])).toBe('#/compare/3,4');
    expect(formatHash('new', [])).toBe('#/new');
  });

  it('toggles runs in and out of the selection, keeping the order they were picked', () => {
    selection.value = [];
    toggleSelected(5);
    toggleSelected(2);
    toggleSelected(5, true);
    expect(selection.value).toEqual([5, 2]);
    toggleSelected(5);
    expect(selection.value).toEqual([2]);
  });

  it('keeps the address in step, so a reload comes back to the same comparison', async () => {
    window.history.replaceState(null, '', '/#/compare/7,8');
    const stop = syncWithHash(window);
    expect(view.value).toBe('compare');
    expect(selection.value).toEqual([7, 8]);
    go('runs', [1]);
    await nextTick();
    expect(window.location.hash).toBe('#/runs/1');
    stop();
  });
});
