/**
 * Step-through of one live run (issue 15): pause, step 1 or N batches, resume, through the lab's
 * runs/control; the paused points seen (lib/step-through), the run's state as its events say
 * (run/paused, run/resumed, run/finished), and the lab's refusal in words when a request cannot
 * be done (a run that has just ended). A run/paused event the page did not ask for (a run started
 * paused, a pause from another window) is followed by a pause request, which answers at once with
 * the weights.
 */
import { computed, type ComputedRef, type Ref, ref, shallowRef, type ShallowRef, watch } from 'vue';
import type { WireStepAnswer } from '@main/api/contract';
import type { RunSpec } from '@main/trainer/spec';
import { lastMove, type LastMove, pointOf, type StepPoint, withPoint } from '../lib/step-through';
import type { Lab } from './useLab';

export type StepState = 'waiting' | 'running' | 'paused' | 'ended';

export interface StepThrough {
  state: Ref<StepState>;
  points: ShallowRef<StepPoint[]>;
  last: ComputedRef<StepPoint | null>;
  move: ComputedRef<LastMove | null>;
  busy: Ref<boolean>;
  /** The lab's last refusal or failure, in words (cleared by the next request). */
  error: Ref<string | null>;
  pause(): Promise<void>;
  step(batches: number): Promise<void>;
  resume(): Promise<void>;
  /**
   * For a run started paused: asks where it waits until the lab answers with its weights (its
   * run/paused may have gone out before this page knew the run: a free trainer takes it at once).
   * Quiet while the run still waits for a trainer process.
   */
  settle(): Promise<void>;
  close(): void;
}

export function useStepThrough(lab: Lab, runId: Ref<number | null>, spec: Ref<RunSpec | null>): StepThrough {
  const state = ref<StepState>('waiting');
  const points = shallowRef<StepPoint[]>([]);
  const busy = ref(false);
  const error = ref<string | null>(null);
  const last = computed(() => points.value[points.value.length - 1] ?? null);
  const move = computed(() => (spec.value ? lastMove(spec.value, points.value) : null));

  const take = (id: number, a: WireStepAnswer) => {
    if (runId.value !== id) return;
    if (a.state === 'paused') {
      points.value = withPoint(points.value, pointOf(a.at));
      state.value = 'paused';
    } else state.value = a.state;
  };
  const request = async (action: 'pause' | 'step' | 'resume', batches?: number) => {
    const id = runId.value;
    if (id === null) return;
    busy.value = true;
    error.value = null;
    try {
      take(id, await lab.client.call('runs/control', batches === undefined ? { id, action } : { id, action, batches }));
    } catch (e) {
      error.value = (e as Error).message;
    } finally {
      busy.value = false;
    }
  };

  let closed = false;
  const settle = async () => {
    for (let i = 0; i < 40 && !closed && points.value.length === 0 && state.value !== 'ended'; i++) {
      const id = runId.value;
      if (id === null) return;
      if (!busy.value) {
        try {
          take(id, await lab.client.call('runs/control', { id, action: 'pause' }));
          return;
        } catch {
          // not taken by a trainer process yet: ask again shortly
        }
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  };

  const stopRun = watch(runId, () => {
    state.value = 'waiting';
    points.value = [];
    error.value = null;
  });
  const off = lab.on((e) => {
    if (!('runId' in e) || e.runId !== runId.value) return;
    // its start may have come before this page knew the run's id: its progress says it trains
    if ((e.type === 'run/started' || e.type === 'run/progress') && state.value === 'waiting') state.value = 'running';
    else if (e.type === 'run/resumed') state.value = 'running';
    else if (e.type === 'run/finished') state.value = 'ended';
    else if (e.type === 'run/paused') {
      state.value = 'paused';
      // a pause the page did not ask for: fetch its weights (a pause of a paused run answers at once)
      if (!busy.value && last.value?.batch !== e.batchesDone) void request('pause');
    }
  });

  return {
    state,
    points,
    last,
    move,
    busy,
    error,
    pause: () => request('pause'),
    step: (batches) => request('step', batches),
    resume: () => request('resume'),
    settle,
    close() {
      closed = true;
      off();
      stopRun();
    },
  };
}
