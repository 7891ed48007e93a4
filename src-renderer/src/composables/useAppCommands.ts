/**
 * The desktop app's menu commands ('app/command' events from the main process) carried out in
 * the page: the views to open and the theme. 'import-data' belongs to the data-import view, which
 * registers its handler with onImportData (it opens the system dialog through 'dialog/openFile');
 * from another view it opens that view, which takes the request when it is mounted.
 */
import type { AppCommand, LabEventWire } from '@main/api/contract';
import { go, selection } from './useNav';
import { cycleTheme } from './useTheme';

let importData: (() => void) | null = null;
/** File › Import Data… was chosen while the data view was not open: it imports once mounted. */
let importRequested = false;

/** Whether an import was asked for before the data view was open (asking clears it). */
export function takeImportRequest(): boolean {
  const asked = importRequested;
  importRequested = false;
  return asked;
}

/** The data-import view's handler for File › Import Data…; returns the function that removes it. */
export function onImportData(handler: () => void): () => void {
  importData = handler;
  return () => {
    if (importData === handler) importData = null;
  };
}

export function runAppCommand(command: AppCommand): void {
  if (command === 'new-run') go('new');
  else if (command === 'new-sweep') go('sweep');
  else if (command === 'runs') go('runs');
  // the selected runs' comparison, or the runs table to pick them in
  else if (command === 'open-comparison') go(selection.value.length ? 'compare' : 'runs', selection.value);
  else if (command === 'theme') cycleTheme();
  else if (command === 'import-data') {
    if (importData) importData();
    else {
      importRequested = true;
      go('data');
    }
  }
}

/** Feeds the page's event stream to runAppCommand. */
export function handleAppCommands(e: LabEventWire): void {
  if (e.type === 'app/command') runAppCommand(e.command);
}
