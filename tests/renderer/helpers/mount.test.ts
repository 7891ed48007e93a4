// @vitest-environment happy-dom
/**
 * The component-test set-up leaves nothing behind (tests/renderer/helpers/mount.ts): a test's
 * stores stop with it and the page is clean again, so a later test of the same file never meets them ('edits notes and tags'
 * in components/Tables.test.ts failed once other tests shared its file).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { selection } from '../../../src-renderer/src/composables/useNav';
import { setupApp } from './mount';

afterEach(() => vi.useRealTimers());

describe('tests/renderer/helpers/mount', () => {
  it('stops every store of a closed app: no refresh of its runs table later, a clean page for the next', async () => {
    vi.useFakeTimers();
    const first = setupApp();
    await first.lab.loadDefaults();
    first.runs.where.value = 'activation = relu';
    first.runs.refreshSoon(); // as the query box does while a person types
    selection.value = [3];
    window.location.hash = '#/runs?where=lr%20%3E%201';
    first.close();
    const asked = first.client.calls.filter((c) => c.name === 'runs/table').length;
    await vi.advanceTimersByTimeAsync(5_000);
    expect(first.client.calls.filter((c) => c.name === 'runs/table')).toHaveLength(asked);
    // the address belongs to whoever registers next, and the next app starts clean
    expect(window.location.hash).toBe('');
    expect(selection.value).toEqual([]);
    const second = setupApp();
    try {
      expect(second.runs.where.value).toBe('');
    } finally {
      second.close();
    }
  });
});
