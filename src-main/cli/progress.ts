/** A progress bar on stderr when it is a terminal; silent otherwise (pipes, CI logs, tests). */
import { Bar, Presets } from 'cli-progress';

export interface ProgressBar {
  update(done: number, payload?: Record<string, string>): void;
  stop(): void;
}

export function progressBar(total: number, label: string, enabled = process.stderr.isTTY === true): ProgressBar {
  if (!enabled) return { update() {}, stop() {} };
  const bar = new Bar(
    { format: `${label} [{bar}] {percentage}% | {value}/{total} | {info}`, stream: process.stderr, hideCursor: true, clearOnComplete: true, fps: 10 },
    Presets.shades_classic,
  );
  bar.start(total, 0, { info: '' });
  return {
    update: (done, payload) => bar.update(done, payload),
    stop: () => bar.stop(),
  };
}
