/**
 * User-input errors of the CLI: printed as one to three lines on stderr, exit code 2, never a
 * stack trace. Anything else that escapes is a bug and keeps its stack.
 */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const EXIT_USAGE = 2;

/** A run ended without a result (crashed, failed): printed without a stack, exit code 1. */
export class RunFailedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RunFailedError';
  }
}

/** Exit code of a command stopped by Ctrl-C (128 + SIGINT, as shells report it). */
export const EXIT_INTERRUPTED = 130;

/** Ctrl-C (or SIGTERM, SIGHUP) stopped a command: what was saved and what was not is in the message; exit code 130 (128 + the signal's number), no stack. */
export class InterruptedError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT_INTERRUPTED,
  ) {
    super(message);
    this.name = 'InterruptedError';
  }
}
