/** api/handlers: the DESKTOP_ONLY calls answer in the desktop app and are refused, as data, elsewhere. */
import { afterEach, describe, expect, it } from 'vitest';
import { DESKTOP_ONLY } from '../../src-main/api/contract';
import { createHandlers, dispatch } from '../../src-main/api/handlers';
import { createTestLab, type TestLab } from '../helpers/lab';

let t: TestLab | null = null;
afterEach(async () => {
  await t?.close();
  t = null;
});

describe('api: desktop-only calls', () => {
  it('refuses dialog/openFile in browser mode with a 409 that says why, and says desktop: false in lab/status', async () => {
    t = createTestLab();
    const handlers = createHandlers(t.lab, { database: t.file });
    expect(DESKTOP_ONLY).toEqual(['dialog/openFile']);
    const r = await dispatch(handlers, 'dialog/openFile', {});
    expect(r.status).toBe(409);
    expect(r.result).toEqual({ ok: false, error: { name: 'UnavailableError', message: expect.stringMatching(/desktop app only/) } });
    expect(((await dispatch(handlers, 'lab/status', {})).result as { value: { desktop: boolean } }).value.desktop).toBe(false);
  });

  it('hands a valid request to the desktop’s dialog and answers its path; a bad filter names the field', async () => {
    t = createTestLab();
    const asked: unknown[] = [];
    const handlers = createHandlers(t.lab, { database: t.file, desktop: { openFile: async (req) => (asked.push(req), { path: '/home/ada/data ü.csv' }) } });
    const ok = await dispatch(handlers, 'dialog/openFile', { title: 'Import data', filters: [{ name: 'CSV', extensions: ['csv', 'txt'] }] });
    expect(ok.result).toEqual({ ok: true, value: { path: '/home/ada/data ü.csv' } });
    expect(asked).toEqual([{ title: 'Import data', filters: [{ name: 'CSV', extensions: ['csv', 'txt'] }] }]);
    const bad = await dispatch(handlers, 'dialog/openFile', { filters: [{ name: 'CSV', extensions: ['.csv'] }] });
    expect(bad.status).toBe(400);
    expect(bad.result).toMatchObject({ ok: false, error: { name: 'RequestError', field: 'filters[0].extensions[0]' } });
    expect(asked).toHaveLength(1);
    expect(((await dispatch(handlers, 'lab/status', {})).result as { value: { desktop: boolean } }).value.desktop).toBe(true);
  });
});
