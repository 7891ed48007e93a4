// @vitest-environment happy-dom
import { mount } from '@vue/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import StoreBanner from '../../../src-renderer/src/components/StoreBanner.vue';
import { setupApp } from '../helpers/mount';

let app: ReturnType<typeof setupApp>;
afterEach(() => app?.close());

const status = (over: object) => () => ({ version: '0.1.0', poolSize: 1, queued: 0, running: 0, database: '/d/runs.sqlite', readOnly: null, fault: null, journaled: [], ...over });

describe('renderer/components/StoreBanner', () => {
  it('says nothing while the database takes every write', async () => {
    app = setupApp({ 'lab/status': status({}) });
    await app.lab.refreshStatus();
    expect(mount(StoreBanner).find('[data-testid="store-banner"]').exists()).toBe(false);
  });

  it('says the database is read-only, why, and what still works', async () => {
    app = setupApp({ 'lab/status': status({ readOnly: '/d/runs.sqlite is open read-only (the file is read-only for this user: permission denied (EACCES)): nothing can be saved or changed in it' }) });
    await app.lab.refreshStatus();
    const b = mount(StoreBanner).find('[data-testid="store-banner"]');
    expect(b.attributes('role')).toBe('status');
    expect(b.text()).toContain('Read-only.');
    expect(b.text()).toContain('/d/runs.sqlite is open read-only (the file is read-only for this user: permission denied');
    expect(b.text()).toContain('starting, editing and deleting runs is off');
  });

  it('alerts on a full disk and names the runs kept in the journal', async () => {
    app = setupApp({ 'lab/status': status({ fault: 'the disk is full: /d/runs.sqlite could not be written', journaled: [7, 8] }) });
    await app.lab.refreshStatus();
    const w = mount(StoreBanner);
    expect(w.find('[data-testid="store-banner"]').attributes('role')).toBe('alert');
    expect(w.find('[data-testid="store-banner"]').text()).toContain('the disk is full: /d/runs.sqlite could not be written');
    expect(w.find('[data-testid="journal-banner"]').text()).toContain('#7, #8');
  });

  it('says what opening the database did (runs of a process that is gone marked interrupted) until dismissed', async () => {
    app = setupApp({ 'lab/status': status({ opened: ['marked #1, #2 interrupted: their owner, process 123 on vm, is no longer running'] }) });
    await app.lab.refreshStatus();
    const w = mount(StoreBanner);
    const b = w.find('[data-testid="opened-banner"]');
    expect(b.attributes('role')).toBe('status');
    expect(b.text()).toContain('When the lab opened: marked #1, #2 interrupted: their owner, process 123 on vm, is no longer running.');
    await b.find('button').trigger('click');
    expect(w.find('[data-testid="opened-banner"]').exists()).toBe(false);
  });
});
