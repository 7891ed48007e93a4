// @vitest-environment happy-dom
import { mount } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LabApiError } from '@main/api/contract';
import SweepForm from '../../../src-renderer/src/components/SweepForm.vue';
import { createSweep, namesRedis, QUEUE_SETTINGS_KEY, withoutPassword, withPassword } from '../../../src-renderer/src/composables/useSweep';
import { view, selection } from '../../../src-renderer/src/composables/useNav';
import { flush } from '../helpers/fake-lab';
import { setupApp } from '../helpers/mount';

let app: ReturnType<typeof setupApp>;
beforeEach(() => localStorage.clear());
afterEach(() => app?.close());

const started = { experimentId: 3, runIds: [1, 2, 3, 4] };

describe('renderer/components/SweepForm: run on a job queue', () => {
  it('trains on this machine by default, with no queue in the request', async () => {
    app = setupApp({ 'sweeps/start': () => started });
    const w = mount(SweepForm, { attachTo: document.body });
    await flush();
    expect((w.find('input[name="sweep-on"][value="local"]').element as HTMLInputElement).checked).toBe(true);
    expect(w.find('#sweep-queue-url').exists()).toBe(false);
    await w.find('form').trigger('submit');
    await flush();
    expect(app.client.calls.filter((c) => c.name === 'sweeps/start').map((c) => c.request)).toEqual([{ sweep: expect.any(Object) }]);
    w.unmount();
  });

  it('connects to the queue with the password, starts the sweep there, and keeps the URL and name without the password', async () => {
    app = setupApp({ 'queue/connect': () => ({ queue: 'queue lab on redis://:***@10.0.0.5:6379/0', waiting: 0 }), 'sweeps/start': () => started });
    const w = mount(SweepForm, { attachTo: document.body });
    await flush();
    await w.find('input[name="sweep-on"][value="queue"]').setValue(true);
    const submit = w.find('button[data-action="start-sweep"]');
    expect(submit.attributes('disabled')).toBeDefined(); // no URL yet
    await w.find('#sweep-queue-url').setValue('redis://10.0.0.5:6379/0');
    await w.find('#sweep-queue-password').setValue('s3cret pw');
    await w.find('#sweep-queue-name').setValue('lab');
    await w.find('input[type="checkbox"]').setValue(true);
    expect(submit.text()).toMatch(/^Start \d+ runs on the queue$/);
    await w.find('form').trigger('submit');
    await flush();
    const calls = app.client.calls.filter((c) => c.name === 'queue/connect' || c.name === 'sweeps/start');
    expect(calls.map((c) => c.name)).toEqual(['queue/connect', 'sweeps/start']);
    expect(calls[0].request).toEqual({ url: 'redis://:s3cret%20pw@10.0.0.5:6379/0', name: 'lab' });
    expect(calls[1].request).toMatchObject({ queue: { allowMismatch: true } });
    expect(JSON.parse(localStorage.getItem(QUEUE_SETTINGS_KEY)!)).toEqual({ url: 'redis://10.0.0.5:6379/0', name: 'lab' });
    expect(localStorage.getItem(QUEUE_SETTINGS_KEY)).not.toMatch(/s3cret/);
    expect(w.text()).toContain('Connected to queue lab on redis://:***@10.0.0.5:6379/0.');
    expect(w.find('[data-testid="sweep-progress"]').exists()).toBe(true);
    // the next form (the next start of the app) has the URL and name back, not the password
    const again = createSweep(app.lab, () => ({}));
    expect([again.queueUrl.value, again.queueName.value, again.queuePassword.value]).toEqual(['redis://10.0.0.5:6379/0', 'lab', '']);
    w.unmount();
  });

  it('keeps a password typed into the URL out of the settings too, and shows a connection error without starting', async () => {
    app = setupApp({
      'queue/connect': () => {
        throw new LabApiError({ name: 'UnavailableError', message: 'cannot reach queue nnlab on redis://u:***@h:6379/0 (ECONNREFUSED)' });
      },
    });
    const w = mount(SweepForm, { attachTo: document.body });
    await flush();
    await w.find('input[name="sweep-on"][value="queue"]').setValue(true);
    await w.find('#sweep-queue-url').setValue('redis://u:inline-pw@h:6379/0');
    await w.find('form').trigger('submit');
    await flush();
    expect(w.find('[role="alert"]').text()).toBe('cannot reach queue nnlab on redis://u:***@h:6379/0 (ECONNREFUSED)');
    expect(app.client.calls.some((c) => c.name === 'sweeps/start')).toBe(false);
    expect(localStorage.getItem(QUEUE_SETTINGS_KEY)).toBeNull();
    expect(withoutPassword('redis://u:inline-pw@h:6379/0')).toBe('redis://u@h:6379/0');
    expect(withPassword('redis://u:inline-pw@h:6379/0', 'other')).toBe('redis://u:inline-pw@h:6379/0');
    w.unmount();
  });
  it('offers to collect the runs an earlier session left in a queue: connects (with the password field once Redis asks for one), and the offer goes once the lab follows them', async () => {
    let connected = false;
    let attempts = 0;
    app = setupApp({
      'queue/status': () => (connected ? { connection: { queue: 'queue lab on redis://ann:***@10.0.0.5:6379/0', waiting: 3 }, waiting: [] } : { connection: null, waiting: [{ name: 'lab', redis: 'redis://10.0.0.5:6379/0', runs: 3 }] }),
      'queue/connect': () => {
        if (++attempts === 1) throw new LabApiError({ name: 'UnavailableError', message: 'cannot reach queue lab on redis://ann@10.0.0.5:6379/0 (NOAUTH Authentication required.)' });
        connected = true;
        return { queue: 'queue lab on redis://ann:***@10.0.0.5:6379/0', waiting: 3 };
      },
    });
    const w = mount(SweepForm, { attachTo: document.body });
    await flush();
    // the form names that Redis with a user: kept, with the password put in
    await w.find('input[name="sweep-on"][value="queue"]').setValue(true);
    await w.find('#sweep-queue-url').setValue('redis://ann@10.0.0.5:6379/0');
    await w.find('#sweep-queue-name').setValue('other');
    await w.find('input[name="sweep-on"][value="local"]').setValue(true);
    expect(w.find('[data-testid="queue-waiting"]').text()).toBe('3 runs of this database wait in queue lab on redis://10.0.0.5:6379/0 (sent by an earlier session); what the workers finished is collected once the lab connects.Connect and collect');
    await w.find('button[data-action="collect-queue"]').trigger('click');
    await flush();
    expect(w.find('[role="alert"]').text()).toBe('cannot reach queue lab on redis://ann@10.0.0.5:6379/0 (NOAUTH Authentication required.)');
    // the queue's fields are shown, on that queue, for the password
    expect((w.find('input[name="sweep-on"][value="queue"]').element as HTMLInputElement).checked).toBe(true);
    expect((w.find('#sweep-queue-name').element as HTMLInputElement).value).toBe('lab');
    await w.find('#sweep-queue-password').setValue('pw');
    await w.find('button[data-action="collect-queue"]').trigger('click');
    await flush();
    expect(app.client.calls.filter((c) => c.name === 'queue/connect').map((c) => c.request)).toEqual([
      { url: 'redis://ann@10.0.0.5:6379/0', name: 'lab' },
      { url: 'redis://ann:pw@10.0.0.5:6379/0', name: 'lab' },
    ]);
    expect(w.find('[data-testid="queue-waiting"]').exists()).toBe(false);
    expect(w.find('[role="alert"]').exists()).toBe(false);
    expect(w.text()).toContain('Connected to queue lab on redis://ann:***@10.0.0.5:6379/0.');
    expect(JSON.parse(localStorage.getItem(QUEUE_SETTINGS_KEY)!)).toEqual({ url: 'redis://ann@10.0.0.5:6379/0', name: 'lab' });
    // a URL of another Redis is replaced by the one the runs went to
    expect(namesRedis('redis://10.0.0.6:6379/0', 'redis://10.0.0.5:6379/0')).toBe(false);
    expect(namesRedis('rediss://u:p@h:6380/2', 'rediss://h:6380/2')).toBe(true);
    expect(namesRedis('redis://h', 'redis://h:6379/0')).toBe(true);
    w.unmount();
  });
});

