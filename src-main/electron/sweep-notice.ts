/**
 * When to tell the user, with a system notification, that a sweep has finished: it ran long
 * enough to have been left alone (default 10 s from its first run queued to its last run ended)
 * and the window is not in front. Pure: fed the lab's events, a clock and the window's focus;
 * the Electron glue shows what it returns.
 */
import type { LabEventWire } from '../api/contract';

export interface SweepNotice {
  experimentId: number;
  title: string;
  body: string;
}

interface Sweep {
  started: number;
  open: Set<number>;
  runs: number;
  /** Runs that ended other than done, by status. */
  other: Map<string, number>;
}

export class SweepNotifier {
  private readonly sweeps = new Map<number, Sweep>();
  private readonly experimentOf = new Map<number, number>();

  constructor(private readonly longMs = 10_000) {}

  /** Feeds one lab event; returns the notice to show, if this event ended a long sweep in the background. */
  onEvent(e: LabEventWire, now: number, windowFocused: boolean): SweepNotice | null {
    if (e.type === 'run/queued') {
      if (e.experimentId === null) return null;
      let s = this.sweeps.get(e.experimentId);
      if (!s) this.sweeps.set(e.experimentId, (s = { started: now, open: new Set(), runs: 0, other: new Map() }));
      s.open.add(e.runId);
      s.runs++;
      this.experimentOf.set(e.runId, e.experimentId);
      return null;
    }
    if (e.type !== 'run/finished') return null;
    const experimentId = this.experimentOf.get(e.runId);
    if (experimentId === undefined) return null;
    this.experimentOf.delete(e.runId);
    const s = this.sweeps.get(experimentId)!;
    s.open.delete(e.runId);
    if (e.status !== 'done') s.other.set(e.status, (s.other.get(e.status) ?? 0) + 1);
    if (s.open.size) return null;
    this.sweeps.delete(experimentId);
    if (windowFocused || now - s.started < this.longMs) return null;
    const seconds = Math.round((now - s.started) / 1000);
    const notDone = s.other.size ? ` (${[...s.other].map(([status, n]) => `${n} ${status}`).join(', ')})` : '';
    return { experimentId, title: 'nnlab: sweep finished', body: `Experiment #${experimentId}: ${s.runs} runs in ${seconds} s${notDone}.` };
  }
}
