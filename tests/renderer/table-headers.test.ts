/**
 * Every data table's header cells say what they head (scope="col" or scope="row"), and none is an
 * empty <th/>: a screen reader reads a cell with its column's header only where the header says its
 * scope; an empty header cell reads as nothing. Read from the components' templates, every <th> tag.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '../../src-renderer/src');

function vueFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? vueFiles(join(dir, e.name)) : e.name.endsWith('.vue') ? [join(dir, e.name)] : []));
}

describe('renderer: data-table header cells', () => {
  it('give every <th> a scope, and no header cell is empty', () => {
    const bad: string[] = [];
    let seen = 0;
    for (const file of vueFiles(root)) {
      const text = readFileSync(file, 'utf8');
      const template = text.slice(text.indexOf('<template>'), text.lastIndexOf('</template>'));
      for (const m of template.matchAll(/<th(\s[^>]*)?\/?>/g)) {
        seen++;
        const line = text.slice(0, text.indexOf(template) + (m.index ?? 0)).split('\n').length;
        const where = `${relative(root, file)}:${line} ${m[0]}`;
        if (!/\s:?scope="/.test(m[1] ?? '')) bad.push(`${where}: no scope`);
        if (m[0].endsWith('/>')) bad.push(`${where}: empty`);
      }
    }
    expect(seen).toBeGreaterThan(40);
    expect(bad).toEqual([]);
  });
});
