// @vitest-environment happy-dom
import { mount } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, h, reactive } from 'vue';
import type { WireSeries } from '@main/api/contract';
import type { RunRecord } from '@main/db/types';
import CompareView from '../../../src-renderer/src/components/CompareView.vue';
import { PANELS } from '../../../src-renderer/src/lib/compare/panels';
import { selection, syncWithHash } from '../../../src-renderer/src/composables/useNav';
import { createCompareAddress } from '../../../src-renderer/src/composables/useCompareAddress';
import { flush, record, runsGet, summary } from '../helpers/fake-lab';
import { setupApp } from '../helpers/mount';

/** What each chart handed to chart.js last (by its aria-label, the chart's title): vue-chartjs passes these on as they are. */
const drawn = vi.hoisted(() => new Map<string, { type: string; data: { datasets: { label: string; data: ({ x: number; y: number | null } | number | null)[] }[] } }>());
vi.mock('vue-chartjs', () => ({
  Chart: defineComponent({
    props: ['type', 'data', 'options', 'plugins', 'datasetIdKey'],
    setup(props, { attrs }) {
      return () => {
        drawn.set(String(attrs['aria-label']), { type: props.type, data: props.data });
        return h('canvas');
      };
    },
  }),
}));

let app: ReturnType<typeof setupApp>;
afterEach(() => {
  app?.close();
  vi.restoreAllMocks();
});

const N = 30;
const xs = Array.from({ length: N }, (_, i) => i / (N - 1));

function setup(extra: Parameters<typeof setupApp>[0] = {}) {
  const recs = new Map<number, RunRecord>([
    [1, { ...record(summary(1)), series: [{ name: 'cost', dtype: 'f64', length: 300, shape: [300] }] }],
    [2, { ...record(summary(2, { activation: 'sigmoid' })), series: [{ name: 'cost', dtype: 'f64', length: 300, shape: [300] }] }],
  ]);
  app = setupApp({
    'runs/get': runsGet(recs),
    'runs/series': (req): { series: Record<string, WireSeries> } =>
      req.names?.includes('cost')
        ? { series: { cost: { shape: [300], data: Array.from({ length: 300 }, (_, i) => 30 / (i + 1)), length: 300 } } }
        : {
            series: {
              testInputs: { shape: [N, 1], data: xs, length: N },
              testTargets: { shape: [N, 2], data: xs.flatMap((x) => [Math.sin(x), Math.cos(x)]), length: 2 * N },
              testEstimates: { shape: [N, 2], data: xs.flatMap((x) => [Math.sin(x) + 0.01, Math.cos(x)]), length: 2 * N },
            },
          },
    ...extra,
  });
}

