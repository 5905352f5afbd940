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

export const projectRoot = path.resolve(__dirname, '..');
export const toolsBin = path.join(projectRoot, '.tools', 'bin');

function versionOf(binary: string): string | null {
  const out = spawnSync(binary, ['--version'], { encoding: 'utf8' });
  return out.status === 0 ? out.stdout.trim() : null;
}

const isPinned = (version: string | null) =>
  version !== null &&
  version.includes(PINNED_SERVER) &&
  (version.includes(`version ${TEMPORAL_CLI_VERSION} `) || version.includes('0.0.0-DEV'));

function onPath(): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, 'temporal');
    if (dir && fs.existsSync(candidate) && isPinned(versionOf(candidate))) return candidate;
  }
  return null;
}

/**
 * Returns the path of a pinned `temporal` binary, building it when there is none. The build
 * streams `go install -x` as one line per module fetched or package compiled, so a first
 * build (minutes) shows where it is; a later one comes from Go's caches (mostly a link).
 */
export async function ensureTemporalCli(
  log: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
  signal?: AbortSignal,
): Promise<string> {
  const local = path.join(toolsBin, 'temporal');
  if (fs.existsSync(local) && isPinned(versionOf(local))) return local;
  const found = onPath();
  if (found) return found;

  const go = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (go.status !== 0) {
    throw new Error(
      `no temporal CLI ${TEMPORAL_CLI_VERSION} on PATH and no Go toolchain to build it: install Go 1.25+ or put temporal ${TEMPORAL_CLI_VERSION} on PATH`,
    );
  }
  log(
    `temporal CLI ${TEMPORAL_CLI_VERSION}: building from its Go module into .tools/bin (${go.stdout.trim()}; the first build downloads modules and compiles for several minutes, later builds come from Go's caches)...`,
  );
  fs.mkdirSync(toolsBin, { recursive: true });
  const started = Date.now();
  const elapsed = () => `${Math.round((Date.now() - started) / 1000)}s`;
  let compiled = 0;
  let fetched = 0;
  const tail: string[] = [];
  // -x prints each step to stderr; each step becomes one short progress line.
  const build = spawn(
    'go',
    ['install', '-x', '-ldflags', `-X github.com/temporalio/cli/temporalcli.Version=${TEMPORAL_CLI_VERSION}`, MODULE],
    {
      env: { ...process.env, GOBIN: toolsBin },
      stdio: ['ignore', 'inherit', 'pipe'],
      // With an abort signal the caller owns stopping: go and its compilers are one process group.
      detached: signal !== undefined,
    },
  );
  const abort = () => {
    try {
      if (build.pid !== undefined && build.exitCode === null) process.kill(-build.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  };
  signal?.addEventListener('abort', abort, { once: true });
  let partial = '';
  build.stderr.setEncoding('utf8');
  build.stderr.on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      const step = progressOf(line);
      if (step?.kind === 'compile') log(`[go ${elapsed()}] compile #${++compiled} ${step.what}`);
      else if (step?.kind === 'fetch') log(`[go ${elapsed()}] fetch #${++fetched} ${step.what}`);
      else if (step?.kind === 'link') log(`[go ${elapsed()}] link ${step.what}`);
      else if (!line.startsWith('\t') && !line.startsWith('mkdir') && !line.startsWith('cd ') && line.trim() !== '') {
        tail.push(line);
        if (tail.length > 40) tail.shift();
      }
    }
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    build.once('error', reject);
    build.once('close', (status) => resolve(status));
  });
  signal?.removeEventListener('abort', abort);
  if (signal?.aborted) throw new Error('temporal CLI build stopped');
  if (code !== 0) throw new Error(`go install ${MODULE} failed (exit ${code}):\n${tail.slice(-20).join('\n')}`);
  if (!isPinned(versionOf(local)))
    throw new Error(`go install ${MODULE} finished but ${local} does not report version ${TEMPORAL_CLI_VERSION}`);
  log(
    `temporal CLI ${TEMPORAL_CLI_VERSION} ready at ${local} (${compiled} packages compiled, ${fetched} module fetches, ${elapsed()})`,
  );
  return local;
}

/** One `go build -x` line, reduced to what a person wants to see scroll by. */
function progressOf(line: string): { kind: 'compile' | 'fetch' | 'link'; what: string } | null {
  if (line.startsWith('# get ') && !line.includes(': '))
    return { kind: 'fetch', what: line.slice('# get '.length).replace(/^https?:\/\/[^/]+\//, '') };
  if (/\/(compile|asm) /.test(line) || line.includes('/compile" ')) {
    const pkg = / -p (\S+)/.exec(line);
    return pkg ? { kind: 'compile', what: pkg[1]! } : null;
  }
  if (/\/link /.test(line)) return { kind: 'link', what: 'temporal' };
  return null;
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
    ...(options.uiPort === null ? ['--headless'] : ['--ui-port', String(options.uiPort)]),
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
