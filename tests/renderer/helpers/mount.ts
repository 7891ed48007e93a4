/**
 * Component-test set-up: the app's stores over a fake lab, so components mount as in the app.
 * vue-chartjs is mocked by the tests themselves (chart.js needs a real canvas).
 * Each test starts from a clean page (no address, no selection, empty storage) and close() stops
 * every store it made: their debounced refreshes, lab listeners and address registrations would
 * otherwise outlive the test, and a later test of the same file would meet them (its runs store
 * reads the address an earlier test left, an earlier store answers the address for it).
 */
import { computed, ref } from 'vue';
import { DEFAULT_SPEC } from '@main/trainer/spec';
import { createCompareAddress } from '../../../src-renderer/src/composables/useCompareAddress';
import { createComparison, provideComparison } from '../../../src-renderer/src/composables/useComparison';
import { createLab, provideLab } from '../../../src-renderer/src/composables/useLab';
import { selection } from '../../../src-renderer/src/composables/useNav';
import { createRunForm, provideRunForm } from '../../../src-renderer/src/composables/useRunForm';
import { createRuns, provideRuns } from '../../../src-renderer/src/composables/useRuns';
import { createSweep, provideSweep } from '../../../src-renderer/src/composables/useSweep';
import { fakeClient, type Handlers, tableOver } from './fake-lab';

export function setupApp(handlers: Handlers = {}) {
  const client = fakeClient({
    'lab/status': () => ({ version: '0.1.0', poolSize: 1, queued: 0, running: 0, database: 'test.sqlite', readOnly: null, fault: null, journaled: [] }),
    'spec/defaults': () => ({ spec: DEFAULT_SPEC, choices: { task: ['sincos'], activation: ['relu', 'sigmoid'], outputActivation: ['seed', 'linear'], init: ['normal'], optimizer: ['sgd', 'momentum', 'adam'], dtype: ['float64', 'float32'] }, maxWeights: 1e6, version: '0.1.0' }),
    'spec/preview': () => ({ histogram: { edges: [-0.1, 0, 0.1], counts: [30, 36] }, deadAtInit: [3, 0], units: [16, 2], preActivation: [{ min: -0.2, mean: 0, max: 0.2 }, { min: 0, mean: 0.02, max: 0.04 }], probe: 'a 101-point grid over the input range', outOfReach: null }),
    'runs/list': () => ({ runs: [], total: 0 }),
    'runs/table': tableOver(() => []),
    'experiments/list': () => ({ experiments: [] }),
    'timings/list': () => ({ timings: [] }),
    'timings/active': () => ({ jobs: [] }),
    ...handlers,
  });
  const lab = createLab(client);
  provideLab(lab);
  localStorage.clear();
  window.location.hash = '';
  const runs = createRuns(lab);
  provideRuns(runs);
  const form = createRunForm(lab);
  provideRunForm(form);
  provideSweep(createSweep(lab, () => lab.defaults.value?.choices ?? {}));
  selection.value = [];
  const cmp = createComparison(lab, selection, ref('light'), computed(() => ({ truth: '#000000', muted: '#777777' })));
  provideComparison(cmp);
  const address = createCompareAddress(cmp);
  return {
    client,
    lab,
    runs,
    form,
    cmp,
    close() {
      address.close();
      for (const store of [cmp, form, runs, lab]) store.close(); // the sweep store keeps nothing running
      provideComparison(null);
      provideSweep(null);
      provideRunForm(null);
      provideRuns(null);
      provideLab(null);
      selection.value = [];
      window.location.hash = '';
    },
  };
}
