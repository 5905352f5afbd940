/**
 * The `temporal` CLI, pinned: found on PATH when it is the pinned version, otherwise built
 * once from its Go module into the project's git-ignored .tools/ folder. Its
 * `server start-dev` is the real Temporal server that `npm start` and `npm test` run.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export const TEMPORAL_CLI_VERSION = '1.5.1';
/** What v1.5.1 embeds; a source build without -ldflags reports only this part. */
const PINNED_SERVER = '(Server 1.29.1, UI 2.42.1)';
const MODULE = `github.com/temporalio/cli/cmd/temporal@v${TEMPORAL_CLI_VERSION}`;

export const projectRoot = path.resolve(__dirname, '..', '..');
export const toolsBin = path.join(projectRoot, '.tools', 'bin');

function versionOf(binary: string): string | null {
  const out = spawnSync(binary, ['--version'], { encoding: 'utf8' });
  return out.status === 0 ? out.stdout.trim() : null;
}

const isPinned = (version: string | null) => version !== null && version.includes(PINNED_SERVER) && (version.includes(`version ${TEMPORAL_CLI_VERSION} `) || version.includes('0.0.0-DEV'));

function onPath(): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, 'temporal');
    if (dir && fs.existsSync(candidate) && isPinned(versionOf(candidate))) return candidate;
  }
  return null;
}

/** Returns the path of a pinned `temporal` binary, building it when there is none. */
export function ensureTemporalCli(log: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): string {
  const local = path.join(toolsBin, 'temporal');
  if (fs.existsSync(local) && isPinned(versionOf(local))) return local;
  const found = onPath();
  if (found) return found;

  const go = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (go.status !== 0) {
    throw new Error(`no temporal CLI ${TEMPORAL_CLI_VERSION} on PATH and no Go toolchain to build it: install Go 1.25+ or put temporal ${TEMPORAL_CLI_VERSION} on PATH`);
  }
  log(`temporal CLI ${TEMPORAL_CLI_VERSION}: building from its Go module into .tools/bin (the first build downloads modules and takes several minutes; later builds come from Go's caches)...`);
  fs.mkdirSync(toolsBin, { recursive: true });
  const started = Date.now();
  // -x prints each build step: visible progress on a long first build.
  const build = spawnSync('go', ['install', '-x', '-ldflags', `-X github.com/temporalio/cli/temporalcli.Version=${TEMPORAL_CLI_VERSION}`, MODULE], {
    env: { ...process.env, GOBIN: toolsBin, GOFLAGS: '-mod=mod' },
    stdio: ['ignore', 'inherit', 'pipe'],
    encoding: 'utf8',
    maxBuffer: 1024 * 1024 * 1024,
  });
  if (build.status !== 0) throw new Error(`go install ${MODULE} failed:\n${build.stderr.split('\n').filter((l) => !l.startsWith('\t') && !l.startsWith('mkdir') && !l.startsWith('cd ')).slice(-20).join('\n')}`);
  const steps = build.stderr.split('\n').filter((l) => l.includes('/compile ') || l.includes('/link ')).length;
  log(`temporal CLI ${TEMPORAL_CLI_VERSION} ready at ${local} (${steps} build steps, ${Math.round((Date.now() - started) / 1000)}s)`);
  return local;
}

export interface DevServerOptions {
  binary: string;
  port: number;
  /** null: no Web UI (tests). */
  uiPort: number | null;
  /** SQLite file that keeps every workflow across restarts; in memory when absent. */
  dbFile?: string;
  searchAttributes: string[];
  logFile?: string;
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
    ...(options.uiPort === null ? ['--headless'] : ['--ui-port', String(options.uiPort)]),
    ...(options.dbFile ? ['--db-filename', options.dbFile] : []),
    ...options.searchAttributes.flatMap((sa) => ['--search-attribute', sa]),
  ];
  const out = options.logFile ? fs.openSync(options.logFile, 'a') : 'ignore';
  const child = spawn(options.binary, args, { stdio: ['ignore', out, out] });
  const address = `127.0.0.1:${options.port}`;
  const deadline = Date.now() + 60_000;
  while (!(await isPortOpen(options.port))) {
    if (child.exitCode !== null) throw new Error(`temporal server exited with code ${child.exitCode}${options.logFile ? ` (see ${options.logFile})` : ''}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('temporal server did not open its port within 60s');
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { process: child, address, stop: () => stopProcess(child) };
}

if (require.main === module) {
  process.stdout.write(`${ensureTemporalCli()}\n`);
}
