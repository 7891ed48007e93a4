// @vitest-environment happy-dom
/** Compare's honest timing, gradient norms and re-run badges, over a fake lab. */
import { mount } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, h } from 'vue';
import { LabApiError, type WireSeries } from '@main/api/contract';
import type { RunRecord, TimingRecord, Verification } from '@main/db/types';
import CompareView from '../../../src-renderer/src/components/CompareView.vue';
import { selection } from '../../../src-renderer/src/composables/useNav';
import { flush, record, runsGet, summary } from '../helpers/fake-lab';
import { setupApp } from '../helpers/mount';
import { RELU, timingRecord } from '../helpers/timing-fixture';
import { DEFAULT_SPEC, type RunSpec } from '@main/trainer/spec';

vi.mock('vue-chartjs', () => ({ Chart: defineComponent({ setup: () => () => h('canvas') }) }));

let app: ReturnType<typeof setupApp>;
afterEach(() => {
  app?.close();
  vi.restoreAllMocks();
});

const ws = (shape: number[], data: (number | null)[]): WireSeries => ({ shape, data, length: data.length });
const differs: Verification = { runId: 2, verdict: 'differs', firstDifferentBatch: 12, maxRelativeDifference: 2e-16, batches: 300, verifiedAt: 1_700_000_000_000, appVersion: '0.1.0', kernel: 'wasm-simd-f64' };

function setup(timings: TimingRecord[] = [], extra: Parameters<typeof setupApp>[0] = {}) {
  const recs = new Map<number, RunRecord>([
    [1, { ...record(summary(1)), series: [{ name: 'cost', dtype: 'f64', length: 300, shape: [300] }], verification: null }],
    [2, { ...record(summary(2, { activation: 'sigmoid' })), series: [{ name: 'cost', dtype: 'f64', length: 300, shape: [300] }], verification: differs }],
  ]);
  app = setupApp({
    'runs/get': runsGet(recs),
    'runs/series': (req): { series: Record<string, WireSeries> } =>
      req.names?.includes('cost')
        ? { series: { cost: ws([300], Array.from({ length: 300 }, (_, i) => 30 / (i + 1))) } }
        : { series: { checkpointBatches: ws([3], [0, 150, 300]), gradNorms: ws([3, 2], [null, null, 0.5 / req.id, 0.2 / req.id, 0.3 / req.id, 0.1 / req.id]) } },
    'timings/list': () => ({ timings }),
    ...extra,
  });
}

async function open(ids = [1, 2]) {
  selection.value = ids;
  await flush(10);
  const w = mount(CompareView);
  await flush();
  return w;
}

