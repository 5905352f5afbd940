/**
 * A whole QTM OS stack of its own, for scripts that measure or break it (chaos, benchmarks, the
 * Web UI check): a Temporal dev server on free ports, a fresh Postgres database (dropped at the
 * end), and the worker and the API as child processes, each in its own process group.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createAuthKeys, issueToken } from '../api/auth';
import { loadConfig, type Config } from '../config';
import { dropDatabase, migrate } from '../db';
import type { Principal } from '../domain/schemas';
import { connectTemporal } from '../lib/temporal';
import { loadAuthSecret } from '../trust/keys';
import { searchAttributeRegistrations } from '../workflows/messages';
import { bundleWorkflows } from '../stack/bundle-workflows';
import { NodeService, TemporalService } from '../stack/processes';
import { ensureTemporalCli, freePort } from '../stack/temporal-cli';
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
}

export interface IsolatedStack {
  runId: string;
  dir: string;
  /** Postgres itself, as the owner: for reconciling, seeding and reading figures. */
  databaseUrl: string;
  /** The configuration the worker and the API run with. */
  config: Config;
  temporal: TemporalService;
  worker: NodeService;
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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startIsolatedStack(options: IsolatedStackOptions): Promise<IsolatedStack> {
  const runId = randomUUID().slice(0, 8);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `qtm-${options.name}-${runId}-`));
  const direct = new URL(options.baseDatabaseUrl ?? MACHINE_POSTGRES);
  const databaseName = `qtm_${options.name}_${runId}`;
  direct.pathname = `/${databaseName}`;
  const databaseUrl = direct.toString();

  const binary = await ensureTemporalCli(options.log);
  await migrate(loadConfig({ DATABASE_URL: databaseUrl }));
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
    ...options.env,
  };
  const config = loadConfig({ ...process.env, ...env });
  const worker = new NodeService('worker', 'workers/main.ts', env, path.join(dir, 'worker.log'));
  const api = new NodeService('api', 'api/main.ts', env, path.join(dir, 'api.log'));
  const baseUrl = `http://127.0.0.1:${apiPort}`;

  const workerPolling = async () => {
    for (const deadline = Date.now() + 120_000; Date.now() < deadline;) {
      const polling = await connectTemporal(config, { waitMs: 5_000 })
        .then(async ({ connection }) => {
          try {
            return await isPolling(connection, config.TEMPORAL_NAMESPACE, config.TEMPORAL_TASK_QUEUE, worker.pid);
          } finally {
            await connection.close();
          }
        })
        .catch((error: Error) => error.message);
      if (polling === true) return;
      await sleep(250);
    }
    throw new Error(`the worker did not come back (see ${dir}/worker.log)`);
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
      if (i > 120) throw new Error(`the API did not become ready (see ${dir}/api.log)`);
      await sleep(500);
    }
  };

  worker.start();
  api.start();
  await workerPolling();
  await apiReady();

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
    api,
    baseUrl,
    workerPolling,
    apiReady,
    token,
    async stop() {
      await api.stop();
      await worker.stop();
      await temporal.stop();
      if (options.keep) return;
      await dropDatabase(databaseUrl);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
