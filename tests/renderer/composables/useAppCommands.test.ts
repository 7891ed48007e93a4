// @vitest-environment happy-dom
/** composables/useAppCommands: the desktop menu's commands open views and cycle the theme in the page. */
import { afterEach, describe, expect, it } from 'vitest';
import { handleAppCommands, onImportData, runAppCommand, takeImportRequest } from '../../../src-renderer/src/composables/useAppCommands';
import { selection, view } from '../../../src-renderer/src/composables/useNav';
import { themeMode } from '../../../src-renderer/src/composables/useTheme';

afterEach(() => {
  selection.value = [];
  view.value = 'runs';
});

describe('composables/useAppCommands', () => {
  it('opens the views of the File and View menus', () => {
    runAppCommand('new-run');
    expect(view.value).toBe('new');
    runAppCommand('new-sweep');
    expect(view.value).toBe('sweep');
    runAppCommand('runs');
    expect(view.value).toBe('runs');
  });

  it('opens the comparison of the selected runs, or the runs table to pick them in', () => {
    runAppCommand('open-comparison');
    expect(view.value).toBe('runs');
    selection.value = [3, 4];
    runAppCommand('open-comparison');
    expect(view.value).toBe('compare');
    expect(selection.value).toEqual([3, 4]);
  });

  it('cycles the theme, and hands Import Data to the view that registered for it', () => {
    themeMode.value = 'auto';
    handleAppCommands({ type: 'app/command', command: 'theme' });
    expect(themeMode.value).toBe('light');
    let imported = 0;
    const off = onImportData(() => imported++);
    handleAppCommands({ type: 'app/command', command: 'import-data' });
    off();
    expect(view.value).toBe('runs');
    // with no data view open, the command opens it, which imports once mounted
    handleAppCommands({ type: 'app/command', command: 'import-data' });
    expect(imported).toBe(1);
    expect(view.value).toBe('data');
    expect(takeImportRequest()).toBe(true);
    expect(takeImportRequest()).toBe(false);
    // other events are not commands
    view.value = 'runs';
    handleAppCommands({ type: 'run/started', runId: 1 });
    expect(view.value).toBe('runs');
  });
});
