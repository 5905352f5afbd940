/**
 * A whole QTM OS stack of its own, for scripts that measure or break it (chaos, benchmarks, the
 * Web UI check): a Temporal dev server on free ports, a fresh Postgres database (dropped at the
 * end), and the worker and the API as child processes, each in its own process group. Or the
 * same at scale (`startIsolatedCluster`): `npm run cluster` itself, for the bench and the cluster test.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createAuthKeys, issueToken } from '../api/auth';
import { loadConfig, type Config } from '../config';
import { dropDatabase, migrate } from '../db';
import type { Principal } from '../domain/schemas';
import { connectTemporal } from '../adapters/temporal-connection';
import type { Client, Connection } from '@temporalio/client';
import { clientTlsEnv } from '../stack/cluster-certs';
import { isAlive, type StateRecord } from '../stack/state-file';
import { allPorts, serverPorts, temporalPostgres, type FrontendTls } from '../stack/temporal-cluster';
import { loadAuthSecret } from '../trust/keys';
import { searchAttributeRegistrations } from '../workflows/messages';
import { bundleWorkflows } from '../stack/bundle-workflows';
import { NodeService, TemporalService } from '../stack/processes';
import { ensureTemporalCli, freePort, isPortOpen } from '../stack/temporal-cli';
import { isPolling } from '../stack/worker-ready';

export interface IsolatedStackOptions {
  /** Names the database (qtm_<name>_<run>), the task queue and the temporary folder. */
  name: string;
  log: (line: string) => void;
  /** Postgres server to create the database on (default: the machine's, as the postgres user). */
  baseDatabaseUrl?: string;
  /** host:port the app connects to instead of Postgres itself (the chaos run's cuttable proxy). */
  appDatabaseHost?: string;
  /** Keep Temporal's state in a SQLite file, so that a killed server restarts with it. */
  temporalDbFile?: boolean;
  /** Serve the Temporal Web UI on this port. */
  uiPort?: number;
  /** More environment for the worker and the API. */
  env?: Record<string, string>;
  /** Leave the database and the folder behind. */
  keep?: boolean;
  /** Worker processes on the one task queue and database, as a cluster runs them (default 1). */
  workers?: number;
}

export interface IsolatedStack {
  runId: string;
  dir: string;
  /** Postgres itself, as the owner: for reconciling, seeding and reading figures. */
  databaseUrl: string;
  /** The configuration the worker and the API run with. */
  config: Config;
  temporal: TemporalService;
  /** The first worker process (the one chaos kills and restarts). */
  worker: NodeService;
  /** Every worker process, `worker` first. */
  workers: NodeService[];
  /** Starts one more worker process with the same environment; resolves once it polls. */
  addWorker(): Promise<NodeService>;
  api: NodeService;
  baseUrl: string;
  /** Resolves once the worker polls its task queue (after a start or a restart). */
  workerPolling(): Promise<void>;
  apiReady(): Promise<void>;
  token(principal: Principal): Promise<string>;
  stop(): Promise<void>;
}

/** The machine's own Postgres (trust auth), where isolated stacks make their databases. */
export const MACHINE_POSTGRES = 'postgres://postgres@127.0.0.1:5432/postgres';

