/**
 * The Sweep form and the sweeps' progress: rows of field = values over a base spec (the seed's
 * experiment, or the New run form), replicates per configuration, the run count before
 * starting, and per experiment how many of its runs have ended. A sweep runs on this machine or
 * on a job queue (`nnlab worker`s elsewhere): the queue's URL and name are kept in the settings
 * (localStorage) without the password, which is asked for and used for the connection only.
 */
import { computed, type ComputedRef, reactive, type Ref, ref } from 'vue';
import { LabApiError, MAX_REPLICATES, type QueueWaiting } from '@main/api/contract';
import type { Experiment, RunStatus } from '@main/db/types';
import { isEnded } from '@main/analysis/status';
import { type PresetSweep as SweepDefinitionInput, sweepRunCount } from '@main/analysis/presets';
import { parseSweepRows, type SweepRow } from '../lib/sweep-form';
import type { Lab } from './useLab';
import { appStore } from './app-store';

export interface SweepProgress {
  total: number;
  ended: number;
  running: number;
  queued: number;
}


export function progressOf(e: Pick<Experiment, 'runCounts'>): SweepProgress {
  const c = e.runCounts ?? {};
  const get = (s: RunStatus) => c[s] ?? 0;
  const total = Object.values(c).reduce((a, b) => a + (b ?? 0), 0);
  return { total, ended: (Object.keys(c) as RunStatus[]).filter(isEnded).reduce((a, s) => a + get(s), 0), running: get('running'), queued: get('queued') };
}

export interface SweepStore {
  name: Ref<string>;
  rows: SweepRow[];
  replicates: Ref<string>;
  /** 'seed': the seed's experiment; 'form': the New run form's values. */
  base: Ref<'seed' | 'form'>;
  parsedReplicates: ComputedRef<number | null>;
  count: ComputedRef<number>;
  rowErrors: ComputedRef<Record<number, string>>;
  error: Ref<{ field: string | null; message: string } | null>;
  starting: Ref<boolean>;
  addRow(): void;
  removeRow(i: number): void;
  definition(baseSpec: Record<string, unknown>): SweepDefinitionInput;
  /** Where the runs train: here, or through the job queue below. */
  runOn: Ref<'local' | 'queue'>;
  queueUrl: Ref<string>;
  queueName: Ref<string>;
  /** Never stored: the URL's password, if it is not in the URL already. */
  queuePassword: Ref<string>;
  allowMismatch: Ref<boolean>;
  /** The queue the lab is connected to, once it is. */
  connectedQueue: Ref<string | null>;
  /** Queues holding runs of this database that an earlier nnlab process sent (nothing collects them until the lab connects). */
  waitingQueues: Ref<QueueWaiting[]>;
  /** Reads the lab's connection and the queues holding this database's runs (queue/status). */
  refreshQueues(): Promise<void>;
  /** Connects to a queue holding this database's runs (the form's URL where it names that Redis, with the password field), which collects them. */
  collect(w: QueueWaiting): Promise<void>;
  /** The sweep last started from the form (its progress and comparison stay on the Sweep page after leaving it). */
  started: Ref<{ experimentId: number; runIds: number[] } | null>;
  start(def: SweepDefinitionInput): Promise<{ experimentId: number; runIds: number[] } | null>;
}

export const QUEUE_SETTINGS_KEY = 'nnlab.queue';

/** A URL without its password (what the settings keep); the text as given when it is no URL. */
export function withoutPassword(url: string): string {
  try {
    const u = new URL(url.trim());
    u.password = '';
    return u.toString();
  } catch {
    return url.trim();
  }
}

/** The URL to connect with: the password field put in, unless the URL carries one. */
export function withPassword(url: string, password: string): string {
  if (!password) return url.trim();
  try {
    const u = new URL(url.trim());
    if (!u.password) u.password = password;
    return u.toString();
  } catch {
    return url.trim();
  }
}

/** Whether `url` names the Redis a run records (`redis://host:port/db`, no credentials). */
export function namesRedis(url: string, redis: string): boolean {
  try {
    const u = new URL(url.trim());
    return `${u.protocol}//${u.hostname}:${u.port || '6379'}/${u.pathname.replace(/^\//, '') || '0'}` === redis;
  } catch {
    return false;
  }
}

