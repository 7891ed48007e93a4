/** A LabService on a fresh temp database with real trainer processes. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openRunStore, type RunStore } from '../../src-main/db';
import { nodeLauncher, type TrainerProcess } from '../../src-main/lab/launch';
import { LabService, type LabEvent, type LabOptions } from '../../src-main/lab/service';

export function tempDbPath(): string {
  return join(mkdtempSync(join(tmpdir(), 'nnlab-lab-')), 'lab.sqlite');
}

export interface TestLab {
  lab: LabService;
  store: RunStore;
  events: LabEvent[];
  processes: TrainerProcess[];
  file: string;
  close(): Promise<void>;
}

export function createTestLab(options: Partial<LabOptions> = {}, file = tempDbPath()): TestLab {
  const store = openRunStore(file);
  const processes: TrainerProcess[] = [];
  const launch = nodeLauncher();
  const lab = new LabService({
    store,
    poolSize: 1,
    launch: (h) => {
      const p = launch(h);
      processes.push(p);
      return p;
    },
    ...options,
  });
  const events: LabEvent[] = [];
  lab.on((e) => events.push(e));
  return {
    lab,
    store,
    events,
    processes,
    file,
    close: async () => {
      await lab.close();
      store.close();
    },
  };
}

export function nextEvent(lab: LabService, match: (e: LabEvent) => boolean, timeoutMs = 20_000): Promise<LabEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error('timed out waiting for a lab event'));
    }, timeoutMs);
    const off = lab.on((e) => {
      if (match(e)) {
        clearTimeout(timer);
        off();
        resolve(e);
      }
    });
  });
}
