/**
 * The renderer's entry: connects to the lab (preload IPC in Electron, HTTP + SSE in a browser),
 * creates the app's stores, follows the system theme and the address hash, and mounts the app.
 */
import { type App as VueApp, computed, createApp } from 'vue';
import App from './App.vue';
import { createClient } from './api/client';
import { handleAppCommands } from './composables/useAppCommands';
import { createCompareAddress } from './composables/useCompareAddress';
import { createComparison, provideComparison } from './composables/useComparison';
import { createLab, provideLab } from './composables/useLab';
import { go, hashHasView, reportBusy, selection, syncWithHash } from './composables/useNav';
import { createRunForm, provideRunForm } from './composables/useRunForm';
import { createRuns, provideRuns } from './composables/useRuns';
import { createSweep, provideSweep } from './composables/useSweep';
import { chartTheme, effectiveTheme, initTheme } from './composables/useTheme';
import './styles.css';

initTheme();
let app: VueApp | null = null;
let stale = false;
// a page from another build than the running `nnlab serve`: nothing it asks can be trusted, so the
// whole page says what to do (once, however many calls were refused)
const client = createClient((message) => {
  if (stale) return;
  stale = true;
  app?.unmount();
  app = createApp(App, { fatal: message });
  app.mount('#app');
});
if ('error' in client) {
  createApp(App, { fatal: client.error }).mount('#app');
} else {
  const lab = createLab(client);
  // the desktop menu's commands (no such events in browser mode)
  client.onEvent(handleAppCommands);
  provideLab(lab);
  const runs = createRuns(lab);
  provideRuns(runs);
  const runForm = createRunForm(lab);
  provideRunForm(runForm);
  provideSweep(createSweep(lab, () => lab.defaults.value?.choices ?? {}));
  const colors = computed(() => ({ truth: chartTheme.value.truth, muted: chartTheme.value.muted }));
  const comparison = createComparison(lab, selection, effectiveTheme, colors);
  provideComparison(comparison);
  // <main aria-busy> while the view shown is loading
  reportBusy('compare', () => comparison.busy.value);
  reportBusy('runs', () => runs.loading.value);
  // New run's form until its defaults are in ('Loading the spec defaults…'; not once their load failed), and while the init preview is fetched ('updating…')
  reportBusy('new', () => (!runForm.ready.value && !runForm.generalError.value) || runForm.previewLoading.value);
  // #/compare?experiment=N and the comparison's options in the address
  createCompareAddress(comparison);
  const reload = hashHasView();
  syncWithHash();
  void lab.refreshStatus();
  void lab.loadDefaults().catch(() => undefined);
  void runs.refresh().then(() => {
    if (!reload) go(runs.allTotal.value === 0 ? 'start' : 'runs');
  });
  app = createApp(App);
  app.mount('#app');
}
