/**
 * Ending a process and everything it started, on every platform: POSIX signals the process group
 * (spawn it with `detached: true`); Windows has no process groups or SIGTERM/SIGKILL, so
 * `taskkill /T /F` ends the tree.
 */
import { spawnSync } from 'node:child_process';

export function killTree(pid: number, signal: NodeJS.Signals = 'SIGTERM'): void {
  if (process.platform === 'win32') {
    spawnSync('taskkill', ['/pid', String(pid), '/T', '/F'], { stdio: 'ignore' });
    return;
  }
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is gone already
  }
}
