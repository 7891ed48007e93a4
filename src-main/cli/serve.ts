/** `nnlab serve`: browser mode — the lab's API and UI on 127.0.0.1, for headless machines and tests. */
import { dirname } from 'node:path';
import type { Command } from 'commander';
import { KERNEL_CHOICES } from '../trainer/backends';
import { findBuilt } from '../lab/paths';
import { LabService } from '../lab/service';
import { startLabServer } from '../server/http';
import { addProcessesOption, processCount } from './processes';
import { parseInteger } from './spec-flags';
import { DB_OPTION, openStoreFor } from './store';
import { kernelOption } from './train';
import { tally, unsavedLines } from './saved';
import { onStopSignals, type StopSignals } from './signals';
import { UsageError } from './usage';

/** The built renderer: beside the CLI bundle (out/renderer), or in out/ when run from source. */
export function rendererDir(): string {
  const index = findBuilt(__dirname, ['renderer/index.html', 'out/renderer/index.html']);
  if (!index) throw new UsageError('the app is not built (no out/renderer/index.html): run npm run build');
  return dirname(index);
}

export interface ServeOptions {
  port?: string;
  db?: string;
  processes?: string;
  workers?: string;
  kernel?: string;
  maxWeights?: string;
}

/**
 * Starts the server and resolves when it is listening; returns a stop function, which says on
 * stderr which runs it stopped (saved as interrupted) and any whose end is not in the database.
 */
export async function serve(options: ServeOptions, print: (line: string) => void): Promise<(why?: string) => Promise<void>> {
  const port = options.port === undefined ? 0 : (parseInteger(options.port, '--port') as number);
  if (port < 0 || port > 65535) throw new UsageError(`--port: expected 0–65535, got ${options.port}`);
  const processes = processCount(options);
  const maxWeights = options.maxWeights === undefined ? undefined : (parseInteger(options.maxWeights, '--max-weights') as number);
  const staticDir = rendererDir();
  // a database this user may not write opens read-only: the lab can be browsed, and says why it cannot change
  const { store, writes, readOnly, notices } = await openStoreFor(options, 'read', { sayMade: false });
  const lab = new LabService({ store, writes, poolSize: processes, kernel: kernelOption(options.kernel), maxWeights });
  let server;
  try {
    server = await startLabServer({ lab, staticDir, database: store.file, port, maxWeights, opened: notices });
  } catch (e) {
    await lab.close();
    store.close();
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'EADDRINUSE' ? `--port: port ${port} is in use` : `cannot listen on 127.0.0.1:${port} (${(e as Error).message})`);
  }
  print(server.url);
  if (readOnly) process.stderr.write(`nnlab: read-only: ${store.file} cannot be written (${readOnly}); runs can be browsed, not started or changed\n`);
  // the trainer processes load while the person opens the page, not when they press Run
  else void lab.warm();
  return async (why = 'the server closed') => {
    const stopping = lab.activeRunIds().map((id) => lab.wait(id));
    await server.close();
    await lab.close();
    const ends = await Promise.all(stopping);
    const cut = ends.filter((c) => c?.status === 'interrupted').map((c) => c!.runId);
    const unsaved = unsavedLines(tally(ends, writes), writes);
    const queued = ends.filter((c) => c?.status === 'queued').map((c) => `#${c!.runId}`);
    const lines = [
      cut.length ? `stopped (${why}): ${cut.map((id) => `#${id}`).join(', ')} did not finish; saved as interrupted in ${store.file}` : '',
      queued.length ? `${queued.join(', ')} wait in the job queue; the next lab that opens ${store.file} with it collects them` : '',
      ...unsaved,
    ].filter(Boolean);
    // the file deleted or replaced meanwhile: what this lab holds is written where the user finds it
    const rescued = store.rescueMoved();
    if (rescued) lines.push(rescued.message);
    for (const line of lines) process.stderr.write(`nnlab: ${line}\n`);
    store.close();
  };
}

export function registerServe(program: Command): void {
  const cmd = program
    .command('serve')
    .description('serve the lab in a browser on 127.0.0.1 (prints the URL with its access token)')
    .option('--port <port>', 'port (default: a free one)');
  addProcessesOption(cmd)
    .option('--kernel <name>', `matrix kernels: ${KERNEL_CHOICES.join('|')}`)
    .option('--max-weights <n>', 'raise the cap on network size (default 50,000,000 weights)')
    .option(...DB_OPTION)
    .action(async (options: ServeOptions) => {
      const stop = await serve(options, (line) => process.stdout.write(`${line}\n`));
      // Ctrl-C, SIGTERM, SIGHUP: the runs in training end interrupted and are written so; a second signal does not cut that short
      let signals: StopSignals | null = null;
      await new Promise<void>((resolveStop) => {
        signals = onStopSignals(() => void stop(signals!.label).then(resolveStop));
      });
      signals!.off();
    });
}
