/**
 * How many threads a run trains on when the user did not say (`--threads`): the cores that the
 * running trainer processes leave free, counting the run's own thread, at least 1. Every trainer
 * training at once gets an equal share, so two runs on a 2-core machine train on one thread each
 * and a run alone on both. The same rule for every training path: a trainer process of the lab's
 * pool, `nnlab train --no-save`, a queue worker's processes.
 */
import { cpus } from 'node:os';

let machineCores = 0;

/** The machine's cores, read once (os.cpus() reads /proc/cpuinfo: ~0.2 ms, too slow per run). */
function machine(): number {
  return (machineCores ||= Math.max(1, cpus().length));
}

/** `running`: trainers training at once, the one being started included. */
export function defaultThreads(running = 1, cores = machine()): number {
  return Math.max(1, Math.floor(cores / Math.max(1, running)));
}
