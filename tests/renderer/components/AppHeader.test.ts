// @vitest-environment happy-dom
import { mount } from '@vue/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { nextTick } from 'vue';
import App from '../../../src-renderer/src/App.vue';
import AppHeader from '../../../src-renderer/src/components/AppHeader.vue';
import { selection, type View, view } from '../../../src-renderer/src/composables/useNav';
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
    expect(w.find('[data-view="compare"]').attributes('aria-selected')).toBe('true');
    expect(w.find('[data-view="compare"]').text()).toContain('2');
    expect(w.findAll('nav button').every((b) => b.element.tagName === 'BUTTON')).toBe(true);
  });

  it('is one tab stop: the current view’s tab; arrows, Home and End move between tabs, Enter opens one', async () => {
    app = setupApp();
    view.value = 'runs';
    const w = mount(AppHeader, { attachTo: document.body });
    const stops = () => w.findAll('[role="tab"]').filter((t) => t.attributes('tabindex') === '0').map((t) => t.attributes('data-view'));
    expect(w.findAll('[role="tab"]').map((t) => t.attributes('data-view'))).toEqual(['start', 'new', 'sweep', 'runs', 'compare', 'data']);
    expect(stops()).toEqual(['runs']);
    (w.find('[data-view="runs"]').element as HTMLElement).focus();
    await w.find('[role="tablist"]').trigger('keydown', { key: 'ArrowRight' });
    await nextTick();
    await nextTick();
    expect(document.activeElement?.getAttribute('data-view')).toBe('compare');
    expect(view.value).toBe('runs'); // moving is not opening
    await w.find('[role="tablist"]').trigger('keydown', { key: 'ArrowRight' });
    await w.find('[role="tablist"]').trigger('keydown', { key: 'ArrowRight' });
    await nextTick();
    await nextTick();
    expect(document.activeElement?.getAttribute('data-view')).toBe('start');
    await w.find('[role="tablist"]').trigger('keydown', { key: 'End' });
    await nextTick();
    await nextTick();
    expect(document.activeElement?.getAttribute('data-view')).toBe('data');
    await w.find('[role="tablist"]').trigger('keydown', { key: 'ArrowLeft' });
    await nextTick();
    await nextTick();
    expect(document.activeElement?.getAttribute('data-view')).toBe('compare');
    await w.find('[data-view="compare"]').trigger('click');
    expect(view.value).toBe('compare');
    expect(stops()).toEqual(['compare']);
    w.unmount();
  });

  it('names every view: its tab, and the page heading and skip link while it is open', async () => {
    app = setupApp();
    selection.value = [];
    const w = mount(AppHeader);
    expect(w.findAll('[role="tab"]').map((t) => [t.attributes('data-view'), t.text()])).toEqual([
      ['start', '◆ nnlab: start'],
      ['new', 'New run'],
      ['sweep', 'Sweep'],
      ['runs', 'Runs'],
      ['compare', 'Compare'],
      ['data', 'Data'],
    ]);
    const views = ['StartView', 'NewRunView', 'SweepView', 'RunsTable', 'DataView', 'CompareView', 'SideBar', 'StoreBanner', 'AppHeader'];
    const page = mount(App, { global: { stubs: Object.fromEntries(views.map((c) => [c, true])) } });
    const named: [View, string, string][] = [];
    for (const v of ['start', 'new', 'sweep', 'runs', 'compare', 'data'] as const) {
      view.value = v;
      await nextTick();
      named.push([v, page.find('h1').text(), page.find('[data-testid="skip-link"]').text()]);
    }
    expect(named).toEqual([
      ['start', 'nnlab: Start', 'Skip to Start'],
      ['new', 'nnlab: New run', 'Skip to New run'],
      ['sweep', 'nnlab: Sweep', 'Skip to Sweep'],
      ['runs', 'nnlab: Runs', 'Skip to Runs'],
      ['compare', 'nnlab: Compare', 'Skip to Compare'],
      ['data', 'nnlab: Data sets', 'Skip to Data sets'],
    ]);
    page.unmount();
    w.unmount();
    // App.vue loads these five views as chunks of their own (defineAsyncComponent), and mounting
    // even their stubs starts those imports: wait for them here, or they land after the test's
    // environment is torn down and vitest reports unhandled errors
    await Promise.all([
      import('../../../src-renderer/src/components/StartView.vue'),
      import('../../../src-renderer/src/components/NewRunView.vue'),
      import('../../../src-renderer/src/components/SweepView.vue'),
      import('../../../src-renderer/src/components/RunsTable.vue'),
      import('../../../src-renderer/src/components/DataView.vue'),
    ]);
  });
});
