/**
 * `--processes N`: how many trainer processes a command runs on this machine (the local pool).
 * It was called `--workers`, which is kept as an alias; the name now belongs to `nnlab worker`,
 * the process that pulls runs from a job queue on another machine, and the two must not be
 * confused.
 */
import { type Command, Option } from 'commander';
import { parseInteger } from './spec-flags';
import { UsageError } from './usage';

export function addProcessesOption(cmd: Command): Command {
  return cmd
    .option('--processes <n>', 'trainer processes on this machine (default: cores − 1); --workers N is the old name of this flag (machines that pull runs from a queue are `nnlab worker`)')
    .addOption(new Option('--workers <n>', 'old name of --processes').hideHelp());
}

/** The pool size asked for (undefined: the default), from --processes or its alias. */
export function processCount(options: { processes?: string; workers?: string }): number | undefined {
  if (options.processes !== undefined && options.workers !== undefined) throw new UsageError('--processes and --workers are the same flag: give one');
  const flag = options.processes !== undefined ? '--processes' : '--workers';
  const raw = options.processes ?? options.workers;
  if (raw === undefined) return undefined;
  const n = parseInteger(raw, flag) as number;
  if (n < 1) throw new UsageError(`${flag}: must be at least 1`);
  return n;
}