describe('renderer/components/CompareView', () => {
  it('offers a way in when nothing is selected', () => {
    setup();
    const w = mount(CompareView);
    expect(w.text()).toContain('Nothing selected');
  });

  it('says plainly what is wrong with an experiment in the address that is no number or has no runs (it said only “Nothing selected”)', async () => {
    // found by trying: #/compare?experiment=999999 (and =abc, =0, =-1) showed the empty page's "Nothing selected. Tick runs…"
    setup({
      'runs/compare': () => ({ runs: [], missing: [], ids: [] }),
      'experiments/list': () => ({ experiments: [{ id: 1, name: 'mixed one', kind: 'sweep', definition: {}, createdAt: 0, notes: '' }] }),
    });
    await app.runs.refresh();
    /** The page opened at this address: the comparison's address reads it as it registers (main.ts, at start-up). */
    let w = mount(CompareView);
    const open = (hash: string) => {
      w.unmount();
      window.history.replaceState(null, '', `/index.html${hash}`);
      createCompareAddress(app.cmp);
      w = mount(CompareView);
    };
    const notice = () => w.find('[data-testid="compare-address-notice"]');
    for (const [hash, said] of [
      ['#/compare?experiment=abc', 'The address asks for experiment “abc”, which is no experiment’s number: #/compare?experiment=1 opens experiment #1.'],
      ['#/compare?experiment=-1', 'The address asks for experiment “-1”, which is no experiment’s number: #/compare?experiment=1 opens experiment #1.'],
      ['#/compare?experiment=999999', 'This lab has no experiment #999999 (its experiments: #1 mixed one).'],
      // an experiment whose runs were all deleted
      ['#/compare?experiment=1', 'Experiment #1 (mixed one) has no runs left to compare.'],
    ] as const) {
      open(hash);
      await vi.waitFor(() => expect(notice().exists(), hash).toBe(true));
      expect(notice().text()).toBe(said);
      expect(notice().attributes('role')).toBe('alert');
    }
    // no experiment in the address: nothing to say
    open('#/compare');
    await vi.waitFor(() => expect(notice().exists()).toBe(false));
    expect(w.text()).toContain('Nothing selected');
  });

  it('says which selected runs this lab has not, without claiming they existed (it said “Run #999 no longer exists.” of a run never made)', async () => {
    setup();
    selection.value = [1, 999, 998];
    const w = mount(CompareView);
    await vi.waitFor(() => expect(w.text()).toContain('This lab has no runs #999, #998'));
    expect(w.text()).not.toContain('no longer exist');
    selection.value = [1, 999];
    await vi.waitFor(() => expect(w.text()).toContain('This lab has no run #999: it is left out.'));
  });

  it('says which entries of the address are no run’s number, beside the runs the lab has not, and compares the rest (#/compare/3,abc,0 dropped abc and 0 without a word)', async () => {
    // found by trying (session 9): #/runs/abc is said since d9b2943, #/compare/abc was not
    setup();
    const w = mount(CompareView);
    const said = () => w.find('[data-testid="compare-missing"]');
    for (const [hash, text, kept] of [
      ['#/compare/abc', 'The address asks for run “abc”, which is no run’s number: it is left out.', []],
      ['#/compare/1,x,0,999', 'The address asks for runs “x”, “0”, which are no runs’ numbers: they are left out. This lab has no run #999: it is left out.', [1, 999]],
    ] as const) {
      window.history.replaceState(null, '', `/index.html${hash}`);
      const stop = syncWithHash(window);
      try {
        await vi.waitFor(() => expect(said().exists() && said().text(), hash).toBe(text));
        expect(selection.value).toEqual(kept);
      } finally {
        stop();
      }
    }
    // the person edits the address by hand to one without those entries, the same runs in another
    // order: it asks for no “x” now, so nothing says it does (the sentence stayed while the
    // selection was the same; the runs table's cleared), while #999 is still asked for and said
    const stop = syncWithHash(window);
    try {
      for (const hash of ['#/compare/999,1', '#/compare/1,999?mode=groups']) {
        window.history.replaceState(null, '', `/index.html${hash}`);
        window.dispatchEvent(new HashChangeEvent('hashchange'));
        await vi.waitFor(() => expect(said().exists() && said().text(), hash).toBe('This lab has no run #999: it is left out.'));
      }
    } finally {
      stop();
    }
    selection.value = [1];
    // the comparison of the readable ids opens
    await vi.waitFor(() => expect(w.find('[data-testid="compare-count"]').text()).toBe('1 run in 1 configuration'));
    expect(w.find('[data-chart="cost"]').exists()).toBe(true);
    // the person picks other runs: the address's words have done their work
    selection.value = [1, 2];
    await vi.waitFor(() => expect(said().exists()).toBe(false));
    w.unmount();
  });

  it('shows the cost chart, the fits, and a diff of exactly what differs', async () => {
    setup();
    selection.value = [1, 2];
    await flush(10);
    const w = mount(CompareView);
    await flush();
    const cost = w.find('[data-chart="cost"]');
    expect(cost.attributes('data-legend')).toBe('#1 relu|#2 sigmoid|constant predictor (r² = 0)');
    expect(w.find('[data-chart="fit-sin-x"]').attributes('data-legend')).toBe('truth: sin x|#1 relu|#2 sigmoid');
    expect(w.find('[data-chart="residual-cos-x"]').exists()).toBe(true);
    expect(w.findAll('[data-diff-field]').map((e) => e.attributes('data-diff-field'))).toEqual(['activation']);
    expect(w.find('[data-group="relu (1 seed)"]').attributes('data-outcomes')).toBe('1/0/0/0 of 1');
    // the smoothing slider: off leaves one curve per run
    await w.find('[data-control="smoothing"]').setValue('0');
    expect(w.find('[data-chart="cost"]').attributes('data-datasets')).toBe('3');
    w.unmount();
  });

  it('hands each chart its data marked raw, so that vue-chartjs’s deep watch does not walk every point as the chart is set up (22 ms of a 72-run open)', async () => {
    setup();
    selection.value = [1, 2];
    await flush(10);
    const w = mount(CompareView);
    await flush();
    const charts = [...drawn.values()];
    expect(charts.length).toBeGreaterThan(3);
    // reactive() gives back the object itself only when it is marked raw; the deep watch's traversal stops there
    for (const c of charts) expect(reactive(c.data)).toBe(c.data);
    // and a redraw still reaches the chart: smoothing off leaves one curve per run
    await w.find('[data-control="smoothing"]').setValue('0');
    expect(drawn.get('MSE per sample')!.data.datasets).toHaveLength(3);
    w.unmount();
  });

  it('exports exactly the points chart.js draws as CSV: the same series, x and y, in order', async () => {
    setup();
    selection.value = [1, 2];
    await flush(10);
    const w = mount(CompareView);
    await flush();
    let blob: Blob | null = null;
    vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => {
      blob = b as Blob;
      return 'blob:test';
    });
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
    const cost = w.find('[data-chart="cost"]');
    await cost.find('[data-export="csv"]').trigger('click');
    const text = await (blob as unknown as Blob).text();
    const rows = text.trimEnd().split('\r\n');
    expect(rows[0]).toBe('series,role,batch,MSE per sample,run_id,activation,initSeed,dataSeed');
    // the CSV's (series, x, y) against the datasets the canvas was given (labels here have no commas)
    const exported = rows.slice(1).map((r) => r.split(',')).map(([label, , x, y]) => [label, Number(x), y === '' ? null : Number(y)]);
    const chart = drawn.get('MSE per sample')!;
    expect(chart.type).toBe('line');
    const plotted = chart.data.datasets.flatMap((d) => d.data.map((p) => [d.label, (p as { x: number }).x, (p as { y: number | null }).y]));
    // two runs, raw and smoothed, 300 batches each, and the constant predictor's line
    expect(plotted.length).toBeGreaterThan(4 * 300);
    expect(exported).toEqual(plotted);
    expect(rows.length - 1).toBe(Number(cost.attributes('data-points')));
    w.unmount();
  });
});

