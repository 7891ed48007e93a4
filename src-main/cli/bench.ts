/** `nnlab bench`: placeholder until the bench lands. */
import type { Command } from 'commander';

export function registerBench(program: Command): void {
  program.command('bench').description('measure training speed against numpy').action(() => {});
}