describe('renderer/components/HonestTiming', () => {
  it('shows the newest timing of the compared configurations: box plots per phase and per run, and the medians with their IQR', async () => {
    setup([timingRecord()]);
    const w = await open();
    const panel = w.find('[data-testid="honest-timing"]');
    expect(panel.text()).toContain('timing #7');
    const phases = panel.find('[data-chart="timing-phases"]');
    expect(phases.attributes('data-legend')).toBe('relu|sigmoid');
    expect(panel.find('[data-chart="timing-per-run"]').exists()).toBe(true);
    const rows = panel.findAll('[data-testid="honest-timing-table"] tbody tr');
    expect(rows.map((r) => r.attributes('data-timing-config'))).toEqual(['relu', 'sigmoid']);
    expect(rows[0].findAll('td')[1].text()).toBe('2.51.75–3.25');
    expect(rows[1].text()).toContain('not reached');
    expect(panel.text()).toMatch(/sigmoid did not reach MSE 0\.01/);
    expect(panel.find('[data-testid="timing-reading"]').text()).toMatch(/^sigmoid takes 2× the wall time of relu per run/);
    // its export is exactly what is plotted
    let blob: Blob | null = null;
    vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => {
      blob = b as Blob;
      return 'blob:test';
    });
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
    await phases.find('[data-export="csv"]').trigger('click');
    const csv = await (blob as unknown as Blob).text();
    expect(csv.trimEnd().split('\r\n').length - 1).toBe(Number(phases.attributes('data-points')));
    w.unmount();
  });

  it('says “another loss” in the table of a configuration on another loss beside sse ones, not “not reached” (sincos beside circle on cross-entropy)', async () => {
    const circle: RunSpec = { ...DEFAULT_SPEC, task: 'circle', shape: [2, 8, 8, 2], loss: 'cross-entropy', outputActivation: 'softmax' };
    const cost = [{ name: 'cost', dtype: 'f64' as const, length: 300, shape: [300] }];
    const recs = new Map<number, RunRecord>([
      [1, { ...record(summary(1)), series: cost, verification: null }],
      [2, { ...record(summary(2, circle)), series: cost, verification: null }],
    ]);
    setup([timingRecord(7, [RELU, circle])], { 'runs/get': runsGet(recs) });
    const w = await open();
    const rows = w.findAll('[data-testid="honest-timing-table"] tbody tr');
    expect(rows.map((r) => r.findAll('td')[6].text())).toEqual([expect.stringMatching(/ ms · batch 64/), 'another loss (cross-entropy)']);
    w.unmount();
  });

  it('times these configurations on request and follows the job to its stored result', async () => {
    const started: unknown[] = [];
    const lists: TimingRecord[][] = [[], [timingRecord(9)]];
    let calls = 0;
    setup([], {
      'timings/start': (req) => {
        started.push(req);
        return { jobId: 1 };
      },
      'timings/list': () => ({ timings: lists[Math.min(calls++, 1)] }),
    });
    const w = await open();
    const panel = () => w.find('[data-testid="honest-timing"]');
    expect(panel().text()).toContain('No honest timing of these configurations yet');
    await panel().find('[data-control="timing-repeats"]').setValue('5');
    await panel().find('[data-action="time-configs"]').trigger('click');
    await flush();
    expect(started).toHaveLength(1);
    const req = started[0] as { specs: { activation: string; initSeed: number }[]; repeats: number; warmup: number; targetMse: number };
    expect(req.specs.map((s) => [s.activation, s.initSeed])).toEqual([
      ['relu', 2],
      ['sigmoid', 2],
    ]);
    expect([req.repeats, req.warmup, req.targetMse]).toEqual([5, 2, 0.01]);
    const keys = timingRecord().configKeys;
    app.client.emit({ type: 'timing/queued', jobId: 1, configKeys: keys, experimentId: null });
    await flush();
    expect(panel().find('[data-testid="timing-job"]').text()).toMatch(/queued/);
    expect(panel().find('[data-action="time-configs"]').attributes('disabled')).toBeDefined();
    app.client.emit({ type: 'timing/started', jobId: 1 });
    app.client.emit({ type: 'timing/progress', jobId: 1, done: 3, total: 14 });
    await flush();
    expect(panel().find('[data-testid="timing-job"]').text()).toContain('3 of 14 trainings');
    app.client.emit({ type: 'timing/finished', jobId: 1, status: 'done', timingId: 9, error: null });
    await flush();
    expect(panel().find('[data-testid="timing-job"]').exists()).toBe(false);
    expect(panel().text()).toContain('timing #9');
    w.unmount();
  });

  it('says when the timing failed', async () => {
    setup();
    const w = await open();
    app.client.emit({ type: 'timing/queued', jobId: 5, configKeys: timingRecord().configKeys, experimentId: null });
    app.client.emit({ type: 'timing/finished', jobId: 5, status: 'failed', timingId: null, error: 'the trainer process exited with code 1' });
    await flush();
    expect(w.find('[data-testid="honest-timing"] [role="alert"]').text()).toBe('the timing failed: the trainer process exited with code 1');
    w.unmount();
  });
});

describe('renderer/components/CompareView gradient norms', () => {
  it('draws each run’s gradient norm per layer, log y, exportable', async () => {
    setup();
    const w = await open();
    const chart = w.find('[data-chart="grad-norms"]');
    expect(chart.attributes('data-legend')).toBe('#1 relu · hidden 1|#1 relu · output|#2 sigmoid · hidden 1|#2 sigmoid · output');
    expect(Number(chart.attributes('data-points'))).toBe(4 * 3);
    expect(chart.find('[data-export="svg"]').exists()).toBe(true);
    w.unmount();
  });
});

describe('renderer/components/VerifyBadge', () => {
  it('re-runs a run on request and shows the verdict; a stored check shows from the start', async () => {
    const asked: unknown[] = [];
    setup([], {
      'runs/verify': (req) => {
        asked.push(req);
        const v: Verification = { ...differs, runId: req.id, verdict: 'identical', firstDifferentBatch: null, maxRelativeDifference: 0 };
        return { report: { runId: req.id, verdict: 'identical', firstDifferentBatch: null, maxRelativeDifference: 0, batches: 300, stored: { appVersion: '0.1.0', kernel: 'js' }, replay: { appVersion: '0.1.0', kernel: 'js' } }, verification: v };
      },
    });
    const w = await open();
    const row = (id: number) => w.find(`[data-testid="diagnostics"] tr[data-run="${id}"]`);
    expect(row(2).find('[data-verdict]').text()).toBe('differs at batch 12');
    expect(row(2).find('[data-verdict]').attributes('title')).toMatch(/first different cost at batch 12 of 300/);
    expect(row(1).find('[data-verdict]').exists()).toBe(false);
    await row(1).find('[data-action="verify"]').trigger('click');
    await flush();
    expect(asked).toEqual([{ id: 1 }]);
    expect(row(1).find('[data-verdict="identical"]').text()).toBe('✓ identical');
    w.unmount();
  });

  it('shows the lab’s refusal', async () => {
    setup([], {
      'runs/verify': () => {
        throw new LabApiError({ name: 'UnavailableError', message: 'run 1 has no stored cost history to compare (status failed)' });
      },
    });
    const w = await open();
    await w.find('[data-testid="diagnostics"] tr[data-run="1"] [data-action="verify"]').trigger('click');
    await flush();
    expect(w.find('[data-testid="diagnostics"] tr[data-run="1"] [role="alert"]').text()).toMatch(/no stored cost history/);
    w.unmount();
  });
});
