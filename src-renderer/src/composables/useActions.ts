/**
 * The one-click actions of the start screen: the seed's experiment and the exercise presets.
 * Each starts its runs and opens the comparison of them (which fills in as they finish); the
 * seed's experiment, already saved, is offered rather than trained again.
 */
import { ref } from 'vue';
import type { Preset } from '@main/analysis/presets';
import { useLab } from './useLab';
import { useCompareAddress } from './useCompareAddress';
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

/**
 * The saved run the seed's experiment would repeat (the start screen offers it: open it, or run
 * again), with how many more identical ones there are; null when none is offered.
 */
export const seedSaved = ref<{ id: number; more: number } | null>(null);

/**
 * Runs the seed's experiment and opens it in Compare. Unless `again`, a saved run of the same
 * spec, seeds and app version (the lab's runs/identical) is offered instead of training a
 * duplicate (seedSaved), and this resolves to null.
 */
export function runSeedExperiment(again = false): Promise<number | null> {
  const lab = useLab();
  seedSaved.value = null;
  return busy('seed', async () => {
    const { spec } = await lab.loadDefaults();
    if (!again) {
      const { runs } = await lab.client.call('runs/identical', { spec });
      if (runs.length) {
        seedSaved.value = { id: runs[0].id, more: runs.length - 1 };
        return null;
      }
    }
    const { runId } = await lab.client.call('runs/start', { spec, tags: ['seed'] });
    useRuns().refreshSoon();
    go('compare', [runId]);
    return runId;
  });
}

/** Starts an exercise's sweep and opens its comparison at its experiment's address (`#/compare?experiment=N`), as a sweep from the Sweep view does. */
export function startPreset(preset: Preset): Promise<number[] | null> {
  const lab = useLab();
  return busy(preset.name, async () => {
    const { experimentId, runIds } = await lab.client.call('sweeps/start', { sweep: preset.sweep });
    useRuns().refreshSoon();
    await useCompareAddress().openExperiment(experimentId);
    return runIds;
  });
}
