// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { nextTick, ref } from 'vue';
import { formatHash, go, parseHash, registerHashState, selection, syncWithHash, toggleSelected, view } from '../../../src-renderer/src/composables/useNav';

describe('renderer/composables/useNav', () => {
  it('reads and writes the view and the selection in the hash', () => {
    expect(parseHash('#/compare/12,13')).toMatchObject({ view: 'compare', ids: [12, 13] });
    expect(parseHash('#/runs')).toMatchObject({ view: 'runs', ids: [] });
    expect(parseHash('#/nope/1,x,1,2')).toMatchObject({ view: null, ids: [1, 2] });
    const h = parseHash('#/runs/3?q=activation%20%3D%20relu%20and%20r2%20%3C%200.5&group=eps');
    expect([h.view, h.ids, h.params.get('q'), h.params.get('group')]).toEqual(['runs', [3], 'activation = relu and r2 < 0.5', 'eps']);
    expect(formatHash('runs', [], { q: 'tag:baseline & x', cols: 'id,r2', group: undefined })).toBe('#/runs?q=tag%3Abaseline%20%26%20x&cols=id%2Cr2');
    expect(parseHash(formatHash('runs', [2], { q: 'a = "b c" or #3' })).params.get('q')).toBe('a = "b c" or #3');
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

  it('carries a view’s own state in the hash: read on load and on hashchange, written when it changes', async () => {
    const q = ref('');
    window.history.replaceState(null, '', '/#/runs?q=lr%20%3C%201');
    const off = registerHashState('runs', { read: (p) => (q.value = p.get('q') ?? ''), write: () => ({ q: q.value || undefined }), source: q });
    const stop = syncWithHash(window);
    expect(q.value).toBe('lr < 1');
    q.value = 'tag:baseline';
    await nextTick();
    expect(window.location.hash).toBe('#/runs?q=tag%3Abaseline');
    go('compare', [4]);
    await nextTick();
    expect(window.location.hash).toBe('#/compare/4');
    window.location.hash = '#/runs?q=eps%20%3D%200.5';
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    expect(q.value).toBe('eps = 0.5');
    stop();
    off();
  });
});
