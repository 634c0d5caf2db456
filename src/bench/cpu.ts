// CPU time spent by the two processes a run loads: this one (worker, workflow threads, simulators, client)
// and the dev server. Unlike wall time it hardly moves when other programs share the machine, so it is the
// fairer measure of what a refund costs.
import { readFileSync } from 'node:fs';

export interface CpuSample {
  benchMs: number;
  /** null where /proc is unavailable (not Linux). */
  serverMs: number | null;
}

/** utime + stime of a process, in ms, from /proc/<pid>/stat (clock ticks of 10 ms on Linux). */
export function processCpuMs(pid: number, read: (path: string) => string = (p) => readFileSync(p, 'utf8')): number | null {
  try {
    const stat = read(`/proc/${pid}/stat`);
    // The command name may contain spaces and parentheses: fields are counted after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime: fields 14 and 15 of the whole line
    return Number.isFinite(ticks) ? ticks * 10 : null;
  } catch {
    return null;
  }
}

export function cpuSample(serverPid: number | undefined): CpuSample {
  const own = process.cpuUsage();
  return { benchMs: (own.user + own.system) / 1000, serverMs: serverPid === undefined ? null : processCpuMs(serverPid) };
}

export interface CpuUse {
  benchMs: number;
  serverMs: number | null;
}

export function cpuBetween(a: CpuSample, b: CpuSample): CpuUse {
  return { benchMs: b.benchMs - a.benchMs, serverMs: a.serverMs === null || b.serverMs === null ? null : b.serverMs - a.serverMs };
}
