/**
 * Keeps one child process of `npm start` running: restarts it when it exits on its own,
 * with a doubling back-off (reset once it has stayed up a while), and stops it on request
 * with a signal, then SIGKILL to its whole process group if it does not go in time.
 */
import type { ChildProcess } from 'node:child_process';

export interface ServiceSpec {
  name: string;
  /** Starts the process (in its own process group) and resolves once it is usable. */
  start(): Promise<ChildProcess>;
  stopSignal: NodeJS.Signals;
  stopTimeoutMs: number;
  /** Exit codes that mean "do not try again" (a configuration error, say). */
  fatalExitCodes?: number[];
}

export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
  /** A run at least this long resets the back-off. */
  stableAfterMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 1_000, maxMs: 30_000, stableAfterMs: 60_000 };

/** The delay before restart number `attempt` (1-based) in a row of quick failures. */
export function backoffDelay(attempt: number, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  return Math.min(policy.maxMs, policy.initialMs * 2 ** Math.max(0, attempt - 1));
}

export function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `signal ${signal}` : `code ${code}`;
}

export class Supervised {
  child: ChildProcess | null = null;
  restarts = 0;
  private attempt = 0;
  private stopping = false;
  private timer: NodeJS.Timeout | null = null;
  private startedAt = 0;
  private launching: Promise<void> | null = null;

  constructor(
    readonly spec: ServiceSpec,
    private readonly log: (line: string) => void,
    /** Called when the service cannot be kept running (a fatal exit code). */
    private readonly onFatal: (reason: string) => void,
    /** Called whenever the running process changes (for the stack's state file). */
    private readonly onChange: () => void = () => undefined,
    private readonly policy: BackoffPolicy = DEFAULT_BACKOFF,
  ) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** First start: a failure here is the caller's to report. */
  async start(): Promise<void> {
    await this.launch();
  }

  private launch(): Promise<void> {
    const launching = this.doLaunch();
    this.launching = launching;
    const done = () => {
      if (this.launching === launching) this.launching = null;
    };
    launching.then(done, done);
    return launching;
  }

  private async doLaunch(): Promise<void> {
    const child = await this.spec.start();
    if (this.stopping) {
      // Stopped while it was starting.
      await this.terminate(child);
      return;
    }
    this.child = child;
    this.startedAt = Date.now();
    this.onChange();
    child.once('exit', (code, signal) => this.exited(child, code, signal));
    // It may have died while we were waiting for it to be usable.
    if (child.exitCode !== null || child.signalCode !== null) this.exited(child, child.exitCode, child.signalCode);
  }

  private exited(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.child !== child) return;
    this.child = null;
    this.onChange();
    if (this.stopping) return;
    const ranMs = Date.now() - this.startedAt;
    if (code !== null && this.spec.fatalExitCodes?.includes(code)) {
      this.onFatal(`${this.spec.name} exited with ${describeExit(code, signal)}; not restarting it`);
      return;
    }
    this.attempt = ranMs >= this.policy.stableAfterMs ? 1 : this.attempt + 1;
    this.scheduleRestart(`exited with ${describeExit(code, signal)} after ${formatMs(ranMs)}`);
  }

  private scheduleRestart(why: string): void {
    const delay = backoffDelay(this.attempt, this.policy);
    this.log(`${this.spec.name} ${why}; restarting in ${formatMs(delay)} (restart #${this.restarts + 1})`);
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.stopping) return;
      this.restarts += 1;
      this.launch().then(
        () => {
          if (!this.stopping) this.log(`${this.spec.name} restarted (pid ${this.child?.pid})`);
        },
        (error: unknown) => {
          if (this.stopping) return;
          this.attempt += 1;
          this.scheduleRestart(`failed to start: ${(error as Error).message}`);
        },
      );
    }, delay);
  }

  /** Stops it for good: its stop signal, then SIGKILL to its process group after the timeout. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    // One being started is stopped as soon as it is up (doLaunch sees `stopping`).
    if (this.launching) await this.launching.catch(() => undefined);
    if (this.child) await this.terminate(this.child, this.spec.stopSignal, this.spec.stopTimeoutMs);
  }

  /** The second Ctrl-C: no waiting. */
  kill(): void {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    const child = this.child;
    if (child?.pid !== undefined && child.exitCode === null && child.signalCode === null)
      killGroup(child.pid, 'SIGKILL');
  }

  private terminate(
    child: ChildProcess,
    signal: NodeJS.Signals = this.spec.stopSignal,
    timeoutMs = this.spec.stopTimeoutMs,
  ): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return Promise.resolve();
    const pid = child.pid;
    return new Promise((resolve) => {
      const force = setTimeout(() => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        this.log(`${this.spec.name} did not stop within ${formatMs(timeoutMs)}; killing it`);
        killGroup(pid, 'SIGKILL');
      }, timeoutMs);
      child.once('exit', () => {
        clearTimeout(force);
        resolve();
      });
      try {
        process.kill(pid, signal);
      } catch {
        // already gone: 'exit' follows
      }
    });
  }
}

/**
 * Signals a live child's whole process group (children are started detached, so their
 * process group id is their pid); only for a child that has not exited, whose pid is still its own.
 */
export function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // gone
    }
  }
}

export function formatMs(ms: number): string {
  return ms < 1_000 ? `${ms}ms` : ms < 120_000 ? `${Math.round(ms / 100) / 10}s` : `${Math.round(ms / 60_000)}min`;
}
