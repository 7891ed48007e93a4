/**
 * The error of an invalid spec, in a file of its own so the modules that check parts of a spec
 * (spec.ts, table.ts, task-resolve.ts) share it without importing each other. spec.ts re-exports it.
 */

/** An invalid spec; `field` is the path of the offending field, e.g. `shape` or `initialWeights[1]`. */
export class SpecError extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(field ? `${field}: ${reason}` : reason);
    this.name = 'SpecError';
  }
}
