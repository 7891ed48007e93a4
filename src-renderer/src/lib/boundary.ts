/**
 * The decision boundary of a classification run over a plane, computed and laid out: the network's
 * outputs at the 25 × 25 view grid at a checkpoint (the run's stored `estimates` at `viewInputs`),
 * each grid cell coloured by its predicted class and how clearly it wins (the lead of the largest
 * output over the next, 0 to 1: faint near the boundary), the boundary itself where the two
 * leading outputs tie (marching squares on the lead, two classes), and the training points (the
 * task's generated set, drawn again from the spec's data seed) and the test points (the stored
 * test set) in their class colours. Pure: the component draws the layout, the SVG export writes
 * the same layout, and both say the same thing.
 */
import type { WireSeries } from '@main/api/contract';
import { checkpointIndex } from '@main/analysis/checkpoints';
import type { RunSummary } from '@main/db/types';
import { classOf, fixedTaskInfo, isTaskName, outputNames, resolveTask, TASK_DEFS } from '@main/trainer/tasks';
import type { ChartTheme } from './colors';
import { fmt } from './format';
import { checkpointRowOffset } from './series';
import { escapeXml } from './svg';

/** Playground's colours: orange for its negative class, blue for its positive one; then a categorical palette. */
const CLASS_COLORS = ['#f59322', '#0877bd', '#2a9d5c', '#b5487f', '#8a5cd1', '#6b7a1f', '#16a3b8', '#d1495b', '#7f7f7f', '#e0c31e'];

export function classColor(k: number): string {
  return CLASS_COLORS[k % CLASS_COLORS.length];
}

const rgb = (h: string) => [1, 3, 5].map((i) => Number.parseInt(h.slice(i, i + 2), 16));
const hex2 = (n: number) => Math.round(Math.max(0, Math.min(255, n))).toString(16).padStart(2, '0');

/** a + (b − a)·t between two #rrggbb colours. */
export function mix(a: string, b: string, t: number): string {
  const x = rgb(a);
  const y = rgb(b);
  return `#${x.map((v, i) => hex2(v + (y[i] - v) * t)).join('')}`;
}

/** What the boundary needs of a run: its summary and the series it stores. */
export interface BoundaryInput {
  run: RunSummary;
  series: Partial<Record<'viewInputs' | 'estimates' | 'checkpointBatches' | 'testInputs' | 'testTargets' | 'testEstimates', WireSeries>>;
}

export interface BoundaryCell {
  /** Grid indices: i along x1, j along x2. */
  i: number;
  j: number;
  /** The predicted class, or null where the outputs are not finite. */
  cls: number | null;
  /** How clearly it wins: the largest output's lead over the next, clamped to [0, 1]. */
  lead: number;
}

export interface BoundaryPoint {
  x1: number;
  x2: number;
  cls: number;
  /** Test points: the network's class for it (a miss is drawn as such). */
  predicted?: number;
}

export interface Boundary {
  runId: number;
  /** Grid sizes along x1 and x2, and their coordinates. */
  n1: number;
  n2: number;
  xs1: number[];
  xs2: number[];
  cells: BoundaryCell[];
  /** Segments where the two leading outputs tie (two classes), in input coordinates. */
  contour: [number, number, number, number][];
  train: BoundaryPoint[];
  test: BoundaryPoint[];
  classes: string[];
  /** Batches trained at the snapshot drawn; null: the end. */
  batch: number | null;
  /** Test accuracy at the end (the run's). */
  testAccuracy: number | null;
  /** Cells whose outputs are not finite (a diverged network). */
  notFinite: number;
  notes: string[];
}

/** A (… , last) wire series' rows as numbers (null → NaN). */
function values(s: WireSeries, from = 0, count = s.data.length - from): Float64Array {
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) out[i] = s.data[from + i] ?? NaN;
  return out;
}

/**
 * The run's boundary at the chosen snapshot (`at`: fraction of training; null: the end), or null
 * when it has no plane to draw (a task with other than two inputs, no view grid stored).
 */
