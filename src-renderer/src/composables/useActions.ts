/**
 * The one-click actions of the start screen: the seed's experiment and the exercise presets.
 * Each starts its runs and opens the comparison of them (which fills in as they finish).
 */
import { ref } from 'vue';
import type { Preset } from '@main/analysis/presets';
import { useLab } from './useLab';
import { go } from './useNav';
import { useRuns } from './useRuns';

export const actionError = ref<string | null>(null);
export const actionBusy = ref<string | null>(null);

async function busy<T>(what: string, fn: () => Promise<T>): Promise<T | null> {
  actionError.value = null;
  actionBusy.value = what;
  try {
    return await fn();
  } catch (e) {
    actionError.value = (e as Error).message;
    return null;
  } finally {
    actionBusy.value = null;
  }
}

export function runSeedExperiment(): Promise<number | null> {
  const lab = useLab();
  return busy('seed', async () => {
    const { spec } = await lab.loadDefaults();
    const { runId } = await lab.client.call('runs/start', { spec, tags: ['seed'] });
    useRuns().refreshSoon();
    go('compare', [runId]);
    return runId;
  });
}

export function startPreset(preset: Preset): Promise<number[] | null> {
  const lab = useLab();
  return busy(preset.name, async () => {
    const { runIds } = await lab.client.call('sweeps/start', { sweep: preset.sweep });
    useRuns().refreshSoon();
    go('compare', runIds);
    return runIds;
  });
}
