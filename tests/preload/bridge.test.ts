/**
 * The Electron transport end to end without the binary: the real handlers behind a stand-in for
 * ipcMain.handle, the preload's bridge, contextBridge's copying, and the page's ipcClient. The page
 * must see the same LabApiError (class, name, field) as over HTTP: the run form marks the field from
 * it, and the comparison drops a deleted run on a NotFoundError.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LabApiError, type LabClient, type LabEventWire } from '../../src-main/api/contract';
import { EVENT_CHANNEL } from '../../src-main/api/channels';
import { createHandlers, dispatch } from '../../src-main/api/handlers';
import { createBridge } from '../../src-main/preload/bridge';
import { ipcClient } from '../../src-renderer/src/api/ipc-client';
import { acrossContextBridge, fakeIpc } from '../helpers/context-bridge';
import { createTestLab, type TestLab } from '../helpers/lab';

let t: TestLab;
let edge: ReturnType<typeof fakeIpc>;
let client: LabClient;

beforeAll(() => {
  t = createTestLab();
  const handlers = createHandlers(t.lab, { database: t.file });
  // src-main/index.ts: one ipcMain.handle per channel, answering dispatch's result
  edge = fakeIpc(async (channel, request) => (await dispatch(handlers, channel.replace(/^nnlab:api:/, ''), request)).result);
  client = ipcClient(acrossContextBridge(createBridge(edge.ipc)));
});

afterAll(async () => {
  await t.close();
});

const rejection = async (p: Promise<unknown>): Promise<unknown> => p.then(() => expect.fail('the call should have failed'), (e: unknown) => e);

describe('preload/bridge', () => {
  it('stands on the premise: an Error crossing contextBridge arrives without its class or its field', async () => {
    const thrower = acrossContextBridge({
      fail: async () => {
        throw new LabApiError({ name: 'SpecError', message: 'learningRate: too small', field: 'learningRate' });
      },
    });
    const e = (await rejection(thrower.fail())) as Error & { field?: string };
    expect(e).toBeInstanceOf(Error);
    expect(e).not.toBeInstanceOf(LabApiError);
    expect(e.message).toBe('learningRate: too small');
    expect(e.field).toBeUndefined();
  });

  it('answers a call with its value', async () => {
    const status = await client.call('lab/status', {});
    expect(status.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('gives the page a LabApiError with the offending field for a refused spec', async () => {
    const e = await rejection(client.call('runs/start', { spec: { learningRate: -1 } }));
    expect(e).toBeInstanceOf(LabApiError);
    const err = e as LabApiError;
    expect(err.name).toBe('SpecError');
    expect(err.field).toBe('learningRate');
    expect(err.message).toMatch(/^learningRate: /);
  });

  it('gives the page a NotFoundError as a LabApiError for a run that is not there', async () => {
    const e = await rejection(client.call('runs/get', { id: 987_654 }));
    expect(e).toBeInstanceOf(LabApiError);
    expect((e as LabApiError).error).toEqual({ name: 'NotFoundError', message: 'there is no run 987654' });
  });

  it('turns an IPC failure (no handler on the main side) into a LabApiError, not an unhandled Error', async () => {
    const broken = ipcClient(acrossContextBridge(createBridge(fakeIpc(async (channel) => Promise.reject(new Error(`No handler registered for '${channel}'`))).ipc)));
    const e = await rejection(broken.call('lab/status', {}));
    expect(e).toBeInstanceOf(LabApiError);
    expect((e as LabApiError).error).toEqual({ name: 'IpcError', message: "the lab did not answer lab/status (No handler registered for 'nnlab:api:lab/status')" });
  });

  it('delivers lab events to the page and stops when unsubscribed', () => {
    const seen: LabEventWire[] = [];
    const off = client.onEvent((e) => seen.push(e));
    const event: LabEventWire = { type: 'run/started', runId: 7 };
    edge.send(EVENT_CHANNEL, event);
    expect(seen).toEqual([event]);
    off();
    expect(edge.listeners(EVENT_CHANNEL)).toBe(0);
    edge.send(EVENT_CHANNEL, event);
    expect(seen).toHaveLength(1);
  });
});
