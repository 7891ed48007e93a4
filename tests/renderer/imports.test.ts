import { describe, expect, it } from 'vitest';

/** Every renderer source file, as text. */
const sources = import.meta.glob('../../src-renderer/src/**/*.{ts,vue}', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

describe('renderer imports', () => {
  it('reads the renderer’s sources', () => {
    expect(Object.keys(sources).length).toBeGreaterThan(30);
  });

  it('takes nothing from the main side but the API contract (and types): the renderer stays free of Node', () => {
    const offending: string[] = [];
    for (const [file, text] of Object.entries(sources)) {
      for (const m of text.matchAll(/^import\s+(type\s+)?[^'"]*from\s+'([^']+)'/gm)) {
        const [, typeOnly, from] = m;
        if (from.startsWith('node:') || ['fs', 'path', 'os', 'child_process', 'electron', 'better-sqlite3'].includes(from)) offending.push(`${file}: ${from}`);
        if (!from.includes('src-main/')) continue;
        if (typeOnly || from.endsWith('src-main/api/contract')) continue;
        offending.push(`${file}: ${from}`);
      }
    }
    expect(offending).toEqual([]);
  });
});
