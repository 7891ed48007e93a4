/** A LabService on a fresh temp database with real trainer processes. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openRunStore, type RunStore } from '../../src-main/db';
import type { WritePath } from '../../src-main/db/write-path';
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

/** `writePath`: the lab's write path, made on its store (default: LabService's own). */
export function createTestLab(options: Partial<LabOptions> & { writePath?: (store: RunStore) => WritePath } = {}, file = tempDbPath()): TestLab {
  const store = openRunStore(file);
  const { writePath, ...rest } = options;
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
    ...(writePath ? { writes: writePath(store) } : {}),
    ...rest,
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
