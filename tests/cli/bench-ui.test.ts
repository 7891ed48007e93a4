import { afterEach, describe, expect, it } from 'vitest';
import { benchFrames } from '../../src-main/cli/bench-frames';
import { benchUi, formatUi, type UiBench } from '../../src-main/cli/bench-ui';
import { HAVE_CHROMIUM, MUST_RUN, SKIP_NOTE } from '../e2e/browser';

describe('cli/bench-ui formatUi', () => {
  const fig = (runs: number, configurations: number, opensMs: number[], others: number | null) => ({
    name: `${runs}-run experiment`,
    runs,
    configurations,
    completeMs: [...opensMs].sort((a, b) => a - b)[1],
    opensMs,
    redrawMs: 40,
    requests: 2,
    inApp: { completeMs: [...opensMs].sort((a, b) => a - b)[1] / 2, opensMs: opensMs.map((x) => x / 2), requests: 1 },
    target: runs > 100 ? 1500 : 500,
    load: others === null ? null : { others, steal: 0 },
  });

  it("states each figure's spread and how busy the machine was while it was measured", () => {
    const ui: UiBench = { figures: [fig(72, 12, [310, 290, 420], 0.42), fig(500, 10, [900, 1100, 980], 0.61)], skipped: null, loadAverage: { start: 5.1, end: 6.3 } };
    const text = formatUi(ui);
    // the median, then the range of the opens (max − min)
    expect(text).toContain('| 72-run experiment | 310 | < 500 | 290 … 420 (130) | 310, 290, 420 |');
    // and opened in the app (the page loaded, then the comparison's address), its own row
    expect(text).toContain('| 72-run experiment, opened in the app | 155 | < 500 | 145 … 210 (65) | 155, 145, 210 | – | 1 | 42 % |');
    expect(text).toContain('| 42 % |');
    expect(text).toContain('| 61 % |');
    expect(text).toContain('load average 5.10 at the start, 6.30 at the end');
  });

  it('says so where the platform gives no per-process CPU accounting', () => {
    const ui: UiBench = { figures: [fig(72, 12, [310, 290, 420], null)], skipped: null, loadAverage: { start: 1, end: 1 } };
    expect(formatUi(ui)).toContain('| – |');
  });
});

describe('cli/bench browser sections', () => {
  const chromium = process.env.NNLAB_CHROMIUM;
  afterEach(() => {
    if (chromium === undefined) delete process.env.NNLAB_CHROMIUM;
    else process.env.NNLAB_CHROMIUM = chromium;
  });

  it('each says it was skipped, naming itself, where there is no Chromium', async () => {
    process.env.NNLAB_CHROMIUM = '/nonexistent/chromium';
    const ui = await benchUi(1);
    expect(ui.figures).toEqual([]);
    expect(ui.skipped).toBe('UI section skipped: no Chromium at /nonexistent/chromium (install it, or point NNLAB_CHROMIUM at one)');
    const frames = await benchFrames(1);
    expect(frames.figure).toBeNull();
    expect(frames.skipped).toBe('Network view frames skipped: no Chromium at /nonexistent/chromium (install it, or point NNLAB_CHROMIUM at one)');
  });

  const run = HAVE_CHROMIUM || MUST_RUN;
  it.skipIf(!run)(`times scrubbing the network view in a real browser${run ? '' : ` (skipped: ${SKIP_NOTE})`}`, async () => {
    const frames = await benchFrames(1);
    expect(frames.skipped).toBeNull();
    const f = frames.figure!;
    expect(f.shape).toEqual([1, 64, 64, 2]);
    expect(f.weights).toBe(4418);
    expect(f.steps).toBeGreaterThan(0);
    for (const s of [f.workMs, f.firstMs, f.frameMs]) {
      expect(s.median).toBeGreaterThan(0);
      expect(s.p10).toBeLessThanOrEqual(s.median);
      expect(s.median).toBeLessThanOrEqual(s.p90);
      expect(s.p90).toBeLessThanOrEqual(s.max);
    }
  }, 300_000);
});