export async function startIsolatedStack(options: IsolatedStackOptions): Promise<IsolatedStack> {
  const runId = randomUUID().slice(0, 8);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `qtm-${options.name}-${runId}-`));
  const direct = new URL(options.baseDatabaseUrl ?? MACHINE_POSTGRES);
  const databaseName = `qtm_${options.name}_${runId}`;
  direct.pathname = `/${databaseName}`;
  const databaseUrl = direct.toString();

  const binary = await ensureTemporalCli(options.log);
  await migrate(loadConfig({ NODE_ENV: 'development', DATABASE_URL: databaseUrl }));
  const bundle = path.join(dir, 'workflow-bundle.js');
  await bundleWorkflows(bundle);
  const appDatabase = new URL(databaseUrl);
  if (options.appDatabaseHost) appDatabase.host = options.appDatabaseHost;
  const appDatabaseUrl = appDatabase.toString();

  const [temporalPort, apiPort] = [await freePort(), await freePort()];
  const temporal = new TemporalService({
    binary,
    port: temporalPort,
    uiPort: options.uiPort ?? null,
    uiCodecEndpoint: `http://127.0.0.1:${apiPort}/codec`,
    ...(options.temporalDbFile ? { dbFile: path.join(dir, 'temporal.sqlite') } : {}),
    searchAttributes: searchAttributeRegistrations,
    logFile: path.join(dir, 'temporal.log'),
  });
  await temporal.start();

  const env: Record<string, string> = {
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    DATABASE_URL: appDatabaseUrl,
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_TASK_QUEUE: `${options.name}-${runId}`,
    DATA_DIR: dir,
    PORT: String(apiPort),
    WORKFLOW_BUNDLE: bundle,
    // The codec server admits the Web UI's origin (CORS).
    ...(options.uiPort ? { TEMPORAL_UI_URL: `http://127.0.0.1:${options.uiPort}` } : {}),
    ...options.env,
  };
  const config = loadConfig({ ...process.env, ...env });
  const worker = new NodeService('worker', 'workers/main.ts', env, path.join(dir, 'worker.log'));
  const api = new NodeService('api', 'api/main.ts', env, path.join(dir, 'api.log'));
  const baseUrl = `http://127.0.0.1:${apiPort}`;

  // The test or the run that failed may delete the folder: a failure quotes what the log said.
  const logTail = (file: string) => fs.readFileSync(path.join(dir, file), 'utf8').split('\n').slice(-20).join('\n');
  const pollingOf = async (service: NodeService) => {
    for (const deadline = Date.now() + 120_000; Date.now() < deadline;) {
      const polling = await connectTemporal(config, { waitMs: 5_000 })
        .then(async ({ connection }) => {
          try {
            return await isPolling(connection, config.TEMPORAL_NAMESPACE, config.TEMPORAL_TASK_QUEUE, service.pid);
          } finally {
            await connection.close();
          }
        })
        .catch((error: Error) => error.message);
      if (polling === true) return;
      await sleep(250);
    }
    const log = `${service.name}.log`;
    throw new Error(`${service.name} did not come back; the end of ${dir}/${log}:\n${logTail(log)}`);
  };
  const workerPolling = () => pollingOf(worker);
  const workers = [worker];
  const addWorker = async () => {
    const name = `worker-${workers.length + 1}`;
    const more = new NodeService(name, 'workers/main.ts', env, path.join(dir, `${name}.log`));
    workers.push(more);
    more.start();
    await pollingOf(more);
    return more;
  };
  const apiReady = async () => {
    for (let i = 0; ; i += 1) {
      if (
        await fetch(`${baseUrl}/readyz`).then(
          (r) => r.ok,
          () => false,
        )
      )
        return;
      if (i > 120) throw new Error(`the API did not become ready; the end of ${dir}/api.log:\n${logTail('api.log')}`);
      await sleep(500);
    }
  };

  worker.start();
  api.start();
  await workerPolling();
  await apiReady();
  while (workers.length < (options.workers ?? 1)) await addWorker();

  const secret = await loadAuthSecret(config);
  const tokens = new Map<string, Promise<string>>();
  const token = (p: Principal) => {
    if (!tokens.has(p.sub)) tokens.set(p.sub, issueToken(createAuthKeys(config, secret), p, '2h'));
    return tokens.get(p.sub)!;
  };

  return {
    runId,
    dir,
    databaseUrl,
    config,
    temporal,
    worker,
    workers,
    addWorker,
    api,
    baseUrl,
    workerPolling,
    apiReady,
    token,
    async stop() {
      await api.stop();
      for (const w of [...workers].reverse()) await w.stop();
      await temporal.stop();
      if (options.keep) return;
      await dropDatabase(databaseUrl);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

// ---------------------------------------------------------------------------------------------

async function waitUntil<T>(what: string, check: () => Promise<T | undefined>, timeoutMs: number, everyMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

const root = path.resolve(__dirname, '..');

interface Info {
  temporalAddress: string;
  apiUrls: string[];
  uiUrl: string | null;
  tls: FrontendTls | null;
  ready: boolean;
}

export interface RunningCluster {
  /** What the cluster's processes run with, and what `npm run reconcile` / `verify-chain` get. */
  env: Record<string, string>;
  config: Config;
  apiUrls: string[];
  uiUrl: string | null;
  client: Client;
  connection: Connection;
  output: () => string;
  token(p: Principal): Promise<string>;
  pidOf(name: string): number;
  /** SIGKILL one child; resolves once the supervisor has it running (and, for a worker, polling) again. */
  killAndAwaitRestart(name: string): Promise<{ before: number; after: number }>;
  /** A project script run against the cluster's database and Temporal (with `env` instead, if given). */
  npmRun(script: string, env?: Record<string, string>): { status: number | null; output: string };
  stop(): Promise<{ code: number | null; leftovers: number[] }>;
}

/**
 * A run of consecutive free ports (Temporal derives its services' ports from the frontend's),
 * below 32768: Temporal keeps membership ports in a smallint column.
 */
async function freeRange(count: number): Promise<number> {
  for (;;) {
    const base = 20_000 + Math.floor(Math.random() * 12_000);
    const open = await Promise.all(Array.from({ length: count }, (_, i) => isPortOpen(base + i)));
    if (!open.some(Boolean)) return base;
  }
}

export interface IsolatedClusterOptions {
  tls: boolean;
  workers?: number;
  apis?: number;
  /** Postgres server to create the databases on (default: the machine's, as the postgres user). */
  baseDatabaseUrl?: string;
  /** More environment for the cluster (and so for its workers and APIs). */
  env?: Record<string, string>;
  /** Temporal's connections per store and service (`--sql-max-conns`); few by default, on a Postgres others share. */
  sqlMaxConns?: number;
}

/**
 * `npm run cluster` in a child process, on free ports, a database of its own (with Temporal's two
 * beside it, all dropped at the end) and a temporary DATA_DIR; read through its state file.
 */
export async function startIsolatedCluster(options: IsolatedClusterOptions): Promise<RunningCluster> {
  const runId = randomUUID().slice(0, 8);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `qtm-cluster-${runId}-`));
  const database = new URL(options.baseDatabaseUrl ?? MACHINE_POSTGRES);
  database.pathname = `/qtm_cluster_${runId}`;
  const temporalPort = await freeRange(allPorts(serverPorts(0)).length);
  const apiPort = await freeRange(options.apis ?? 2);
  const uiPort = await freeRange(1);
  const env: Record<string, string> = {
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    DATA_DIR: dataDir,
    DATABASE_URL: database.toString(),
    DATABASE_POOL_MAX: '4',
    TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}`,
    PORT: String(apiPort),
    TEMPORAL_UI_PORT: String(uiPort),
    ...options.env,
  };
  const args = [
    '--import',
    'tsx',
    'stack/cluster.ts',
    '--workers',
    String(options.workers ?? 2),
    '--apis',
    String(options.apis ?? 2),
    ...(options.tls ? ['--tls'] : []),
    '--sql-max-conns',
    String(options.sqlMaxConns ?? 6),
  ];
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const stateFile = path.join(dataDir, 'cluster.json');
  const readState = (): (StateRecord & { info?: Info }) | null => {
    try {
      return JSON.parse(fs.readFileSync(stateFile, 'utf8')) as StateRecord & { info?: Info };
    } catch {
      return null;
    }
  };
  // A cold Go cache builds the server first (about 5 minutes on 2 cores); warm, it is up in seconds.
  const state = await waitUntil(
    'npm run cluster to be up',
    async () => {
      if (child.exitCode !== null) throw new Error(`npm run cluster exited with ${child.exitCode}:\n${output}`);
      const s = readState();
      return s?.info?.ready ? s : undefined;
    },
    600_000,
    500,
  );
  const info = state.info!;
  const clientEnv = { ...env, ...(info.tls ? clientTlsEnv(info.tls) : {}) };
  const config = loadConfig(clientEnv);
  const { client, connection } = await connectTemporal(config);
  const secret = await loadAuthSecret(config);
  const pidOf = (name: string) => {
    const found = readState()?.children.find((c) => c.name === name);
    if (!found) throw new Error(`no ${name} in ${stateFile}`);
    return found.pid;
  };

  return {
    env: clientEnv,
    config,
    apiUrls: info.apiUrls,
    uiUrl: info.uiUrl,
    client,
    connection,
    output: () => output,
    token: (p) => issueToken({ secret, issuer: config.AUTH_JWT_ISSUER }, p, '1h'),
    pidOf,
    async killAndAwaitRestart(name) {
      const before = pidOf(name);
      process.kill(-before, 'SIGKILL');
      const after = await waitUntil(
        `the supervisor to restart ${name}`,
        async () => {
          const pid = readState()?.children.find((c) => c.name === name)?.pid;
          return pid !== undefined && pid !== before ? pid : undefined;
        },
        120_000,
        200,
      );
      if (name.startsWith('worker'))
        await waitUntil(
          `${name} to poll again`,
          async () =>
            (await isPolling(connection, config.TEMPORAL_NAMESPACE, config.TEMPORAL_TASK_QUEUE, after).catch(
              () => false,
            )) === true || undefined,
          120_000,
          250,
        );
      return { before, after };
    },
    npmRun(script, scriptEnv = clientEnv) {
      const run = spawnSync('npm', ['run', '--silent', script], {
        cwd: root,
        env: { ...process.env, ...scriptEnv },
        encoding: 'utf8',
        timeout: 180_000,
      });
      return { status: run.status, output: `${run.stdout}${run.stderr}` };
    },
    async stop() {
      const pids = readState()?.children.map((c) => c.pid) ?? [];
      await connection.close();
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGINT');
      let timer: NodeJS.Timeout | undefined;
      const code = await Promise.race([exited, new Promise<number>((r) => (timer = setTimeout(() => r(-1), 90_000)))]);
      clearTimeout(timer);
      if (code === -1) child.kill('SIGKILL');
      const leftovers = pids.filter(isAlive);
      for (const pid of leftovers) process.kill(-pid, 'SIGKILL');
      const pg = temporalPostgres(database.toString());
      for (const name of [pg.databases.main, pg.databases.visibility, database.pathname.slice(1)]) {
        const url = new URL(database.toString());
        url.pathname = `/${name}`;
        await dropDatabase(url.toString());
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
      return { code, leftovers };
    },
  };
}
