/** Child processes the chaos run kills and restarts: the worker, the API and the Temporal server. */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot, startDevServer, stopProcess, type DevServerOptions } from '../lib/temporal-cli';

const TSX = path.join(projectRoot, 'node_modules', '.bin', 'tsx');

export class NodeService {
  private child: ChildProcess | null = null;
  starts = 0;

  constructor(
    readonly name: string,
    private readonly entry: string,
    private readonly env: NodeJS.ProcessEnv,
    private readonly logFile: string,
  ) {}

  start(): void {
    const out = fs.openSync(this.logFile, 'a');
    this.child = spawn(TSX, [path.join(projectRoot, this.entry)], { env: { ...process.env, ...this.env }, stdio: ['ignore', out, out] });
    this.starts += 1;
  }

  /** SIGKILL: no graceful shutdown, in-flight work is abandoned mid-way. */
  kill(): void {
    this.child?.kill('SIGKILL');
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
