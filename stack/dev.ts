/**
 * `npm start`, once stack/start.mjs has made sure the dependencies are installed: the whole
 * development stack in one terminal.
 *
 *   Postgres  DATABASE_URL, created and migrated; with DATABASE_URL unset and nothing answering
 *             at the default, an embedded Postgres kept in DATA_DIR/postgres (EMBEDDED_POSTGRES).
 *   Temporal  a server already answering at TEMPORAL_ADDRESS is reused; otherwise the pinned CLI's
 *             dev server (built into .tools/ when missing) with its SQLite file in DATA_DIR.
 *   witness   a local litewitness (LOCAL_WITNESS, data in DATA_DIR/witness) cosigning the log's
 *             checkpoints; added to LOG_WITNESSES for the worker.
 *   worker    workers/main.ts } child processes, restarted with back-off when they crash;
 *   API       api/main.ts     } their output is shown here, prefixed.
 *
 * The children run in process groups of their own, so a Ctrl-C reaches only this process,
 * which stops them in order: API, worker, Temporal, Postgres. A second Ctrl-C kills them.
 * What is running is recorded in DATA_DIR/stack.json, so that a run that was killed outright
 * (SIGKILL) has its leftovers stopped by the next one.
 */
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { loadConfigOrExit, publicBaseUrl, type Config } from '../config';
import { migrate } from '../db';
import { registerDevOperators } from './dev-operators';
import { searchAttributeRegistrations } from '../workflows/messages';
import { bundleWorkflows } from './bundle-workflows';
import { databaseOfThisDataFolder } from './dev-database';
import { ensureConsoleBuilt } from './console-build';
import { EmbeddedPostgres, lastLines } from './embedded-postgres';
import { StateFile } from './state-file';
import { formatMs, type Supervised } from './supervisor';
import { StartupError, SupervisedStack } from './supervised-stack';
import { ensureTemporalCli, isPortOpen, projectRoot, startDevServer } from './temporal-cli';
import { connectWhenUp, ensureTemporalSetup } from './temporal-setup';
import { isPolling } from './worker-ready';
import { ensureWitnessTools, prepareWitness, startLitewitness, startWitnessAgent } from './witness';
import { loadTrustKeys } from '../trust/keys';
import { verifierKey } from '../trust/log-checkpoint';
import { withoutPassword } from './log-format';
import { accessSummary, withDevelopmentDefaults } from './development-env';
import { reachOf } from '../api/client-address';

const stack = new SupervisedStack({
  tag: 'stack',
  what: 'stack',
  stopOrder: ['api', 'worker', 'witness', 'witness-agent', 'temporal', 'postgres'],
  nameWidth: 'worker'.length,
});
const { log } = stack;
const rel = (file: string) => path.relative(projectRoot, file) || file;

interface Database {
  url: string;
  /** For the banner: no password. */
  shown: string;
  embedded: boolean;
}

type Probe = { ok: true } | { ok: false; unreachable: boolean; message: string };

const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ECONNRESET',
]);

