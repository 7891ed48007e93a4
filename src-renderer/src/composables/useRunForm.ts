/**
 * The New run form's state: the spec as text (starting from the seed's experiment, fixed seeds),
 * fitted to the task it picks (the network's widths, and a batch no larger than the training set),
 * errors next to the field they belong to (the form's own, then the lab's: ApiError.field), the
 * init preview (refreshed as the form changes), and the run it started, followed live.
 */
import { computed, type ComputedRef, reactive, type Ref, ref, shallowRef, watch } from 'vue';
import { type ApiResponses, type InitPreview, LabApiError } from '@main/api/contract';
import type { RunRecord, RunStatus } from '@main/db/types';
import { fixedTaskInfo, isTaskName, TASK_PARAMS, type TaskDefaults, trainingSamples } from '@main/trainer/tasks';
import { fieldOfPath, fitBatch, type FormResult, heldTaskFields, formToSpec, isSpecTask, parseNumber, randomSeed, refit, retask, type SpecForm, type SpecKey, specToForm, taskDefaultTexts, type TaskTexts, taskTexts, trainingTexts } from '../lib/spec-form';
import { parseTags } from './useRuns';
import { debounce, type Lab } from './useLab';
import { appStore } from './app-store';

export interface FieldError {
  field: SpecKey | null;
  message: string;
}

export interface RunFormStore {
  form: SpecForm;
  ready: Ref<boolean>;
  notes: Ref<string>;
  tags: Ref<string>;
  /** Start the run paused at batch 0, to step it through (step-through). */
  paused: Ref<boolean>;
  /** Error per field: the form's own reading first, then what the lab said. */
  errors: ComputedRef<Partial<Record<SpecKey, string>>>;
  /** A lab error that names no field (shown by the Run button). */
  generalError: Ref<string | null>;
  preview: Ref<InitPreview | null>;
  previewError: Ref<string | null>;
  previewLoading: Ref<boolean>;
  runId: Ref<number | null>;
  runStatus: Ref<RunStatus | null>;
  /** The run was started paused (step-through). */
  runPaused: Ref<boolean>;
  runRecord: Ref<RunRecord | null>;
  starting: Ref<boolean>;
  init(): Promise<void>;
  reset(): void;
  randomiseSeeds(): void;
  /**
   * The form as a sweep's base: every field as written (the grid may vary the task, and then the
   * base's task parameters are its tasks'), but the values the form gave for its task (shape,
   * loss, output layer, learning rate, init; the batch fitted to the training set) left out, so
   * each configuration trains with its own task's, its batch fitted to its own set; a value the
   * person typed goes as typed.
   */
  sweepBase(): FormResult;
  /** Starts a run; resolves to its id, or null when the spec was refused (errors are set). */
  start(): Promise<number | null>;
  cancel(): Promise<void>;
  close(): void;
}

