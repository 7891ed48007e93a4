/**
 * Starting trainer processes. The lab only needs `LaunchTrainer`; the CLI, `nnlab serve` and the
 * tests use Node's child_process.fork of the built worker, and the Electron app passes a launcher
 * built on utilityProcess.fork (in the app's main process, which alone may import electron).
 */
import { fork } from 'node:child_process';
import { findBuilt } from './paths';

export interface TrainerProcessHandlers {
  onMessage(message: unknown): void;
  /** The process ended; `reason` says how (exit code, signal) plus the tail of its stderr. */
  onExit(reason: string): void;
}

export interface TrainerProcess {
  readonly pid: number | undefined;
  send(message: unknown): void;
  kill(): void;
}

export type LaunchTrainer = (handlers: TrainerProcessHandlers) => TrainerProcess;

/** The built trainer-process entry: beside the running bundle, or in out/main when run from source. */
export function defaultWorkerPath(): string {
  const found = findBuilt(__dirname, ['trainer-worker.js', 'main/trainer-worker.js', 'out/main/trainer-worker.js']);
  if (!found) throw new Error(`the trainer process is not built (no out/main/trainer-worker.js above ${__dirname}); run npm run build`);
  return found;
}

/** Forks the worker under Node with structured-clone IPC (typed arrays cross intact). */
export function nodeLauncher(workerPath: string = defaultWorkerPath()): LaunchTrainer {
  return (handlers) => {
    const child = fork(workerPath, [], { serialization: 'advanced', stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    let stderr = '';
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-2000);
    });
    child.on('message', (m) => handlers.onMessage(m));
    child.on('error', (e) => handlers.onExit(`could not run the trainer process: ${e.message}`));
    child.on('exit', (code, signal) => {
      const how = signal ? `killed by ${signal}` : `exited with code ${code}`;
      const tail = stderr.trim().split('\n').slice(-3).join(' | ');
      handlers.onExit(`the trainer process ${how}${tail ? `: ${tail}` : ''}`);
    });
    return {
      pid: child.pid,
      send: (m) => {
        if (child.connected) child.send(m as object);
      },
      kill: () => {
        child.kill('SIGKILL');
      },
    };
  };
}
