/**
 * Sweeps: a grid over spec fields times K replicate seeds, expanded into run specs. Paired by
 * construction: replicate r of every configuration uses initSeed = base + r and dataSeed = base + r
 * (unless a seed is itself swept), so relu and sigmoid — or mean 0 and mean −eps — start from the
 * same draw where shapes allow and see the same batches. Pure: no I/O.
 */
import { z } from 'zod';
import { JsonObjectSchema } from '../json-object';
import { parseRunSpec, readSpec, type RunSpec, SpecError, type SpecContext, specErrorOf, unreadFields } from '../trainer/spec';
import { fieldMeta, SPEC_KEYS } from '../trainer/spec-fields';
import { MAX_REPLICATES, TIMING_DEFAULTS, TIMING_LIMITS } from '../limits';

/** The fields a grid may vary (the field table's `sweep`). */
const SWEEPABLE = SPEC_KEYS.filter((k) => fieldMeta(k).sweep) as [string, ...string[]];

export const SweepDefinitionSchema = z.strictObject({
  name: z.string().min(1).max(200).optional(),
  /** Fields shared by every run (spec input: defaults fill the rest). */
  base: JsonObjectSchema.default({}),
  /** Field → values to sweep; the runs are the cartesian product, in the order given. */
  grid: z.partialRecord(z.enum(SWEEPABLE), z.array(z.unknown()).min(1, { error: 'give at least one value' })).default({}),
  /** Seeds per configuration. */
  replicates: z.int().min(1).max(MAX_REPLICATES).default(1),
  /**
   * Also time the configurations honestly (lab.startTiming: warm-up, interleaved repeats, run alone
   * after the sweep's runs): one spec per configuration, its first replicate's seeds.
   */
  timing: z
    .strictObject({
      repeats: z.int().min(1).max(TIMING_LIMITS.repeats).default(TIMING_DEFAULTS.repeats),
      warmup: z.int().min(0).max(TIMING_LIMITS.warmup).default(TIMING_DEFAULTS.warmup),
      targetMse: z.number().positive().optional(),
    })
    .optional(),
});

export type SweepDefinition = z.output<typeof SweepDefinitionSchema>;
export type SweepInput = z.input<typeof SweepDefinitionSchema>;

/** Runs in one sweep at most (a guard against a typo creating millions of runs). */
export const MAX_SWEEP_RUNS = 100_000;

export interface SweepCell {
  /** The swept fields' values of this configuration. */
  point: Record<string, unknown>;
  replicate: number;
  spec: RunSpec;
}

export function parseSweep(input: unknown): SweepDefinition {
  const parsed = SweepDefinitionSchema.safeParse(input);
  if (!parsed.success) throw specErrorOf(parsed.error, input);
  return parsed.data;
}

/** Every run of the sweep, validated; throws SpecError naming the field (and the grid point). */
export function expandSweep(def: SweepDefinition, limits: SpecContext = {}): SweepCell[] {
  const fields = Object.keys(def.grid);
  let count = def.replicates;
  for (const f of fields) count *= def.grid[f]!.length;
  if (count > MAX_SWEEP_RUNS) throw new SpecError('grid', `${count.toLocaleString('en-US')} runs is more than the ${MAX_SWEEP_RUNS.toLocaleString('en-US')} a sweep may hold`);
  const points: Record<string, unknown>[] = [{}];
  for (const f of fields) {
    const next: Record<string, unknown>[] = [];
    for (const p of points) for (const v of def.grid[f]!) next.push({ ...p, [f]: v });
    points.splice(0, points.length, ...next);
  }
  // the base alone may not be a valid spec (epochs on the default task, when the grid sweeps tasks)
  const baseSeeds = firstPointSpec(def.base, points, limits);
  const cells: SweepCell[] = [];
  // a configuration given twice (0.1,0.1; -eps beside -0.1 at eps 0.1; two means of a He init,
  // which reads no mean) would train the same runs, seeds and all, twice, and count them as if they were two
  const seen = new Map<string, Record<string, unknown>>();
  for (const point of points) {
    for (let r = 0; r < def.replicates; r++) {
      const input: Record<string, unknown> = { ...def.base, ...point };
      if (!('initSeed' in point)) input.initSeed = baseSeeds.initSeed + r;
      if (!('dataSeed' in point)) input.dataSeed = baseSeeds.dataSeed + r;
      let spec: RunSpec;
      try {
        // ±eps is resolved per configuration: a grid over eps with mean −eps gives each eps its own mean
        spec = parseRunSpec(input, limits);
      } catch (e) {
        throw e instanceof SpecError ? atPoint(e, point) : e;
      }
      if (r === 0) {
        const key = JSON.stringify(readSpec(spec));
        const before = seen.get(key);
        if (before) throw sameConfiguration(before, point, spec);
        seen.set(key, point);
      }
      cells.push({ point, replicate: r, spec });
    }
  }
  return cells;
}

/** A grid point's refusal, saying which point: "… (at batchSize=64)". */
function atPoint(e: SpecError, point: Record<string, unknown>): SpecError {
  const at = Object.entries(point).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ');
  return at ? new SpecError(e.field, `${e.reason} (at ${at})`) : e;
}

/**
 * The first grid point's spec, whose seeds the replicates count from. Its refusal names the point,
 * as every later point's does, unless every point is refused alike: then the fault is the base's
 * (a shape no swept task takes, a table's columns not named), and naming the first point would
 * send the reader to a value that is not at fault. The other points are parsed only then.
 */
function firstPointSpec(base: Record<string, unknown>, points: readonly Record<string, unknown>[], limits: SpecContext): RunSpec {
  try {
    return parseRunSpec({ ...base, ...points[0] }, limits);
  } catch (e) {
    if (!(e instanceof SpecError)) throw e;
    const alike = points.slice(1).every((p) => {
      try {
        parseRunSpec({ ...base, ...p }, limits);
        return false;
      } catch (o) {
        return o instanceof SpecError && o.field === e.field && o.reason === e.reason;
      }
    });
    throw alike ? e : atPoint(e, points[0]);
  }
}

/**
 * Two grid points that make one configuration: named by the fields whose values differ in writing
 * only, or that the configuration does not read (then the fields they share and why), or the value given twice.
 */
function sameConfiguration(a: Record<string, unknown>, b: Record<string, unknown>, spec: RunSpec): SpecError {
  const named = (p: Record<string, unknown>, keys: readonly string[]) => keys.map((k) => `${k}=${JSON.stringify(p[k])}`).join(', ');
  const differ = Object.keys(b).filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
  const field = differ[0] ?? Object.keys(b)[0];
  const unread = unreadFields(spec).find((u) => differ.includes(u.field));
  const shared = Object.keys(b).filter((k) => !differ.includes(k));
  const what = !differ.length
    ? `${field}=${JSON.stringify(b[field])} is given twice`
    : `${named(a, differ)} and ${named(b, differ)} are the same configuration` +
      (unread ? `${shared.length ? ` at ${named(b, shared)}` : ''}, as ${unread.why}` : '');
  const remedy = unread ? `sweep ${unread.field} only where it is read` : 'give each value once';
  return new SpecError(`grid.${field}`, `${what}: its runs would be trained twice with the same seeds and counted as two; ${remedy}`);
}
