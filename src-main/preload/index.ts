/**
 * The preload: exposes exactly the LabClient (call + onEvent) to the sandboxed renderer through
 * contextBridge, and nothing else — no ipcRenderer, no Node. Channel names come from the contract.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { ApiName, ApiResult, LabClient, LabEventWire } from '../api/contract';
import { EVENT_CHANNEL, channelFor } from '../api/channels';

const client: LabClient = {
  async call(name, request) {
    const result = (await ipcRenderer.invoke(channelFor(name as ApiName), request)) as ApiResult<never>;
    if (!result.ok) {
      const e = new Error(result.error.message);
      e.name = result.error.name;
      (e as Error & { field?: string }).field = result.error.field;
      throw e;
    }
    return result.value;
  },
  onEvent(listener) {
    const handler = (_e: IpcRendererEvent, event: LabEventWire) => listener(event);
    ipcRenderer.on(EVENT_CHANNEL, handler);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, handler);
    };
  },
};

contextBridge.exposeInMainWorld('nnlab', client);