async function probePostgres(databaseUrl: string): Promise<Probe> {
  const url = new URL(databaseUrl);
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString(), connectionTimeoutMillis: 3_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return { ok: true };
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    const unreachable = (code !== undefined && UNREACHABLE.has(code)) || /timeout/i.test(message);
    return { ok: false, unreachable, message: code && UNREACHABLE.has(code) ? code : message };
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Which Postgres: decided first (a probe, at most a few seconds), so a bad one stops start-up before anything runs. */
async function choosePostgres(config: Config): Promise<'external' | 'embedded'> {
  if (config.EMBEDDED_POSTGRES === 'always') return 'embedded';
  const explicit = Boolean(process.env.DATABASE_URL);
  const target = new URL(config.DATABASE_URL);
  const where = `${target.hostname}:${target.port || '5432'}`;
  const probe = await probePostgres(config.DATABASE_URL);
  if (probe.ok) return 'external';
  if (!probe.unreachable) throw new StartupError(`Postgres at ${where} refused the connection: ${probe.message}`);
  if (explicit)
    throw new StartupError(
      `Postgres at ${where} (DATABASE_URL) is not reachable (${probe.message}); start it, or unset DATABASE_URL to use an embedded one`,
    );
  if (config.EMBEDDED_POSTGRES === 'never')
    throw new StartupError(`no Postgres answers at ${where} (${probe.message}) and EMBEDDED_POSTGRES=never`);
  log(
    `no Postgres answers at ${where} (${probe.message}): using an embedded one, kept in ${rel(path.join(config.dataDir, 'postgres'))}`,
  );
  return 'embedded';
}

async function preparePostgres(
  config: Config,
  kind: 'external' | 'embedded',
  newDataFolder: boolean,
): Promise<Database> {
  if (kind === 'external') {
    const url = process.env.DATABASE_URL
      ? config.DATABASE_URL
      : await databaseOfThisDataFolder(config, newDataFolder, log);
    const target = new URL(url);
    await migrateLogged({ ...config, DATABASE_URL: url }, `Postgres at ${target.hostname}:${target.port || '5432'}`);
    return { url, shown: withoutPassword(url), embedded: false };
  }
  const embedded = new EmbeddedPostgres({
    clusterDir: path.join(config.dataDir, 'postgres'),
    passwordFile: path.join(config.dataDir, 'keys', 'postgres-password'),
    port: config.EMBEDDED_POSTGRES_PORT,
    logFile: path.join(config.dataDir, 'postgres.log'),
  });
  embedded.initialise(log);
  embedded.stopLeftover(log);
  if (await isPortOpen(config.EMBEDDED_POSTGRES_PORT)) {
    throw new StartupError(
      `port ${config.EMBEDDED_POSTGRES_PORT} (EMBEDDED_POSTGRES_PORT) is in use by another program; set EMBEDDED_POSTGRES_PORT to a free port`,
    );
  }
  const service = stack.supervise({
    name: 'postgres',
    start: () => embedded.start(),
    stopSignal: 'SIGINT',
    stopTimeoutMs: 30_000,
  });
  await service.start();
  log(
    `embedded Postgres up on 127.0.0.1:${config.EMBEDDED_POSTGRES_PORT} (pid ${service.pid}, log ${rel(embedded.options.logFile)})`,
  );
  const url = embedded.urlFor(decodeURIComponent(new URL(config.DATABASE_URL).pathname.slice(1)));
  await migrateLogged({ ...config, DATABASE_URL: url }, 'embedded Postgres');
  return {
    url,
    shown: `${withoutPassword(url)} (embedded; password in ${rel(embedded.options.passwordFile)})`,
    embedded: true,
  };
}

async function migrateLogged(config: Pick<Config, 'DATABASE_URL' | 'DATABASE_APP_ROLE'>, where: string): Promise<void> {
  const database = decodeURIComponent(new URL(config.DATABASE_URL).pathname.slice(1));
  try {
    const applied = await migrate(config);
    await registerDevOperators(config);
    log(
      `${where}: database ${database} ${applied.length === 0 ? 'is up to date' : `migrated (${applied.join(', ')})`}`,
    );
  } catch (error) {
    throw new StartupError(`${where}: could not prepare database ${database}: ${(error as Error).message}`);
  }
}

interface TemporalInfo {
  address: string;
  uiUrl: string;
  detail: string;
}

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '0.0.0.0']);

async function prepareTemporal(config: Config): Promise<TemporalInfo> {
  const address = config.TEMPORAL_ADDRESS;
  const [host, portText] = address.split(':') as [string, string];
  const port = Number(portText);
  if (await isPortOpen(port, host)) {
    log(`Temporal: reusing the server that answers at ${address}`);
    await setUpNamespace(config);
    return { address, uiUrl: config.TEMPORAL_UI_URL, detail: 'reused, not started by npm start' };
  }
  if (!LOCAL_HOSTS.has(host)) throw new StartupError(`Temporal at ${address} (TEMPORAL_ADDRESS) is not reachable`);

  const binary = await ensureTemporalCli(log, stack.signal);
  if (stack.shuttingDown) throw new StartupError('stopped');
  if (await isPortOpen(config.TEMPORAL_UI_PORT)) {
    throw new StartupError(
      `port ${config.TEMPORAL_UI_PORT} (TEMPORAL_UI_PORT, the Temporal Web UI) is in use by another program`,
    );
  }
  const dbFile = path.join(config.dataDir, 'temporal.sqlite');
  const logFile = path.join(config.dataDir, 'temporal.log');
  const existed = fs.existsSync(dbFile);
  if (existed) fs.chmodSync(dbFile, 0o600); // one made before the stack's umask (below) was set
  const service = stack.supervise({
    name: 'temporal',
    start: async () =>
      (
        await startDevServer({
          binary,
          port,
          uiPort: config.TEMPORAL_UI_PORT,
          // Payloads are encrypted: the UI asks the API's codec server, which decodes for admins only.
          uiCodecEndpoint: `${publicBaseUrl(config)}/codec`,
          dbFile,
          searchAttributes: searchAttributeRegistrations,
          logFile,
          detached: true,
        })
      ).process,
    stopSignal: 'SIGTERM',
    stopTimeoutMs: 20_000,
  });
  try {
    await service.start();
  } catch (error) {
    throw new StartupError(`Temporal dev server did not start: ${(error as Error).message}: ${lastLines(logFile, 3)}`);
  }
  log(
    `Temporal dev server up on ${address} (pid ${service.pid}, ${existed ? 'reusing' : 'new'} ${rel(dbFile)}, log ${rel(logFile)})`,
  );
  await setUpNamespace(config);
  const uiUrl = process.env.TEMPORAL_UI_URL ? config.TEMPORAL_UI_URL : `http://localhost:${config.TEMPORAL_UI_PORT}`;
  return { address, uiUrl, detail: `dev server, ${rel(dbFile)}, log ${rel(logFile)}` };
}

