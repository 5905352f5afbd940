/**
 * `npm run cluster [-- --workers N] [--apis M] [--tls] [--no-ui] [--sql-max-conns 20]`: QTM OS at scale, without Docker.
 *
 *   Temporal  the real server 1.29.1 (built from its Go module into .tools/bin, once), all four
 *             services in one process, persistence and SQL visibility in the Postgres of
 *             DATABASE_URL (default database qtm_os_cluster; Temporal's are <db>_temporal and
 *             <db>_temporal_visibility beside it, created and migrated by Temporal's SQL tool),
 *             on TEMPORAL_ADDRESS's port; the namespace and
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
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { defaultDatabaseUrl, loadConfig, loadConfigOrExit, type Config } from '../config';
import { migrate } from '../db';
import { loadAuthSecret, loadTrustKeys } from '../trust/keys';
import { bundleWorkflows } from './bundle-workflows';
import { clientTlsEnv, makeClusterCertificates } from './cluster-certs';
import { StateFile } from './state-file';
import { formatMs } from './supervisor';
import { StartupError, SupervisedStack } from './supervised-stack';
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
import { withoutPassword } from './log-format';
import { accessSummary, withDevelopmentDefaults } from './development-env';
import { reachOf } from '../api/client-address';

const stack = new SupervisedStack({
  tag: 'cluster',
  what: 'cluster',
  stopOrder: ['api', 'worker', 'ui', 'temporal'],
  nameWidth: 'worker-1'.length,
});
const { log } = stack;
const rel = (file: string) => path.relative(projectRoot, file) || file;

/** The TEMPORAL_TLS_* variables a tool run under mTLS needs, as a line to copy in front of `npm run`. */
const toolTlsEnv = (tls: Parameters<typeof clientTlsEnv>[0]) =>
  Object.entries(clientTlsEnv(tls))
    .map(([name, value]) => `${name}=${path.isAbsolute(value) ? rel(value) : value}`)
    .join(' ');

const positive = (flag: string, text: string) => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new StartupError(`--${flag} must be a whole number of at least 1`);
  return n;
};

async function main(): Promise<void> {
  const startedAt = Date.now();
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
  // A database of its own by default: qtm_os is the read side of `npm start`'s dev server, and one
  // database serves one Temporal namespace (db/temporal-binding.ts).
  process.env.DATABASE_URL ??= defaultDatabaseUrl(process.env.PGPORT, 'qtm_os_cluster');
  // Before the configuration is read: this process and its children run in development mode.
  Object.assign(process.env, withDevelopmentDefaults(process.env));
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

  await stack.recordIn(
    new StateFile(
      path.join(config.dataDir, 'cluster.json'),
      { marker: 'stack/cluster.ts', command: 'npm run cluster' },
      log,
    ),
  );

  // The server's build takes minutes on a cold Go cache: under way while everything else is prepared.
  const building = ensureTemporalBinaries({ ui }, log, stack.signal);
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
  if (stack.shuttingDown) return;
  migrateTemporalDatabases(binaries.sqlTool, pg, log);
  const serverArgs = writeServerConfig({ dir, ports, postgres: pg, tls, maxConns });
  const temporalLog = path.join(dir, 'temporal.log');
  const temporal = stack.supervise({
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
    const uiService = stack.supervise({
      name: 'ui',
      start: () =>
        startUiServer({
          binary: uiServer,
          dir,
          port: config.TEMPORAL_UI_PORT,
          temporalAddress: config.TEMPORAL_ADDRESS,
          namespace: config.TEMPORAL_NAMESPACE,
          tls,
          codecEndpoint: `http://localhost:${apiPorts[0]}/codec`,
          logFile: uiLog,
          detached: true,
        }),
      stopSignal: 'SIGTERM',
      stopTimeoutMs: 10_000,
    });
    await uiService.start();
  }

  const workerServices = Array.from({ length: workers }, (_, i) =>
    stack.superviseNode(`worker-${i + 1}`, 'workers/main.ts', env),
  );
  const apiServices = apiPorts.map((port, i) =>
    stack.superviseNode(`api-${i + 1}`, 'api/main.ts', { ...env, PORT: String(port) }),
  );
  await Promise.all([...workerServices, ...apiServices].map((s) => s.start()));
  const stateInfo = {
    temporalAddress: config.TEMPORAL_ADDRESS,
    apiUrls: apiPorts.map((p) => `http://127.0.0.1:${p}`),
    uiUrl: ui ? `http://localhost:${config.TEMPORAL_UI_PORT}` : null,
    tls: tls ?? null,
    dir,
    ready: false,
  };
  stack.setStateInfo(stateInfo);

  const polling = await connectWhenUp(clientConfig, 60_000);
  try {
    await Promise.all([
      ...workerServices.map((worker) =>
        stack.waitFor(`${worker.spec.name} did not start polling`, 180_000, () =>
          isPolling(polling, config.TEMPORAL_NAMESPACE, config.TEMPORAL_TASK_QUEUE, worker.pid),
        ),
      ),
      ...apiPorts.map((port) =>
        stack.waitFor(`the API on port ${port} did not become ready`, 180_000, async () => {
          const res = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(3_000) });
          return res.status === 200 ? true : `${res.status} ${await res.text()}`;
        }),
      ),
    ]);
  } finally {
    await polling.close();
  }
  stack.setStateInfo({ ...stateInfo, ready: true });

  const rows: [string, string][] = [
    ['Mode', accessSummary(config, reachOf(config.HOST))],
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
    // The tools (reconcile, verify-chain, export) read this database, not npm start's.
    ['Postgres', `${withoutPassword(config.DATABASE_URL)}   (tools: DATABASE_URL=<this> npm run reconcile)`],
    // Under mTLS the tools need the client certificate too, or they cannot reach the server.
    ...(tls ? [['mTLS', `tools also need: ${toolTlsEnv(tls)}`] satisfies [string, string]] : []),
    ['Data', `${rel(config.dataDir)}/   (keys; cluster/ has the server config${tls ? ', certificates' : ''} and logs)`],
    ['Token', 'npm run --silent token -- admin ops'],
  ];
  process.stdout.write(
    `\n[cluster] QTM OS cluster is up (${formatMs(Date.now() - startedAt)}):\n${rows.map(([k, v]) => `  ${k.padEnd(9)} ${v}`).join('\n')}\n  Ctrl-C stops everything.\n\n`,
  );
}

stack.run(main);
