// @vitest-environment happy-dom
import { mount } from '@vue/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { nextTick } from 'vue';
import AppHeader from '../../../src-renderer/src/components/AppHeader.vue';
import { selection, view } from '../../../src-renderer/src/composables/useNav';
import { themeMode } from '../../../src-renderer/src/composables/useTheme';
import { setupApp } from '../helpers/mount';

let app: ReturnType<typeof setupApp>;
afterEach(() => app?.close());

describe('renderer/components/AppHeader', () => {
  it('shows how many runs are training and queued', async () => {
    app = setupApp({ 'lab/status': () => ({ version: '0.1.0', poolSize: 1, queued: 3, running: 2, database: 'x', readOnly: null, fault: null, journaled: [] }) });
    await app.lab.refreshStatus();
    const w = mount(AppHeader);
    expect(w.find('[data-testid="running-indicator"]').text()).toBe('● 2 running · 3 queued');
    expect(w.find('[data-testid="running-indicator"]').classes()).toContain('active');
  });

  it('switches views with real buttons and marks the current one', async () => {
    app = setupApp();
    selection.value = [4, 5];
    const w = mount(AppHeader);
    await w.find('[data-view="compare"]').trigger('click');
    expect(view.value).toBe('compare');
    expect(w.find('[data-view="compare"]').attributes('aria-current')).toBe('page');
    expect(w.find('[data-view="compare"]').text()).toContain('2');
    expect(w.findAll('nav button').every((b) => b.element.tagName === 'BUTTON')).toBe(true);
  });

  it('cycles the theme: system, light, dark', async () => {
    app = setupApp();
    themeMode.value = 'auto';
    const w = mount(AppHeader);
    await w.find('.theme').trigger('click');
    expect(themeMode.value).toBe('light');
    await w.find('.theme').trigger('click');
    await nextTick();
    expect(themeMode.value).toBe('dark');
    expect(document.documentElement.dataset.theme).toBe('dark');
    await w.find('.theme').trigger('click');
    expect(themeMode.value).toBe('auto');
  });
});