export function boundaryOf(d: BoundaryInput, at: number | null): Boundary | null {
  const view = d.series.viewInputs;
  const est = d.series.estimates;
  const cps = d.series.checkpointBatches;
  if (!view || view.index || view.shape.length !== 3 || view.shape[2] !== 2 || !est || est.shape.length !== 3 || !cps) return null;
  const [n1, n2] = view.shape;
  const points = n1 * n2;
  const outputs = est.shape[2];
  if (est.shape[1] !== points || outputs < 1) return null;
  const grid = values(view);
  const xs1 = Array.from({ length: n1 }, (_, i) => grid[i * n2 * 2]);
  const xs2 = Array.from({ length: n2 }, (_, j) => grid[j * 2 + 1]);
  const k = checkpointIndex(cps.data, d.run.batchesRun, at);
  // the lab sends the last reached checkpoint's row alone until the slider moves (then every row)
  const row = checkpointRowOffset(est, k);
  if (row === null) return null;
  const out = values(est, row, points * outputs);
  const cells: BoundaryCell[] = [];
  const margin = new Float64Array(points);
  let notFinite = 0;
  for (let p = 0; p < points; p++) {
    let best = -Infinity;
    let second = -Infinity;
    let cls = 0;
    let finite = true;
    for (let c = 0; c < outputs; c++) {
      const v = out[p * outputs + c];
      if (!Number.isFinite(v)) finite = false;
      if (v > best) {
        second = best;
        best = v;
        cls = c;
      } else if (v > second) second = v;
    }
    if (!finite) notFinite++;
    const lead = outputs === 1 ? 1 : best - second;
    // two classes: the signed lead of class 1, whose zero is the boundary
    margin[p] = outputs === 2 ? out[p * 2 + 1] - out[p * 2] : NaN;
    cells.push({ i: Math.floor(p / n2), j: p % n2, cls: finite ? cls : null, lead: finite ? Math.max(0, Math.min(1, lead)) : 0 });
  }
  const contour = outputs === 2 && notFinite === 0 ? marchingSquares(margin, xs1, xs2) : [];
  const names = outputNames(d.run.spec, outputs);
  const train = trainPoints(d.run.spec, outputs);
  const test = testPoints(d, outputs);
  const notes: string[] = [];
  if (notFinite) notes.push(`${notFinite} of ${points} grid points have outputs that are not finite (the network diverged): drawn grey`);
  const stored = isTaskName(d.run.spec.task) && TASK_DEFS[d.run.spec.task].sampling === 'table';
  if (stored && !test.length) {
    // a table's run keeps no copy of its rows (the data set has them): say so, not "0 test points"
    const rows = d.series.testTargets?.shape[0];
    notes.push(`training and test points: not drawn (run #${d.run.id}’s ${rows === undefined ? '' : `${rows.toLocaleString('en-US')} `}test rows and its training rows are in its data set, not kept with the run; its confusion matrix counts the test rows)`);
  } else if (!train.length) notes.push('training points: not drawn (the task has no generated training set to draw again)');
  const batch = cps.data[k] ?? null;
  return { runId: d.run.id, n1, n2, xs1, xs2, cells, contour, train, test, classes: names, batch: at === null ? null : batch, testAccuracy: d.run.testAccuracy, notFinite, notes };
}

/** The training points of a generated task, drawn again from the spec (the same seed gives the same set). */
function trainPoints(spec: RunSummary['spec'], outputs: number): BoundaryPoint[] {
  const info = isTaskName(spec.task) ? fixedTaskInfo(spec.task) : null;
  if (!isTaskName(spec.task) || !info || info.inputs !== 2 || info.outputs !== outputs) return [];
  const task = resolveTask(spec.task, spec);
  if (!task.train) return [];
  const t = task.train;
  return Array.from({ length: t.count }, (_, i) => ({ x1: t.inputs[2 * i], x2: t.inputs[2 * i + 1], cls: classOf(t.targets, i, outputs) }));
}

function testPoints(d: BoundaryInput, outputs: number): BoundaryPoint[] {
  const x = d.series.testInputs;
  const y = d.series.testTargets;
  if (!x || !y || x.index || y.index || x.shape[1] !== 2) return [];
  const xs = values(x);
  const ys = values(y);
  const est = d.series.testEstimates && !d.series.testEstimates.index ? values(d.series.testEstimates) : null;
  const count = x.shape[0];
  return Array.from({ length: count }, (_, i) => {
    const p: BoundaryPoint = { x1: xs[2 * i], x2: xs[2 * i + 1], cls: classOf(ys, i, outputs) };
    if (est && est.length === count * outputs) p.predicted = classOf(est, i, outputs);
    return p;
  });
}

/**
 * Segments of the zero line of `f` on the grid (f[i * n2 + j] at (xs1[i], xs2[j])), by marching
 * squares with linear interpolation along each cell's edges.
 */
