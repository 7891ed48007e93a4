/**
 * Run owners: the process (host name and pid) that trains or holds a run. `reapOrphans` uses
 * `isProcessAlive` to tell whether the owner of a run on this host still exists.
 */
import os from 'node:os';
import type { Owner } from './types';

export type { Owner };

export function currentOwner(): Owner {
  return { host: os.hostname(), pid: process.pid };
}

/** Whether a process with this pid exists on this host (signal 0; EPERM means it exists). */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
