// @vitest-environment happy-dom
/**
 * The start screen's exercises: one click starts the preset's sweep and opens its comparison at the
 * experiment's address, as a sweep from the Sweep view does (`#/compare?experiment=N`, what Copy
 * link and the sidebar's Compare give), not at its forty run ids.
 */
import { mount } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import StartView from '../../../src-renderer/src/components/StartView.vue';
import { selection, syncWithHash, view } from '../../../src-renderer/src/composables/useNav';
import { flush } from '../helpers/fake-lab';
import { setupApp } from '../helpers/mount';

let app: ReturnType<typeof setupApp>;
afterEach(() => app?.close());

describe('renderer/components/StartView', () => {
  it('opens an exercise’s comparison at its experiment’s address (it opened #/compare/2,3,…,41)', async () => {
    const ids = Array.from({ length: 40 }, (_, i) => i + 2);
    app = setupApp({
      'sweeps/start': () => ({ experimentId: 1, runIds: ids }),
      'runs/ids': (req) => ({ ids: req.experimentId === 1 ? ids : [] }),
    });
    await app.lab.loadDefaults();
    // the address kept in step with the app, as main.ts keeps it
    const stop = syncWithHash(window);
    const w = mount(StartView);
    await flush();
    await w.find('[data-action="init-mean"]').trigger('click');
    await vi.waitFor(async () => {
      await flush();
      expect(window.location.hash).toBe('#/compare?experiment=1');
    });
    expect(view.value).toBe('compare');
    expect(selection.value).toEqual(ids);
    expect(app.client.calls.filter((c) => c.name === 'sweeps/start')).toHaveLength(1);
    w.unmount();
    stop();
  });
});
