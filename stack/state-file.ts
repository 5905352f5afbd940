/**
 * What a supervisor (`npm start`: DATA_DIR/stack.json, `npm run cluster`: DATA_DIR/cluster.json)
 * is running, recorded in a file so that a run killed outright (SIGKILL) has its leftovers
 * stopped by the next one.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import fs from 'node:fs';
import { killGroup } from './supervisor';

export interface StateRecord {
  pid: number;
  children: { name: string; pid: number; cmdline: string }[];
  /** Anything else a reader wants to know (ports, folders). */
  info?: Record<string, unknown>;
}

export const cmdlineOf = (pid: number): string | null => {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return null;
  }
};

export const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

export class StateFile {
  constructor(
    readonly file: string,
    private readonly owner: {
      /** How the supervisor's own command line reads (a live one means: refuse to start). */
      marker: string;
      command: string;
      /** A leftover's signal when SIGTERM is not the way to stop it. */
      stopSignals?: Record<string, NodeJS.Signals>;
    },
    private readonly log: (line: string) => void,
  ) {}

  read(): StateRecord | null {
    try {
      return JSON.parse(fs.readFileSync(this.file, 'utf8')) as StateRecord;
    } catch {
      return null;
    }
  }

  /** Refuses to run beside a live supervisor; stops what a killed one left behind. Returns an error line or null. */
  async clearLeftovers(): Promise<string | null> {
    const record = this.read();
    if (!record) return null;
    if (record.pid !== process.pid && isAlive(record.pid) && (cmdlineOf(record.pid) ?? '').includes(this.owner.marker))
      return `${this.owner.command} is already running here (pid ${record.pid}); stop it first (Ctrl-C in its terminal, or kill ${record.pid})`;
    for (const child of record.children) {
      // Only a process that is still the very one we started (same command line) is ours to stop.
      if (!isAlive(child.pid) || cmdlineOf(child.pid) !== child.cmdline) continue;
      this.log(`stopping ${child.name} (pid ${child.pid}), left running by an earlier run that did not stop cleanly`);
      killGroup(child.pid, this.owner.stopSignals?.[child.name] ?? 'SIGTERM');
      const deadline = Date.now() + 15_000;
      while (isAlive(child.pid) && cmdlineOf(child.pid) === child.cmdline && Date.now() < deadline) await sleep(200);
      if (isAlive(child.pid) && cmdlineOf(child.pid) === child.cmdline) killGroup(child.pid, 'SIGKILL');
    }
    this.remove();
    return null;
  }

  write(children: { name: string; pid: number | undefined }[], info?: Record<string, unknown>): void {
    const live = children.flatMap(({ name, pid }) => {
      const cmdline = pid === undefined ? null : cmdlineOf(pid);
      return pid === undefined || cmdline === null ? [] : [{ name, pid, cmdline }];
    });
    const record: StateRecord = { pid: process.pid, children: live, ...(info ? { info } : {}) };
    fs.writeFileSync(this.file, `${JSON.stringify(record, null, 2)}\n`);
  }

  remove(): void {
    fs.rmSync(this.file, { force: true });
  }
}
