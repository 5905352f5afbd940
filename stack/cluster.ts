/**
 * `npm run cluster [-- --workers N] [--apis M] [--tls] [--no-ui] [--sql-max-conns 20]`: QTM OS at scale, without Docker.
 *
 *   Temporal  the real server 1.29.1 (built from its Go module into .tools/bin, once), all four
 *             services in one process, persistence and SQL visibility in the Postgres of
 *             DATABASE_URL (databases <db>_temporal and <db>_temporal_visibility, created and
 *             migrated by Temporal's SQL tool), on TEMPORAL_ADDRESS's port; the namespace and
 *             search attributes set up as `npm run setup` does.
 *   Web UI    Temporal's UI server 2.42.1 (the one the CLI embeds) on TEMPORAL_UI_PORT.
 *   workers   N worker processes (default 2) on one task queue;
 *   APIs      M API processes (default 2) on PORT, PORT+1, ...; all share DATA_DIR's keys.
 *   --tls     mTLS on Temporal's frontend with certificates made for the run (DATA_DIR/cluster/tls):
 *             the workers, APIs and Web UI connect with a client certificate (TEMPORAL_TLS_* variables).
 *
 * Like `npm start`: children in process groups of their own, restarted with back-off when they
 * die, stopped in order on Ctrl-C (APIs, workers, Web UI, Temporal); what runs is recorded in
 * DATA_DIR/cluster.json, and a run that was killed outright has its leftovers stopped by the next.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig, loadConfigOrExit, type Config } from '../config';
import { migrate } from '../db';
import { loadAuthSecret, loadTrustKeys } from '../trust/keys';
import { bundleWorkflows } from './bundle-workflows';
import { clientTlsEnv, makeClusterCertificates } from './cluster-certs';
import { formatLogLine } from './log-format';
import { StateFile } from './state-file';
import { formatMs, Supervised, type ServiceSpec } from './supervisor';
import { isPortOpen, projectRoot } from './temporal-cli';
import {
  allPorts,
  ensureTemporalBinaries,
  migrateTemporalDatabases,
  serverPorts,
  SQL_MAX_CONNS,
  startTemporalServer,
  startUiServer,
  temporalPostgres,
  writeServerConfig,
  type FrontendTls,
} from './temporal-cluster';
import { connectWhenUp, ensureTemporalSetup } from './temporal-setup';
import { isPolling } from './worker-ready';

/** A start-up failure that is fully described by its message: printed as one line. */
class StartupError extends Error {}

const log = (line: string) => process.stdout.write(`[cluster] ${line}\n`);
const rel = (file: string) => path.relative(projectRoot, file) || file;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const services = new Map<string, Supervised>();
const abort = new AbortController();
let shuttingDown = false;
let state: StateFile | null = null;
let stateInfo: Record<string, unknown> = {};
const writeState = () =>
  state?.write(
    [...services].map(([name, s]) => ({ name, pid: s.pid })),
    stateInfo,
  );

function supervise(spec: ServiceSpec): Supervised {
  const service = new Supervised(
    spec,
    log,
    (reason) => {
      log(reason);
      void shutdown(1);
    },
    writeState,
  );
  services.set(spec.name, service);
  return service;
}

// ---------------------------------------------------------------------------------------------
// The API and worker processes: TypeScript loaded by tsx in one Node process each, output prefixed.

const guard = path.join(__dirname, 'exit-with-parent.js');

function relay(child: ChildProcess, name: string): void {
  const prefix = `${name.padEnd(8)} | `;
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    let partial = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) process.stdout.write(`${prefix}${formatLogLine(line)}\n`);
    });
  }
}

function nodeService(name: string, entry: string, env: NodeJS.ProcessEnv): ServiceSpec {
  return {
    name,
    start: async () => {
      const child = spawn(process.execPath, ['--require', guard, '--import', 'tsx', entry], {
        cwd: projectRoot,
        env,
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
        detached: true,
      });
      relay(child, name);
      await new Promise<void>((resolve, reject) => {
        child.once('spawn', resolve);
        child.once('error', reject);
      });
      return child;
    },
    stopSignal: 'SIGTERM',
    stopTimeoutMs: 30_000,
    fatalExitCodes: [78],
  };
}

async function waitFor(what: string, timeoutMs: number, check: () => Promise<string | true>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    if (shuttingDown) throw new StartupError('stopped');
    const result = await check().catch((error: unknown) => (error as Error).message);
    if (result === true) return;
    last = result;
    if (Date.now() > deadline) throw new StartupError(`${what} within ${formatMs(timeoutMs)} (last: ${last})`);
    await sleep(500);
  }
}

// ---------------------------------------------------------------------------------------------

const STOP_ORDER = ['api', 'worker', 'ui', 'temporal'];

async function shutdown(code: number): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  abort.abort();
  for (const kind of STOP_ORDER) {
    const group = [...services].filter(([name]) => name.split('-')[0] === kind);
    for (const [name, service] of group) if (service.pid !== undefined) log(`stopping ${name} (pid ${service.pid})`);
    await Promise.all(group.map(([, service]) => service.stop()));
  }
  state?.remove();
  if (services.size > 0) log(code === 0 ? 'stopped; nothing of the cluster is left running' : 'stopped');
  process.exit(code);
}

