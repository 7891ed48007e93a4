/**
 * The bench's frame times of the network view (issue 15): scrubbing the checkpoint slider of a
 * saved [1,64,64,2] run — 4,418 weights, 131 units, 21 kept checkpoints — in a real browser
 * (Chromium through playwright-core against a real `nnlab serve` on a real SQLite file), the view
 * as Compare's network panel shows it (`#/compare/1`). Aim: ≤ 16 ms a frame.
 *
 * Two figures per step of the slider, each over many steps (back and forth across every
 * checkpoint, after one warm-up pass):
 *  - work: from the slider's input event to the view updated and laid out (Vue's update flushed,
 *    then a forced style and layout) — the script's and the layout's share of a frame;
 *  - frame: one step a frame (each step set at the start of a requestAnimationFrame), the time
 *    from that frame to the next — paint included; at 60 Hz it cannot be below ~16.7 ms, so a
 *    median near it means every step was drawn in the frame it was asked in.
 * Median and spread (10th and 90th percentile, the largest); the work of each checkpoint's first
 * visit (the warm-up pass: forwards not yet computed) apart. Each step is checked: the view says
 * the checkpoint it was set to. Needs playwright-core and Chromium, as the UI section does.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { quantileSorted } from '../analysis/stats';
import { RunStore } from '../db';
import { parseRunSpec } from '../trainer/spec';
import { Trainer } from '../trainer/trainer';
import { benchBrowser, serve } from './bench-ui';

export interface FrameStats {
  median: number;
  p10: number;
  p90: number;
  max: number;
}

export interface NetworkFrames {
  shape: number[];
  weights: number;
  checkpoints: number;
  /** Slider steps timed (after the warm-up). */
  steps: number;
  /** Input → updated and laid out, ms. */
  workMs: FrameStats;
  /** The same for each checkpoint's first visit (the warm-up pass, 0 up to the last): what the view computes once a checkpoint is kept for the next. */
  firstMs: FrameStats;
  /** One step a frame: frame to frame, ms (paint included). */
  frameMs: FrameStats;
  /** The display's frame interval measured with nothing to do, ms (the floor of frameMs). */
  idleFrameMs: number;
  target: number;
}

export interface FramesBench {
  figure: NetworkFrames | null;
  skipped: string | null;
}

export const FRAME_SHAPE = [1, 64, 64, 2];

function stats(xs: readonly number[]): FrameStats {
  const s = [...xs].sort((a, b) => a - b);
  return { median: quantileSorted(s, 0.5), p10: quantileSorted(s, 0.1), p90: quantileSorted(s, 0.9), max: s[s.length - 1] };
}

/** In the page: scrubs the network view's slider (see the file header); resolves with the times. */
const SCRUB = `async (passes) => {
  const view = document.querySelector('[data-testid="network-view"]');
  const slider = view.querySelector('[data-testid="network-slider"]');
  const max = Number(slider.max);
  const order = [];
  for (let i = 0; i <= max; i++) order.push(i);
  for (let i = max - 1; i > 0; i--) order.push(i);
  const frame = () => new Promise((r) => requestAnimationFrame(r));
  const set = (k) => {
    slider.value = String(k);
    slider.dispatchEvent(new Event('input', { bubbles: true }));
  };
  const check = (k) => {
    if (view.dataset.checkpoint !== String(k)) throw new Error('the view shows checkpoint ' + view.dataset.checkpoint + ', not ' + k);
  };
  // the display's own frame interval, nothing to do
  const idle = [];
  let t = await frame();
  for (let i = 0; i < 30; i++) { const u = await frame(); idle.push(u - t); t = u; }
  const work = [];
  const first = [];
  const frames = [];
  for (let p = 0; p <= passes; p++) {
    for (const k of order) {
      // work: input → Vue's update (a microtask) → style and layout forced
      await frame();
      const t0 = performance.now();
      set(k);
      await Promise.resolve();
      void document.body.offsetHeight;
      const w = performance.now() - t0;
      check(k);
      if (p > 0) work.push(w);
      else if (first.length < max + 1) first.push(w);
    }
    for (const k of order) {
      // frame: the step set at the start of a frame, to the start of the next
      const f0 = await frame();
      set(k);
      const f1 = await frame();
      check(k);
      if (p > 0) frames.push(f1 - f0);
    }
  }
  idle.sort((a, b) => a - b);
  return { work, first, frames, idle: idle[idle.length >> 1], checkpoints: max + 1 };
}`;

/** Times scrubbing the network view of a saved [1,64,64,2] run: `passes` back-and-forth passes after one warm-up. */
export async function benchFrames(passes = 5, log?: (s: string) => void): Promise<FramesBench> {
  const chromium = await benchBrowser('Network view frames');
  if (!chromium.launch) return { figure: null, skipped: chromium.skipped };
  log?.(`UI: network view of a [${FRAME_SHAPE.join(',')}] run, scrubbing…`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nnlab-bench-frames-'));
  const db = path.join(dir, 'frames.sqlite');
  const spec = parseRunSpec({ shape: FRAME_SHAPE, batches: 2000 });
  const store = RunStore.open(db);
  try {
    const t = new Trainer(spec);
    t.run(Number.MAX_SAFE_INTEGER);
    const [id] = store.createRuns([spec]);
    store.finishRun(id, t.result());
  } finally {
    store.close();
  }
  const server = await serve(db);
  const browser = await chromium.launch();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${server.url}#/compare/1`);
    await page.waitForSelector('[data-testid="network-view"] [data-testid="network-slider"]', { timeout: 120_000 });
    await page.locator('[data-testid="network-view"]').scrollIntoViewIfNeeded();
    const r = (await page.evaluate(`(${SCRUB})(${passes})`)) as { work: number[]; first: number[]; frames: number[]; idle: number; checkpoints: number };
    const weights = FRAME_SHAPE.slice(1).reduce((n, w, i) => n + (FRAME_SHAPE[i] + 1) * w, 0);
    return {
      figure: { shape: FRAME_SHAPE, weights, checkpoints: r.checkpoints, steps: r.work.length, workMs: stats(r.work), firstMs: stats(r.first), frameMs: stats(r.frames), idleFrameMs: r.idle, target: 16 },
      skipped: null,
    };
  } finally {
    await browser.close();
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function formatFrames(b: FramesBench): string {
  if (!b.figure) return b.skipped ?? '';
  const f = b.figure;
  const s = (x: FrameStats) => `${x.median.toFixed(1)} | ${x.p10.toFixed(1)} – ${x.p90.toFixed(1)} | ${x.max.toFixed(1)}`;
  return [
    `| UI: scrubbing the network view of a [${f.shape.join(',')}] run (${f.weights} weights, ${f.checkpoints} checkpoints; Chromium, nnlab serve) | median, ms | 10–90 %, ms | largest, ms |`,
    '|---|---:|---:|---:|',
    `| work, each checkpoint's first visit (${f.checkpoints} steps, 0 to the last) | ${s(f.firstMs)} |`,
    `| work: input → updated and laid out (${f.steps} steps) | ${s(f.workMs)} |`,
    `| frame: one step a frame, frame to frame, paint included (${f.steps} steps; idle frame ${f.idleFrameMs.toFixed(1)} ms) | ${s(f.frameMs)} |`,
    '',
    `Aim: ≤ ${f.target} ms a frame. A frame cannot be shorter than the display's interval (the idle frame): a median frame at it means each step was drawn in the frame it was asked in.`,
  ].join('\n');
}
