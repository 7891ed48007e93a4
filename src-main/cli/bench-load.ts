/**
 * How busy the machine was while `nnlab bench` measured: the share of the machine's CPU time
 * that other processes used (everything but the bench's own processes), the share the hypervisor
 * stole, and the load average. A bench on a shared machine is only as good as what it says about
 * its neighbours.
 *
 * Linux only for the shares (/proc/stat and /proc/<pid>/stat, in USER_HZ ticks of 1/100 s, which
 * is what every Linux build reports there); elsewhere only the load average.
 */
import { readdirSync, readFileSync } from 'node:fs';
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

/** A process's CPU ticks (utime + stime + cutime + cstime: its own and its reaped children's) and its parent, or null once it is gone. */
function processStat(pid: string): { ticks: number; ppid: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the command name (field 2) may hold spaces: the fields after it start past its ')'
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { ticks: Number(rest[11]) + Number(rest[12]) + Number(rest[13]) + Number(rest[14]), ppid: Number(rest[1]) };
  } catch {
    return null;
  }
}

/**
 * CPU ticks of this process and every live process descended from it (the bench's agents, the
 * sweeps' trainer processes, `nnlab train` runs and their trainer processes): the bench's own
 * CPU. A descendant that has exited is counted in its parent's cutime once reaped.
 */
function ourTicks(): number {
  const self = process.pid;
  const stats = new Map<number, { ticks: number; ppid: number }>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const st = processStat(name);
    if (st) stats.set(Number(name), st);
  }
  const children = new Map<number, number[]>();
  for (const [pid, st] of stats) {
    const list = children.get(st.ppid);
    if (list) list.push(pid);
    else children.set(st.ppid, [pid]);
  }
  let ticks = 0;
  const todo = [self];
  while (todo.length) {
    const pid = todo.pop()!;
    ticks += stats.get(pid)?.ticks ?? 0;
    todo.push(...(children.get(pid) ?? []));
  }
  return ticks;
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

  constructor() {
    this.last = this.read();
  }

  private read(): { machine: CpuTicks; ours: number } | null {
    const machine = machineTicks();
    if (!machine) return null;
    return { machine, ours: ourTicks() };
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
