/**
 * Fail on noise (as vuejs/core's setup-vitest does): a test that makes the code under test print
 * a warning or an error it did not expect fails, so warnings never pile up unread.
 */
import { afterEach, beforeEach, vi } from 'vitest';

let noise: string[] = [];

beforeEach(() => {
  noise = [];
  for (const level of ['warn', 'error'] as const) {
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      noise.push(`console.${level}: ${args.map(String).join(' ')}`);
    });
  }
});

afterEach(() => {
  vi.restoreAllMocks();
  if (noise.length) throw new Error(`unexpected console output:\n${noise.join('\n')}`);
});
