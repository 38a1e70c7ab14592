/**
 * What /proc says of a benchmark's server processes. CPU time used so far, from
 * /proc/<pid>/stat (user + system, fields 14 and 15, in clock ticks of 1/100 s on Linux): read
 * before and after a run, the difference divided by the events stored is the CPU per event.
 * Resident memory, from /proc/<pid>/status.
 */
import { readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100;

/** Seconds of CPU the process has used; 0 for one that is gone. */
export function cpuSeconds(pid: number): number {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return 0; // gone: it used nothing more
  }
  // The command name (field 2) may hold spaces: the fields after it follow the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** CPU seconds of several processes together. */
export const totalCpuSeconds = (pids: readonly number[]) => pids.reduce((sum, pid) => sum + cpuSeconds(pid), 0);

/** Resident memory in MB, from /proc/<pid>/status. */
export interface ResidentMemory {
  /** Now (VmRSS). */
  readonly rssMb: number;
  /** At its peak (VmHWM). */
  readonly peakRssMb: number;
  /**
   * Now, of its own anonymous memory (RssAnon: heaps, caches, buffers). VmRSS also counts the
   * pages of mapped files it touched, chiefly the node binary's code (about 50 MB for a
   * `heed serve` on an empty database), which every Node process on the machine shares.
   */
  readonly anonMb: number;
}

export function residentMemory(pid: number): ResidentMemory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { rssMb: kb('VmRSS') / 1024, peakRssMb: kb('VmHWM') / 1024, anonMb: kb('RssAnon') / 1024 };
}
