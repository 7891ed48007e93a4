/**
 * The preload's logic, apart from Electron so it can be tested without the binary: the LabBridge
 * the page receives through contextBridge. Every call resolves to an ApiResult, as data: an Error
 * thrown across contextBridge keeps neither its class nor its `field`, so the page rebuilds it
 * (unwrap in api/contract.ts). A failure of the IPC itself becomes an ApiResult too.
 */
import type { ApiName, ApiResult, LabBridge, LabEventWire } from '../api/contract';
import { EVENT_CHANNEL, channelFor } from '../api/channels';

/** The part of Electron's ipcRenderer the bridge uses (its own type, so tests can hand in another). */
export interface PreloadIpc {
  invoke(channel: string, request: unknown): Promise<unknown>;
  on(channel: string, handler: (event: unknown, payload: LabEventWire) => void): unknown;
  removeListener(channel: string, handler: (event: unknown, payload: LabEventWire) => void): unknown;
}

export function createBridge(ipc: PreloadIpc): LabBridge {
  return {
    async call(name, request) {
      try {
        return (await ipc.invoke(channelFor(name as ApiName), request)) as ApiResult<never>;
      } catch (e) {
        // ipcRenderer.invoke rejects only when the main side has no handler or it threw
        return { ok: false, error: { name: 'IpcError', message: `the lab did not answer ${name} (${(e as Error).message})` } };
      }
    },
    onEvent(listener) {
      const handler = (_e: unknown, event: LabEventWire) => listener(event);
      ipc.on(EVENT_CHANNEL, handler);
      return () => {
        ipc.removeListener(EVENT_CHANNEL, handler);
      };
    },
  };
}
