/**
 * The renderer's LabClient: the preload's IPC bridge inside Electron, HTTP + SSE in a browser.
 * Components never know which.
 */
import type { LabBridge, LabClient } from '@main/api/contract';
import { httpClient, takeToken } from './http-client';
import { ipcClient } from './ipc-client';

declare global {
  interface Window {
    /** Exposed by the Electron preload (contextBridge); absent in a browser. */
    nnlab?: LabBridge;
  }
}

/** `onStale`: the server belongs to another build of the page (browser mode only; http-client.ts). */
export function createClient(onStale?: (message: string) => void): LabClient | { error: string } {
  if (window.nnlab) return ipcClient(window.nnlab);
  const token = takeToken();
  if (!token) {
    // the view asked for, to put after the printed URL
    const view = window.location.hash.length > 2 ? `, with ${window.location.hash} after it for this view` : '';
    return { error: `This page needs the access token: open the URL that \`nnlab serve\` printed (it ends in ?token=…)${view}.` };
  }
  return httpClient(token, onStale);
}
