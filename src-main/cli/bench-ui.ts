/**
 * The bench's UI section (issue 17): how long a sweep's comparison takes to be complete in a real
 * browser — Chromium (playwright-core) against a real `nnlab serve` on a real SQLite file — for an
 * experiment of 72 runs (12 configurations × 6 seeds) and one of 500 (10 × 50), targets < 0.5 s
 * and < 1.5 s. "Complete": the page opened cold at `#/compare?experiment=1` says nothing is loading
 * (`<main aria-busy="false">`), the header counts every run, and every chart is drawn at its box's
 * size (the canvases' data-drawn-size); the time is the page's own clock from navigation start.
 * Also timed: a display option (log y off) redrawn without fetching. Each configuration is trained
 * once for real and stored for each of its seeds (as bench-table does), so the figures are of the
 * page and the server, not of training. Median of 3 cold opens each. Needs playwright-core (a
 * development dependency) and Chromium (NNLAB_CHROMIUM or /usr/bin/chromium); without them the
 * section says so and gives no figures.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RunStore } from '../db';
import { median } from '../analysis/stats';
import { LoadMeter, loadAverage, type LoadSample } from './bench-load';
import { parseRunSpec, type RunSpec } from '../trainer/spec';
import { Trainer } from '../trainer/trainer';
import { ROOT } from './bench-agent';

export interface UiBenchFigure {
  name: string;
  runs: number;
  configurations: number;
  /** Median of the cold opens, ms from navigation start to complete. */
  completeMs: number;
  /** Each open's figure. */
  opensMs: number[];
  /** Median ms from unticking log y to the cost chart drawn on a linear axis. */
  redrawMs: number;
  /** API calls the page made for the comparison (one batched call expected). */
  requests: number;
  /**
   * Opened in the app, as the desktop app's users meet it most (it loads its page once): the page
   * loaded at the Runs view, then the address set to the comparison's; ms from setting it to
   * complete (the same check), median and each open, and the calls to runs/* it made.
   */
  inApp: { completeMs: number; opensMs: number[]; requests: number };
  target: number;
  /** How much of the machine's CPU other processes used while this case's opens ran (null without /proc). */
  load: LoadSample | null;
}

export interface UiBench {
  figures: UiBenchFigure[];
  /** Why there are no figures (no browser), or null. */
  skipped: string | null;
  /** The 1-minute load average when the section started and ended. */
  loadAverage: { start: number; end: number };
}

const CASES = [
  { name: '72-run experiment (12 configurations × 6 seeds)', seeds: 6, configs: 12, target: 500 },
  { name: '500-run experiment (10 configurations × 50 seeds)', seeds: 50, configs: 10, target: 1500 },
];

/** Configurations a sweep varies: activation × init mean × learning rate, the first `n` (at most 12). */
function configs(n: number): Partial<RunSpec>[] {
  const all = (['relu', 'sigmoid', 'tanh'] as const).flatMap((activation) => [0, -0.1].flatMap((initMean) => [0.5, 1].map((learningRate) => ({ activation, initMean, learningRate }))));
  return all.slice(0, n);
}

/** A store holding one experiment of `configs` × `seeds` finished runs (experiment 1), in `file`. */
export function fillUiStore(file: string, nConfigs: number, seeds: number): void {
  const store = RunStore.open(file);
  try {
    const trained = configs(nConfigs).map((c) => {
      const spec = parseRunSpec(c);
      const t = new Trainer(spec);
      t.run(Number.MAX_SAFE_INTEGER);
      return { spec, result: t.result() };
    });
    const experimentId = store.createExperiment({ name: `sweep of ${nConfigs * seeds}`, kind: 'sweep' });
    store.transaction(() => {
      for (const { spec, result } of trained) {
        for (let s = 1; s <= seeds; s++) {
          const [id] = store.createRuns([{ ...spec, initSeed: s }], { experimentId });
          store.finishRun(id, result);
        }
      }
    });
  } finally {
    store.close();
  }
}

interface Served {
  url: string;
  stop(): Promise<void>;
}

export function serve(db: string): Promise<Served> {
  const child: ChildProcess = spawn(process.execPath, [path.join(ROOT, 'bin/nnlab.js'), 'serve', '--db', db, '--workers', '1'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NNLAB_DB: db } });
  let err = '';
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (err += c));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  return new Promise((done, fail) => {
    let out = '';
    const timer = setTimeout(() => {
      void stop();
      fail(new Error(`nnlab serve printed no URL in 30 s; stderr: ${err}`));
    }, 30_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`nnlab serve exited with ${code} before printing its URL; stderr: ${err}`));
    });
    child.stdout!.setEncoding('utf8').on('data', (c: string) => {
      out += c;
      if (!out.includes('\n')) return;
      clearTimeout(timer);
      done({ url: out.split('\n')[0].trim(), stop });
    });
  });
}

