/**
 * What a spec's task is and the Task it trains on, for every kind of task in the registry
 * (tasks.ts): the built-in entries as they are, the expression task from its compiled target
 * (expression.ts), a table from its chosen columns (table.ts), images from their files. The data
 * of a table or of images is read outside this pure core and handed in as TaskData; the spec
 * names it by content hash (`dataset`), and a mismatch is refused.
 *
 * Kept apart from tasks.ts so that the registry stays free of the expression parser (mathjs):
 * the renderer imports the registry, never this.
 */
import { compileTarget, type CompiledTarget, ExpressionError } from './expression';
import { createRng, STREAM } from './prng';
import { SpecError } from './spec-error';
import { standardizeInputs, type Table, type TableInfo, tableData, tableTaskInfo } from './table';
import {
  type DataSet,
  type DrawnDef,
  drawnTask,
  resolveTask,
  finiteTask,
  type ImageSet,
  type ImagesDef,
  linspace,
  gridPoints,
  splitData,
  type Task,
  TASK_DEFS,
  type TaskInfo,
  type TaskSettings,
} from './tasks';

/** The data a task reads from outside the core. */
export interface TaskData {
  /** A table (task csv) with the values of the columns the spec uses. */
  table?: Table;
  /** Images (task fashion-mnist). */
  images?: ImageSet;
}

/**
 * What is known about the data where a spec is checked (a lab, the CLI; a trainer process and
 * the renderer know none of it): the description of a stored table by its content hash (no
 * values), and the content hash of the images a task reads (Fashion-MNIST's files), which a spec
 * that leaves `dataset` empty gets.
 */
export interface DataContext {
  table?(sha256: string): TableInfo | undefined;
  imagesHash?(task: string): string;
}

const compiled = new Map<string, CompiledTarget>();

/** A target compiled once per text (a sweep's runs share it); errors as SpecError of field target. */
export function targetOf(text: string): CompiledTarget {
  let c = compiled.get(text);
  if (c) return c;
  try {
    c = compileTarget(text);
  } catch (e) {
    if (e instanceof ExpressionError) throw new SpecError('target', e.message);
    throw e;
  }
  if (compiled.size >= 64) compiled.delete(compiled.keys().next().value!);
  compiled.set(text, c);
  return c;
}

/** The drawn task of an expression over a domain (the same for every input). */
export function expressionDef(target: CompiledTarget, domain: readonly [number, number]): DrawnDef {
  const n = target.inputs;
  const [lo, hi] = domain;
  return {
    name: 'expression',
    description: `${target.text} over [${lo}, ${hi}]${n > 1 ? ` in each of ${n} inputs` : ''}`,
    kind: 'regression',
    inputs: n,
    outputs: target.outputs,
    inputNames: n === 1 ? ['x'] : Array.from({ length: n }, (_, i) => `x${i + 1}`),
    outputNames: target.outputTexts,
    classes: null,
    box: Array.from({ length: n }, () => [lo, hi] as const),
    // the seed's defaults, so that "sin(x); cos(x)" over [0, 1] is the seed's task run for run
    defaults: { shape: [n, 16, target.outputs], loss: 'sse', outputActivation: 'seed' },
    params: ['target', 'domain'],
    sampling: 'draws',
    target: target.evaluate,
  };
}

/**
 * Points that show whether a target is finite over its domain, and not one number all over it (a
 * constant leaves nothing to learn: the best constant predictor is exact and r² is 0 / 0): a fine
 * grid (1001 points in 1-D, 101² in 2-D) or a sample.
 */
function checkTargetValues(def: DrawnDef): void {
  const n = def.inputs;
  const points = n === 1 ? linspace(def.box[0][0], def.box[0][1], 1001) : n === 2 ? gridPoints(def.box, [101, 101]) : samplePoints(def, 10_000);
  const y = new Float64Array(def.outputs);
  const first = new Float64Array(def.outputs);
  let varies = false;
  for (let p = 0; p < points.length / n; p++) {
    def.target(points, p * n, y, 0);
    for (let k = 0; k < def.outputs; k++) {
      if (!Number.isFinite(y[k])) {
        const at = def.inputNames.map((name, i) => `${name} = ${points[p * n + i]}`).join(', ');
        const which = def.outputs > 1 ? ` (output ${k + 1}, ${def.outputNames[k]})` : '';
        throw new SpecError('target', `is ${y[k]} at ${at}${which}: a target must be a finite number everywhere in the domain (change the domain or the expression)`);
      }
      if (p === 0) first[k] = y[k];
      else if (y[k] !== first[k]) varies = true;
    }
  }
  if (!varies) {
    const [lo, hi] = def.box[0];
    const where = `at every point of the domain [${lo}, ${hi}]${n > 1 ? ' in each input' : ''}`;
    const what = def.outputs === 1 ? `is one number (${first[0]}) ${where}` : `every output is one number ${where} (${def.outputNames.map((o, k) => `${o}: ${first[k]}`).join(', ')})`;
    throw new SpecError('target', `${what}: there is nothing to learn (the best constant predictor is exact, so no r² can be computed); change the expression or the domain`);
  }
}

