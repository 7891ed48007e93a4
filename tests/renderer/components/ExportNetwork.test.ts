// @vitest-environment happy-dom
/**
 * ExportNetwork (and through it the busy/error shape of composables/useApiAction, which VerifyBadge
 * shares): the buttons are disabled while the lab answers, a refusal shows beside them, and
 * pressing again clears it before asking anew.
 */
import { mount } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LabApiError } from '@main/api/contract';
import ExportNetwork from '../../../src-renderer/src/components/ExportNetwork.vue';
import { setupApp } from '../helpers/mount';

let app: ReturnType<typeof setupApp>;
afterEach(() => app?.close());

describe('renderer/components/ExportNetwork', () => {
  it('is busy while the lab answers, shows a refusal, and clears it when pressed again', async () => {
    let answer: (() => void) | null = null;
    let refuse = true;
    app = setupApp({
      'runs/exportNetwork': (req) =>
        new Promise((resolve, reject) => {
          answer = () => (refuse ? reject(new LabApiError({ name: 'UnavailableError', message: `run ${req.id} kept no weights` })) : resolve({ fileName: 'n.json', mediaType: 'application/json', text: '{}' }));
        }),
    });
    URL.createObjectURL ??= () => 'blob:x';
    URL.revokeObjectURL ??= () => {};
    const w = mount(ExportNetwork, { props: { runId: 7 }, attachTo: document.body });
    const buttons = () => w.findAll('button');
    await w.find('[data-export-network="weights"]').trigger('click');
    await vi.waitFor(() => expect(answer).not.toBeNull());
    expect(buttons().map((b) => b.attributes('disabled'))).toEqual(['', '', '']);
    answer!();
    await vi.waitFor(() => expect(w.find('[role="alert"]').text()).toBe('run 7 kept no weights'));
    expect(buttons().map((b) => b.attributes('disabled'))).toEqual([undefined, undefined, undefined]);
    refuse = false;
    answer = null;
    await w.find('[data-export-network="numpy"]').trigger('click');
    await vi.waitFor(() => expect(answer).not.toBeNull());
    expect(w.find('[role="alert"]').exists()).toBe(false);
    answer!();
    await vi.waitFor(() => expect(buttons()[0].attributes('disabled')).toBeUndefined());
    expect(w.find('[role="alert"]').exists()).toBe(false);
    expect(app.client.calls.filter((c) => c.name === 'runs/exportNetwork').map((c) => c.request)).toEqual([{ id: 7, format: 'weights' }, { id: 7, format: 'numpy' }]);
    w.unmount();
  });
});