function loadQueueSettings(): { url: string; name: string } {
  try {
    const v = JSON.parse(localStorage.getItem(QUEUE_SETTINGS_KEY) ?? '{}') as { url?: unknown; name?: unknown };
    return { url: typeof v.url === 'string' ? v.url : '', name: typeof v.name === 'string' ? v.name : 'nnlab' };
  } catch {
    return { url: '', name: 'nnlab' };
  }
}

export function createSweep(lab: Lab, choices: () => Record<string, readonly string[]>): SweepStore {
  const name = ref('');
  const rows = reactive<SweepRow[]>([
    { field: 'activation', values: 'relu, sigmoid' },
    { field: 'initMean', values: '0, -eps' },
  ]);
  const replicates = ref('10');
  const base = ref<'seed' | 'form'>('seed');
  const error = ref<{ field: string | null; message: string } | null>(null);
  const starting = ref(false);
  const saved = loadQueueSettings();
  const runOn = ref<'local' | 'queue'>('local');
  const queueUrl = ref(saved.url);
  const queueName = ref(saved.name);
  const queuePassword = ref('');
  const allowMismatch = ref(false);
  const connectedQueue = ref<string | null>(null);
  const waitingQueues = ref<QueueWaiting[]>([]);
  const started = ref<{ experimentId: number; runIds: number[] } | null>(null);
  /** Connects the lab to the form's queue and keeps the URL and name (without the password) in the settings. */
  const connect = async () => {
    const name = queueName.value.trim() || 'nnlab';
    const c = await lab.client.call('queue/connect', { url: withPassword(queueUrl.value, queuePassword.value), name });
    connectedQueue.value = c.queue;
    localStorage.setItem(QUEUE_SETTINGS_KEY, JSON.stringify({ url: withoutPassword(queueUrl.value), name }));
  };
  const refreshQueues = async () => {
    try {
      const st = await lab.client.call('queue/status', {});
      waitingQueues.value = st.waiting;
      if (st.connection) connectedQueue.value = st.connection.queue;
    } catch {
      // a lab that cannot say: nothing to offer
      waitingQueues.value = [];
    }
  };
  const parsed = computed(() => parseSweepRows(rows, choices()));
  const parsedReplicates = computed(() => {
    const n = Number(replicates.value.trim());
    return Number.isInteger(n) && n >= 1 && n <= MAX_REPLICATES ? n : null;
  });
  return {
    name,
    rows,
    replicates,
    base,
    parsedReplicates,
    count: computed(() => sweepRunCount(parsed.value.grid, parsedReplicates.value ?? 0)),
    rowErrors: computed(() => parsed.value.errors),
    error,
    starting,
    runOn,
    queueUrl,
    queueName,
    queuePassword,
    allowMismatch,
    connectedQueue,
    waitingQueues,
    started,
    refreshQueues,
    async collect(w) {
      error.value = null;
      runOn.value = 'queue';
      if (!namesRedis(queueUrl.value, w.redis)) queueUrl.value = w.redis;
      queueName.value = w.name;
      starting.value = true;
      try {
        await connect();
        await refreshQueues();
      } catch (e) {
        error.value = { field: e instanceof LabApiError ? (e.field ?? null) : null, message: (e as Error).message };
      } finally {
        starting.value = false;
      }
    },
    addRow() {
      rows.push({ field: '', values: '' });
    },
    removeRow(i) {
      rows.splice(i, 1);
    },
    definition(baseSpec) {
      const def: SweepDefinitionInput = { base: baseSpec, grid: parsed.value.grid, replicates: parsedReplicates.value ?? 1 };
      if (name.value.trim()) def.name = name.value.trim();
      return def;
    },
    async start(def) {
      error.value = null;
      starting.value = true;
      try {
        if (runOn.value === 'queue') {
          await connect();
          return (started.value = await lab.client.call('sweeps/start', { sweep: def, queue: { allowMismatch: allowMismatch.value } }));
        }
        return (started.value = await lab.client.call('sweeps/start', { sweep: def }));
      } catch (e) {
        error.value = { field: e instanceof LabApiError ? (e.field ?? null) : null, message: (e as Error).message };
        return null;
      } finally {
        starting.value = false;
      }
    },
  };
}

const theSweep = appStore<SweepStore>('sweep form');
export const provideSweep = theSweep.provide;
export const useSweep = theSweep.use;
