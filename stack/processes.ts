/** Child processes the chaos run kills and restarts: the worker, the API and the Temporal server. */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { killGroup } from './supervisor';
import { projectRoot, startDevServer, stopProcess, type DevServerOptions } from './temporal-cli';

/** Preloaded guard: a service whose parent died (even by SIGKILL) stops itself. */
const GUARD = path.join(projectRoot, 'stack', 'exit-with-parent.js');

export class NodeService {
  private child: ChildProcess | null = null;
  starts = 0;

  constructor(
    readonly name: string,
    private readonly entry: string,
    private readonly env: NodeJS.ProcessEnv,
    private readonly logFile: string,
  ) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(): void {
    const out = fs.openSync(this.logFile, 'a');
    // One process (tsx as a loader, not a launcher with a child of its own) in its own process
    // group, so a SIGKILL really takes the service down and leaves nothing behind.
    this.child = spawn(process.execPath, ['--require', GUARD, '--import', 'tsx', path.join(projectRoot, this.entry)], {
      cwd: projectRoot,
      env: { ...process.env, ...this.env },
      stdio: ['ignore', out, out, 'ipc'],
      detached: true,
    });
    fs.closeSync(out);
    this.starts += 1;
  }

  /** SIGKILL: no graceful shutdown, in-flight work is abandoned mid-way. */
  kill(): void {
    if (this.child?.pid !== undefined && this.child.exitCode === null && this.child.signalCode === null)
      killGroup(this.child.pid, 'SIGKILL');
  }

  async stop(): Promise<void> {
    if (this.child) await stopProcess(this.child);
  }
}

export class TemporalService {
  private server: Awaited<ReturnType<typeof startDevServer>> | null = null;
  starts = 0;

  constructor(private readonly options: DevServerOptions) {}

  get address(): string {
    return `127.0.0.1:${this.options.port}`;
  }

  async start(): Promise<void> {
    this.server = await startDevServer(this.options);
    this.starts += 1;
  }

  kill(): void {
    this.server?.process.kill('SIGKILL');
  }

  /** Waits for the killed process to be gone, so its port is free again. */
  async killed(): Promise<void> {
    const child = this.server?.process;
    if (child && child.exitCode === null && child.signalCode === null) await new Promise((r) => child.once('exit', r));
  }

  async stop(): Promise<void> {
    await this.server?.stop();
  }
}
