/**
 * What sets configurations apart, defined once: the spec fields whose values differ between
 * specs, how a value is written, and a configuration's name from those fields — in two styles,
 * `activation=sigmoid initMean=-0.1` for text that is read back (the CLI's tables, `--vs`, timing
 * names, the stability map's facets) and `sigmoid · mean −0.1` for the app's legends. The CLI
 * report, nnlab time, the stability map, the lab's timing names and the app's "what differs" all
 * use these. Pure (no Node, no DOM).
 */
import { fieldMeta, SEED_FIELDS, SPEC_KEYS, type SpecKey } from '../trainer/spec-fields';

export { SEED_FIELDS };

const isSeed = (f: string) => (SEED_FIELDS as readonly string[]).includes(f);
const isSpecKey = (f: string): f is SpecKey => (SPEC_KEYS as readonly string[]).includes(f);

/**
 * The fields whose values are not all equal across `specs` (compared as JSON, so [1, 16, 2]
 * equals [1, 16, 2]), in the field table's order, then any others by name. The seeds count only
 * when nothing else differs: replicates differ in their seeds, which is not what sets
 * configurations apart, but two runs of one configuration are told apart by them.
 */
export function differingFields(specs: readonly object[]): string[] {
  if (specs.length < 2) return [];
  const records = specs as readonly Record<string, unknown>[];
  const keys = new Set(records.flatMap((s) => Object.keys(s)));
  const ordered = [...SPEC_KEYS.filter((k) => keys.has(k)), ...[...keys].filter((k) => !isSpecKey(k)).sort()];
  const differing = ordered.filter((f) => new Set(records.map((s) => JSON.stringify(s[f]))).size > 1);
  return differing.some((f) => !isSeed(f)) ? differing.filter((f) => !isSeed(f)) : differing;
}

/**
 * "What differs" in parts: each differing field with its distinct values once (`activation`,
 * `relu · sigmoid`), and the seeds as one part, their count (`8 seeds`) — replicates vary their
 * seeds, which is not what a sweep varied.
 */
export function differsParts(rows: readonly { field: string; values: readonly string[] }[]): { field: string | null; text: string }[] {
  const parts: { field: string | null; text: string }[] = rows.filter((r) => !isSeed(r.field)).map((r) => ({ field: r.field, text: [...new Set(r.values)].join(' · ') }));
  const seeds = rows.filter((r) => isSeed(r.field));
  if (seeds.length) {
    const n = Math.max(...seeds.map((r) => new Set(r.values).size));
    parts.push({ field: null, text: `${n} seed${n === 1 ? '' : 's'}` });
  }
  return parts;
}

/** A value as labels write it: strings and numbers bare, anything else as JSON ([1,16,2]); a missing one as –. */
export function valueText(v: unknown): string {
  if (v === undefined) return '–';
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
}

/** A value as the app shows it: arrays as [1, 16, 2], a typographic minus in fractions; a missing one as (default). */
export function displayValue(v: unknown): string {
  if (v === undefined) return '(default)';
  if (Array.isArray(v)) return JSON.stringify(v).replace(/,/g, ', ');
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(v).replace('-', '−');
  return String(v);
}

/** A configuration's name from `fields`: `activation=sigmoid initMean=-0.1`; with none, its shape and activation. */
export function configLabel(spec: object, fields: readonly string[]): string {
  const s = spec as Record<string, unknown>;
  return fields.length ? fields.map((f) => `${f}=${valueText(s[f])}`).join(' ') : `${valueText(s.shape)} ${valueText(s.activation)}`;
}

/**
 * One part of a short label: an enum's value alone (`sigmoid`), unless the field has a short name
 * (`output sigmoid`), else the field's short name and the value (`mean −0.1`).
 */
export function shortLabelPart(field: string, text: string): string {
  if (!isSpecKey(field)) return `${field} ${text}`;
  const meta = fieldMeta(field);
  return meta.kind === 'enum' && !meta.short ? text : `${meta.short ?? field} ${text}`;
}

/**
 * A short name for legends from `fields`, the k-th value written as `text(field, k)` (for a
 * spec: its displayValue): `sigmoid · mean −0.1`, at most `max` parts, then `…`.
 */
export function shortLabel(fields: readonly string[], text: (field: string, k: number) => string, max = 3): string {
  const parts = fields.slice(0, max).map((f, k) => shortLabelPart(f, text(f, k)));
  if (fields.length > max) parts.push('…');
  return parts.join(' · ');
}

/**
 * Names for configurations from the fields that differ between them (`activation=relu`,
 * `activation=sigmoid`); `config 1`, `config 2`… for identical specs; shape and activation for
 * one alone.
 */
export function configLabels(specs: readonly object[]): { labels: string[]; differs: string[] } {
  const differs = differingFields(specs);
  const labels = specs.map((s, i) => (differs.length || specs.length === 1 ? configLabel(s, differs) : `config ${i + 1}`));
  return { labels, differs };
}
