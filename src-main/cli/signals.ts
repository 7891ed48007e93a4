/**
 * The signals that stop a command the way Ctrl-C does: SIGINT (Ctrl-C), SIGTERM (`kill`,
 * `timeout`, a service manager) and SIGHUP (the terminal closed). The first one stops the lab
 * (its running runs are written as interrupted); any later one, while that is under way, is
 * answered with a line and otherwise ignored, so a second Ctrl-C never kills the process between
 * the stop and the write that records it (SIGKILL still does; the next open marks those runs).
 */
import os from 'node:os';
import type { WritePath } from '../db/write-path';
import { InterruptedError } from './usage';

export type StopSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP';

const STOP_SIGNALS: readonly StopSignal[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

export interface StopSignals {
  /** The first stop signal received, or null. */
  readonly received: StopSignal | null;
  /** How the CLI names it: "Ctrl-C", "SIGTERM", "SIGHUP". */
  readonly label: string;
  /** 128 + the signal's number, as shells report a process it stopped (130 for Ctrl-C). */
  readonly exitCode: number;
  /** Aborted at the first stop signal: for waits that should end then (a lock another program holds). */
  readonly abort: AbortSignal;
  /**
   * Stops listening, when no stop signal came: the signals' default actions apply again. After a
   * stop signal the listeners stay until the process exits, so a later one never kills it while
   * it writes or says what was stopped.
   */
  off(): void;
}

/** Whether any command of this process received a stop signal (see exitAfterStop). */
let stopped = false;

/**
 * Ends the process with `code` once what it wrote is handed to the OS, when a stop signal came.
 * Left to end by itself, Node closes its signal handlers while it tears down, and a second
 * Ctrl-C in those milliseconds — after every run was written — killed the process by SIGINT
 * (exit status 130 of a serve that stopped cleanly). Without a stop signal nothing is done: the
 * process ends as it always has.
 */
export function exitAfterStop(code: number): void {
  if (stopped) process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}

/** Calls `stop` on the first stop signal; says `stillLine` (once) to any later one. */
export function onStopSignals(stop: () => void, stillLine = 'still writing what was stopped; nnlab ends by itself once it is saved'): StopSignals {
  let received: StopSignal | null = null;
  let said = false;
  const controller = new AbortController();
  const on = (signal: StopSignal) => {
    if (received === null) {
      received = signal;
      stopped = true;
      controller.abort(new Error(`stopped by ${signalLabel(signal)}`));
      stop();
    } else if (!said) {
      said = true;
      process.stderr.write(`nnlab: ${stillLine}\n`);
    }
  };
  const listeners = STOP_SIGNALS.map((s) => [s, () => on(s)] as const);
  for (const [s, l] of listeners) process.on(s, l);
  return {
    get received() {
      return received;
    },
    get label() {
      return signalLabel(received ?? 'SIGINT');
    },
    get exitCode() {
      return 128 + os.constants.signals[received ?? 'SIGINT'];
    },
    abort: controller.signal,
    off() {
      if (received === null) for (const [s, l] of listeners) process.off(s, l);
    },
  };
}

/**
 * Waits, as WritePath.ready does, for the database to take a write before a command starts
 * anything; a stop signal meanwhile ends the wait with an InterruptedError that says nothing started.
 */
export async function readyUnlessStopped(writes: WritePath, what: string, signals: StopSignals): Promise<void> {
  try {
    await writes.ready(what, signals.abort);
  } catch (e) {
    if (signals.received) throw new InterruptedError(`interrupted (${signals.label}) while waiting for the lock on ${writes.file}: no run was started`, signals.exitCode);
    throw e;
  }
}

export function signalLabel(signal: StopSignal): string {
  return signal === 'SIGINT' ? 'Ctrl-C' : signal;
}