describe('renderer/components/CompareView of two losses', () => {
  it('draws a cost chart per loss, each saying where the other runs are (a sweep over task drew sse and cross-entropy on one axis)', async () => {
    const circle = { task: 'circle' as const, shape: [2, 8, 8, 2], loss: 'cross-entropy' as const, outputActivation: 'softmax' as const };
    const cost = [{ name: 'cost', dtype: 'f64', length: 300, shape: [300] }] as RunRecord['series'];
    const recs = new Map<number, RunRecord>([
      [1, { ...record(summary(1)), series: cost }],
      [2, { ...record(summary(2, circle)), series: cost }],
    ]);
    setup({ 'runs/get': runsGet(recs) });
    selection.value = [1, 2];
    await flush(10);
    const w = mount(CompareView);
    await flush();
    expect(w.find('[data-chart="cost"]').exists()).toBe(false);
    const charts = w.findAll('[data-testid="cost-charts"] [data-chart]');
    expect(charts.map((c) => c.attributes('data-chart'))).toEqual(['cost-sse', 'cost-cross-entropy']);
    expect(charts.map((c) => c.attributes('data-legend'))).toEqual(['#1 sincos · shape [1, 16, 2] · output seed · sse|constant predictor (r² = 0)', '#2 circle · shape [2, 8, 8, 2] · output softmax · cross-entropy']);
    expect(charts[0].find('[data-testid="chart-notes"]').text()).toContain('run #2 trains on cross-entropy, another unit: it is in its own chart, Cross-entropy per sample');
    expect(charts[1].find('[data-testid="chart-notes"]').text()).toContain('run #1 trains on sse (squared error), another unit: it is in its own chart, MSE per sample');
    // each under its own reading note: the constant predictor's line is the regression's
    expect(charts[0].text()).toContain('Dashed: the best constant predictor’s error');
    expect(charts[1].text()).not.toContain('Dashed: the best constant predictor’s error');
    expect(charts[1].text()).toContain('Classification runs are judged on their held-out test points');
    // the panel is still one panel of the registry, drawn once
    expect(w.findAll('[data-panel="cost"]')).toHaveLength(1);
    w.unmount();
  });
});

