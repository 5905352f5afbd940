/**
 * `npm run cluster` as a test drives it: the real command in a child process, on ports and a
 * Postgres database of its own, read through its state file (DATA_DIR/cluster.json), its
 * children killed by pid and left to its supervisor to restart, stopped with SIGINT like a Ctrl-C.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { issueToken } from '../../api/auth';
import { loadConfig, type Config } from '../../config';
import { dropDatabase } from '../../db';
import type { Principal } from '../../domain/schemas';
import { connectTemporal } from '../../lib/temporal';
import { clientTlsEnv } from '../../stack/cluster-certs';
import { isAlive, type StateRecord } from '../../stack/state-file';
import { isPortOpen } from '../../stack/temporal-cli';
import { allPorts, serverPorts, temporalPostgres, type FrontendTls } from '../../stack/temporal-cluster';
import { isPolling } from '../../stack/worker-ready';
import { loadAuthSecret } from '../../trust/keys';
import { eventually } from '../support/eventually';
import type { Client, Connection } from '@temporalio/client';

const root = path.resolve(__dirname, '..', '..');
const MACHINE_POSTGRES = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

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
  /** A project script run against the cluster's database and Temporal. */
  npmRun(script: string): { status: number | null; output: string };
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

export async function startCluster(options: {
  tls: boolean;
  workers?: number;
  apis?: number;
}): Promise<RunningCluster> {
  const runId = randomUUID().slice(0, 8);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `qtm-cluster-${runId}-`));
  const database = new URL(MACHINE_POSTGRES);
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
  const state = await eventually(
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
      const after = await eventually(
        `the supervisor to restart ${name}`,
        async () => {
          const pid = readState()?.children.find((c) => c.name === name)?.pid;
          return pid !== undefined && pid !== before ? pid : undefined;
        },
        120_000,
        200,
      );
      if (name.startsWith('worker'))
        await eventually(
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
    npmRun(script) {
      const run = spawnSync('npm', ['run', '--silent', script], {
        cwd: root,
        env: { ...process.env, ...clientEnv },
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
