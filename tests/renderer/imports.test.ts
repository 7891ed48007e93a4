import { describe, expect, it } from 'vitest';

/** Every renderer source file, as text. */
const sources = import.meta.glob('../../src-renderer/src/**/*.{ts,vue}', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;
/** The pure analysis modules the renderer shares with the CLI and the lab. */
const analysis = import.meta.glob('../../src-main/analysis/*.ts', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

/**
 * The trainer core's tables the renderer reads (Node-free like all of trainer/, tsconfig.core.json): spec fields, tasks, the metrics' names,
 * and a data set's task (trainer/table: what a table's columns make, so the New run form's picker applies the lab's own rules).
 */
const TABLES = ['@main/trainer/spec-fields', '@main/trainer/tasks', '@main/trainer/metrics', '@main/trainer/table'];
/** The API's contract, and the page's build as browser mode's calls name it (api/page-build). */
const API = ['@main/api/contract', '@main/api/page-build'];
const NODE_MODULES = ['fs', 'path', 'os', 'child_process', 'worker_threads', 'crypto', 'electron', 'better-sqlite3'];
const importsOf = (text: string) => [...text.matchAll(/^import\s+(type\s+)?[^'"]*from\s+'([^']+)'/gm)].map((m) => ({ typeOnly: !!m[1], from: m[2] }));

describe('renderer imports', () => {
  it('reads the renderer’s sources and the shared analysis modules', () => {
    expect(Object.keys(sources).length).toBeGreaterThan(30);
    // the check below looks at `@main/…` imports: it must have some to look at
    expect(Object.values(sources).flatMap((t) => importsOf(t)).filter((i) => i.from.startsWith('@main/')).length).toBeGreaterThan(20);
    expect(Object.keys(analysis).map((f) => f.split('/').pop()).sort()).toEqual(expect.arrayContaining(['paired.ts', 'presets.ts', 'stats.ts']));
  });

  it('takes nothing from the main side but the API contract, types, the pure analysis modules and the core’s tables: the renderer stays free of Node', () => {
    const offending: string[] = [];
    for (const [file, text] of Object.entries(sources)) {
      for (const { typeOnly, from } of importsOf(text)) {
        if (from.startsWith('node:') || NODE_MODULES.includes(from)) offending.push(`${file}: ${from}`);
        // the main side is reached through the `@main/` alias only, so this check sees every such import
        if (from.includes('src-main/')) offending.push(`${file}: ${from} (write @main/…)`);
        if (!from.startsWith('@main/')) continue;
        if (typeOnly || API.includes(from) || TABLES.includes(from) || /^@main\/analysis\/[a-z-]+$/.test(from)) continue;
        offending.push(`${file}: ${from}`);
      }
    }
    expect(offending).toEqual([]);
  });

  it('keeps the spec’s field table plain data: it imports nothing but types and the task table (which tasks read which fields)', () => {
    const text = Object.values(import.meta.glob('../../src-main/trainer/spec-fields.ts', { query: '?raw', import: 'default', eager: true }) as Record<string, string>)[0];
    expect(importsOf(text).length).toBeGreaterThan(0);
    expect(importsOf(text).filter((i) => !i.typeOnly && i.from !== './tasks')).toEqual([]);
  });

  it('keeps the activation table a leaf: it imports nothing (the analysis modules may read it)', () => {
    const text = Object.values(import.meta.glob('../../src-main/trainer/activations.ts', { query: '?raw', import: 'default', eager: true }) as Record<string, string>)[0];
    expect(text.length).toBeGreaterThan(1000);
    expect(importsOf(text)).toEqual([]);
  });

  it('keeps the lab’s limits a leaf: src-main/limits.ts imports nothing (every layer, analysis included, may import it)', () => {
    const text = Object.values(import.meta.glob('../../src-main/limits.ts', { query: '?raw', import: 'default', eager: true }) as Record<string, string>)[0];
    expect(text.length).toBeGreaterThan(1000);
    expect(importsOf(text)).toEqual([]);
  });

  it('keeps the analysis modules pure: they import each other, the spec’s field table, the task and activation tables, the store’s constants, the lab’s limits, and only types from the store and the trainer core', () => {
    const offending: string[] = [];
    for (const [file, text] of Object.entries(analysis)) {
      for (const { typeOnly, from } of importsOf(text)) {
        if (/^\.\/[a-z-]+$/.test(from)) continue; // another analysis module
        if (typeOnly && (from === '../db/types' || /^\.\.\/trainer\/[a-z-]+$/.test(from))) continue;
        if (from === '../trainer/spec-fields') continue; // the field table: plain data, imports nothing but types (checked above)
        if (from === '../trainer/tasks' || from === '../db/types') continue; // the task table (pure core) and the store's constants (no Node, no driver)
        if (from === '../trainer/activations') continue; // the activation table (a leaf: imports nothing, checked below), for the network view's units
        if (from === '../limits') continue; // the lab's limits (a leaf: imports nothing, checked below), for the query's longest text
        offending.push(`${file}: ${from}`);
      }
      // no dynamic imports, requires or Node globals either
      for (const m of text.matchAll(/\b(require\(|import\(|process\.|Buffer\b|__dirname)/g)) offending.push(`${file}: ${m[1]}`);
    }
    expect(offending).toEqual([]);
  });
});
