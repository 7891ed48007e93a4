/**
 * The trainer process's side of its channel to the lab, the only thing that differs between
 * Electron's `utilityProcess.fork` (messages on `process.parentPort`) and Node's
 * `child_process.fork` (messages on `process` itself, IPC channel). No electron import: the
 * Electron port is found on `process` at run time.
 */
export interface ParentPort {
  send(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
  /** Called when the parent is gone (IPC disconnect): the trainer process should exit. */
  onDisconnect(listener: () => void): void;
}

interface ElectronParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
}

export function connectToParent(): ParentPort {
  const electronPort = (process as unknown as { parentPort?: ElectronParentPort }).parentPort;
  if (electronPort) {
    return {
      send: (m) => electronPort.postMessage(m),
      onMessage: (listener) => electronPort.on('message', (e) => listener(e.data)),
      // Electron ends utility processes with their parent; nothing to watch for
      onDisconnect: () => {},
    };
  }
  if (typeof process.send !== 'function') throw new Error('the trainer process must be started by nnlab (no IPC channel)');
  return {
    send: (m) => {
      if (process.connected) process.send!(m);
    },
    onMessage: (listener) => process.on('message', listener),
    onDisconnect: (listener) => process.on('disconnect', listener),
  };
}
