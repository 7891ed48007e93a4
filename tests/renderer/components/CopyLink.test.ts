// @vitest-environment happy-dom
/**
 * "Copy link" (issue 17: the desktop app had no way to copy a link to its view). The desktop
 * app cannot run here (no Electron binary), so its side is the component with the preload's
 * bridge present; tests/e2e/address.test.ts opens what both sides copy in Chromium against a real
 * `nnlab serve`.
 */
import { mount } from '@vue/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import CopyLink from '../../../src-renderer/src/components/CopyLink.vue';
import { shareableLink } from '../../../src-renderer/src/lib/share-link';
import { flush } from '../helpers/fake-lab';

const clip: { text: string | null; fail: boolean } = { text: null, fail: false };
Object.defineProperty(navigator, 'clipboard', {
  configurable: true,
  value: {
    writeText: (t: string) => (clip.fail ? Promise.reject(new Error('denied')) : Promise.resolve(void (clip.text = t))),
  },
});

afterEach(() => {
  delete (window as { nnlab?: unknown }).nnlab;
  clip.text = null;
  clip.fail = false;
});

describe('renderer/components/CopyLink', () => {
  it('copies the view’s #/… in the desktop app and says it opens the view after the URL nnlab serve prints', async () => {
    (window as { nnlab?: unknown }).nnlab = {};
    window.history.replaceState(null, '', '/index.html#/compare?experiment=3&y=lin');
    const w = mount(CopyLink);
    await w.find('[data-action="copy-link"]').trigger('click');
    await flush();
    expect(clip.text).toBe('#/compare?experiment=3&y=lin');
    expect(w.find('[data-testid="copy-link-status"]').text()).toBe('Copied #/compare?experiment=3&y=lin: after the URL that nnlab serve prints, it opens this view');
    w.unmount();
  });

  it('copies the page’s URL in browser mode, and shows the link selected when the clipboard refuses', async () => {
    window.history.replaceState(null, '', '/#/runs?q=activation%20%3D%20tanh');
    const w = mount(CopyLink, { attachTo: document.body });
    await w.find('[data-action="copy-link"]').trigger('click');
    await flush();
    expect(clip.text).toBe(`${window.location.origin}/#/runs?q=activation%20%3D%20tanh`);
    expect(w.find('[data-testid="copy-link-status"]').text()).toBe('Copied the link to this view (no access token in it)');
    clip.fail = true;
    await w.find('[data-action="copy-link"]').trigger('click');
    await flush();
    const field = w.find<HTMLInputElement>('[data-testid="copy-link-field"]');
    expect(field.element.value).toBe(`${window.location.origin}/#/runs?q=activation%20%3D%20tanh`);
    expect(w.find('[data-testid="copy-link-status"]').text()).toMatch(/clipboard is not available/);
    w.unmount();
  });

  it('names the start view when the address has no view yet', () => {
    expect(shareableLink({ origin: 'http://127.0.0.1:5', pathname: '/', hash: '' }, false)).toBe('http://127.0.0.1:5/#/start');
    expect(shareableLink({ origin: 'file://', pathname: '/x/index.html', hash: '#' }, true)).toBe('#/start');
  });
});
