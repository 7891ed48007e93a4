/**
 * LabClient over the Electron preload's bridge: its calls resolve to ApiResults as data (an Error
 * would lose its class and `field` crossing contextBridge), rebuilt here by unwrap, as over HTTP.
 */
import { type LabBridge, type LabClient, unwrap } from '@main/api/contract';

export function ipcClient(bridge: LabBridge): LabClient {
  return {
    async call(name, request) {
      return unwrap(await bridge.call(name, request));
    },
    onEvent: (listener) => bridge.onEvent(listener),
  };
}
