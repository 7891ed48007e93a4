/**
 * How busy the machine was while `nnlab bench` measured: the share of the machine's CPU time
 * that other processes used (everything but the bench's own processes), the share the hypervisor
 * stole, and the load average. A bench on a shared machine is only as good as what it says about
 * its neighbours.
 *
 * Linux only for the shares (/proc/stat and /proc/<pid>/stat, in USER_HZ ticks of 1/100 s, which
 * is what every Linux build reports there); elsewhere only the load average.
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';

interface CpuTicks {
  /** All CPUs' ticks, busy and idle. */
  total: number;
  busy: number;
  steal: number;
}

function machineTicks(): CpuTicks | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0];
    // cpu user nice system idle iowait irq softirq steal guest guest_nice
    const f = line.trim().split(/\s+/).slice(1, 9).map(Number);
    if (f.length < 8 || f.some((x) => !Number.isFinite(x))) return null;
    const total = f.reduce((s, x) => s + x, 0);
    const idle = f[3] + f[4];
    return { total, busy: total - idle - f[7], steal: f[7] };
  } catch {
    return null;
  }
}

/** utime + stime + cutime + cstime of a process (its own CPU and its waited-for children's), in ticks. */
function processTicks(pid: number | 'self'): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the command name (field 2) may hold spaces: the fields after it start past its ')'
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(rest[11]) + Number(rest[12]) + Number(rest[13]) + Number(rest[14]);
  } catch {
    return 0; // a process that has gone: its time is in its parent's cutime once reaped
  }
}

export interface LoadSample {
  /** Share of the machine's CPU time (0–1, all cores) used by other processes over the interval. */
  others: number;
  /** Share stolen by the hypervisor (other virtual machines). */
  steal: number;
}

/** Measures intervals: `mark()` starts one, `sample()` ends it and starts the next. */
export class LoadMeter {
  private last: { machine: CpuTicks; ours: number } | null = null;

  /** `pids`: the bench's own processes besides this one (its agents), asked at each reading. */
  constructor(private readonly pids: () => readonly number[]) {
    this.last = this.read();
  }

  private read(): { machine: CpuTicks; ours: number } | null {
    const machine = machineTicks();
    if (!machine) return null;
    let ours = processTicks('self');
    for (const pid of this.pids()) ours += processTicks(pid);
    return { machine, ours };
  }

  mark(): void {
    this.last = this.read();
  }

  /** The interval since the last mark or sample (null where /proc is missing or the interval is empty). */
  sample(): LoadSample | null {
    const now = this.read();
    const before = this.last;
    this.last = now;
    if (!now || !before) return null;
    const total = now.machine.total - before.machine.total;
    if (total <= 0) return null;
    const others = (now.machine.busy - before.machine.busy - (now.ours - before.ours)) / total;
    return { others: Math.max(0, Math.min(1, others)), steal: (now.machine.steal - before.machine.steal) / total };
  }
}

/** The 1-minute load average (0 where the platform has none, e.g. Windows). */
export function loadAverage(): number {
  return loadavg()[0];
}
