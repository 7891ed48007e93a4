import { describe, expect, it } from 'vitest';
import type { WireSeries } from '@main/api/contract';
import type { SeriesName } from '@main/db/types';
import { compare, panelContext } from '../../../src-renderer/src/lib/compare';
import { type CompareOptions, DEFAULT_OPTIONS, type PanelContext, type RunData } from '../../../src-renderer/src/lib/compare/context';
import { seriesNeeded } from '../../../src-renderer/src/lib/compare/panel';
import { COMPARE_SERIES, FINDINGS_SERIES, PANELS } from '../../../src-renderer/src/lib/compare/panels';
import { record, summary } from '../helpers/fake-lab';
import { trained } from '../helpers/trained';

const N = 20;
const xs = Array.from({ length: N }, (_, i) => i / (N - 1));
const ws = (shape: number[], data: number[]): WireSeries => ({ shape, data, length: data.length });

/** A finished run with every series the panels could read (cost, fits, checkpoints, gradient norms, final weights). */
function run(id: number, spec: Parameters<typeof summary>[1], offset: number): RunData {
  const s = summary(id, spec, { testMse: 0.002 + offset, finalMse: 0.05 / 32 });
  const batches = s.spec.batches;
  const truth = xs.flatMap((x) => [Math.sin(x), Math.cos(x)]);
  const est = truth.map((t) => t + offset);
  return {
    run: record(s),
    series: {
      cost: ws([batches], Array.from({ length: batches }, (_, i) => 30 / (i + 1) + offset)),
      mse: ws([batches], Array.from({ length: batches }, (_, i) => 1 / (i + 1))),
      testInputs: ws([N, 1], xs),
      testTargets: ws([N, 2], truth),
      testEstimates: ws([N, 2], est),
      estimates: ws([3, N, 2], [...truth.map(() => 0.5), ...est.map((e) => e + 0.1), ...est]),
      checkpointBatches: ws([3], [0, batches / 2, batches]),
      gradNorms: ws([3, 2], [0, 0, 0.5 + offset, 0.25, 0.1 + offset, 0.05]),
      finalWeights: ws([1], [0]),
    },
  };
}

/**
 * Two activations, three seeds each, paired by seed, and two seeds of a classification task trained
 * for real: every panel but the stability map (a 2-D grid) and the waiting note has something to show.
 */
const regression = [1, 2, 3].flatMap((seed) => [run(seed, { initSeed: seed }, 0.01 * seed), run(seed + 3, { initSeed: seed, activation: 'sigmoid' }, 0.02 * seed)]);
const classification = [1, 2].map((seed) => trained(6 + seed, { task: 'circle', learningRate: 0.1, batches: 60, checkpoints: 3, initSeed: seed }));
const data = [...regression, ...classification];
const colors = { truth: '#000000', muted: '#888888' };
const opts = (o: Partial<CompareOptions> = {}): CompareOptions => ({ ...DEFAULT_OPTIONS, smoothing: 0, ...o });

/** The context with each run's series cut down to `names` (the items keep their runs, cut the same way). */
function cutTo(ctx: PanelContext, names: readonly SeriesName[]): PanelContext {
  const cut = new Map(ctx.data.map((d) => [d, { ...d, series: Object.fromEntries(Object.entries(d.series).filter(([n]) => names.includes(n as SeriesName))) }]));
  return { ...ctx, data: ctx.data.map((d) => cut.get(d)!), items: ctx.items.map((it) => ({ ...it, runs: it.runs.map((d) => cut.get(d)!) })) };
}

/** A view as drawn: a run's data it hands on (for its exports' provenance) stands for its run alone, whatever series came with it. */
const drawn = (view: unknown): unknown => JSON.parse(JSON.stringify(view, (_, v: unknown) => (v && typeof v === 'object' && 'run' in v && 'series' in v ? { run: v.run } : v)));

