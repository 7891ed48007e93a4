/**
 * The lab's fast check of a trainer process's `result` message (worker/protocol.ts): it accepts
 * only a message FromWorkerSchema certainly accepts as it is, and hands it on untouched (no copy);
 * anything else — a wrong type, a missing or an unknown field, an object that is not a plain one
 * — it leaves to the schema, which then says what is wrong (or accepts it, stripped, as before).
 * So the lab trusts exactly what it trusted before, and the schema stays the one definition.
 *
 * Why: in a sweep of seed-sized runs on two trainer processes the lab's process handles a result
 * every few ms, and zod's parse of one (a new object for every nested object and array, a union
 * per number) cost ~0.2 ms of its CPU, on the path that bounds how much two processes gain over
 * one (docs/notes/issue-20.md). This check reads every field once and allocates nothing.
 *
 * Every field of the schema's objects has a check here, and no other: the module checks it when
 * it loads (a field added to the schema and not here fails every test that starts a lab).
 */
import { LOSS_NAMES } from '../trainer/losses';
import { TASK_KINDS } from '../trainer/tasks';
import { type FromWorker, RunResultSchema } from './protocol';

type Check = (v: unknown) => boolean;

const isPlain = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;
/** z.number().or(z.nan()).or(±Infinity): any number. */
const num: Check = (v) => typeof v === 'number';
/** z.number(): finite. */
const finite: Check = (v) => typeof v === 'number' && Number.isFinite(v);
/** z.int(): a safe integer. */
const int: Check = (v) => typeof v === 'number' && Number.isSafeInteger(v);
const intMin = (min: number): Check => (v) => int(v) && (v as number) >= min;
const f64: Check = (v) => v instanceof Float64Array;
const oneOf = (values: readonly string[]): Check => (v) => typeof v === 'string' && values.includes(v);
const nullable = (c: Check): Check => (v) => v === null || c(v);
const arrayOf = (c: Check): Check =>
  Object.assign(
    (v: unknown) => {
      if (!Array.isArray(v)) return false;
      for (let i = 0; i < v.length; i++) if (!c(v[i])) return false;
      return true;
    },
    { element: c },
  );

/** An object with exactly these fields (the optional ones may be absent), each passing its check. */
function object(fields: Record<string, Check>, optional: readonly string[] = []): Check & { fields: Record<string, Check>; optional: readonly string[] } {
  const names = Object.keys(fields);
  const check = (v: unknown): boolean => {
    if (!isPlain(v)) return false;
    let present = 0;
    for (const name of names) {
      const x = v[name];
      if (x === undefined && optional.includes(name)) {
        if (name in v) present++;
        continue;
      }
      if (!fields[name](x)) return false;
      present++;
    }
    // an unknown field: the schema strips it, so its output is not this object
    return Object.keys(v).length === present;
  };
  return Object.assign(check, { fields, optional });
}

const health = object({
  dead: arrayOf(arrayOf(int)),
  saturation: arrayOf(finite),
  preActivation: arrayOf(object({ min: num, mean: num, max: num })),
});

const timing = object({
  trainMs: num,
  samplesPerSecond: num,
  usPerSample: object({ forward: num, backward: num, update: num }),
  sampledBatches: int,
});

const runResult = object(
  {
    status: oneOf(['done', 'diverged']),
    kernel: (v) => typeof v === 'string',
    kind: oneOf(TASK_KINDS),
    loss: oneOf(LOSS_NAMES),
    batchesRun: intMin(0),
    costHistory: f64,
    mseHistory: f64,
    finalCost: num,
    finalLoss: num,
    finalMse: num,
    testLoss: num,
    testMetric: num,
    baseline: num,
    baselineMse: num,
    testMse: num,
    testAccuracy: nullable(num),
    majorityShare: nullable(num),
    penalty: num,
    failed: (v) => typeof v === 'boolean',
    testInputs: f64,
    testEstimates: f64,
    testTargets: f64,
    viewInputs: f64,
    viewGrid: arrayOf(intMin(1)),
    checkpoints: object({ batches: arrayOf(int), estimates: f64, gradNorms: f64, metrics: f64 }),
    weightCheckpoints: object({ batches: arrayOf(intMin(0)), weights: f64, checkpoints: intMin(0) }),
    finalWeights: f64,
    timing,
    diagnostics: object({ probePoints: int, atInit: health, atEnd: health, divergedAtBatch: nullable(int) }),
  },
  ['weightCheckpoints'],
);

const resultMessage = object({
  type: (v) => v === 'result',
  jobId: (v) => int(v) && (v as number) > 0,
  cancelled: (v) => typeof v === 'boolean',
  result: runResult,
});

export type ResultMessage = Extract<FromWorker, { type: 'result' }>;

/**
 * The message itself when it is a result message FromWorkerSchema accepts unchanged; null for
 * anything else (the caller then parses it with the schema).
 */
export function fastResultMessage(raw: unknown): ResultMessage | null {
  return resultMessage(raw) ? (raw as ResultMessage) : null;
}

/** The field names of a zod object schema, nested objects by path (what `object` above must match). */
function schemaFields(schema: unknown, path: string, out: string[]): void {
  let s = schema as { def?: { type?: string; innerType?: unknown; element?: unknown; shape?: Record<string, unknown> } };
  while (s.def && (s.def.type === 'optional' || s.def.type === 'nullable')) s = s.def.innerType as typeof s;
  if (s.def?.type === 'array') return schemaFields(s.def.element, `${path}[].`, out);
  if (s.def?.type !== 'object' || !s.def.shape) return;
  for (const [name, field] of Object.entries(s.def.shape)) {
    out.push(`${path}${name}`);
    schemaFields(field, `${path}${name}.`, out);
  }
}

function checkFields(check: unknown, path: string, out: string[]): void {
  const c = check as { fields?: Record<string, unknown>; element?: unknown };
  if (c.element) return checkFields(c.element, `${path}[].`, out);
  if (!c.fields) return;
  for (const [name, field] of Object.entries(c.fields)) {
    out.push(`${path}${name}`);
    checkFields(field, `${path}${name}.`, out);
  }
}

/** The schema's fields and this check's, side by side (sorted): they must be the same. */
export function fieldLists(): { schema: string[]; check: string[] } {
  const schema: string[] = [];
  const check: string[] = [];
  schemaFields(RunResultSchema, '', schema);
  checkFields(runResult, '', check);
  return { schema: schema.sort(), check: check.sort() };
}

{
  const { schema, check } = fieldLists();
  if (schema.join('\n') !== check.join('\n')) {
    const missing = schema.filter((f) => !check.includes(f));
    const extra = check.filter((f) => !schema.includes(f));
    throw new Error(`worker/fast-result.ts does not check the fields of RunResultSchema: ${[...missing.map((f) => `no check for ${f}`), ...extra.map((f) => `a check for ${f}, which the schema does not have`)].join('; ')}`);
  }
}
