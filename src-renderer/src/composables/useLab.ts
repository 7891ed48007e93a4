/**
 * The lab connection, once per app: the LabClient (IPC or HTTP, the components never know which),
 * one subscription to the lab's events fanned out to whoever listens, the lab status behind the
 * "● N running" indicator, the spec defaults, and the live cost points of runs in training.
 */
import { type Ref, ref, type ShallowRef, shallowRef, triggerRef } from 'vue';
import type { LabClient, LabEventWire, LabStatus, SpecDefaults } from '@main/api/contract';
import { decimate } from '../lib/series';
import type { LivePoints } from '../lib/compare/context';
import { appStore } from './app-store';

/** Live points kept per run before they are thinned (the stored series replaces them at the end). */
export const MAX_LIVE_POINTS = 4000;

export interface Lab {
  client: LabClient;
  status: Ref<LabStatus | null>;
  /** Why the lab cannot be reached (shown in the header), or null. */
  connectionError: Ref<string | null>;
  defaults: Ref<SpecDefaults | null>;
  live: ShallowRef<Map<number, LivePoints>>;
  /** Listens to lab events; returns the unsubscribe function. */
  on(listener: (e: LabEventWire) => void): () => void;
  refreshStatus(): Promise<void>;
  loadDefaults(): Promise<SpecDefaults>;
  close(): void;
}

/** Calls fn at most once per `ms`, after the last call (trailing debounce). */
export function debounce(fn: () => void, ms: number): { (): void; cancel(): void } {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const d = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      fn();
    }, ms);
  };
  d.cancel = () => {
    if (timer) clearTimeout(timer);
    timer = null;
  };
  return d;
}

/** Adds a progress event's cost points to a run's live curve. */
export function applyProgress(prev: LivePoints | undefined, e: Extract<LabEventWire, { type: 'run/progress' }>): LivePoints {
  const cur: LivePoints = prev ? { ...prev, batch: prev.batch.slice(), cost: prev.cost.slice() } : { batch: [], cost: [], batchesDone: 0, batches: e.batches, elapsedMs: 0 };
  e.costs.forEach((c, i) => {
    cur.batch.push(e.from + i * e.stride + 1);
    cur.cost.push(c);
  });
  cur.batchesDone = e.batchesDone;
  cur.batches = e.batches;
  cur.elapsedMs = e.elapsedMs;
  if (cur.batch.length > MAX_LIVE_POINTS) {
    const thin = decimate(
      cur.batch.map((x, i) => ({ x, y: cur.cost[i] })),
      MAX_LIVE_POINTS / 2,
    );
    cur.batch = thin.map((p) => p.x);
    cur.cost = thin.map((p) => p.y);
  }
  return cur;
}

export function createLab(client: LabClient): Lab {
  const status = ref<LabStatus | null>(null);
  const connectionError = ref<string | null>(null);
  const defaults = ref<SpecDefaults | null>(null);
  const live = shallowRef(new Map<number, LivePoints>());
  const listeners = new Set<(e: LabEventWire) => void>();

  const refreshStatus = async () => {
    try {
      status.value = await client.call('lab/status', {});
      connectionError.value = null;
    } catch (e) {
      connectionError.value = (e as Error).message;
    }
  };
  const statusSoon = debounce(() => void refreshStatus(), 150);

  const unsubscribe = client.onEvent((e) => {
    if (e.type === 'run/progress') {
      live.value.set(e.runId, applyProgress(live.value.get(e.runId), e));
      triggerRef(live);
    } else {
      if (e.type === 'run/finished') {
        // keep the live curve until the stored one is fetched; drop it a little later
        setTimeout(() => {
          if (live.value.delete(e.runId)) triggerRef(live);
        }, 30_000);
      }
      statusSoon();
    }
    for (const l of listeners) l(e);
  });

  let defaultsPromise: Promise<SpecDefaults> | null = null;
  return {
    client,
    status,
    connectionError,
    defaults,
    live,
    on(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    refreshStatus,
    loadDefaults() {
      defaultsPromise ??= client.call('spec/defaults', {}).then((d) => (defaults.value = d));
      return defaultsPromise;
    },
    close() {
      statusSoon.cancel();
      unsubscribe();
      listeners.clear();
    },
  };
}

const theLab = appStore<Lab>('lab connection');
/** Sets the app's lab (main.ts; tests set one over a fake client). */
export const provideLab = theLab.provide;
export const useLab = theLab.use;