/** In the page: resolves with performance.now() once the comparison is complete (see the file header). */
const COMPLETE = `new Promise((done) => {
  const check = () => {
    const main = document.querySelector('main');
    const count = document.querySelector('[data-testid="compare-count"]');
    const canvases = [...document.querySelectorAll('.canvas-box canvas')];
    const drawn = canvases.length > 0 && canvases.every((c) => {
      const box = c.parentElement;
      if (box.clientWidth === 0) return true;
      const [w, h] = (c.dataset.drawnSize || '0x0').split('x').map(Number);
      return Math.abs(w - box.clientWidth) <= 1 && Math.abs(h - box.clientHeight) <= 1;
    });
    if (main && main.getAttribute('aria-busy') === 'false' && count && /^\\d+ runs? in \\d+ configurations?/.test(count.textContent.trim()) && document.querySelector('[data-chart="cost"]') && drawn) done(performance.now());
    else requestAnimationFrame(check);
  };
  check();
})`;

/**
 * How the bench's browser sections launch Chromium through playwright-core, or why they cannot
 * (`skipped`, beginning with `section`): playwright-core is a development dependency, loaded at run
 * time and not bundled into the CLI (as bench-tfjs loads tfjs), and Chromium may be missing.
 */
export async function benchBrowser(section: string): Promise<{ launch: () => Promise<import('playwright-core').Browser>; skipped: null } | { launch: null; skipped: string }> {
  const chromiumPath = process.env.NNLAB_CHROMIUM ?? '/usr/bin/chromium';
  let chromium: typeof import('playwright-core').chromium;
  try {
    const name = 'playwright-core';
    ({ chromium } = (await import(/* @vite-ignore */ name)) as typeof import('playwright-core'));
  } catch {
    return { launch: null, skipped: `${section} skipped: playwright-core is not installed (a development dependency: run the bench from a source checkout after npm install)` };
  }
  if (!fs.existsSync(chromiumPath)) return { launch: null, skipped: `${section} skipped: no Chromium at ${chromiumPath} (install it, or point NNLAB_CHROMIUM at one)` };
  const args = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];
  return { launch: () => chromium.launch({ executablePath: chromiumPath, args }), skipped: null };
}

/** In the page: resolves once the Runs view shows its table (nothing loading, its count of runs). */
const RUNS_SHOWN = `new Promise((done) => {
  const check = () => {
    const count = document.querySelector('[data-testid="runs-count"]');
    if (document.querySelector('main')?.getAttribute('aria-busy') === 'false' && count && /\\d+ runs?/.test(count.textContent)) done(true);
    else requestAnimationFrame(check);
  };
  check();
})`;

