/**
 * `nnlab`: the command-line face of the lab. Arguments are parsed by commander; every user-input
 * error (unknown flag, bad value, missing or invalid file) prints a short message on stderr and
 * exits with code 2.
 */
import { Command, CommanderError } from 'commander';
import { enableRelaxedSimd } from '../wasm-features';
import { APP_VERSION } from '../version';
import { registerBench } from './bench';
import { runAgent } from './bench-agent';
import { registerQueue } from './queue';
import { registerReplay } from './replay';
import { registerRuns } from './runs';
import { registerServe } from './serve';
import { registerSweep } from './sweep';
import { registerVerify } from './verify';
import { registerTime } from './time';
import { registerTrain } from './train';
import { registerData } from './data';
import { registerWorker } from './worker';
import { printableLines } from './printable';
import { exitAfterStop } from './signals';
import { EXIT_USAGE, InterruptedError, RunFailedError, UsageError } from './usage';

export function buildProgram(): Command {
  const program = new Command('nnlab')
    .description('An experiment lab for small fully connected neural networks')
    .version(APP_VERSION)
    .showSuggestionAfterError()
    .exitOverride()
    .configureOutput({ outputError: (s, write) => write(s) });
  registerTrain(program);
  registerSweep(program);
  registerRuns(program);
  registerData(program);
  registerVerify(program);
  registerTime(program);
  registerServe(program);
  registerWorker(program);
  registerQueue(program);
  registerReplay(program);
  registerBench(program);
  // the processes `nnlab bench` times its implementations in (bench-agent.ts); not for users
  program.command('bench-agent', { hidden: true }).action(() => runAgent());
  const override = (cmds: readonly Command[]) => {
    for (const cmd of cmds) {
      cmd.exitOverride();
      override(cmd.commands);
    }
  };
  override(program.commands);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  // before any kernel module is compiled: lets --kernel wasm-fma work on Node 20
  enableRelaxedSimd();
  try {
    await buildProgram().parseAsync(argv, { from: 'user' });
    // a command may have set its own code (130: a queue sweep left its runs queued on Ctrl-C)
    return Number(process.exitCode ?? 0);
  } catch (e) {
    if (e instanceof CommanderError) {
      // help and --version end here too, with exit code 0; commander already printed the message
      return e.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    if (e instanceof UsageError) {
      // a message may quote the user's input (a field name, a file's text): escaped for the terminal
      process.stderr.write(`nnlab: ${printableLines(e.message)}\n`);
      return EXIT_USAGE;
    }
    if (e instanceof RunFailedError) {
      process.stderr.write(`nnlab: ${printableLines(e.message)}\n`);
      return 1;
    }
    if (e instanceof InterruptedError) {
      process.stderr.write(`nnlab: ${printableLines(e.message)}\n`);
      return e.exitCode;
    }
    throw e;
  }
}

// `nnlab runs list | head`: a closed pipe ends the output, not the program with a stack trace
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    exitAfterStop(code);
  },
  (e: unknown) => {
    process.stderr.write(`nnlab: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  },
);
