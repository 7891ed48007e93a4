import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli';

/** The trainer process's sources, as text. */
const dir = join(ROOT, 'src-main/worker');
const sources = Object.fromEntries(readdirSync(dir).filter((f) => f.endsWith('.ts')).map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
const importsOf = (text: string) => [...text.matchAll(/^import\s+(?:type\s+)?[^'"]*from\s+'([^']+)'/gm)].map((m) => m[1]);

describe('worker imports', () => {
  it('reads the trainer process’s sources', () => {
    expect(Object.keys(sources).map((f) => f.split('/').pop())).toEqual(expect.arrayContaining(['trainer-worker.ts', 'protocol.ts', 'port.ts']));
  });

  it('take nothing from the lab above it: only the trainer core, the data readers, its own files and the leaf modules (limits, version, wasm-features)', () => {
    const offending: string[] = [];
    for (const [file, text] of Object.entries(sources)) {
      for (const from of importsOf(text)) {
        if (from.startsWith('./') || from.startsWith('../trainer/') || from.startsWith('../data/') || ['../limits', '../version', '../wasm-features', 'zod'].includes(from) || from.startsWith('node:')) continue;
        offending.push(`${file}: ${from}`);
      }
    }
    expect(offending).toEqual([]);
  });

  it('reads data through data/, which stands on the trainer core alone (no lab, store or API)', () => {
    const dataDir = join(ROOT, 'src-main/data');
    const offending: string[] = [];
    for (const f of readdirSync(dataDir).filter((n) => n.endsWith('.ts'))) {
      for (const from of importsOf(readFileSync(join(dataDir, f), 'utf8'))) {
        if (from.startsWith('./') || from.startsWith('../trainer/') || from.startsWith('node:') || ['zod', 'csv-parse'].includes(from)) continue;
        offending.push(`${f}: ${from}`);
      }
    }
    expect(offending).toEqual([]);
  });
});
