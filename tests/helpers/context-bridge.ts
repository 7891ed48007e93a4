/**
 * Electron's process edges without the Electron binary, under structured-clone semantics:
 * ipcMain.handle / ipcRenderer.invoke (request and result cloned), webContents.send (payload cloned),
 * and contextBridge.exposeInMainWorld (functions proxied, arguments, results and rejections cloned).
 * structuredClone keeps an Error's message but not its class or custom properties, as contextBridge
 * does ("any custom properties on the Error object will be lost", Electron's context-bridge docs).
 */
import { EventEmitter } from 'node:events';
import type { PreloadIpc } from '../../src-main/preload/bridge';

/** What the page sees of an object the preload exposed. */
export function acrossContextBridge<T extends object>(api: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(api)) {
    if (typeof value !== 'function') {
      out[key] = structuredClone(value);
      continue;
    }
    out[key] = (...args: unknown[]) => {
      // a function argument (a listener) is proxied back, with its own arguments cloned
      const inner = args.map((a) => (typeof a === 'function' ? (...xs: unknown[]) => a(...xs.map((x) => structuredClone(x))) : structuredClone(a)));
      let result: unknown;
      try {
        result = value.apply(api, inner);
      } catch (e) {
        throw structuredClone(e);
      }
      if (result instanceof Promise) return result.then((v) => structuredClone(v), (e) => Promise.reject(structuredClone(e)));
      return typeof result === 'function' ? () => result() : structuredClone(result);
    };
  }
  return out as T;
}

/** The main side's ipcMain.handle per channel and webContents.send, joined to a preload-side ipcRenderer. */
export function fakeIpc(handle: (channel: string, request: unknown) => Promise<unknown>): { ipc: PreloadIpc; send(channel: string, payload: unknown): void; listeners(channel: string): number } {
  const emitter = new EventEmitter();
  return {
    ipc: {
      invoke: async (channel, request) => structuredClone(await handle(channel, structuredClone(request))),
      on: (channel, handler) => emitter.on(channel, handler),
      removeListener: (channel, handler) => emitter.removeListener(channel, handler),
    },
    send: (channel, payload) => emitter.emit(channel, {}, structuredClone(payload)),
    listeners: (channel) => emitter.listenerCount(channel),
  };
}
