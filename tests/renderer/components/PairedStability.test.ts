// @vitest-environment happy-dom
import { mount } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, h } from 'vue';
import type { WireSeries } from '@main/api/contract';
import type { RunRecord } from '@main/db/types';
import type { RunSpec } from '@main/trainer/spec';
import CompareView from '../../../src-renderer/src/components/CompareView.vue';
import PairedPanel from '../../../src-renderer/src/components/PairedPanel.vue';
import StabilityPanel from '../../../src-renderer/src/components/StabilityPanel.vue';
import { selection } from '../../../src-renderer/src/composables/useNav';
import { flush, record, runsGet, summary } from '../helpers/fake-lab';
import { setupApp } from '../helpers/mount';

vi.mock('vue-chartjs', () => ({ Chart: defineComponent({ setup: () => () => h('canvas') }) }));

let app: ReturnType<typeof setupApp>;
afterEach(() => {
  app?.close();
  vi.restoreAllMocks();
});

const BATCHES = 50;

/** Runs with their final costs (test MSE = final cost / 32) and a cost curve that falls to the final cost: lossA − lossB is known. */
function setup(runs: { id: number; spec: Partial<RunSpec>; final: number }[]) {
  const recs = new Map<number, RunRecord>();
  const curves = new Map<number, number[]>();
  for (const r of runs) {
    const s = summary(r.id, { batches: BATCHES, ...r.spec }, { finalCost: r.final, finalMse: r.final / 32, testMse: r.final / 32 });
    recs.set(r.id, { ...record(s), series: [{ name: 'cost', dtype: 'f64', length: BATCHES, shape: [BATCHES] }] });
    curves.set(
      r.id,
      Array.from({ length: BATCHES }, (_, i) => r.final + (BATCHES - 1 - i) * 0.1),
    );
  }
  app = setupApp({
    'runs/get': runsGet(recs),
    'runs/series': (req): { series: Record<string, WireSeries> } => (req.names?.includes('cost') ? { series: { cost: { shape: [BATCHES], data: curves.get(req.id)!, length: BATCHES } } } : { series: {} }),
  });
  selection.value = runs.map((r) => r.id);
}

function captureDownloads(): { blobs: Blob[]; names: string[] } {
  const out = { blobs: [] as Blob[], names: [] as string[] };
  vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => {
    out.blobs.push(b as Blob);
    return 'blob:test';
  });
  vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
  const click = HTMLAnchorElement.prototype.click;
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    out.names.push(this.download);
    return undefined as unknown as ReturnType<typeof click>;
  });
  return out;
}

describe('renderer/components/PairedPanel', () => {
  it('shows the paired numbers, the loss-difference chart and what differs for two configurations with matching seeds', async () => {
    // relu ends at 0.1 and 0.2, sigmoid at 2.0 and 2.4 with the same seeds: differences −1.9 and −2.2, per sample (÷ 32) −0.059375 and −0.06875
    setup([
      { id: 1, spec: { activation: 'relu', initSeed: 2 }, final: 0.1 },
      { id: 2, spec: { activation: 'relu', initSeed: 3 }, final: 0.2 },
      { id: 3, spec: { activation: 'sigmoid', initSeed: 2 }, final: 2.0 },
      { id: 4, spec: { activation: 'sigmoid', initSeed: 3 }, final: 2.4 },
    ]);
    await flush(10);
    const w = mount(CompareView);
    await flush();
    const panel = w.find('[data-testid="paired-panel"]');
    expect(panel.exists()).toBe(true);
    expect(panel.attributes('data-pairs')).toBe('2');
    expect(panel.find('[data-testid="paired-median"] .value').text()).toBe('−0.0641');
    expect(panel.find('[data-testid="paired-wins"] .value').text()).toBe('2 of 2 pairs');
    expect(panel.find('[data-testid="paired-reading"]').text()).toMatch(/relu ends with the lower test MSE/);
    expect(panel.findAll('[data-paired-diff]').map((e) => e.attributes('data-paired-diff'))).toEqual(['activation']);
    const chart = panel.find('[data-chart="loss-difference"]');
    // median, zero line, band: 50 + 2 + 50 + 50 points
    expect(chart.attributes('data-points')).toBe(String(3 * BATCHES + 2));
    expect(chart.attributes('data-legend')).toBe('relu − sigmoid, median over 2 pairs');
    // no stability map: one field varies
    expect(w.find('[data-testid="stability-map"]').exists()).toBe(false);
    // the chart's CSV holds the plotted difference: at the last batch, the median of −1.9 and −2.2
    const dl = captureDownloads();
    await chart.find('[data-export="csv"]').trigger('click');
    const rows = (await dl.blobs[0].text()).trimEnd().split('\r\n');
    expect(rows[0]).toBe('series,role,batch,"MSE per sample, A − B (same seeds)",config_a,config_b,run_ids_a,run_ids_b');
    expect(rows[BATCHES]).toBe(`"relu − sigmoid, median over 2 pairs",centre,50,${(-1.9 / 32 + -2.2 / 32) / 2},relu,sigmoid,1 2,3 4`);
    // swapped: sigmoid − relu
    await panel.find('[data-action="swap-paired"]').trigger('click');
    await flush();
    expect(w.find('[data-testid="paired-median"] .value').text()).toBe('0.0641');
    expect(w.find('[data-chart="loss-difference"]').attributes('data-legend')).toBe('sigmoid − relu, median over 2 pairs');
    w.unmount();
  });

  it('stays away without pairs: different seeds, or a single pair', async () => {
    setup([
      { id: 1, spec: { activation: 'relu', initSeed: 2 }, final: 0.1 },
      { id: 2, spec: { activation: 'relu', initSeed: 3 }, final: 0.2 },
      { id: 3, spec: { activation: 'sigmoid', initSeed: 7 }, final: 2.0 },
      { id: 4, spec: { activation: 'sigmoid', initSeed: 3 }, final: 2.4 },
    ]);
    await flush(10);
    const w = mount(CompareView);
    await flush();
    expect(w.find('[data-testid="reading"]').exists()).toBe(true);
    expect(w.find('[data-testid="paired-panel"]').exists()).toBe(false);
    w.unmount();
  });
});