export function createRunForm(lab: Lab, random: () => number = Math.random): RunFormStore {
  const form = reactive({}) as SpecForm;
  const ready = ref(false);
  const notes = ref('');
  const tags = ref('');
  const paused = ref(false);
  const labError = ref<FieldError | null>(null);
  const generalError = ref<string | null>(null);
  const preview = shallowRef<InitPreview | null>(null);
  const previewError = ref<string | null>(null);
  const previewLoading = ref(false);
  const runId = ref<number | null>(null);
  const runStatus = ref<RunStatus | null>(null);
  const runPaused = ref(false);
  const runRecord = shallowRef<RunRecord | null>(null);
  const starting = ref(false);
  const parsed = computed(() => formToSpec(form));

  const errors = computed(() => {
    const out: Partial<Record<SpecKey, string>> = { ...parsed.value.errors };
    const le = labError.value;
    if (le?.field && !out[le.field]) out[le.field] = le.message;
    return out;
  });

  /** A lab error as a field error: "shape: task sincos needs…" → field shape, message without the prefix. */
  const toFieldError = (e: unknown): FieldError => {
    const field = e instanceof LabApiError ? fieldOfPath(e.field) : null;
    const message = (e as Error).message;
    if (!field) return { field: null, message };
    const prefix = `${(e as LabApiError).field}: `;
    return { field, message: message.startsWith(prefix) ? message.slice(prefix.length) : message };
  };

  /** The task values (form text) the form holds for the task it was last fitted to: what a field that was not changed by hand holds. */
  let known: TaskTexts | null = null;
  /** The task settings (task and its parameters) the network was last fitted to, for a task the lab describes (isSpecTask). */
  let fitted: string | null = null;
  const base = () => (lab.defaults.value ? specToForm(lab.defaults.value.spec) : undefined);
  const settingsKey = () => JSON.stringify([form.task, ...TASK_PARAMS.map((k) => form[k])]);

  /**
   * Fits the batch to a training set of `train` samples (null: the task draws fresh samples), from
   * the task's own batch or the seed's (fitBatch): a batch the person typed stays, and the lab
   * refuses it where it is more than the set. True when the form changed.
   */
  const fitBatchTo = (defaults: TaskDefaults, train: number | null): boolean => {
    const b = base();
    const batch = b ? taskTexts(defaults, b).batchSize : undefined;
    if (batch === undefined) return false;
    const fit = fitBatch(form, known, batch, train);
    if (fit === null) return false;
    known = { ...known, batchSize: fit };
    if (form.batchSize === fit) return false;
    form.batchSize = fit;
    return true;
  };

  /** The batch fit of a task whose training set the form can count itself (a generated set's samples × trainFraction, the images' training files); a task the lab describes is fitted with its answer (fitToTask). */
  const fitBatchHere = () => {
    const task = form.task;
    if (!isTaskName(task)) return;
    const info = fixedTaskInfo(task);
    if (!info) return;
    const samples = parseNumber(form.samples);
    const trainFraction = parseNumber(form.trainFraction);
    // a count still being typed fits nothing yet (the lab names a text it cannot read)
    if (!Number.isFinite(samples) || !Number.isFinite(trainFraction)) return;
    fitBatchTo(info.defaults, trainingSamples({ task, samples, trainFraction }, undefined));
  };

  /**
   * For a task whose network comes from the spec (the expression's target, a table's columns),
   * asks the lab what that network is and fits the form to it (refit: the widths always, the loss
   * and output layer where they held the old task's). True when the form changed.
   */
  const fitToTask = async (mine: number): Promise<boolean> => {
    const key = settingsKey();
    if (!isSpecTask(form.task) || key === fitted) return false;
    // a task setting the form cannot read yet (a domain being typed) is not asked about
    if (TASK_PARAMS.some((k) => parsed.value.errors[k])) return false;
    let answer: ApiResponses['spec/task'];
    try {
      answer = await lab.client.call('spec/task', { spec: parsed.value.spec });
    } catch {
      // a target that does not parse, a data set that is not here: the preview says so, next to the field
      if (mine === previewSeq && settingsKey() === key) fitted = key;
      return false;
    }
    // a newer change asks again
    if (mine !== previewSeq || settingsKey() !== key) return false;
    fitted = key;
    if (!answer.task) return false;
    const texts = taskTexts(answer.task.defaults);
    const changes = refit(form, known, texts);
    known = { ...known, ...texts };
    Object.assign(form, changes);
    // the lab counts the training set (a table's rows): the batch holds no sample twice
    const batchChanged = fitBatchTo(answer.task.defaults, answer.task.trainSamples);
    return Object.keys(changes).length > 0 || batchChanged;
  };

  let previewSeq = 0;
  const refreshPreview = async () => {
    const mine = ++previewSeq;
    // an answer about the form as it was asked: a change made while it was on its way has its own
    // (debounced) refresh coming, so this one stands down and leaves "updating…" on
    const asked = JSON.stringify(form);
    const stale = () => mine !== previewSeq || JSON.stringify(form) !== asked;
    if (isSpecTask(form.task) && settingsKey() !== fitted) {
      previewLoading.value = true;
      // the form changed: its watch asks for the preview of the fitted network
      if ((await fitToTask(mine)) || stale()) return;
    }
    if (Object.keys(parsed.value.errors).length) {
      preview.value = null;
      previewLoading.value = false;
      previewError.value = 'fix the fields marked in red to see the initial weights';
      return;
    }
    previewLoading.value = true;
    try {
      const p = await lab.client.call('spec/preview', { spec: parsed.value.spec });
      if (stale()) return;
      preview.value = p;
      previewError.value = null;
      labError.value = null;
    } catch (e) {
      if (stale()) return;
      const fe = toFieldError(e);
      // the last preview was of another network: it is not shown as this one's
      preview.value = null;
      previewError.value = fe.field ? `${fe.field}: ${fe.message}` : fe.message;
      if (fe.field) labError.value = fe;
    } finally {
      if (!stale()) previewLoading.value = false;
    }
  };
  const previewSoon = debounce(() => void refreshPreview(), 200);
  const stopWatch = watch(
    () => JSON.stringify(form),
    () => {
      if (!ready.value) return;
      labError.value = null;
      generalError.value = null;
      // "updating…" from the change on, not from when the debounced preview starts
      previewLoading.value = true;
      previewSoon();
    },
  );

  // a new task brings its own shape, loss and output layer (where the form still held the old task's)
  const stopTask = watch(
    () => form.task,
    (to, from) => {
      if (!ready.value || from === undefined || to === from) return;
      const b = base();
      Object.assign(form, retask(form, from, to, b, known));
      // a task the lab describes is fitted once it answers (fitToTask); until then the form holds the old task's network
      known = taskDefaultTexts(to, b) ?? { ...known, ...(b ? trainingTexts(b) : {}) };
      fitted = null;
      fitBatchHere();
    },
  );

  // a generated set's size follows its samples and train fraction: the batch follows it
  const stopTrainingSet = watch(
    () => [form.samples, form.trainFraction],
    () => {
      if (ready.value) fitBatchHere();
    },
  );

  const fetchRecord = async (id: number) => {
    try {
      runRecord.value = (await lab.client.call('runs/get', { id })).run;
    } catch (e) {
      generalError.value = (e as Error).message;
    }
  };

  const off = lab.on((e) => {
    if (runId.value === null || !('runId' in e) || e.runId !== runId.value) return;
    // a run that reports progress (or a pause) is training, even when its start event came before the run's id did
    if ((e.type === 'run/started' || e.type === 'run/progress' || e.type === 'run/paused') && runStatus.value === 'queued') runStatus.value = 'running';
    if (e.type === 'run/finished') {
      runStatus.value = e.status;
      void fetchRecord(e.runId);
    }
  });

  return {
    form,
    ready,
    notes,
    tags,
    paused,
    errors,
    generalError,
    preview,
    previewError,
    previewLoading,
    runId,
    runStatus,
    runPaused,
    runRecord,
    starting,
    async init() {
      if (ready.value) return;
      const d = await lab.loadDefaults();
      Object.assign(form, specToForm(d.spec));
      known = taskDefaultTexts(form.task, base());
      fitBatchHere();
      ready.value = true;
      await refreshPreview();
    },
    reset() {
      const d = lab.defaults.value;
      if (!d) return;
      Object.assign(form, specToForm(d.spec));
      known = taskDefaultTexts(form.task, base());
      fitted = null;
      fitBatchHere();
    },
    randomiseSeeds() {
      form.initSeed = String(randomSeed(random));
      form.dataSeed = String(randomSeed(random));
    },
    sweepBase() {
      const r = formToSpec(form, { keepUnread: true });
      for (const key of heldTaskFields(form, known)) delete r.spec[key];
      return r;
    },
    async start() {
      generalError.value = null;
      if (Object.keys(parsed.value.errors).length) return null;
      starting.value = true;
      try {
        // Run pressed while the lab's fit is on its way (a data set just picked): the run gets the
        // fitted network and batch, not the form before them (a batch of 32 on a 20-row training set)
        if (isSpecTask(form.task) && settingsKey() !== fitted) {
          previewSoon.cancel();
          await refreshPreview();
          if (Object.keys(parsed.value.errors).length) return null;
        }
        const { runId: id } = await lab.client.call('runs/start', { spec: parsed.value.spec, notes: notes.value || undefined, tags: tags.value.trim() ? parseTags(tags.value) : undefined, paused: paused.value || undefined });
        runId.value = id;
        runPaused.value = paused.value;
        runStatus.value = 'queued';
        runRecord.value = null;
        labError.value = null;
        // a fast run may end before its events reach this page: ask once where it is
        const { run } = await lab.client.call('runs/get', { id });
        if (runId.value === id) {
          if (run.status !== 'queued' && run.status !== 'running') {
            runStatus.value = run.status;
            runRecord.value = run;
            // its start event may have come before its id (ignored then), and the store writes
            // 'running' only a moment after the start: progress already seen says it trains
          } else if ((run.status === 'running' || lab.live.value.has(id)) && runStatus.value === 'queued') runStatus.value = 'running';
        }
        return id;
      } catch (e) {
        const fe = toFieldError(e);
        if (fe.field) labError.value = fe;
        else generalError.value = fe.message;
        return null;
      } finally {
        starting.value = false;
      }
    },
    async cancel() {
      if (runId.value === null) return;
      try {
        await lab.client.call('runs/cancel', { id: runId.value });
      } catch (e) {
        generalError.value = (e as Error).message;
      }
    },
    close() {
      previewSoon.cancel();
      stopWatch();
      stopTask();
      stopTrainingSet();
      off();
    },
  };
}

const theRunForm = appStore<RunFormStore>('run form');
export const provideRunForm = theRunForm.provide;
export const useRunForm = theRunForm.use;
