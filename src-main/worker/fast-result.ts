/**
 * The lab's fast check of a trainer process's `result` message: a predicate compiled from
 * ResultMessageSchema itself (worker/protocol.ts), which accepts only a message the schema
 * certainly accepts as it is, and hands it on untouched (no copy); anything else — a wrong type, a
 * missing or an unknown field, an object that is not a plain one — it leaves to the schema, which
 * then says what is wrong (or accepts it, stripped, as before). So the lab trusts exactly what it
 * trusted before, and the schema stays the one definition: a field added to it is checked here
 * with no edit, and a construct this compiler does not know fails when the module loads.
 *
 * Why: in a sweep of seed-sized runs on two trainer processes the lab's process handles a result
 * every few ms, and zod's parse of one (a new object for every nested object and array, a union
 * per number) cost ~0.2 ms of its CPU, on the path that bounds how much two processes gain over
 * one (docs/notes/issue-20.md). The compiled check reads every field once and allocates nothing.
 */
import type { z } from 'zod';
import { type FromWorker, ResultMessageSchema } from './protocol';

type Check = (v: unknown) => boolean;

/** What this compiler reads of a zod 4 schema's definition. */
interface Def {
  type: string;
  format?: string;
  checks?: { _zod: { def: { check: string; value?: unknown; inclusive?: boolean } } }[];
  innerType?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
  shape?: Record<string, z.ZodType>;
  catchall?: unknown;
  values?: unknown[];
  entries?: Record<string, unknown>;
  fn?: (v: unknown) => unknown;
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

const isPlain = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;

/** A compiler's refusal: the schema uses something the fast check cannot state exactly. */
function unsupported(path: string, what: string): never {
  throw new Error(`worker/fast-result.ts cannot check ${path || 'the message'} fast: ${what} (teach compile() it, or leave the message to the schema)`);
}

/** Bounds of a number schema (z.int().min(0), .positive(), …): every check must be one. */
function numberBounds(def: Def, path: string): Check {
  const tests: Check[] = [];
  for (const c of def.checks ?? []) {
    const { check, value, inclusive } = c._zod.def;
    if (typeof value !== 'number') unsupported(path, `the number check ${check}`);
    if (check === 'greater_than') tests.push(inclusive ? (v) => (v as number) >= value : (v) => (v as number) > value);
    else if (check === 'less_than') tests.push(inclusive ? (v) => (v as number) <= value : (v) => (v as number) < value);
    else unsupported(path, `the number check ${check}`);
  }
  return (v) => {
    for (const t of tests) if (!t(v)) return false;
    return true;
  };
}

/** A predicate that holds exactly where the schema accepts a value and outputs it unchanged. */
function compile(schema: z.ZodType, path: string): Check {
  const def = defOf(schema);
  if (def.type !== 'number' && def.checks?.length) unsupported(path, `checks on a ${def.type}`);
  switch (def.type) {
    case 'string':
      return (v) => typeof v === 'string';
    case 'boolean':
      return (v) => typeof v === 'boolean';
    case 'nan':
      return (v) => typeof v === 'number' && Number.isNaN(v);
    case 'literal': {
      const values = def.values ?? [];
      return (v) => values.includes(v);
    }
    case 'enum': {
      const values = Object.values(def.entries ?? {});
      return (v) => values.includes(v);
    }
    case 'number': {
      // z.number() is finite; z.int() a safe integer
      const kind: Check =
        def.format === undefined ? (v) => typeof v === 'number' && Number.isFinite(v) : def.format === 'safeint' ? (v) => typeof v === 'number' && Number.isSafeInteger(v) : unsupported(path, `the number format ${def.format}`);
      const bounds = numberBounds(def, path);
      return (v) => kind(v) && bounds(v);
    }
    case 'custom': {
      // z.custom(fn): the value as it is where fn holds
      const fn = def.fn ?? unsupported(path, 'a custom schema without its check');
      return (v) => Boolean(fn(v));
    }
    case 'nullable': {
      const inner = compile(def.innerType!, path);
      return (v) => v === null || inner(v);
    }
    case 'optional': {
      const inner = compile(def.innerType!, path);
      return (v) => v === undefined || inner(v);
    }
    case 'union': {
      // options that output what they take (leaves, and unions of them): any that holds
      const options = (def.options ?? []).map((o) => {
        if (['object', 'array'].includes(defOf(o).type)) unsupported(path, `a union of ${defOf(o).type}s`);
        return compile(o, path);
      });
      return (v) => {
        for (const o of options) if (o(v)) return true;
        return false;
      };
    }
    case 'array': {
      const element = compile(def.element!, `${path}[]`);
      return (v) => {
        if (!Array.isArray(v)) return false;
        for (let i = 0; i < v.length; i++) if (!element(v[i])) return false;
        return true;
      };
    }
    case 'object': {
      if (def.catchall !== undefined) unsupported(path, 'an object that keeps unknown keys');
      const fields = Object.entries(def.shape ?? {}).map(([name, field]) => ({ name, check: compile(field, path ? `${path}.${name}` : name), optional: defOf(field).type === 'optional' }));
      return (v) => {
        if (!isPlain(v)) return false;
        let present = 0;
        for (const f of fields) {
          const x = v[f.name];
          if (!f.check(x)) return false;
          if (x !== undefined || f.name in v) present++;
        }
        // an unknown field: the schema strips it, so its output is not this object
        return Object.keys(v).length === present;
      };
    }
    default:
      return unsupported(path, `a ${def.type} schema`);
  }
}

const resultMessage = compile(ResultMessageSchema, '');

export type ResultMessage = Extract<FromWorker, { type: 'result' }>;

/**
 * The message itself when it is a result message FromWorkerSchema accepts unchanged; null for
 * anything else (the caller then parses it with the schema).
 */
export function fastResultMessage(raw: unknown): ResultMessage | null {
  return resultMessage(raw) ? (raw as ResultMessage) : null;
}

/** The compiler, for its tests: a predicate for a schema, or an error naming what it cannot check. */
export const compileFastCheck = (schema: z.ZodType): Check => compile(schema, '');
