/**
 * `nnlab verify RUN_ID`: re-run a saved run and compare its cost history bit for bit. The check is
 * stored with the run, so the app shows its badge too.
 */
import type { Command } from 'commander';
import { verificationOf, verifyRun } from '../lab/verify';
import { StoreError } from '../db/errors';
import { DataMissingError } from '../data/sources';
import { SpecError } from '../trainer/spec';
import { parseInteger } from './spec-flags';
import { DB_OPTION, openStoreFor } from './store';
import { RunFailedError, UsageError } from './usage';

export function registerVerify(program: Command): void {
  program
    .command('verify')
    .description('re-run a saved run from its spec and seeds and compare the cost history bit for bit')
    .argument('<id>', 'run id')
    .option('--json', 'print the report as JSON')
    .option(...DB_OPTION)
    .action(async (id: string, o: { json?: boolean; db?: string }) => {
      const runId = parseInteger(id.replace(/^#/, ''), 'run id') as number;
      const { store, writes } = await openStoreFor(o, 'write');
      try {
        if (!store.getRun(runId)) throw new UsageError(`no run #${runId} in ${store.file}`);
        let report;
        try {
          report = verifyRun(store, runId);
        } catch (e) {
          if (e instanceof RangeError || e instanceof DataMissingError) throw new UsageError(e.message);
          // the data the run names is not here, or not what it was
          if (e instanceof SpecError) throw new RunFailedError(`run #${runId} cannot be re-run: ${e.message}`);
          throw e;
        }
        try {
          await writes.write(`the check of run #${runId}`, () => store.saveVerification(verificationOf(report)));
        } catch (e) {
          if (e instanceof StoreError) throw new RunFailedError(`the check of run #${runId} was not saved: ${e.message}`);
          throw e;
        }
        if (o.json) process.stdout.write(`${JSON.stringify(report)}\n`);
        else if (report.verdict === 'identical') process.stdout.write(`run #${runId}: identical — ${report.batches} batch costs reproduced bit for bit (${report.replay.kernel})\n`);
        else {
          const why =
            report.verdict === 'different-app-version'
              ? ` (saved by nnlab ${report.stored.appVersion}, replayed by ${report.replay.appVersion})`
              : report.verdict === 'different-kernel'
                ? ` (saved with kernel ${report.stored.kernel}, replayed with ${report.replay.kernel})`
                : '';
          process.stdout.write(`run #${runId}: differs at batch ${report.firstDifferentBatch}${why}; largest relative difference ${report.maxRelativeDifference.toExponential(2)}\n`);
        }
        if (report.verdict !== 'identical' && !o.json) throw new RunFailedError(`run #${runId} did not reproduce`);
      } finally {
        store.close();
      }
    });
}
