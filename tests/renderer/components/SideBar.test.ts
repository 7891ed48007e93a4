// @vitest-environment happy-dom
import { mount } from '@vue/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { nextTick } from 'vue';
import SideBar from '../../../src-renderer/src/components/SideBar.vue';
import { selection, view } from '../../../src-renderer/src/composables/useNav';
import { themeMode } from '../../../src-renderer/src/composables/useTheme';
import { flush, summary, tableOver } from '../helpers/fake-lab';
import { setupApp } from '../helpers/mount';

let app: ReturnType<typeof setupApp>;
afterEach(() => app?.close());

describe('renderer/components/SideBar', () => {
  const runs = Array.from({ length: 40 }, (_, i) => summary(i + 1, { activation: i % 2 ? 'sigmoid' : 'relu', initMean: -0.1 }, { experimentId: i < 20 ? 1 : null }));
  const handlers = {
    'runs/table': tableOver(() => runs),
    'experiments/list': () => ({ experiments: [{ id: 1, name: 'init-mean', kind: 'sweep', definition: {}, createdAt: 1, notes: '', runCounts: { done: 20 } }] }),
  };

  it('lists experiments and pinned runs, not the runs: a handful of controls before the theme switch', async () => {
    app = setupApp(handlers);
    await app.lab.loadDefaults();
    await app.runs.refresh();
    const w = mount(SideBar);
    await flush();
    expect(w.findAll('[data-experiment]')).toHaveLength(1);
    expect(w.text()).not.toContain('mean −');
    // 40 runs in the database, no run checkbox here
    expect(w.findAll('input[type="checkbox"]')).toHaveLength(0);
    expect(w.findAll('button, input, select')).toHaveLength(4); // the experiment, its Compare, Copy link, the theme
    app.runs.togglePin(7);
    app.runs.setBaseline(3);
    await flush();
    expect(w.findAll('[data-pinned]').map((p) => p.attributes('data-pinned'))).toEqual(['7', '3']);
    expect(w.find('[data-pinned="3"] [data-action="baseline"]').attributes('aria-pressed')).toBe('true');
    await w.find('[data-pinned="7"] [data-action="baseline"]').trigger('click');
    expect(app.runs.settings.value.baseline).toBe(7);
    await w.find('[data-pinned="3"] input[type="checkbox"]').setValue(true);
    expect(selection.value).toEqual([3]);
    w.unmount();
  });

  it('shows an experiment’s runs in the table', async () => {
    app = setupApp(handlers);
    await app.runs.refresh();
    const w = mount(SideBar);
    await flush();
    view.value = 'start';
    await w.find('[data-experiment="1"] .exp').trigger('click');
    expect(view.value).toBe('runs');
    expect(app.runs.where.value).toBe('experiment = 1');
    w.unmount();
  });

  it('cycles the theme: system, light, dark', async () => {
    app = setupApp();
    themeMode.value = 'auto';
    const w = mount(SideBar);
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
