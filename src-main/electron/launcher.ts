/**
 * Trainer processes under Electron: utilityProcess.fork of the same worker file the CLI forks
 * with child_process (the worker's port adapter tells the two apart).
 */
import { utilityProcess } from 'electron';
import type { LaunchTrainer } from '../lab/launch';

export function electronLauncher(workerPath: string): LaunchTrainer {
  return (handlers) => {
    const child = utilityProcess.fork(workerPath, [], { serviceName: 'nnlab trainer', stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-2000);
    });
    child.on('message', (m: unknown) => handlers.onMessage(m));
    child.on('exit', (code: number) => {
      const tail = stderr.trim().split('\n').slice(-3).join(' | ');
      handlers.onExit(`the trainer process exited with code ${code}${tail ? `: ${tail}` : ''}`);
    });
    return {
      get pid() {
        return child.pid;
      },
      send: (m) => child.postMessage(m),
      kill: () => {
        child.kill();
      },
    };
  };
}