export function marchingSquares(f: ArrayLike<number>, xs1: readonly number[], xs2: readonly number[]): [number, number, number, number][] {
  const n1 = xs1.length;
  const n2 = xs2.length;
  const at = (i: number, j: number) => f[i * n2 + j];
  const segs: [number, number, number, number][] = [];
  for (let i = 0; i + 1 < n1; i++) {
    for (let j = 0; j + 1 < n2; j++) {
      // corners counter-clockwise from (i, j); edges between consecutive corners
      const c = [
        [i, j],
        [i + 1, j],
        [i + 1, j + 1],
        [i, j + 1],
      ] as const;
      const v = c.map(([a, b]) => at(a, b));
      const crossings: [number, number][] = [];
      for (let e = 0; e < 4; e++) {
        const a = v[e];
        const b = v[(e + 1) % 4];
        if ((a < 0) === (b < 0)) continue;
        const t = a / (a - b);
        const [ia, ja] = c[e];
        const [ib, jb] = c[(e + 1) % 4];
        crossings.push([xs1[ia] + (xs1[ib] - xs1[ia]) * t, xs2[ja] + (xs2[jb] - xs2[ja]) * t]);
      }
      // two crossings: one segment; four (a saddle): pair them by the cell's centre value
      if (crossings.length === 2) segs.push([...crossings[0], ...crossings[1]]);
      else if (crossings.length === 4) {
        const centre = (v[0] + v[1] + v[2] + v[3]) / 4;
        const sameAsFirst = (centre < 0) === (v[0] < 0);
        const pairs = sameAsFirst ? [[0, 1], [2, 3]] : [[3, 0], [1, 2]];
        for (const [a, b] of pairs) segs.push([...crossings[a], ...crossings[b]]);
      }
    }
  }
  return segs;
}

/** Where things go on the drawing (pixels): one square plot with its axes. */
export interface BoundaryLayout {
  width: number;
  height: number;
  left: number;
  top: number;
  size: number;
  /** Input coordinates to pixels. */
  px(x1: number): number;
  py(x2: number): number;
  cellW: number;
  cellH: number;
  ticks1: number[];
  ticks2: number[];
}

export function boundaryLayout(b: Boundary, size = 240): BoundaryLayout {
  const left = 34;
  const top = 30;
  const lo1 = b.xs1[0];
  const hi1 = b.xs1[b.n1 - 1];
  const lo2 = b.xs2[0];
  const hi2 = b.xs2[b.n2 - 1];
  // each grid point is the centre of its cell: the plot spans half a cell beyond the outer points
  const cellW = size / b.n1;
  const cellH = size / b.n2;
  const px = (x: number) => left + cellW / 2 + ((x - lo1) / (hi1 - lo1)) * (size - cellW);
  const py = (y: number) => top + size - cellH / 2 - ((y - lo2) / (hi2 - lo2)) * (size - cellH);
  const ticks = (lo: number, hi: number) => [lo, (lo + hi) / 2, hi].map((v) => Math.round(v * 100) / 100);
  return { width: left + size + 12, height: top + size + 34, left, top, size, px, py, cellW, cellH, ticks1: ticks(lo1, hi1), ticks2: ticks(lo2, hi2) };
}

/** A cell's fill: its class colour, as strong as its lead, over the background; grey where not finite. */
export function cellFill(c: BoundaryCell, background: string): string {
  if (c.cls === null) return '#8c8c8c';
  return mix(background, classColor(c.cls), 0.12 + 0.7 * c.lead);
}

export function boundaryTitle(b: Boundary): string {
  return `#${b.runId} decision boundary ${b.batch === null ? 'at the end' : `at batch ${b.batch}`}`;
}

/** One line under the drawing: the test accuracy, and the misses among the test points drawn. */
export function boundaryCaption(b: Boundary): string {
  const missed = b.test.filter((p) => p.predicted !== undefined && p.predicted !== p.cls).length;
  const acc = b.testAccuracy === null ? '' : `test accuracy ${fmt(100 * b.testAccuracy)} % at the end; `;
  if (!b.train.length && !b.test.length) return `${acc}no training or test points drawn`;
  return `${acc}${b.train.length} training points, ${b.test.length} test points (ringed dark${b.test.some((p) => p.predicted !== undefined) ? `, ${missed} missed at the end: ✕` : ''})`;
}

const num = (x: number) => (Math.round(x * 100) / 100).toString();

