/**
 * A real Temporal server on Postgres, as plain processes (no Docker): the pinned server built
 * from its Go module, its two databases created and migrated by its own SQL tool, and a config
 * file of our own (all four services in one process, SQL visibility, the version check off).
 * Its Web UI is the UI server the pinned CLI embeds, run beside it. `npm run cluster` uses these.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { ensureGoTool, TEMPORAL_SERVER, TEMPORAL_SQL_TOOL, TEMPORAL_UI_SERVER } from './go-tools';
import { isPortOpen } from './temporal-cli';

type Log = (line: string) => void;

/** The Temporal service ports of one server process, all derived from the frontend's. */
export interface ServerPorts {
  frontend: number;
  frontendHttp: number;
  history: number;
  matching: number;
  worker: number;
  membership: { frontend: number; history: number; matching: number; worker: number };
}

export function serverPorts(frontend: number): ServerPorts {
  return {
    frontend,
    history: frontend + 1,
    matching: frontend + 2,
    worker: frontend + 3,
    frontendHttp: frontend + 4,
    membership: { frontend: frontend + 5, history: frontend + 6, matching: frontend + 7, worker: frontend + 8 },
  };
}

export const allPorts = (ports: ServerPorts): number[] => [
  ports.frontend,
  ports.frontendHttp,
  ports.history,
  ports.matching,
  ports.worker,
  ...Object.values(ports.membership),
];

/** Where Temporal's two databases live: the Postgres server of DATABASE_URL, with its login and TLS. */
export interface TemporalPostgres {
  host: string;
  port: number;
  user: string;
  password: string;
  databases: { main: string; visibility: string };
  /** From DATABASE_URL's sslmode and sslrootcert (DATABASE_CA_FILE). */
  tls: { enabled: boolean; caFile?: string; hostVerification: boolean };
}

/** Temporal's databases are named after QTM OS's own, so each QTM database has its Temporal beside it. */
export function temporalPostgres(databaseUrl: string): TemporalPostgres {
  const url = new URL(databaseUrl);
  const database = decodeURIComponent(url.pathname.slice(1));
  const sslmode = url.searchParams.get('sslmode');
  const caFile = url.searchParams.get('sslrootcert') ?? undefined;
  return {
    host: url.hostname,
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username) || 'postgres',
    password: decodeURIComponent(url.password),
    databases: { main: `${database}_temporal`, visibility: `${database}_temporal_visibility` },
    tls: {
      enabled: sslmode !== null && sslmode !== 'disable' && sslmode !== 'prefer' && sslmode !== 'allow',
      ...(caFile ? { caFile } : {}),
      hostVerification: sslmode === 'verify-full',
    },
  };
}

export interface TemporalBinaries {
  server: string;
  sqlTool: string;
  uiServer: string | null;
}

/** Builds what is missing; the server (minutes on a cold Go cache) and the rest in parallel. */
export async function ensureTemporalBinaries(
  options: { ui: boolean },
  log: Log,
  signal?: AbortSignal,
): Promise<TemporalBinaries> {
  const [server, sqlTool, uiServer] = await Promise.all([
    ensureGoTool(TEMPORAL_SERVER, log, signal),
    ensureGoTool(TEMPORAL_SQL_TOOL, log, signal),
    options.ui ? ensureGoTool(TEMPORAL_UI_SERVER, log, signal) : Promise.resolve(null),
  ]);
  return { server, sqlTool, uiServer };
}