/** The comparison opened in a page already loaded (at the Runs view, its table in): `opens` times after a warm-up, each in a new context. */
async function opensInApp(browser: import('playwright-core').Browser, url: string, runs: number, configs: number, opens: number): Promise<UiBenchFigure['inApp']> {
  const times: number[] = [];
  let requests = 0;
  for (let k = 0; k < opens + 1; k++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(`${url}#/runs`);
    await page.evaluate(RUNS_SHOWN);
    let calls = 0;
    page.on('request', (r) => {
      if (/\/api\/runs\//.test(new URL(r.url()).pathname)) calls++;
    });
    const t0 = (await page.evaluate("(() => { const t = performance.now(); location.hash = '#/compare?experiment=1'; return t; })()")) as number;
    const t = (await page.evaluate(COMPLETE)) as number;
    const count = (await page.textContent('[data-testid="compare-count"]'))?.trim() ?? '';
    if (!count.startsWith(`${runs} runs in ${configs} configurations`)) throw new Error(`the comparison opened in the app says “${count}”, not ${runs} runs in ${configs} configurations`);
    if (k > 0) {
      times.push(t - t0);
      requests = calls;
    }
    await context.close();
  }
  return { completeMs: median(times), opensMs: times, requests };
}

/** Times the UI cases (3 cold opens each, and 3 in the app). */
export async function benchUi(opens = 3, log?: (s: string) => void): Promise<UiBench> {
  const chromium = await benchBrowser('UI section');
  if (!chromium.launch) return { figures: [], loadAverage: { start: loadAverage(), end: loadAverage() }, skipped: chromium.skipped };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nnlab-bench-ui-'));
  const browser = await chromium.launch();
  const figures: UiBenchFigure[] = [];
  const loadStart = loadAverage();
  const meter = new LoadMeter();
  try {
    for (const c of CASES) {
      log?.(`UI: ${c.name}…`);
      const db = path.join(dir, `ui-${c.configs * c.seeds}.sqlite`);
      fillUiStore(db, c.configs, c.seeds);
      const server = await serve(db);
      try {
        const times: number[] = [];
        const redraws: number[] = [];
        let requests = 0;
        meter.mark();
        for (let k = 0; k < opens + 1; k++) {
          // a new context each time: nothing cached, nothing kept (the first open warms the server and is not counted)
          const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
          const page = await context.newPage();
          let calls = 0;
          page.on('request', (r) => {
            if (/\/api\/runs\//.test(new URL(r.url()).pathname)) calls++;
          });
          await page.goto(`${server.url}#/compare?experiment=1`);
          const t = (await page.evaluate(COMPLETE)) as number;
          const count = (await page.textContent('[data-testid="compare-count"]'))?.trim() ?? '';
          if (!count.startsWith(`${c.configs * c.seeds} runs in ${c.configs} configurations`)) throw new Error(`the comparison says “${count}”, not ${c.configs * c.seeds} runs in ${c.configs} configurations`);
          const t0 = (await page.evaluate('performance.now()')) as number;
          await page.uncheck('[data-control="log-y"]');
          await page.waitForFunction("document.querySelector('[data-chart=\"cost\"] canvas')?.dataset.drawnYScale === 'linear'");
          const t1 = (await page.evaluate('performance.now()')) as number;
          if (k > 0) {
            times.push(t);
            redraws.push(t1 - t0);
            requests = calls;
          }
          await context.close();
        }
        const inApp = await opensInApp(browser, server.url, c.configs * c.seeds, c.configs, opens);
        const load = meter.sample();
        figures.push({ name: c.name, runs: c.configs * c.seeds, configurations: c.configs, completeMs: median(times), opensMs: times, redrawMs: median(redraws), requests, inApp, target: c.target, load });
      } finally {
        await server.stop();
      }
    }
  } finally {
    await browser.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return { figures, skipped: null, loadAverage: { start: loadStart, end: loadAverage() } };
}

export function formatUi(ui: UiBench): string {
  if (ui.skipped) return ui.skipped;
  const lines = [
    '| UI: Compare opened cold, or in the app (Chromium, nnlab serve, real SQLite) | complete, ms | target | range, ms (spread) | each open, ms | log y off → redrawn, ms | API calls to runs/* | other processes’ CPU |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const f of ui.figures) {
    const lo = Math.min(...f.opensMs);
    const hi = Math.max(...f.opensMs);
    const others = f.load ? `${Math.round(f.load.others * 100)} %` : '–';
    lines.push(`| ${f.name} | ${f.completeMs.toFixed(0)} | < ${f.target} | ${lo.toFixed(0)} … ${hi.toFixed(0)} (${(hi - lo).toFixed(0)}) | ${f.opensMs.map((x) => x.toFixed(0)).join(', ')} | ${f.redrawMs.toFixed(0)} | ${f.requests} | ${others} |`);
    const a = f.inApp.opensMs;
    const [alo, ahi] = [Math.min(...a), Math.max(...a)];
    lines.push(`| ${f.name}, opened in the app | ${f.inApp.completeMs.toFixed(0)} | < ${f.target} | ${alo.toFixed(0)} … ${ahi.toFixed(0)} (${(ahi - alo).toFixed(0)}) | ${a.map((x) => x.toFixed(0)).join(', ')} | – | ${f.inApp.requests} | ${others} |`);
  }
  lines.push(
    '',
    'Complete: nothing loading (aria-busy false), every run counted in the header, every chart drawn at its size; from navigation start, median of the cold opens after one warm-up.',
    'Opened in the app: the page loaded at the Runs view (its table in), then the address set to the comparison’s, as the desktop app opens it (it loads its page once); from setting the address to complete, the same check, median after one warm-up.',
    `Other processes’ CPU: their share of all cores while the case's opens ran (the bench, its browser and its server left out); load average ${ui.loadAverage.start.toFixed(2)} at the start, ${ui.loadAverage.end.toFixed(2)} at the end.`,
  );
  return lines.join('\n');
}