/** The drawing as one standalone SVG (the component draws the same layout). */
export function boundaryToSvg(b: Boundary, theme: ChartTheme, provenance?: unknown): { svg: string; width: number; height: number } {
  const L = boundaryLayout(b);
  const extra = 18 * (1 + b.notes.length) + 22;
  const width = Math.max(L.width, 300);
  const height = L.height + extra;
  const parts: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, -apple-system, &apos;Segoe UI&apos;, Roboto, sans-serif">`);
  parts.push(`<title>${escapeXml(boundaryTitle(b))}</title>`);
  if (provenance !== undefined) parts.push(`<metadata id="nnlab-provenance">${escapeXml(JSON.stringify(provenance))}</metadata>`);
  parts.push(`<rect width="100%" height="100%" fill="${theme.background}"/>`);
  parts.push(`<text x="${num(L.left)}" y="18" font-size="13" font-weight="bold" fill="${theme.text}">${escapeXml(boundaryTitle(b))}</text>`);
  parts.push('<g class="cells">');
  for (const c of b.cells) {
    parts.push(`<rect x="${num(L.px(b.xs1[c.i]) - L.cellW / 2)}" y="${num(L.py(b.xs2[c.j]) - L.cellH / 2)}" width="${num(L.cellW + 0.5)}" height="${num(L.cellH + 0.5)}" fill="${cellFill(c, theme.background)}"/>`);
  }
  parts.push('</g>');
  parts.push(`<g class="contour" stroke="${theme.text}" stroke-width="1.5" fill="none">`);
  for (const [a, c, d, e] of b.contour) parts.push(`<line x1="${num(L.px(a))}" y1="${num(L.py(c))}" x2="${num(L.px(d))}" y2="${num(L.py(e))}"/>`);
  parts.push('</g>');
  parts.push('<g class="train">');
  for (const p of b.train) parts.push(`<circle cx="${num(L.px(p.x1))}" cy="${num(L.py(p.x2))}" r="2.6" fill="${classColor(p.cls)}" stroke="#ffffff" stroke-width="0.8"/>`);
  parts.push('</g><g class="test">');
  for (const p of b.test) {
    parts.push(`<circle cx="${num(L.px(p.x1))}" cy="${num(L.py(p.x2))}" r="3" fill="${classColor(p.cls)}" stroke="#111111" stroke-width="1.2"/>`);
    if (p.predicted !== undefined && p.predicted !== p.cls) parts.push(`<path d="M${num(L.px(p.x1) - 3)} ${num(L.py(p.x2) - 3)}l6 6m0 -6l-6 6" stroke="#111111" stroke-width="1.2"/>`);
  }
  parts.push('</g>');
  parts.push(`<rect x="${L.left}" y="${L.top}" width="${L.size}" height="${L.size}" fill="none" stroke="${theme.muted}"/>`);
  for (const t of L.ticks1) parts.push(`<text x="${num(L.px(t))}" y="${num(L.top + L.size + 14)}" text-anchor="middle" font-size="11" fill="${theme.muted}">${escapeXml(String(t))}</text>`);
  for (const t of L.ticks2) parts.push(`<text x="${num(L.left - 5)}" y="${num(L.py(t) + 4)}" text-anchor="end" font-size="11" fill="${theme.muted}">${escapeXml(String(t))}</text>`);
  parts.push(`<text x="${num(L.left + L.size / 2)}" y="${num(L.top + L.size + 28)}" text-anchor="middle" font-size="11" fill="${theme.text}">x1</text>`);
  let y = L.height + 14;
  const legend = b.classes.map((name, k) => ({ name, color: classColor(k) }));
  let x = L.left;
  for (const l of legend) {
    parts.push(`<circle cx="${num(x + 5)}" cy="${num(y - 4)}" r="4" fill="${l.color}"/><text x="${num(x + 13)}" y="${num(y)}" font-size="11" fill="${theme.text}">${escapeXml(l.name)}</text>`);
    x += 24 + l.name.length * 6.5;
  }
  y += 18;
  parts.push(`<text x="${num(L.left)}" y="${num(y)}" font-size="10.5" fill="${theme.muted}">${escapeXml(boundaryCaption(b))}</text>`);
  for (const n of b.notes) {
    y += 18;
    parts.push(`<text x="${num(L.left)}" y="${num(y)}" font-size="10.5" fill="${theme.muted}">${escapeXml(n)}</text>`);
  }
  parts.push('</svg>');
  return { svg: parts.join('\n'), width, height };
}

/** One CSV row per grid point: x1, x2, the predicted class, the lead and every output. */
export function boundaryToCsv(b: Boundary, d: BoundaryInput, at: number | null): string {
  const est = d.series.estimates!;
  const outputs = est.shape[2];
  const row = checkpointRowOffset(est, checkpointIndex(d.series.checkpointBatches!.data, d.run.batchesRun, at))!;
  const rows = [['x1', 'x2', 'predicted', 'lead', ...b.classes.map((c) => `output: ${c}`)].map(csvText).join(',')];
  for (const c of b.cells) {
    const p = c.i * b.n2 + c.j;
    const outs = Array.from({ length: outputs }, (_, o) => est.data[row + p * outputs + o]);
    rows.push([b.xs1[c.i], b.xs2[c.j], c.cls === null ? '' : b.classes[c.cls], c.lead, ...outs].map((v) => (v === null ? '' : typeof v === 'string' ? csvText(v) : String(v))).join(','));
  }
  return `${rows.join('\n')}\n`;
}

function csvText(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