async function setUpNamespace(config: Config): Promise<void> {
  const connection = await connectWhenUp(config, 60_000);
  try {
    await ensureTemporalSetup(connection, config.TEMPORAL_NAMESPACE, log);
  } finally {
    await connection.close();
  }
}

// ---------------------------------------------------------------------------------------------
// The local witness: litewitness with its key in a dedicated ssh-agent, both supervised.

interface WitnessInfo {
  /** LOG_WITNESSES's entry for it. */
  entry: string;
  detail: string;
}

async function prepareLocalWitness(config: Config): Promise<WitnessInfo> {
  const tools = await ensureWitnessTools(log, stack.signal);
  if (stack.shuttingDown) throw new StartupError('stopped');
  if (await isPortOpen(config.LOCAL_WITNESS_PORT))
    throw new StartupError(
      `port ${config.LOCAL_WITNESS_PORT} (LOCAL_WITNESS_PORT, the local witness) is in use by another program; set LOCAL_WITNESS_PORT or LOCAL_WITNESS=off`,
    );
  // Every log key, current and retired, so the witness accepts checkpoints signed since a rotation.
  const keys = await loadTrustKeys(config);
  const dir = path.join(config.dataDir, 'witness');
  const prepared = prepareWitness({
    dir,
    name: `${config.LOG_ORIGIN.split('/')[0]}/witness`,
    origin: config.LOG_ORIGIN,
    logVerifierKeys: keys.log.published.map((k) => verifierKey(config.LOG_ORIGIN, k.publicKey)),
    tools,
  });
  const logFile = path.join(dir, 'litewitness.log');
  const agent = stack.supervise({
    name: 'witness-agent',
    start: () => startWitnessAgent(prepared, { detached: true }),
    stopSignal: 'SIGTERM',
    stopTimeoutMs: 5_000,
  });
  await agent.start();
  const witness = stack.supervise({
    name: 'witness',
    start: () => startLitewitness(prepared, { port: config.LOCAL_WITNESS_PORT, logFile, detached: true }),
    stopSignal: 'SIGINT',
    stopTimeoutMs: 10_000,
  });
  await witness.start();
  const url = `http://127.0.0.1:${config.LOCAL_WITNESS_PORT}`;
  log(`local witness ${prepared.name} up on ${url} (pid ${witness.pid}, ${rel(dir)}, key ${prepared.vkey})`);
  return { entry: `${prepared.vkey}@${url}`, detail: `${url}   (litewitness ${prepared.name}, ${rel(dir)})` };
}

/** Ready when Temporal lists our worker process (its identity is pid@host) among the task queue's pollers. */
async function waitForWorker(config: Config, worker: Supervised): Promise<void> {
  const connection = await connectWhenUp(config, 60_000);
  try {
    await stack.waitFor('the worker did not start polling', 180_000, () =>
      isPolling(connection, config.TEMPORAL_NAMESPACE, config.TEMPORAL_TASK_QUEUE, worker.pid),
    );
  } finally {
    await connection.close();
  }
}

