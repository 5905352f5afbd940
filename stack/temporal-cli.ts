/**
 * The `temporal` CLI, pinned (see go-tools.ts), and the dev server it runs: its
 * `server start-dev` is the real Temporal server that `npm start` and `npm test` run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { ensureGoTool, type GoTool } from './go-tools';

export { projectRoot, toolsBin } from './go-tools';

export const TEMPORAL_CLI_VERSION = '1.5.1';
/** What v1.5.1 embeds; a source build without -ldflags reports only this part. */
const PINNED_SERVER = '(Server 1.29.1, UI 2.42.1)';

export const TEMPORAL_CLI: GoTool = {
  binary: 'temporal',
  module: 'github.com/temporalio/cli/cmd/temporal',
  version: TEMPORAL_CLI_VERSION,
  ldflags: `-X github.com/temporalio/cli/temporalcli.Version=${TEMPORAL_CLI_VERSION}`,
  acceptsVersionOutput: (said) =>
    said.includes(PINNED_SERVER) && (said.includes(`version ${TEMPORAL_CLI_VERSION} `) || said.includes('0.0.0-DEV')),
};

/** The path of a pinned `temporal` binary (on PATH, or built into .tools/bin). */
export const ensureTemporalCli = (log?: (line: string) => void, signal?: AbortSignal) =>
  ensureGoTool(TEMPORAL_CLI, log, signal);

export interface DevServerOptions {
  binary: string;
  port: number;
  /** null: no Web UI (tests). */
  uiPort: number | null;
  /** The codec server the Web UI asks to decode payloads (the API's /codec). */
  uiCodecEndpoint?: string;
  /** SQLite file that keeps every workflow across restarts; in memory when absent. */
  dbFile?: string;
  searchAttributes: string[];
  logFile?: string;
  /** Own process group: a terminal's Ctrl-C then reaches only the supervisor, which stops it in order. */
  detached?: boolean;
}

export interface DevServer {
  process: ChildProcess;
  address: string;
  stop(): Promise<void>;
}

export function isPortOpen(port: number, host = '127.0.0.1', timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export function stopProcess(child: ChildProcess, timeoutMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(options.port),
    '--log-level',
    'warn',
    // The server otherwise calls an outside version-check service these machines cannot reach.
    '--dynamic-config-value',
    'frontend.enableServerVersionCheck=false',
    // A command's write is an activity scheduled by the workflow task that accepted the command:
    // handed back with that task's completion instead of through matching (as in the cluster's config).
    '--dynamic-config-value',
    'system.enableActivityEagerExecution=true',
    ...(options.uiPort === null ? ['--headless'] : ['--ui-port', String(options.uiPort)]),
    ...(options.uiPort !== null && options.uiCodecEndpoint ? ['--ui-codec-endpoint', options.uiCodecEndpoint] : []),
    ...(options.dbFile ? ['--db-filename', options.dbFile] : []),
    ...options.searchAttributes.flatMap((sa) => ['--search-attribute', sa]),
  ];
  const out = options.logFile ? fs.openSync(options.logFile, 'a') : 'ignore';
  const child = spawn(options.binary, args, { stdio: ['ignore', out, out], detached: options.detached ?? false });
  if (typeof out === 'number') fs.closeSync(out);
  const address = `127.0.0.1:${options.port}`;
  const deadline = Date.now() + 60_000;
  const ports = options.uiPort === null ? [options.port] : [options.port, options.uiPort];
  while (!(await Promise.all(ports.map((p) => isPortOpen(p)))).every(Boolean)) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `temporal server exited with ${child.exitCode ?? child.signalCode}${options.logFile ? ` (see ${options.logFile})` : ''}`,
      );
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`temporal server did not open port ${ports.join(' and ')} within 60s`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { process: child, address, stop: () => stopProcess(child) };
}

if (require.main === module) {
  ensureTemporalCli().then(
    (binary) => process.stdout.write(`${binary}\n`),
    (error: unknown) => {
      process.stderr.write(`${(error as Error).message}\n`);
      process.exit(1);
    },
  );
}