function samplePoints(def: DrawnDef, count: number): Float64Array {
  const rng = createRng(0, STREAM.taskProbe);
  const out = new Float64Array(count * def.inputs);
  for (let i = 0; i < out.length; i++) {
    const [lo, hi] = def.box[i % def.inputs];
    out[i] = lo + (hi - lo) * rng.uniform();
  }
  return out;
}

/** The expression task of a spec, checked (a target that is finite over its domain, and not one number). */
function expressionTask(spec: Pick<TaskSettings, 'target' | 'domain'>): { def: DrawnDef; key: string } {
  const def = expressionDef(targetOf(spec.target), spec.domain);
  const key = `expression\u0000${spec.target}\u0000${spec.domain[0]}\u0000${spec.domain[1]}`;
  checkTargetValues(def);
  return { def, key };
}

/**
 * What a spec's task is: its inputs, outputs, kind, names and defaults. Null for a table whose
 * description is not in `context` (its checks then wait for its data: resolveSpecTask).
 */
export function taskInfo(spec: TaskSettings, context: DataContext = {}): TaskInfo | null {
  const def = TASK_DEFS[spec.task];
  switch (def.sampling) {
    case 'expression':
      return expressionTask(spec).def;
    case 'table': {
      const table = spec.dataset ? context.table?.(spec.dataset) : undefined;
      return table ? tableTaskInfo(spec, table) : null;
    }
    default:
      return def;
  }
}

/**
 * The Task of a spec: a built-in entry resolved with the spec's task parameters, an expression
 * compiled, a table split and standardised, images scaled. A generated set or a table is drawn
 * or split from the data seed (its own stream, so the batch order's stream is not shifted).
 * Throws SpecError when the data the spec names is not the data given.
 */
export function resolveSpecTask(spec: TaskSettings, data: TaskData = {}): Task {
  const def = TASK_DEFS[spec.task];
  switch (def.sampling) {
    case 'draws':
    case 'generated':
      return resolveTask(spec.task, spec);
    case 'expression': {
      const { def: drawn, key } = expressionTask(spec);
      return drawnTask(drawn, key);
    }
    case 'table':
      return tableTask(spec, data.table);
    case 'images':
      return imagesTask(def, spec, data.images);
  }
}

function tableTask(spec: TaskSettings, table: Table | undefined): Task {
  if (!table) throw new SpecError('dataset', `task csv needs its data set (${spec.dataset || 'none named'}), and none was given`);
  if (table.sha256 !== spec.dataset) throw new SpecError('dataset', `the spec names data set ${spec.dataset}, but ${table.name} is ${table.sha256}`);
  const info = tableTaskInfo(spec, table);
  const all = tableData(spec, table);
  const rng = createRng(spec.dataSeed, STREAM.dataset);
  const { train, test } = splitData(all, spec.trainFraction, rng, info.inputs, info.outputs);
  let box = info.box;
  if (spec.standardize) {
    standardizeInputs(train, test, info.inputs);
    box = rangeOf([train, test], info.inputs);
  }
  return finiteTask({ ...info, box }, train, test, true);
}

/** Each input's smallest and largest value over the data sets. */
function rangeOf(sets: DataSet[], inputs: number): [number, number][] {
  const box = Array.from({ length: inputs }, () => [Infinity, -Infinity] as [number, number]);
  for (const d of sets) {
    for (let r = 0; r < d.count; r++) {
      for (let k = 0; k < inputs; k++) {
        const v = d.inputs[r * inputs + k];
        if (v < box[k][0]) box[k][0] = v;
        if (v > box[k][1]) box[k][1] = v;
      }
    }
  }
  return box.map(([lo, hi]) => (lo < hi ? [lo, hi] : [lo - 0.5, lo + 0.5]));
}

/** pixel / 255 for every byte value (bytes stand for these numbers). */
const PIXEL_VALUES = Float64Array.from({ length: 256 }, (_, b) => b / 255);

function imagesTask(def: ImagesDef, spec: TaskSettings, images: ImageSet | undefined): Task {
  if (!images) throw new SpecError('dataset', `task ${def.name} needs its images, and none were given`);
  if (spec.dataset && images.sha256 !== spec.dataset) {
    throw new SpecError('dataset', `the run was made on ${def.name} files with content hash ${spec.dataset}, and the files here have ${images.sha256}: they are another version of the data set`);
  }
  if (images.width * images.height !== def.inputs) throw new SpecError('dataset', `${def.name} images are ${def.width}×${def.height}, these are ${images.width}×${images.height}`);
  const set = (part: ImageSet['train']): DataSet => {
    const targets = new Float64Array(part.count * def.outputs);
    for (let i = 0; i < part.count; i++) {
      const label = part.labels[i];
      if (!(label < def.outputs)) throw new SpecError('dataset', `image ${i} has label ${label}, and ${def.name} has ${def.outputs} classes`);
      targets[i * def.outputs + label] = 1;
    }
    return { count: part.count, inputs: part.pixels, byteValues: PIXEL_VALUES, targets };
  };
  return finiteTask(def, set(images.train), set(images.test), true);
}