describe('renderer/lib/compare/panels (the Compare panel registry)', () => {
  it('gives every panel its own id', () => {
    const ids = PANELS.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('lists every panel defined in lib/compare/ (one left out would never be drawn)', () => {
    const modules = import.meta.glob('../../../src-renderer/src/lib/compare/*.ts', { eager: true }) as Record<string, Record<string, unknown>>;
    const isPanel = (v: unknown) => !!v && typeof v === 'object' && 'id' in v && 'needs' in v && 'build' in v;
    const defined = Object.values(modules).flatMap((m) => Object.values(m).filter(isPanel));
    expect(defined.length).toBeGreaterThanOrEqual(PANELS.length);
    expect(defined.filter((p) => !(PANELS as readonly unknown[]).includes(p))).toEqual([]);
  });

  it('fetches the union of what the panels and the findings read, each series once', () => {
    expect(new Set(COMPARE_SERIES)).toEqual(new Set([...PANELS.flatMap((p) => p.needs), ...FINDINGS_SERIES]));
    expect(new Set(COMPARE_SERIES).size).toBe(COMPARE_SERIES.length);
    expect(seriesNeeded([{ needs: ['cost', 'gradNorms'] }, { needs: ['gradNorms', 'estimates'] }])).toEqual(['cost', 'gradNorms', 'estimates']);
    // nothing the panels do not draw (the final weights are for the run page)
    expect(COMPARE_SERIES).not.toContain('finalWeights');
  });

  for (const [mode, fitAt] of [
    ['runs', null],
    ['groups', null],
    ['groups', 0.5],
  ] as const) {
    describe(`in ${mode} mode, fits ${fitAt === null ? 'at the end' : `at ${fitAt} of training`}`, () => {
      const ctx = panelContext(data, opts({ mode, fitAt }), colors);

      it('has a view for every panel but the stability map (no grid here)', () => {
        const built = PANELS.filter((p) => p.build(ctx) !== null).map((p) => p.id);
        const expected = PANELS.map((p) => p.id).filter((id) => id !== 'stability' && id !== 'waiting' && (mode === 'groups' || (id !== 'strip' && id !== 'accuracy-strip')));
        expect(built).toEqual(expected);
      });

      // a panel that read a series it does not declare would draw less from only its own (the
      // findings and groups in the context stay as computed from everything)
      for (const p of PANELS) {
        it(`draws ${p.id} the same from only the series it declares`, () => {
          const full = p.build(ctx);
          expect(drawn(p.build(cutTo(ctx, p.needs)))).toEqual(drawn(full));
        });
      }
    });
  }

  it('catches a panel that reads a series it does not declare', () => {
    const ctx = panelContext(data, opts({ mode: 'groups' }), colors);
    const gradNorms = PANELS.find((p) => p.id === 'grad-norms')!;
    // the gradient norms' x is the checkpoint batches: without them the lines have no points
    const full = gradNorms.build(ctx);
    expect(full?.model.series.some((s) => s.points.length > 0)).toBe(true);
    expect(gradNorms.build(cutTo(ctx, ['gradNorms']))).not.toEqual(full);
  });

  it('leaves out the panels of statistics over all the runs while some are still loading', () => {
    const whole = PANELS.filter((p) => p.whole).map((p) => p.id);
    expect(whole).toEqual(['replicates', 'stability', 'paired']);
    const partial = compare(data, opts({ mode: 'groups' }), colors, { partial: true });
    const all = compare(data, opts({ mode: 'groups' }), colors);
    expect(Object.keys(all.views)).toEqual(expect.arrayContaining(['replicates', 'paired']));
    expect(Object.keys(partial.views).filter((id) => whole.includes(id as (typeof whole)[number]))).toEqual([]);
    expect(partial.views.cost).toEqual(all.views.cost);
  });

  it('says the fits and boundaries come when the runs finish while no finished run has one', () => {
    const queued: RunData = { run: record(summary(20, {}, { status: 'queued' })), series: {} };
    const waiting = compare([queued], opts(), colors);
    expect(waiting.views.waiting?.text).toBe('Fits and decision boundaries appear when the runs finish.');
    expect(waiting.views.fits).toBeUndefined();
    for (const finished of [regression[0], classification[0]]) expect(compare([queued, finished], opts(), colors).views.waiting).toBeUndefined();
    expect(compare([regression[0]], opts(), colors).views.waiting).toBeUndefined();
  });

  it('sets the networks of two compared runs side by side, each configuration’s first in turn, at the fit slider’s checkpoint', () => {
    const network = PANELS.find((p) => p.id === 'network')!;
    const view = network.build(panelContext(data, opts({ fitAt: 0.5 }), colors));
    // regression alternates relu (configuration A) and sigmoid (B) runs: A's first seed, then B's
    expect(view?.runs.map((r) => r.id)).toEqual([1, 4]);
    expect(view?.more).toBe(data.length - 2);
    expect(view?.at).toBe(0.5);
    expect(view?.runs[1].spec.activation).toBe('sigmoid');
    // a run that has not trained has no network to show; one that diverged has its weights up to its stop
    const queued: RunData = { run: record(summary(20, {}, { status: 'queued' })), series: {} };
    expect(network.build(panelContext([queued], opts(), colors))).toBeNull();
    const diverged: RunData = { run: record(summary(21, {}, { status: 'diverged' })), series: {} };
    expect(network.build(panelContext([queued, diverged], opts(), colors))?.runs.map((r) => r.id)).toEqual([21]);
  });

  it('shows what classification runs learned on their test sets, each configuration’s first in turn; not for a drawn regression (its fits show it)', () => {
    const learned = PANELS.find((p) => p.id === 'learned')!;
    const view = learned.build(panelContext(data, opts(), colors));
    expect(view).toEqual({ runs: [{ id: 7, status: 'done' }, { id: 8, status: 'done' }], more: 0 });
    expect(learned.build(panelContext(regression, opts(), colors))).toBeNull();
    // a csv regression has its predicted vs actual; a queued run nothing yet
    const csv: RunData = { run: record(summary(30, { task: 'csv', dataset: 'a'.repeat(64), inputColumns: ['x'], targetColumns: ['y'], shape: [1, 16, 1], outputActivation: 'linear' }, { status: 'done' })), series: {} };
    const queued: RunData = { run: record(summary(31, { task: 'circle', shape: [2, 8, 2], loss: 'cross-entropy', outputActivation: 'softmax' }, { status: 'queued' })), series: {} };
    expect(learned.build(panelContext([queued, csv], opts(), colors))).toEqual({ runs: [{ id: 30, status: 'done' }], more: 0 });
  });

  it('pairs the configurations the options name', () => {
    const c = compare(data, opts({ mode: 'groups' }), colors);
    const [a, b] = c.groups.map((g) => g.key);
    expect(c.views.paired?.aKey).toBe(a);
    const swapped = compare(data, opts({ mode: 'groups', pairA: b, pairB: a }), colors);
    expect([swapped.views.paired?.aKey, swapped.views.paired?.bKey]).toEqual([b, a]);
  });
});