describe('renderer/components/CompareView panels', () => {
  it('draws the panels of the registry that have a view, in its order, each once', async () => {
    setup();
    selection.value = [1, 2];
    await flush(10);
    const w = mount(CompareView);
    await flush();
    const views = app.cmp.comparison.value!.views;
    const drawnPanels = w.findAll('[data-panel]').map((e) => e.attributes('data-panel'));
    expect(drawnPanels).toEqual(PANELS.map((p) => p.id).filter((id) => id in views));
    // two runs, one seed each: the cost, the fits, the tables, their networks; no strip, map or paired comparison (and no test-set view: a drawn regression)
    expect(drawnPanels).toEqual(['cost', 'fits', 'replicates', 'config-diff', 'timing', 'honest-timing', 'diagnostics', 'network']);
    // the half-width panels share a row
    expect(w.find('.two [data-panel="config-diff"]').exists()).toBe(true);
    w.unmount();
  });
});

describe('renderer/components/CompareView replicates', () => {
  it('runs a configuration with 10 more seeds and adds them to the comparison', async () => {
    const asked: unknown[] = [];
    setup({
      'runs/replicate': (req) => {
        asked.push(req);
        return { experimentId: 1, runIds: Array.from({ length: 10 }, (_, i) => 3 + i) };
      },
    });
    selection.value = [1, 2];
    await flush(10);
    const w = mount(CompareView);
    await flush();
    await w.find('button[aria-label="+10 seeds for sigmoid"]').trigger('click');
    await flush();
    expect(asked).toEqual([{ id: 2, k: 10 }]);
    expect(selection.value).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    w.unmount();
  });
});

describe('renderer/components/CompareView of runs with no curve', () => {
  it('says which runs have no curve yet (queued) and which never will (ended before their first batch)', async () => {
    // #1 trained; #2 is queued; #3 was interrupted and #4 cancelled before their first batch
    const cost = [{ name: 'cost', dtype: 'f64' as const, length: 300, shape: [300] }];
    const recs = new Map<number, RunRecord>([
      [1, { ...record(summary(1)), series: cost }],
      [2, { ...record(summary(2, { initSeed: 2 }, { status: 'queued', batchesRun: 0, finishedAt: null })), series: [] }],
      [3, { ...record(summary(3, { initSeed: 3 }, { status: 'interrupted', batchesRun: 0 })), series: [] }],
      [4, { ...record(summary(4, { initSeed: 4 }, { status: 'cancelled', batchesRun: 0 })), series: [] }],
    ]);
    app = setupApp({
      'runs/get': runsGet(recs),
      'runs/series': (): { series: Record<string, WireSeries> } => ({ series: { cost: { shape: [300], data: Array.from({ length: 300 }, (_, i) => 30 / (i + 1)), length: 300 } } }),
    });
    selection.value = [1, 2, 3, 4];
    const w = mount(CompareView);
    await flush(10);
    const count = w.find('[data-testid="compare-count"]');
    expect(count.text()).toBe('4 runs in 1 configuration (1 without a curve yet; 2 ended without a curve)');
    expect(count.attributes('title')).toBe('Run #2 has not trained a batch yet: it draws its curve once it does. Runs #3, #4 ended before their first batch: they are counted here and in the tables, and draw no curve.');
    w.unmount();
  });
});