let firstSignalAt = 0;
function onSignal(signal: NodeJS.Signals): void {
  if (!shuttingDown) {
    firstSignalAt = Date.now();
    log(`${signal}: stopping everything (press Ctrl-C again to force)`);
    void shutdown(0);
    return;
  }
  // One Ctrl-C arrives more than once: from the terminal, and relayed by npm.
  if (Date.now() - firstSignalAt < 1_000) return;
  log(`${signal} again: killing what is left`);
  for (const service of services.values()) service.kill();
  state?.remove();
  process.exit(130);
}

const positive = (flag: string, text: string) => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new StartupError(`--${flag} must be a whole number of at least 1`);
  return n;
};

async function main(): Promise<void> {
  const startedAt = Date.now();
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, onSignal);
  const { values } = parseArgs({
    options: {
      workers: { type: 'string', default: '2' },
      apis: { type: 'string', default: '2' },
      tls: { type: 'boolean', default: false },
      'no-ui': { type: 'boolean', default: false },
      'sql-max-conns': { type: 'string', default: String(SQL_MAX_CONNS.main) },
    },
    strict: true,
  });
  const workers = positive('workers', values.workers);
  const apis = positive('apis', values.apis);
  const ui = !values['no-ui'];
  // Temporal's connections per store and service (visibility gets half): a shared Postgres may need fewer.
  const mainConns = positive('sql-max-conns', values['sql-max-conns']);
  const maxConns = { main: mainConns, visibility: Math.max(2, Math.ceil(mainConns / 2)) };
  const config = loadConfigOrExit();
  const [host, portText] = config.TEMPORAL_ADDRESS.split(':') as [string, string];
  if (!['127.0.0.1', 'localhost'].includes(host))
    throw new StartupError(`TEMPORAL_ADDRESS ${config.TEMPORAL_ADDRESS}: the cluster runs its server on this machine`);
  const ports = serverPorts(Number(portText));
  // Temporal keeps its membership ports in a smallint column.
  if (Math.max(...allPorts(ports)) > 32_767)
    throw new StartupError(`TEMPORAL_ADDRESS port ${portText}: the cluster needs it and the next 8 ports below 32768`);
  const apiPorts = Array.from({ length: apis }, (_, i) => config.PORT + i);
  const dir = path.join(config.dataDir, 'cluster');
  fs.mkdirSync(dir, { recursive: true });

  state = new StateFile(
    path.join(config.dataDir, 'cluster.json'),
    { marker: 'stack/cluster.ts', command: 'npm run cluster' },
    log,
  );
  const refused = await state.clearLeftovers();
  if (refused) {
    state = null;
    throw new StartupError(refused);
  }
  writeState();

  // The server's build takes minutes on a cold Go cache: under way while everything else is prepared.
  const building = ensureTemporalBinaries({ ui }, log, abort.signal);
  building.catch(() => undefined);

  const taken = [];
  for (const [what, list] of [
    ['Temporal (TEMPORAL_ADDRESS and the next 8 ports)', allPorts(ports)],
    ['the APIs (PORT and up)', apiPorts],
    ...(ui ? [['the Web UI (TEMPORAL_UI_PORT)', [config.TEMPORAL_UI_PORT]] as const] : []),
  ] as const)
    for (const port of list) if (await isPortOpen(port)) taken.push(`${port} (${what})`);
  if (taken.length > 0) throw new StartupError(`ports in use by another program: ${taken.join(', ')}`);

  const pg = temporalPostgres(config.DATABASE_URL);
  try {
    const applied = await migrate(config);
    log(
      `Postgres ${pg.host}:${pg.port}: database ${new URL(config.DATABASE_URL).pathname.slice(1)} ${applied.length ? `migrated (${applied.join(', ')})` : 'is up to date'}`,
    );
  } catch (error) {
    throw new StartupError(`Postgres at ${pg.host}:${pg.port}: ${(error as Error).message}`);
  }
  // One set of keys for every API and worker: made here, before any of them could race to make its own.
  await Promise.all([loadAuthSecret(config), loadTrustKeys(config)]);
  const bundle = path.join(dir, 'workflow-bundle.js');
  await bundleWorkflows(bundle);
  const tls: FrontendTls | undefined = values.tls ? makeClusterCertificates(path.join(dir, 'tls')) : undefined;
  if (tls)
    log(`mTLS on the frontend: CA, server and client certificates made by openssl in ${rel(path.dirname(tls.caFile))}`);

  const binaries = await building;
  if (shuttingDown) return;
  migrateTemporalDatabases(binaries.sqlTool, pg, log);
  const serverArgs = writeServerConfig({ dir, ports, postgres: pg, tls, maxConns });
  const temporalLog = path.join(dir, 'temporal.log');
  const temporal = supervise({
    name: 'temporal',
    start: () =>
      startTemporalServer({
        binary: binaries.server,
        args: serverArgs,
        port: ports.frontend,
        logFile: temporalLog,
        detached: true,
      }),
    stopSignal: 'SIGTERM',
    stopTimeoutMs: 20_000,
  });
  await temporal.start();
  log(`Temporal server up on ${config.TEMPORAL_ADDRESS} (pid ${temporal.pid}, log ${rel(temporalLog)})`);

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: config.DATABASE_URL,
    DATA_DIR: config.dataDir,
    TEMPORAL_ADDRESS: config.TEMPORAL_ADDRESS,
    TEMPORAL_NAMESPACE: config.TEMPORAL_NAMESPACE,
    TEMPORAL_UI_URL: ui ? `http://localhost:${config.TEMPORAL_UI_PORT}` : config.TEMPORAL_UI_URL,
    WORKFLOW_BUNDLE: bundle,
    ...(tls ? clientTlsEnv(tls) : { TEMPORAL_TLS: 'false' }),
  };
  const clientConfig: Config = loadConfig(env);
  const connection = await connectWhenUp(clientConfig, 120_000).catch((error: Error) => {
    throw new StartupError(error.message);
  });
  try {
    await ensureTemporalSetup(connection, config.TEMPORAL_NAMESPACE, log);
  } finally {
    await connection.close();
  }

  if (ui && binaries.uiServer) {
    const uiServer = binaries.uiServer;
    const uiLog = path.join(dir, 'ui.log');
    await supervise({
      name: 'ui',
      start: () =>
        startUiServer({
          binary: uiServer,
          dir,
          port: config.TEMPORAL_UI_PORT,
          temporalAddress: config.TEMPORAL_ADDRESS,
          namespace: config.TEMPORAL_NAMESPACE,
          tls,
          logFile: uiLog,
          detached: true,
        }),
      stopSignal: 'SIGTERM',
      stopTimeoutMs: 10_000,
    }).start();
  }

  const workerServices = Array.from({ length: workers }, (_, i) =>
    supervise(nodeService(`worker-${i + 1}`, 'workers/main.ts', env)),
  );
  const apiServices = apiPorts.map((port, i) =>
    supervise(nodeService(`api-${i + 1}`, 'api/main.ts', { ...env, PORT: String(port) })),
  );
  await Promise.all([...workerServices, ...apiServices].map((s) => s.start()));
  stateInfo = {
    temporalAddress: config.TEMPORAL_ADDRESS,
    apiUrls: apiPorts.map((p) => `http://127.0.0.1:${p}`),
    uiUrl: ui ? `http://localhost:${config.TEMPORAL_UI_PORT}` : null,
    tls: tls ?? null,
    dir,
    ready: false,
  };
  writeState();

  const polling = await connectWhenUp(clientConfig, 60_000);
  try {
    await Promise.all([
      ...workerServices.map((worker) =>
        waitFor(`${worker.spec.name} did not start polling`, 180_000, () =>
          isPolling(polling, config.TEMPORAL_NAMESPACE, config.TEMPORAL_TASK_QUEUE, worker.pid),
        ),
      ),
      ...apiPorts.map((port) =>
        waitFor(`the API on port ${port} did not become ready`, 180_000, async () => {
          const res = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(3_000) });
          return res.status === 200 ? true : `${res.status} ${await res.text()}`;
        }),
      ),
    ]);
  } finally {
    await polling.close();
  }
  stateInfo.ready = true;
  writeState();

  const rows: [string, string][] = [
    ['APIs', apiPorts.map((p) => `http://localhost:${p}`).join('  ')],
    [
      'Web UI',
      ui
        ? `http://localhost:${config.TEMPORAL_UI_PORT}   (Temporal UI server 2.42.1, namespace ${config.TEMPORAL_NAMESPACE})`
        : 'none (--no-ui)',
    ],
    [
      'Temporal',
      `${config.TEMPORAL_ADDRESS}   (server 1.29.1${tls ? ', mTLS' : ''}; Postgres ${pg.databases.main}, ${pg.databases.visibility}; log ${rel(temporalLog)})`,
    ],
    ['Workers', `${workers} on task queue ${config.TEMPORAL_TASK_QUEUE}`],
    ['Data', `${rel(config.dataDir)}/   (keys; cluster/ has the server config${tls ? ', certificates' : ''} and logs)`],
    ['Token', 'npm run --silent token -- admin ops'],
  ];
  process.stdout.write(
    `\n[cluster] QTM OS cluster is up (${formatMs(Date.now() - startedAt)}):\n${rows.map(([k, v]) => `  ${k.padEnd(9)} ${v}`).join('\n')}\n  Ctrl-C stops everything.\n\n`,
  );
}

main().catch((error: unknown) => {
  if (shuttingDown) return;
  const message = error instanceof StartupError ? error.message : (error as Error).message || String(error);
  process.stderr.write(`[cluster] error: ${message}\n`);
  if (!(error instanceof StartupError) && process.env.DEBUG) process.stderr.write(`${(error as Error).stack}\n`);
  void shutdown(1);
});
