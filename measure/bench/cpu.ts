/**
 * CPU time of the stack's processes over a phase (utime + stime from /proc/<pid>/stat), so a
 * lifecycle's cost can be split between Temporal, the worker, the API, Postgres and this process.
 * Postgres backends are found by the database name in their process title; one that exits in the
 * middle of a phase takes its time with it, so that figure is a lower bound.
 */
import fs from 'node:fs';

const TICKS_PER_SECOND = 100; // CLK_TCK on Linux

function ticks(pid: number): number | null {
  try {
    // Fields after the command (which may hold spaces) start after the last ')'.
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return null;
  }
}

export function pidsWhere(match: (cmdline: string) => boolean): number[] {
  const out: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (match(fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' '))) out.push(Number(entry));
    } catch {
      // gone already
    }
  }
  return out;
}

export type ProcessGroups = Record<string, () => number[]>;

/** Starts measuring; the returned function gives each group's CPU seconds since. */
export function cpuMeter(groups: ProcessGroups): () => Record<string, number> {
  const snapshot = () => {
    const out = new Map<string, Map<number, number>>();
    for (const [name, pids] of Object.entries(groups)) {
      const m = new Map<number, number>();
      for (const pid of pids()) {
        const t = ticks(pid);
        if (t !== null) m.set(pid, t);
      }
      out.set(name, m);
    }
    return out;
  };
  const before = snapshot();
  return () => {
    const after = snapshot();
    const result: Record<string, number> = {};
    for (const [name, m] of after) {
      let sum = 0;
      for (const [pid, t] of m) sum += t - (before.get(name)?.get(pid) ?? 0);
      result[name] = sum / TICKS_PER_SECOND;
    }
    return result;
  };
}
