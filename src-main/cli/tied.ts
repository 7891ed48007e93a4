/**
 * Child processes that do not outlive the process that started them: the redis-server and
 * `nnlab worker`s of `nnlab bench --queue` (and of the queue tests, through the same call). A
 * bench killed mid-run left its redis-server and workers running for ever.
 *
 * On Linux the child is started through util-linux's `setpriv --pdeathsig TERM`, which asks the
 * kernel to send it SIGTERM when its parent dies, however it dies (SIGKILL included); setpriv
 * then execs the command, so the child's pid and signals are the command's own. Everywhere, the
 * children still running when this process exits (process.exit, an uncaught error, the end of
 * main) are sent SIGTERM.
 */
import { type ChildProcess, spawn, type SpawnOptions } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

const running = new Set<ChildProcess>();
let hooked = false;

function onPath(command: string): string | null {
  if (isAbsolute(command)) return command;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    try {
      accessSync(join(dir, command), constants.X_OK);
      return join(dir, command);
    } catch {
      // not in this folder
    }
  }
  return null;
}

let setpriv: string | null | undefined;

/** Spawns `command` so that it ends when this process does (see the file's header). */
export function spawnTied(command: string, args: readonly string[], options: SpawnOptions = {}): ChildProcess {
  if (setpriv === undefined) setpriv = process.platform === 'linux' ? onPath('setpriv') : null;
  // a command that is not there is spawned as it is, so that it fails with ENOENT ('error'), not through setpriv
  const child = setpriv && onPath(command) ? spawn(setpriv, ['--pdeathsig', 'TERM', '--', command, ...args], options) : spawn(command, args, options);
  running.add(child);
  child.once('exit', () => running.delete(child));
  child.once('error', () => running.delete(child));
  if (!hooked) {
    hooked = true;
    process.once('exit', () => {
      for (const c of running) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
    });
  }
  return child;
}
