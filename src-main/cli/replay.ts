/** `nnlab replay SPEC.json`: the oracle contract — print exactly the oracle's RESULT JSON. */
import type { Command } from 'commander';
import { backendFor, KERNEL_CHOICES } from '../trainer/backends';
import { parseReplaySpec, replay, toPythonJson } from '../trainer/replay';
import { SpecError } from '../trainer/spec';
import { readDataFile } from './files';
import { parseInteger } from './spec-flags';
import { kernelOption } from './train';
import { UsageError } from './usage';

export function registerReplay(program: Command): void {
  program
    .command('replay')
    .description("train an oracle SPEC (reference/seed_nn.py's input) and print its RESULT JSON to stdout")
    .argument('<spec>', 'SPEC.json: shape, activation, learningRate, initialWeights, inputs, targets, testInputs (- for stdin)')
    .option('--float32', 'train in float32 instead of float64')
    .option('--max-weights <n>', 'raise the cap on network size (default 50,000,000 weights)')
    .option('--kernel <name>', `matrix kernels: ${KERNEL_CHOICES.join('|')}`)
    .action((file: string, options: { float32?: boolean; maxWeights?: string; kernel?: string }) => {
      const backend = backendFor(kernelOption(options.kernel));
      const input = readDataFile(file);
      const maxWeights = options.maxWeights === undefined ? undefined : (parseInteger(options.maxWeights, '--max-weights') as number);
      let result;
      try {
        result = replay(parseReplaySpec(input, { maxWeights }), { dtype: options.float32 ? 'float32' : 'float64', backend });
      } catch (e) {
        if (e instanceof SpecError) throw new UsageError(`${file}: ${e.message}`);
        throw e;
      }
      process.stdout.write(toPythonJson(result));
    });
}