describe('renderer/components/CompareView while runs load', () => {
  it('shows no reading, rates, map or paired comparison until every run is in, and says how many are', async () => {
    // 3 seeds each of relu and sigmoid; the sigmoid runs, added to the comparison after the relu ones, arrive late
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const recs = new Map<number, RunRecord>(
      [1, 2, 3, 4, 5, 6].map((id) => [id, { ...record(summary(id, { activation: id <= 3 ? 'relu' : 'sigmoid', initSeed: id % 3 })), series: [] }]),
    );
    app = setupApp({
      'runs/get': async (req) => {
        if (req.id > 3) await gate;
        return { run: recs.get(req.id)! };
      },
    });
    selection.value = [1, 2, 3];
    const w = mount(CompareView);
    await flush(10);
    selection.value = [1, 2, 3, 4, 5, 6];
    await flush(10);
    expect(w.find('[data-testid="partial"]').text()).toContain('partial: 3 of 6 runs loaded');
    expect(w.find('[data-testid="compare-count"]').text()).toBe('loading: 3 of 6 runs');
    expect(w.find('[data-testid="reading"]').exists()).toBe(false);
    expect(w.find('[data-testid="replicate-summary"]').exists()).toBe(false);
    expect(w.find('[data-testid="paired-panel"]').exists()).toBe(false);
    release();
    await flush(10);
    expect(w.find('[data-testid="partial"]').exists()).toBe(false);
    expect(w.find('[data-testid="compare-count"]').text()).toBe('6 runs in 2 configurations (6 ended without a curve)');
    expect(w.find('[data-testid="replicate-summary"]').exists()).toBe(true);
    expect(w.find('[data-testid="reading"]').exists()).toBe(true);
    w.unmount();
  });
});

describe('renderer/components/CompareView of many runs', () => {
  it('mounts the runs’ chips only when “the N runs” is opened (72 chips, 254 elements, were built folded away on every open)', async () => {
    const cost = [{ name: 'cost', dtype: 'f64' as const, length: 300, shape: [300] }];
    const ids = Array.from({ length: 13 }, (_, i) => i + 1);
    const recs = new Map<number, RunRecord>(ids.map((id) => [id, { ...record(summary(id, { initSeed: id })), series: cost }]));
    app = setupApp({
      'runs/get': runsGet(recs),
      'runs/series': (): { series: Record<string, WireSeries> } => ({ series: { cost: { shape: [300], data: Array.from({ length: 300 }, (_, i) => 30 / (i + 1)), length: 300 } } }),
    });
    selection.value = ids;
    const w = mount(CompareView, { attachTo: document.body });
    await flush(10);
    const many = w.find('details.many');
    expect(many.find('summary').text()).toBe('the 13 runs');
    expect(w.findAll('[data-chip]')).toHaveLength(0);
    (many.element as HTMLDetailsElement).open = true;
    await many.trigger('toggle');
    expect(w.findAll('[data-chip]').map((e) => e.attributes('data-chip'))).toEqual(ids.map(String));
    // folded again, they go again (they were never seen meanwhile)
    (many.element as HTMLDetailsElement).open = false;
    await many.trigger('toggle');
    expect(w.findAll('[data-chip]')).toHaveLength(0);
    w.unmount();
  });
});
