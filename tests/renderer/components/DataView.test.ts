// @vitest-environment happy-dom
/**
 * The data view: the data sets listed with size, rows and columns; the desktop import through the
 * system dialog's path, File › Import Data… from another view opening it; a refusal shown as the
 * lab wrote it.
 */
import { mount } from '@vue/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import DataView from '../../../src-renderer/src/components/DataView.vue';
import { runAppCommand } from '../../../src-renderer/src/composables/useAppCommands';
import { view } from '../../../src-renderer/src/composables/useNav';
import type { DatasetSummary } from '@main/db/datasets';
import { flush } from '../helpers/fake-lab';
import { setupApp } from '../helpers/mount';

let app: ReturnType<typeof setupApp>;
afterEach(() => app?.close());

const points: DatasetSummary = {
  id: 1,
  format: 'csv',
  importedAt: 0,
  runs: 2,
  name: 'points.csv',
  sha256: 'ab'.repeat(32),
  bytes: 2048,
  rows: 300,
  columns: [
    { name: 'a', notNumber: null, empty: null, classes: null, distinct: 1001, min: -1, max: 1 },
    { name: 'where', notNumber: { line: 2, column: 2, reason: "'in' is not a number" }, empty: null, classes: ['in', 'out'], distinct: 2, min: null, max: null },
  ],
};

const desktopStatus = () => ({ version: '0.1.0', poolSize: 1, queued: 0, running: 0, database: 'test.sqlite', desktop: true, readOnly: null, fault: null, journaled: [] });

describe('renderer/components/DataView', () => {
  it('lists the data sets with their size, rows, columns and runs', async () => {
    app = setupApp({ 'datasets/list': () => ({ datasets: [points] }) });
    const w = mount(DataView);
    await flush();
    const row = w.find(`[data-sha256="${points.sha256}"]`);
    expect(row.text()).toContain('points.csv');
    expect(row.text()).toContain('2.0 kB');
    expect(row.text()).toContain('300');
    expect(row.text()).toContain('a, where (2 classes)');
    w.unmount();
  });

  it('gives a tiny file’s size in bytes and a large one’s in MB (a 22-byte file read “0.0 kB”)', async () => {
    const tiny = { ...points, sha256: 'cd'.repeat(32), bytes: 22 };
    const large = { ...points, sha256: 'ef'.repeat(32), bytes: 40 * 1024 * 1024 };
    app = setupApp({ 'datasets/list': () => ({ datasets: [tiny, large] }) });
    const w = mount(DataView);
    await flush();
    const size = (sha: string) => w.find(`[data-sha256="${sha}"] td.num`).text();
    expect(size(tiny.sha256)).toBe('22 B');
    expect(size(large.sha256)).toBe('40.0 MB');
    w.unmount();
  });

  it('imports the file the desktop dialog chose, from File › Import Data… in another view too, and shows a refusal as written', async () => {
    const stored: DatasetSummary[] = [];
    let answer: 'ok' | 'bad' = 'ok';
    app = setupApp({
      'lab/status': desktopStatus,
      'datasets/list': () => ({ datasets: [...stored] }),
      'dialog/openFile': () => ({ path: '/home/me/points.csv' }),
      'datasets/import': (req) => {
        if (answer === 'bad') throw new Error('bad.csv: line 3, column 2: 1 field where the header has 2');
        expect(req).toEqual({ path: '/home/me/points.csv' });
        stored.push(points);
        const { id: _id, format: _f, importedAt: _at, runs: _runs, ...dataset } = points;
        return { dataset, created: true };
      },
    });
    await app.lab.refreshStatus();
    view.value = 'runs';
    runAppCommand('import-data');
    expect(view.value).toBe('data');
    const w = mount(DataView);
    await flush(10);
    expect(app.client.calls.map((c) => c.name)).toEqual(expect.arrayContaining(['dialog/openFile', 'datasets/import']));
    expect(w.find('[data-testid="data-notice"]').text()).toBe(`Stored: points.csv (300 rows, data set ${points.sha256.slice(0, 12)})`);
    expect(w.find(`[data-sha256="${points.sha256}"]`).exists()).toBe(true);
    answer = 'bad';
    runAppCommand('import-data');
    await flush(10);
    expect(w.find('[data-testid="data-error"]').text()).toBe('bad.csv: line 3, column 2: 1 field where the header has 2');
    w.unmount();
  });
});
