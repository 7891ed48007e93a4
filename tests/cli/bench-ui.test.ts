import { describe, expect, it } from 'vitest';
import { formatUi, type UiBench } from '../../src-main/cli/bench-ui';

describe('cli/bench-ui formatUi', () => {
  const fig = (runs: number, configurations: number, opensMs: number[], others: number | null) => ({
    name: `${runs}-run experiment`,
    runs,
    configurations,
    completeMs: [...opensMs].sort((a, b) => a - b)[1],
    opensMs,
    redrawMs: 40,
    requests: 2,
    target: runs > 100 ? 1500 : 500,
    load: others === null ? null : { others, steal: 0 },
  });

  it("states each figure's spread and how busy the machine was while it was measured", () => {
    const ui: UiBench = { figures: [fig(72, 12, [310, 290, 420], 0.42), fig(500, 10, [900, 1100, 980], 0.61)], skipped: null, loadAverage: { start: 5.1, end: 6.3 } };
    const text = formatUi(ui);
    // the median, then the range of the opens (max − min)
    expect(text).toContain('| 72-run experiment | 310 | < 500 | 290 … 420 (130) | 310, 290, 420 |');
    expect(text).toContain('| 42 % |');
    expect(text).toContain('| 61 % |');
    expect(text).toContain('load average 5.10 at the start, 6.30 at the end');
  });

  it('says so where the platform gives no per-process CPU accounting', () => {
    const ui: UiBench = { figures: [fig(72, 12, [310, 290, 420], null)], skipped: null, loadAverage: { start: 1, end: 1 } };
    expect(formatUi(ui)).toContain('| – |');
  });
});