async function main(): Promise<void> {
  // Before the configuration is read: this process and its children run in development mode.
  Object.assign(process.env, withDevelopmentDefaults(process.env));
  const config = loadConfigOrExit();
  const startedAt = Date.now();

  // The data folder holds keys, the Temporal database and logs: the developer's own, not the
  // machine's. What the stack and its children create is readable by its owner only.
  process.umask(0o077);
  fs.mkdirSync(config.dataDir, { recursive: true });
  fs.chmodSync(config.dataDir, 0o700);
  await stack.recordIn(
    new StateFile(
      path.join(config.dataDir, 'stack.json'),
      {
        marker: 'stack/dev.ts',
        command: 'npm start',
        // Postgres's SIGTERM waits for its clients to go; SIGINT is its fast shutdown.
        stopSignals: { postgres: 'SIGINT' },
      },
      log,
    ),
  );
  if (await isPortOpen(config.PORT))
    throw new StartupError(`port ${config.PORT} (PORT, the API) is in use by another program; stop it or set PORT`);

  const postgresKind = await choosePostgres(config);
  // Before the dev server creates it: a data folder whose dev server has never run.
  const newDataFolder = !fs.existsSync(path.join(config.dataDir, 'temporal.sqlite'));
  // The worker loads one bundle made here (both of its task queues share it), as the cluster's do.
  const workflowBundle = path.join(config.dataDir, 'workflow-bundle.js');
  const [database, temporal, consoleBuild, bundle] = await Promise.allSettled([
    preparePostgres(config, postgresKind, newDataFolder),
    prepareTemporal(config),
    // The console the API serves at /console: built when missing or stale (a second or so).
    ensureConsoleBuilt(log),
    bundleWorkflows(workflowBundle),
  ]);
  if (database.status === 'rejected') throw database.reason;
  if (temporal.status === 'rejected') throw temporal.reason;
  if (consoleBuild.status === 'rejected') throw new StartupError((consoleBuild.reason as Error).message);
  if (bundle.status === 'rejected') throw new StartupError(`workflow bundle: ${(bundle.reason as Error).message}`);
  if (stack.shuttingDown) return;
  const witness = config.LOCAL_WITNESS === 'on' ? await prepareLocalWitness(config) : null;

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: database.value.url,
    DATA_DIR: config.dataDir,
    WORKFLOW_BUNDLE: workflowBundle,
    TEMPORAL_UI_URL: temporal.value.uiUrl,
    // The local witness comes after any the operator named.
    LOG_WITNESSES: [process.env.LOG_WITNESSES, witness?.entry].filter(Boolean).join(','),
  };
  const worker = stack.superviseNode('worker', 'workers/main.ts', env);
  const api = stack.superviseNode('api', 'api/main.ts', env);
  await Promise.all([worker.start(), api.start()]);

  const readyz = `http://127.0.0.1:${config.PORT}/readyz`;
  await Promise.all([
    waitForWorker(config, worker),
    stack.waitFor('the API did not become ready', 180_000, async () => {
      const res = await fetch(readyz, { signal: AbortSignal.timeout(3_000) });
      return res.status === 200 ? true : `${res.status} ${await res.text()}`;
    }),
  ]);

  const base = `http://localhost:${config.PORT}`;
  const rows: [string, string][] = [
    ['Mode', accessSummary(config, reachOf(config.HOST))],
    ['API', `${base}   (GET /healthz, /readyz, /metrics)`],
    [
      'Console',
      `${base}/console/   (${config.DEV_TOKENS === 'on' ? 'development sign-in: pick a role and an identity' : 'sign-in as GET /v1/auth/config says'})`,
    ],
    ['API docs', `${base}/docs   (OpenAPI: ${base}/openapi.json)`],
    ['Web UI', `${temporal.value.uiUrl}   (Temporal, namespace ${config.TEMPORAL_NAMESPACE})`],
    ['Temporal', `${temporal.value.address}   (${temporal.value.detail})`],
    ['Postgres', database.value.shown],
    [
      'Log',
      `${base}/log/checkpoint   (tlog-tiles; witnesses: ${witness ? witness.detail : config.LOG_WITNESSES.length > 0 ? config.LOG_WITNESSES.map((w) => w.key.name).join(', ') : 'none (LOCAL_WITNESS=off)'})`,
    ],
    [
      'Data',
      `${rel(config.dataDir)}/   (keys, Temporal SQLite and log${database.value.embedded ? ', embedded Postgres' : ''})`,
    ],
    ['Token', 'npm run --silent token -- admin ops   (or: requester <sub> | operator <sub> <operatorId>)'],
  ];
  process.stdout.write(
    `\n[stack] QTM OS is up (${formatMs(Date.now() - startedAt)}):\n${rows.map(([k, v]) => `  ${k.padEnd(9)} ${v}`).join('\n')}\n  Ctrl-C stops everything.\n\n`,
  );
}

stack.run(main);
