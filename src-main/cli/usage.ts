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
