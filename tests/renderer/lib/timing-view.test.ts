import { describe, expect, it } from 'vitest';
import { pointCount } from '../../../src-renderer/src/lib/chart-model';
import { chartToCsv } from '../../../src-renderer/src/lib/exports';
import { slot, statText, timingView } from '../../../src-renderer/src/lib/timing-view';
import { timingRecord } from '../helpers/timing-fixture';

const rec = timingRecord();
const styles = new Map([
  [rec.configKeys[0], { label: 'relu', color: '#111111' }],
  [rec.configKeys[1], { label: 'sigmoid', color: '#222222' }],
]);

describe('renderer/lib/timing-view', () => {
  it('places the configurations side by side in each category', () => {
    expect(slot(1, 0, 1)).toBe(1);
    expect(slot(1, 0, 2)).toBeCloseTo(0.72);
    expect(slot(1, 1, 2)).toBeCloseTo(1.28);
  });

  it('draws a box per configuration and phase: IQR band, median bar, the repeats as dots', () => {
    const v = timingView(rec, styles, [], ['#000000']);
    const m = v.phases;
    expect(m.x.categories).toEqual(['forward', 'backward', 'update']);
    expect(m.y).toMatchObject({ label: 'µs per sample', min: 0 });
    // one legend entry per configuration, in the comparison's labels and colours
    expect(m.series.filter((s) => s.legend !== false).map((s) => [s.label, s.color])).toEqual([
      ['relu', '#111111'],
      ['sigmoid', '#222222'],
    ]);
    // relu forward: 1 2 3 4 → q1 1.75, median 2.5, q3 3.25, at x = slot(0, 0, 2)
    const x = slot(0, 0, 2);
    const q1 = m.series.find((s) => s.id.endsWith('-forward-q1') && s.color === '#111111')!;
    const q3 = m.series.find((s) => s.id.endsWith('-forward-q3') && s.color === '#111111')!;
    const med = m.series.find((s) => s.id.endsWith('-forward-median') && s.color === '#111111')!;
    const dots = m.series.find((s) => s.id.endsWith('-forward-repeats') && s.color === '#111111')!;
    expect(q1.role).toBe('band-lo');
    expect(q3).toMatchObject({ role: 'band-hi', fillTo: q1.id });
    expect(q1.points.map((p) => p.y)).toEqual([1.75, 1.75]);
    expect(q3.points.map((p) => p.y)).toEqual([3.25, 3.25]);
    expect(med.points.map((p) => p.y)).toEqual([2.5, 2.5]);
    expect((med.points[0].x + med.points[1].x) / 2).toBeCloseTo(x);
    expect(dots.points.map((p) => p.y)).toEqual([1, 2, 3, 4]);
    // 2 configs × 3 phases × (2 + 2 + 2 + 4 points)
    expect(pointCount(m)).toBe(2 * 3 * 10);
    expect(chartToCsv(m).trimEnd().split('\r\n')).toHaveLength(1 + pointCount(m));
    expect(chartToCsv(m).split('\r\n')[0]).toBe('series,role,phase,µs per sample,config,measure,stat');
  });

  it('says a configuration on another loss was not timed to the MSE target, not that it never reached it (sincos beside circle)', () => {
    const circle = { ...rec.measurement.configs[1].spec, task: 'circle' as const, shape: [2, 8, 8, 2], loss: 'cross-entropy' as const, outputActivation: 'softmax' as const };
    const mixed = { ...rec, measurement: { ...rec.measurement, configs: [rec.measurement.configs[0], { ...rec.measurement.configs[0], spec: circle }] } };
    const v = timingView(mixed, styles, [], ['#000000']);
    expect(v.rows.map((r) => [r.label, r.reached, r.otherLoss ?? false])).toEqual([['relu', 4, false], ['sigmoid', 0, true]]);
    expect(v.warnings).toEqual(['sigmoid (cross-entropy) trains on another loss than the MSE target’s: no time to MSE 0.01.']);
    expect(v.perRun.notes).toContain('sigmoid (cross-entropy) trains on another loss than the MSE target’s: no time to MSE 0.01.');
    expect(v.perRun.series.filter((s) => s.id.includes('-target-')).every((s) => s.color === '#111111')).toBe(true);
  });

  it('names the target of configurations on cross-entropy alone in their loss (two circle configurations: “time to MSE 0.01”)', () => {
    const circle = { ...rec.measurement.configs[0].spec, task: 'circle' as const, shape: [2, 8, 8, 2], loss: 'cross-entropy' as const, outputActivation: 'softmax' as const };
    const ce = { ...rec, measurement: { ...rec.measurement, configs: rec.measurement.configs.map((c) => ({ ...c, spec: { ...circle, activation: c.spec.activation } })) } };
    const v = timingView(ce, styles, [], ['#000000']);
    expect(v.target).toBe('cross-entropy 0.01 per sample');
    expect(v.perRun.title).toBe('Honest timing: ms per run and to cross-entropy 0.01 per sample');
    expect(v.perRun.x.categories).toEqual(['wall time per run', 'time to cross-entropy 0.01 per sample']);
    expect(v.warnings).toEqual(['sigmoid did not reach cross-entropy 0.01 per sample within 300 batches: no time to target.']);
    // sse runs keep the MSE's name
    expect(timingView(rec, styles, [], ['#000000']).target).toBe('MSE 0.01');
  });

  it('shows wall time and time to target in ms, says when a configuration never reached the target, and carries how it was measured', () => {
    const v = timingView(rec, styles, [], ['#000000']);
    expect(v.perRun.x.categories).toEqual(['wall time per run', 'time to MSE 0.01']);
    // sigmoid never reached the target: no box there
    expect(v.perRun.series.filter((s) => s.id.includes('-target-')).every((s) => s.color === '#111111')).toBe(true);
    expect(v.warnings).toEqual(['sigmoid did not reach MSE 0.01 within 300 batches: no time to target.']);
    expect(v.how).toMatch(/^timing #7: 4 timed repeats of each configuration after 2 warm-up rounds, interleaved in one trainer process that ran alone, every batch timed; wasm-simd-f64; 2 cpus \(Test CPU\)/);
    expect(v.perRun.notes).toContain('boxes: interquartile range; bar: median; dots: the timed repeats; forward includes drawing the batch');
    expect(v.phases.notes?.join(' ')).toMatch(/relu: seeds 2\/1, 300 batches of 32/);
    expect(v.rows.map((r) => [r.label, r.reached, r.wallMs?.median])).toEqual([
      ['relu', 4, 11.5],
      ['sigmoid', 0, 23],
    ]);
    expect(statText(v.rows[0].forward)).toBe('2.5 (1.75–3.25)');
    // wall medians 23 against 11.5; relu's time to target 4 5 6 5 → median 5
    expect(v.reading).toBe('sigmoid takes 2× the wall time of relu per run (median 23 ms against 11.5 ms); relu reaches MSE 0.01 after 5 ms (batch 64), sigmoid does not reach MSE 0.01 within 300 batches.');
  });

  it('warns when the machine was busy', () => {
    const busy = { ...rec, environment: { ...rec.environment, loadAverage: { start: 1.9, end: 2.4 } } };
    expect(timingView(busy, styles, [], ['#000000']).warnings.join(' ')).toMatch(/The machine was busy \(load average 2\.4 on 2 cpus\)/);
  });
});