describe('renderer/components/StabilityPanel', () => {
  const grid = () => {
    let id = 0;
    const runs: { id: number; spec: Partial<RunSpec>; final: number }[] = [];
    for (const activation of ['relu', 'sigmoid'] as const)
      for (const eps of [0.1, 0.5])
        for (const initMean of [0, -eps])
          for (const initSeed of [2, 3]) runs.push({ id: ++id, spec: { activation, eps, initMean, initSeed }, final: activation === 'relu' && initMean < 0 ? 32 : eps === 0.5 ? 1 + initSeed / 10 : 0.1 * initSeed });
    return runs;
  };

  it('draws one map per activation over eps × init mean/eps, cells coloured and labelled with the median test MSE and k/n learned', async () => {
    setup(grid());
    await flush(20);
    const w = mount(CompareView);
    await flush();
    const map = w.find('[data-testid="stability-map"]');
    expect(map.exists()).toBe(true);
    expect(map.attributes('data-x')).toBe('eps');
    expect(map.attributes('data-y')).toBe('initMean/eps');
    expect(map.attributes('data-maps')).toBe('2');
    expect(map.attributes('data-cells')).toBe('8');
    expect(map.findAll('figcaption').map((f) => f.text())).toEqual(['activation=relu', 'activation=sigmoid']);
    const relu = map.findAll('figure')[0];
    // rows: init mean / eps −1 then 0; columns: eps 0.1, 0.5
    const cell = (i: number, j: number) => relu.find(`[data-cell="${i},${j}"]`);
    // test MSE = final / 32: relu at −eps 1 (learned nothing), eps 0.1 mean 0: 0.2/32 and 0.3/32 (r² 0.92 and 0.88)
    expect(cell(0, 0).text()).toBe('10/2 learned');
    expect(cell(1, 0).text()).toBe('0.007811/2 learned');
    expect(cell(1, 1).attributes('aria-label')).toBe('init mean / eps 0, eps 0.5 (activation=relu): median test MSE 0.0391, 0 learned, 2 underfit, 0 learned nothing of 2; runs #5, #6');
    expect(cell(0, 0).attributes('tabindex')).toBe('0');
    // high cost is yellow with dark text, low cost dark with white text
    expect(cell(0, 0).attributes('style')).toMatch(/background: (#fde725|rgb\(253, 231, 37\)); color: (#111111|rgb\(17, 17, 17\))/);
    expect(cell(1, 0).attributes('style')).toMatch(/color: (#ffffff|rgb\(255, 255, 255\))/);
    w.unmount();
  });

  it('exports the map as SVG (with provenance), CSV of the cells and JSON', async () => {
    setup(grid());
    await flush(20);
    const w = mount(StabilityPanel, {
      props: {
        maps: (await import('@main/analysis/stability')).stabilityMaps(
          app.cmp.data.value.map((d) => d.run),
        )!,
        runs: [{ id: 1, configKey: 'k', spec: {}, initSeed: 2, dataSeed: 1, appVersion: '0.1.0', status: 'done' }],
      },
    });
    const dl = captureDownloads();
    await w.find('[data-export="svg"]').trigger('click');
    await w.find('[data-export="csv"]').trigger('click');
    await w.find('[data-export="json"]').trigger('click');
    await flush();
    expect(dl.names).toEqual(['nnlab_stability-map_runs-1.svg', 'nnlab_stability-map_runs-1.csv', 'nnlab_stability-map_runs-1.json']);
    const svg = await dl.blobs[0].text();
    expect(svg).toContain('<metadata id="nnlab-provenance">');
    expect(svg).toContain('>Stability map: init mean / eps × eps</text>');
    expect(svg.match(/<g class="cell">/g)).toHaveLength(8);
    expect(svg).toContain('>0/2 learned</text>');
    const csv = (await dl.blobs[1].text()).trimEnd().split('\r\n');
    expect(csv[0]).toBe('activation,initMean/eps,eps,median_test_mse,learned,underfit,learned_nothing,diverged,n,pending,not_counted,run_ids');
    expect(csv).toHaveLength(1 + 8);
    expect(csv[1]).toBe('relu,-1,0.1,1,0,0,2,0,2,0,0,3 4');
    const json = JSON.parse(await dl.blobs[2].text());
    expect(json.chart).toMatchObject({ id: 'stability-map', kind: 'heatmap', x: { label: 'eps' }, y: { label: 'initMean/eps' } });
    expect(json.maps).toHaveLength(2);
    expect(json.runs[0].id).toBe(1);
    w.unmount();
  });
});

describe('renderer/components/PairedPanel with several configurations', () => {
  it('lets A and B be any two configurations', async () => {
    setup([
      { id: 1, spec: { learningRate: 1, initSeed: 2 }, final: 0.1 },
      { id: 2, spec: { learningRate: 1, initSeed: 3 }, final: 0.2 },
      { id: 3, spec: { learningRate: 0.5, initSeed: 2 }, final: 0.4 },
      { id: 4, spec: { learningRate: 0.5, initSeed: 3 }, final: 0.5 },
      { id: 5, spec: { learningRate: 0.1, initSeed: 2 }, final: 2.5 },
      { id: 6, spec: { learningRate: 0.1, initSeed: 3 }, final: 2.6 },
    ]);
    await flush(10);
    const w = mount(CompareView);
    await flush();
    const panel = w.findComponent(PairedPanel);
    expect(panel.find('[data-testid="paired-median"] .value').text()).toBe('−0.00938');
    const b = panel.find('select[data-control="paired-b"]');
    const options = b.findAll('option');
    expect(options.map((o) => o.text())).toEqual(['lr 1', 'lr 0.5', 'lr 0.1']);
    await b.setValue(options[2].element.value);
    await flush();
    expect(w.find('[data-testid="paired-median"] .value').text()).toBe('−0.075');
    expect(w.find('[data-chart="loss-difference"]').attributes('data-legend')).toBe('lr 1 − lr 0.1, median over 2 pairs');
    // choosing B's configuration as A swaps them
    await w.find('select[data-control="paired-a"]').setValue(options[2].element.value);
    await flush();
    expect(w.find('[data-testid="paired-median"] .value').text()).toBe('0.075');
    w.unmount();
  });

  it('refuses, saying why, a B that shares no seeds with A and an A that pairs with nothing (choosing such a B emptied the panel)', async () => {
    setup([
      { id: 1, spec: { learningRate: 1, initSeed: 2 }, final: 0.1 },
      { id: 2, spec: { learningRate: 1, initSeed: 3 }, final: 0.2 },
      { id: 3, spec: { learningRate: 0.5, initSeed: 2 }, final: 0.4 },
      { id: 4, spec: { learningRate: 0.5, initSeed: 3 }, final: 0.5 },
      { id: 5, spec: { learningRate: 0.1, initSeed: 7 }, final: 2.5 },
      { id: 6, spec: { learningRate: 0.1, initSeed: 8 }, final: 2.6 },
    ]);
    await flush(10);
    const w = mount(CompareView);
    await flush();
    const panel = w.findComponent(PairedPanel);
    const said = (side: string) => panel.findAll(`select[data-control="paired-${side}"] option`).map((o) => [o.text(), o.attributes('disabled') !== undefined]);
    expect(said('a')).toEqual([['lr 1', false], ['lr 0.5', false], ['lr 0.1 — pairs with no other configuration here', true]]);
    expect(said('b')).toEqual([['lr 1', false], ['lr 0.5', false], ['lr 0.1 — no ended run has A’s init and data seeds', true]]);
    w.unmount();
  });
});