describe('renderer/components/SweepForm: a started sweep', () => {
  const experiment = (counts: Record<string, number>) => ({ experiments: [{ id: 3, name: 'sweep activation', kind: 'sweep' as const, definition: null, createdAt: 1, notes: '', runCounts: counts }] });

  it('keeps its progress and its comparison on the page after leaving it, and opens the comparison when it is done', async () => {
    let counts: Record<string, number> = { queued: 4 };
    app = setupApp({
      'sweeps/start': () => started,
      'experiments/list': () => experiment(counts),
      'runs/ids': (req) => ({ ids: req.experimentId === 3 ? started.runIds : [] }),
    });
    const first = mount(SweepForm, { attachTo: document.body });
    await flush();
    await first.find('form').trigger('submit');
    await flush();
    await app.runs.refresh();
    expect(first.find('[data-testid="sweep-progress"]').text()).toContain('0 of 4 ended');
    first.unmount();
    // back on the Sweep page: the sweep is still there, its comparison one click away
    const again = mount(SweepForm, { attachTo: document.body });
    await flush();
    expect(again.find('[data-testid="sweep-progress"]').exists()).toBe(true);
    await again.find('[data-action="open-sweep"]').trigger('click');
    await flush();
    expect([view.value, selection.value]).toEqual(['compare', [1, 2, 3, 4]]);
    view.value = 'sweep';
    selection.value = [];
    // all four end while the page is open: it opens their comparison
    counts = { done: 3, diverged: 1 };
    await app.runs.refresh();
    await flush();
    expect([view.value, selection.value]).toEqual(['compare', [1, 2, 3, 4]]);
    again.unmount();
  });
});