/** The server module's own schema folders (schema/postgresql/v12/...), from Go's module cache. */
export function schemaDir(): string {
  const spec = `go.temporal.io/server@v${TEMPORAL_SERVER.version}`;
  const out = spawnSync('go', ['mod', 'download', '-json', spec], { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`go mod download ${spec} failed: ${(out.stderr || out.stdout).trim()}`);
  const dir = (JSON.parse(out.stdout) as { Dir?: string }).Dir;
  if (!dir) throw new Error(`go mod download ${spec} named no folder`);
  return path.join(dir, 'schema', 'postgresql', 'v12');
}

/** Creates and migrates both databases: `create`, `setup-schema -v 0.0`, `update-schema`; all safe to rerun. */
export function migrateTemporalDatabases(sqlTool: string, pg: TemporalPostgres, log: Log): void {
  const schema = schemaDir();
  const base = [
    '--plugin',
    'postgres12',
    '--endpoint',
    pg.host,
    '--port',
    String(pg.port),
    '--user',
    pg.user,
    ...(pg.tls.enabled
      ? [
          '--tls',
          ...(pg.tls.caFile ? ['--tls-ca-file', pg.tls.caFile] : []),
          ...(pg.tls.hostVerification ? [] : ['--tls-disable-host-verification']),
        ]
      : []),
  ];
  // The password goes by environment, not on a command line others can read.
  const env = { ...process.env, SQL_PASSWORD: pg.password };
  for (const [database, folder] of [
    [pg.databases.main, 'temporal'],
    [pg.databases.visibility, 'visibility'],
  ] as const) {
    const steps = [
      ['create-database'],
      ['setup-schema', '-v', '0.0'],
      ['update-schema', '-d', path.join(schema, folder, 'versioned')],
    ];
    for (const step of steps) {
      const run = spawnSync(sqlTool, [...base, '--database', database, ...step], { encoding: 'utf8', env });
      const output = `${run.stdout}${run.stderr}`;
      // create-database of an existing one fails with "already exists": that is the rerun.
      if (run.status !== 0 && !(step[0] === 'create-database' && /already exists/.test(output)))
        throw new Error(`temporal-sql-tool ${step[0]} on ${database} failed: ${lastError(output)}`);
    }
    log(`Temporal database ${database}: schema up to date`);
  }
}

const lastError = (output: string) =>
  output
    .trim()
    .split('\n')
    .filter((l) => /error/i.test(l))
    .slice(-2)
    .join(' | ') || output.trim().split('\n').slice(-2).join(' | ');

/** Certificates for the frontend's mTLS (see cluster-certs.ts). */
export interface FrontendTls {
  caFile: string;
  serverCertFile: string;
  serverKeyFile: string;
  /** What the server's own system worker presents to its frontend. */
  clientCertFile: string;
  clientKeyFile: string;
  serverName: string;
}

export interface ServerConfigOptions {
  dir: string;
  ports: ServerPorts;
  postgres: TemporalPostgres;
  tls?: FrontendTls;
  /** Connections per store and service (default SQL_MAX_CONNS): the Docker image's defaults, as docker-compose.yml sets them. */
  maxConns?: { main: number; visibility: number };
  logLevel?: string;
}

/** The temporalio/server image's SQL_MAX_CONNS and SQL_VIS_MAX_CONNS defaults. */
export const SQL_MAX_CONNS = { main: 20, visibility: 10 };

/** Writes `<dir>/config/cluster.yaml` and its dynamic config; returns the server's arguments. */
export function writeServerConfig(options: ServerConfigOptions): string[] {
  const { dir, ports, postgres: pg, tls } = options;
  const configDir = path.join(dir, 'config');
  fs.mkdirSync(configDir, { recursive: true });
  const sqlStore = (databaseName: string, maxConns: number) => ({
    sql: {
      pluginName: 'postgres12',
      databaseName,
      connectAddr: `${pg.host}:${pg.port}`,
      connectProtocol: 'tcp',
      user: pg.user,
      password: pg.password,
      maxConns,
      maxIdleConns: maxConns,
      maxConnLifetime: '1h',
      ...(pg.tls.enabled
        ? {
            tls: {
              enabled: true,
              ...(pg.tls.caFile ? { caFile: pg.tls.caFile } : {}),
              enableHostVerification: pg.tls.hostVerification,
            },
          }
        : {}),
    },
  });
  const rpc = (grpcPort: number, membershipPort: number, extra: Record<string, number> = {}) => ({
    rpc: { grpcPort, membershipPort, bindOnIP: '127.0.0.1', ...extra },
  });
  const config = {
    log: { stdout: true, level: options.logLevel ?? 'warn' },
    persistence: {
      defaultStore: 'postgres-default',
      visibilityStore: 'postgres-visibility',
      numHistoryShards: 4,
      datastores: {
        'postgres-default': sqlStore(pg.databases.main, (options.maxConns ?? SQL_MAX_CONNS).main),
        'postgres-visibility': sqlStore(pg.databases.visibility, (options.maxConns ?? SQL_MAX_CONNS).visibility),
      },
    },
    global: {
      membership: { maxJoinDuration: '30s', broadcastAddress: '127.0.0.1' },
      pprof: { port: 0 },
      ...(tls
        ? {
            tls: {
              // mTLS on the frontend only: the other services are in this same process, on 127.0.0.1.
              frontend: {
                server: {
                  certFile: tls.serverCertFile,
                  keyFile: tls.serverKeyFile,
                  requireClientAuth: true,
                  clientCaFiles: [tls.caFile],
                },
                client: { serverName: tls.serverName, rootCaFiles: [tls.caFile] },
              },
              systemWorker: {
                certFile: tls.clientCertFile,
                keyFile: tls.clientKeyFile,
                client: { serverName: tls.serverName, rootCaFiles: [tls.caFile] },
              },
            },
          }
        : {}),
    },
    services: {
      frontend: rpc(ports.frontend, ports.membership.frontend, { httpPort: ports.frontendHttp }),
      history: rpc(ports.history, ports.membership.history),
      matching: rpc(ports.matching, ports.membership.matching),
      worker: rpc(ports.worker, ports.membership.worker),
    },
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: {
        active: {
          enabled: true,
          initialFailoverVersion: 1,
          rpcName: 'frontend',
          rpcAddress: `127.0.0.1:${ports.frontend}`,
          httpAddress: `127.0.0.1:${ports.frontendHttp}`,
        },
      },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    dynamicConfigClient: { filepath: path.join(configDir, 'dynamicconfig.yaml'), pollInterval: '10s' },
  };
  fs.writeFileSync(path.join(configDir, 'cluster.yaml'), stringify(config), { mode: 0o600 });
  // A copy, so that a checkout switching branches under a running server cannot take it away.
  fs.copyFileSync(DYNAMIC_CONFIG_FILE, path.join(configDir, 'dynamicconfig.yaml'));
  // --allow-no-auth is a global flag: before `start`.
  return ['--root', dir, '--config', 'config', '--env', 'cluster', '--allow-no-auth', 'start'];
}

/** The server's dynamic config (the version check off): the one file docker-compose.yml mounts too; the cluster runs a copy. */
export const DYNAMIC_CONFIG_FILE = path.join(__dirname, 'temporal-dynamicconfig.yaml');

export interface ProcessOptions {
  binary: string;
  args: string[];
  logFile: string;
  /** Own process group (the supervisor's Ctrl-C handling). */
  detached?: boolean;
  env?: NodeJS.ProcessEnv;
}

function spawnLogged(options: ProcessOptions): ChildProcess {
  const out = fs.openSync(options.logFile, 'a');
  const child = spawn(options.binary, options.args, {
    stdio: ['ignore', out, out],
    detached: options.detached ?? false,
    env: options.env ?? process.env,
  });
  fs.closeSync(out);
  return child;
}

/** Starts the server and resolves once its frontend port is open; a server that exits first is an error. */
export async function startTemporalServer(options: ProcessOptions & { port: number }): Promise<ChildProcess> {
  const child = spawnLogged(options);
  await waitForPort(child, options.port, 'temporal server', options.logFile, 120_000);
  return child;
}

export interface UiServerOptions {
  binary: string;
  dir: string;
  port: number;
  temporalAddress: string;
  namespace: string;
  tls?: FrontendTls;
  /** The codec server (the API's /codec): the browser sends it the session cookie (includeCredentials). */
  codecEndpoint?: string;
  logFile: string;
  detached?: boolean;
}

/** What the Web UI shows where it cannot decode a payload. */
export const CODEC_ERROR_MESSAGE =
  'Payloads are encrypted. Admins read them after starting a codec session (POST /codec/session; see OPERATIONS.md).';

/** The Temporal Web UI's own server, configured for this cluster (with the client certificate when mTLS is on). */
export async function startUiServer(options: UiServerOptions): Promise<ChildProcess> {
  const configDir = path.join(options.dir, 'ui-config');
  fs.mkdirSync(configDir, { recursive: true });
  const config = {
    temporalGrpcAddress: options.temporalAddress,
    host: '127.0.0.1',
    port: options.port,
    enableUi: true,
    defaultNamespace: options.namespace,
    notifyOnNewVersion: false,
    refreshInterval: '0s',
    cors: { allowOrigins: [`http://localhost:${options.port}`], cookieInsecure: true },
    auth: { enabled: false },
    ...(options.codecEndpoint
      ? {
          codec: {
            endpoint: options.codecEndpoint,
            includeCredentials: true,
            defaultErrorMessage: CODEC_ERROR_MESSAGE,
          },
        }
      : {}),
    ...(options.tls
      ? {
          tls: {
            caFile: options.tls.caFile,
            certFile: options.tls.clientCertFile,
            keyFile: options.tls.clientKeyFile,
            serverName: options.tls.serverName,
            enableHostVerification: true,
          },
        }
      : {}),
  };
  fs.writeFileSync(path.join(configDir, 'cluster.yaml'), stringify(config));
  const child = spawnLogged({
    binary: options.binary,
    args: ['--root', options.dir, '--config', 'ui-config', '--env', 'cluster', 'start'],
    logFile: options.logFile,
    detached: options.detached,
  });
  await waitForPort(child, options.port, 'temporal ui server', options.logFile, 60_000);
  return child;
}

async function waitForPort(child: ChildProcess, port: number, what: string, logFile: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!(await isPortOpen(port))) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`${what} exited with ${child.exitCode ?? child.signalCode} (see ${logFile})`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${what} did not open port ${port} within ${timeoutMs / 1000}s (see ${logFile})`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

if (require.main === module) {
  // `npm run cluster:ensure`: the binaries alone (CI builds them before the cluster job).
  ensureTemporalBinaries({ ui: true }, (line) => process.stderr.write(`${line}\n`)).then(
    (binaries) => process.stdout.write(`${Object.values(binaries).join('\n')}\n`),
    (error: unknown) => {
      process.stderr.write(`${(error as Error).message}\n`);
      process.exit(1);
    },
  );
}
