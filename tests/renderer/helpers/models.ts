/** A small chart model for export and drawing tests: a smoothed curve over its faint raw one, a gap, and a second run. */
import type { ChartModel } from '../../../src-renderer/src/lib/chart-model';

export const model: ChartModel = {
  id: 'cost',
  title: 'Cost per batch',
  kind: 'line',
  x: { label: 'batch' },
  y: { label: 'cost (squared error of the batch)', log: true },
  series: [
    { id: 'a', label: '#1 relu', color: '#1f6fd1', role: 'smoothed', points: [{ x: 1, y: 3 }, { x: 2, y: 2 }, { x: 3, y: null }], meta: { run_id: 1, activation: 'relu' } },
    { id: 'a-raw', label: '#1 relu (raw)', color: '#1f6fd1', role: 'raw', opacity: 0.2, legend: false, points: [{ x: 1, y: 3 }, { x: 2, y: 1 }, { x: 3, y: null }], meta: { run_id: 1, activation: 'relu' } },
    { id: 'b', label: '#2 sigmoid, "slow"', color: '#d1495b', role: 'line', points: [{ x: 1, y: 4 }, { x: 2, y: 3.5 }], meta: { run_id: 2, activation: 'sigmoid' } },
  ],
  runs: [
    { id: 1, configKey: 'k1', spec: { activation: 'relu' }, initSeed: 2, dataSeed: 1, appVersion: '0.1.0', status: 'done' },
    { id: 2, configKey: 'k2', spec: { activation: 'sigmoid' }, initSeed: 2, dataSeed: 1, appVersion: '0.1.0', status: 'done' },
  ],
};
