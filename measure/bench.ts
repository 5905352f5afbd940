/**
 * How fast a governed lifecycle runs, side by side with its floors, in one run on one machine:
 *
 *   L       whole lifecycles per second through the HTTP API, closed loop at each concurrency;
 *   direct  the same Updates sent to the same intake workflow by the Temporal client (no HTTP);
 *   F       the orchestration floor: a skeleton workflow of the intake workflow's shape (the same
 *           Updates, the same activities, local where the intake's are local) doing nothing;
 *   F0      the same floor with every write a regular activity (the intake's shape before);
 *   Fmin    the minimal floor: the same Updates accepted in the same lane with no activities at all,
 *           so that the shape's own cost (Update round trips, workflow tasks, history) is visible;
 *   D       the database floor: the lifecycle's rows written by the activity code alone;
 *   latency p50/p95/p99 of the commands, HTTP and direct, and CPU time per lifecycle by process;
 *   reads   p99 of the read endpoints with 1,000 and 100,000 sealed lifecycles (bulk-seeded);
 *   open    10,000 intakes waiting in governance: worker memory, and 100 of them driven to the end.
 *
 * L, direct, F, F0 and Fmin take turns (in --rounds rounds per level), so that other load on the
 * machine falls on all of them alike. A lifecycle's end is its workflow's result (the Signal's id).
 *
 *   npm run bench [-- --quick] [--lifecycles N] [--rounds N] [--concurrency 1,8,32,64] [--latency-at 8]
 *                 [--skip L,direct,F,F0,Fmin,D,reads,open] [--read-sizes 1000,100000] [--read-samples N]
 *                 [--open N] [--drive N] [--chart] [--out file.json] [--profile DIR] [--keep] [--no-codec]
 *                 [--base-url URL --temporal-address host:port [--worker-pid PID]]
 *   npm run bench -- --cluster [--workers N] [--concurrency 1,8,32] [--lifecycles N] [--rounds N]
 *                 L on `npm run cluster`'s stack beside the dev server's, in one run (measure/bench/cluster-compare.ts)
 *
 * Only ratios of figures from the same run mean anything: these machines are shared and noisy.
 *
 * The product encrypts every Temporal payload (adapters/payload-codec.ts): L and direct pay for it, the
 * floors F and F0 (Temporal alone) do not. `--no-codec` runs the stack with TEMPORAL_PAYLOAD_CODEC=off,
 * to measure what the codec costs by comparing two runs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Client } from '@temporalio/client';
import { connectTemporal } from '../adapters/temporal-connection';
import { createAuthKeys, issueToken } from '../api/auth';
import { loadConfigOrExit, type Config } from '../config';
import { createDb } from '../db';
import type { Principal } from '../domain/schemas';
import { CHECKPOINT_SCHEDULE_ID } from '../orchestration/log-checkpoint-schedule';
import { ESCALATION_SCHEDULE_ID } from '../orchestration/escalation-schedule';
import { IntakeClient } from '../orchestration/intake-client';
import { loadAuthSecret, loadTrustKeys } from '../trust/keys';
import { intakeWorkflowId } from '../workflows/messages';
import { cpuMeter, pidsWhere, type ProcessGroups } from './bench/cpu';
import { countQueries, dbFloorActivities, dbLifecycle } from './bench/db-floor';
import { floorLifecycle, startFloorWorker, type FloorWorker } from './bench/floor';
import { historyEvents } from './bench/history';
import {
  castFor,
  commandSamples,
  directLifecycle,
  httpLifecycle,
  registerBenchOperators,
  type HttpTarget,
  type Latencies,
} from './bench/lifecycle';
import { openWorkflows } from './bench/open-workflows';
import { dbCounters, perUnit, settledCounters } from './bench/pg-stats';
import { readScaling } from './bench/reads';
import { chart, computeRatios, machine, ratioLines, table, versions, type Figures, type Level } from './bench/report';
import { closedLoop, percentiles } from './bench/stats';
import { startIsolatedStack, type IsolatedStack } from './isolated-stack';
import { clusterCompare } from './bench/cluster-compare';
import { ensureTemporalCli } from '../stack/temporal-cli';

const PHASES = ['L', 'direct', 'F', 'F0', 'Fmin', 'D', 'reads', 'open'] as const;
type Phase = (typeof PHASES)[number];

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    lifecycles: { type: 'string' },
    rounds: { type: 'string' },
    concurrency: { type: 'string' },
    'latency-at': { type: 'string', default: '8' },
    skip: { type: 'string', default: '' },
    'read-sizes': { type: 'string' },
    'read-samples': { type: 'string' },
    open: { type: 'string' },
    drive: { type: 'string', default: '100' },
    chart: { type: 'boolean', default: false },
    out: { type: 'string' },
    'base-url': { type: 'string' },
    'temporal-address': { type: 'string' },
    'worker-pid': { type: 'string' },
    keep: { type: 'boolean', default: false },
    'no-codec': { type: 'boolean', default: false },
    profile: { type: 'string' },
    cluster: { type: 'boolean', default: false },
    workers: { type: 'string', default: '2' },
  },
  strict: true,
});

const quick = values.quick;
const list = (text: string) =>
  text
    .split(',')
    .map((s) => Number(s.trim()))
    .filter((n) => Number.isFinite(n) && n > 0);
const CONCURRENCY = list(values.concurrency ?? (quick ? '1,8,32' : '1,8,32,64'));
// Per system and level, split into rounds; each turn runs at least 3 × concurrency lifecycles, so its
// steady-state window (between the ramp-up and the drain) holds at least concurrency of them.
const LIFECYCLES = Number(values.lifecycles ?? 16);
const ROUNDS = Number(values.rounds ?? (quick ? 1 : 2));
const perLevel = (c: number) => ROUNDS * Math.max(Math.ceil(LIFECYCLES / ROUNDS), 3 * c);
const DB_COUNT_LIFECYCLES = quick ? 8 : 16;
/** The level the issue's throughput target names; F0 runs there only. */
const F0_AT = 32;
const LATENCY_AT = Number(values['latency-at']);
const READ_SIZES = list(values['read-sizes'] ?? (quick ? '1000,20000' : '1000,100000'));
const READ_SAMPLES = Number(values['read-samples'] ?? (quick ? 300 : 2000));
const OPEN = Number(values.open ?? (quick ? 1000 : 10000));
const DRIVE = Number(values.drive);
const skip = new Set(
  values.skip
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);
for (const s of skip)
  if (!(PHASES as readonly string[]).includes(s))
    throw new Error(`--skip: unknown phase "${s}" (phases: ${PHASES.join(', ')})`);
const runs = (phase: Phase) => !skip.has(phase);

const log = (line: string) => process.stderr.write(`${line}\n`);

interface Target {
  config: Config;
  /** Postgres as the owner (for counters and seeding). */
  databaseUrl: string;
  baseUrl: string;
  workerPid: () => number | undefined;
  token: (p: Principal) => Promise<string>;
  apiEnv: Record<string, string>;
  dir: string;
  stack: IsolatedStack | null;
  /** The processes whose CPU time is counted. */
  processes: ProcessGroups;
}

function processGroups(
  config: Config,
  databaseUrl: string,
  worker: () => Array<number | undefined>,
  api: () => number | undefined,
): ProcessGroups {
  const port = config.TEMPORAL_ADDRESS.split(':')[1];
  const database = new URL(databaseUrl).pathname.slice(1);
  const one = (pid: number | undefined) => (pid === undefined ? [] : [pid]);
  return {
    temporal: () => pidsWhere((cmd) => cmd.includes('start-dev') && cmd.includes(`--port ${port} `)),
    // The product's worker and the floor's: each is idle while the other is measured.
    worker: () => worker().flatMap(one),
    api: () => one(api()),
    postgres: () => pidsWhere((cmd) => cmd.startsWith('postgres:') && cmd.includes(` ${database} `)),
    bench: () => [process.pid],
  };
}

/** Set once the floor worker runs, for counting its CPU time. */
let floorPid: () => number | undefined = () => undefined;

async function target(): Promise<Target> {
  if (values['base-url']) {
    // A running stack: its configuration comes from this environment (DATABASE_URL, DATA_DIR, task queue, secrets).
    const config = loadConfigOrExit({
      ...process.env,
      ...(values['temporal-address'] ? { TEMPORAL_ADDRESS: values['temporal-address'] } : {}),
    });
    const secret = await loadAuthSecret(config);
    const tokens = new Map<string, Promise<string>>();
    const dir = path.resolve('bench-results');
    fs.mkdirSync(dir, { recursive: true });
    const workerPid = () => (values['worker-pid'] ? Number(values['worker-pid']) : undefined);
    return {
      config,
      databaseUrl: config.DATABASE_URL,
      baseUrl: values['base-url'].replace(/\/$/, ''),
      workerPid,
      token: (p) => {
        if (!tokens.has(p.sub)) tokens.set(p.sub, issueToken(createAuthKeys(config, secret), p, '2h'));
        return tokens.get(p.sub)!;
      },
      apiEnv: {
        LOG_LEVEL: 'warn',
        TEMPORAL_ADDRESS: config.TEMPORAL_ADDRESS,
        TEMPORAL_TASK_QUEUE: config.TEMPORAL_TASK_QUEUE,
        DATA_DIR: config.dataDir,
      },
      dir,
      stack: null,
      processes: processGroups(
        config,
        config.DATABASE_URL,
        () => [workerPid(), floorPid()],
        () => undefined,
      ),
    };
  }
  // --profile DIR: the worker and the API write V8 CPU profiles there when they stop.
  const profile = values.profile
    ? {
        NODE_OPTIONS: `--require ${path.join(__dirname, 'bench', 'cpu-profile.js')}`,
        QTM_CPU_PROFILE_DIR: path.resolve(values.profile),
      }
    : undefined;
  const stack = await startIsolatedStack({
    name: 'bench',
    log,
    keep: values.keep,
    env: { ...profile, ...(values['no-codec'] ? { TEMPORAL_PAYLOAD_CODEC: 'off' } : {}) },
  });
  const c = stack.config;
  return {
    config: c,
    databaseUrl: stack.databaseUrl,
    baseUrl: stack.baseUrl,
    workerPid: () => stack.worker.pid,
    token: stack.token,
    apiEnv: {
      NODE_ENV: c.NODE_ENV,
      LOG_LEVEL: 'warn',
      TEMPORAL_ADDRESS: c.TEMPORAL_ADDRESS,
      TEMPORAL_TASK_QUEUE: c.TEMPORAL_TASK_QUEUE,
      DATA_DIR: c.dataDir,
      ...(c.WORKFLOW_BUNDLE ? { WORKFLOW_BUNDLE: c.WORKFLOW_BUNDLE } : {}),
    },
    dir: stack.dir,
    stack,
    processes: processGroups(
      c,
      stack.databaseUrl,
      () => [stack.worker.pid, floorPid()],
      () => stack.api.pid,
    ),
  };
}

const level = (
  concurrency: number,
  lifecycles: number,
  perSecond: number,
  cpuSeconds: Record<string, number>,
  latencies?: Latencies,
): Level => ({
  concurrency,
  lifecycles,
  perSecond,
  cpuMs: Object.fromEntries(Object.entries(cpuSeconds).map(([k, v]) => [k, (1000 * v) / lifecycles])),
  ...(latencies
    ? { commands: percentiles(commandSamples(latencies)), submit: percentiles(latencies.get('submit') ?? []) }
    : {}),
});

async function main(): Promise<void> {
  if (values.cluster) {
    const workers = Number(values.workers);
    if (!Number.isInteger(workers) || workers < 1) throw new Error('--workers must be a whole number of at least 1');
    const table = await clusterCompare({
      concurrency: list(values.concurrency ?? '1,8,32'),
      lifecycles: LIFECYCLES,
      rounds: ROUNDS,
      workers,
      out: values.out,
      log,
    });
    process.stdout.write(`${table}\n`);
    return;
  }
  const startedAt = new Date();
  const t = await target();
  const { config } = t;
  const { client, connection } = await connectTemporal(config);
  // The floors are Temporal alone: their client has no payload codec, whatever the product's has.
  const floorClient = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
  const intakes = new IntakeClient(client, config.TEMPORAL_TASK_QUEUE);
  const owner = createDb({ ...config, DATABASE_URL: t.databaseUrl }, { as: 'owner', poolMax: 2 });
  const http: HttpTarget = { baseUrl: t.baseUrl, token: t.token, client };
  const runId = Math.random().toString(36).slice(2, 8);
  let index = 0;
  const next = () => index++;
  const withIndex = <T>(work: (i: number) => Promise<T>) => work(next());
  let floor: FloorWorker | null = null;
  let floorLocalWrites = false;

  const fig: Figures = {
    startedAt: startedAt.toISOString(),
    seconds: 0,
    machine: machine(),
    versions: versions(
      await ensureTemporalCli(log).catch(() => null),
      ((await owner.raw('SHOW server_version')) as { rows: Array<{ server_version: string }> }).rows[0]!.server_version,
    ),
    options: {
      quick,
      concurrency: CONCURRENCY,
      rounds: ROUNDS,
      lifecyclesPerLevel: CONCURRENCY.map(perLevel),
      f0At: F0_AT,
      latencyAt: LATENCY_AT,
      readSizes: READ_SIZES,
      readSamples: READ_SAMPLES,
      open: OPEN,
      drive: DRIVE,
      skip: [...skip],
      external: !t.stack,
      payloadCodec: config.TEMPORAL_PAYLOAD_CODEC,
    },
    L: [],
    direct: [],
    F: [],
    F0: [],
    Fmin: [],
    D: [],
    perLifecycle: {
      events: { L: null, F: null, F0: null, Fmin: null, byType: {} },
      historyBytes: { L: null, F: null, F0: null, Fmin: null },
      dbStatements: null,
      dbTransactions: null,
      xacts: { L: null, direct: null },
      tuples: { L: null, direct: null },
    },
    reads: [],
    open: null,
    ratios: {},
  };

  try {
    if (t.stack) {
      // The Schedules' own runs would land in the middle of the measurements.
      for (const id of [ESCALATION_SCHEDULE_ID, CHECKPOINT_SCHEDULE_ID])
        await client.schedule.getHandle(id).pause('npm run bench is measuring');
    }
    log(`bench: ${t.baseUrl}, task queue ${config.TEMPORAL_TASK_QUEUE}, concurrency ${CONCURRENCY.join(', ')}`);
    await registerBenchOperators(http, runId);

    // L, direct and the floors take turns in rounds at each level, so that whatever else loads this
    // shared machine meanwhile falls on all of them alike: only their ratios are worth reading.
    if (runs('F') || runs('F0') || runs('Fmin')) {
      const started = await startFloorWorker({
        address: config.TEMPORAL_ADDRESS,
        namespace: config.TEMPORAL_NAMESPACE,
        taskQueue: `bench-floor-${runId}`,
        logFile: path.join(t.dir, 'floor-worker.log'),
        connection,
      });
      floor = started;
      floorPid = started.pid;
    }
    const systems = [
      { name: 'L' as const, one: (lat: Latencies) => withIndex((i) => httpLifecycle(http, i, castFor(i, runId), lat)) },
      {
        name: 'direct' as const,
        one: (lat: Latencies) => withIndex((i) => directLifecycle(intakes, i, castFor(i, runId), lat)),
      },
      ...(['F', 'F0', 'Fmin'] as const).map((name) => ({
        name,
        one: async (lat: Latencies) => {
          const id = `${runId}-${next()}`;
          await floorLifecycle(
            floorClient,
            floor!.taskQueue,
            id,
            lat,
            name === 'F' ? floorLocalWrites : false,
            name === 'Fmin',
          );
          return `floor-${id}`;
        },
      })),
    ].filter((sys) => runs(sys.name));
    const last: Record<string, string> = {};
    const turns = async () => {
      for (const sys of systems) {
        await closedLoop(8, 4, async () => void (last[sys.name] = await sys.one(new Map())));
        if (sys.name === 'L' || sys.name === 'direct') {
          // F takes the intake workflow's shape: its writes are local activities if the intake's are.
          const shape = await historyEvents(client, intakeWorkflowId(last[sys.name]!));
          floorLocalWrites = (shape.byType.localActivity ?? 0) > (shape.byType.activityTaskScheduled ?? 0);
        }
      }
      for (const c of CONCURRENCY) {
        const chunk = Math.max(Math.ceil(LIFECYCLES / ROUNDS), 3 * c);
        // F0 is context for the target level only (it is the shape the intake workflow left behind).
        const here = systems.filter((sys) => sys.name !== 'F0' || c === F0_AT);
        const acc = new Map(
          here.map((sys) => [
            sys.name,
            {
              latencies: new Map() as Latencies,
              done: 0,
              windowDone: 0,
              windowSeconds: 0,
              cpu: {} as Record<string, number>,
            },
          ]),
        );
        for (let round = 0; round < ROUNDS; round += 1) {
          // Rotate who goes first, so that no system always follows the same one.
          for (const sys of [...here.slice(round % here.length), ...here.slice(0, round % here.length)]) {
            const a = acc.get(sys.name)!;
            const cpu = cpuMeter(t.processes);
            const result = await closedLoop(chunk, c, async () => void (last[sys.name] = await sys.one(a.latencies)));
            for (const [k, v] of Object.entries(cpu())) a.cpu[k] = (a.cpu[k] ?? 0) + v;
            a.done += result.done;
            a.windowDone += result.window.done;
            a.windowSeconds += result.window.seconds;
          }
        }
        for (const sys of here) {
          const a = acc.get(sys.name)!;
          fig[sys.name].push(level(c, a.done, a.windowDone / a.windowSeconds, a.cpu, a.latencies));
          log(
            `  ${sys.name} c=${c}: ${(a.windowDone / a.windowSeconds).toFixed(2)} lifecycles/s, command p99 ${fig[sys.name].at(-1)!.commands!.p99.toFixed(0)} ms`,
          );
        }
      }
      for (const sys of systems) {
        if (sys.name === 'direct') continue;
        const events = await historyEvents(client, sys.name === 'L' ? intakeWorkflowId(last.L!) : last[sys.name]!);
        fig.perLifecycle.events[sys.name] = events.total;
        fig.perLifecycle.historyBytes[sys.name] = events.bytes;
        fig.perLifecycle.events.byType![sys.name] = events.byType;
      }
    };
    log(`throughput and latency: ${systems.map((sys) => sys.name).join(', ')} in turns, ${ROUNDS} rounds a level`);
    await turns();
    await floor?.stop();

    // Database work a lifecycle costs the whole stack (HTTP) and the worker alone (direct), from Postgres's own counters.
    for (const sys of systems) {
      if (sys.name !== 'L' && sys.name !== 'direct') continue;
      const before = await dbCounters(owner);
      await closedLoop(DB_COUNT_LIFECYCLES, 4, async () => void (await sys.one(new Map())));
      const per = perUnit(before, await settledCounters(owner), DB_COUNT_LIFECYCLES, 1);
      fig.perLifecycle.xacts[sys.name] = per.xacts;
      fig.perLifecycle.tuples[sys.name] = per;
    }
    if (runs('D')) {
      log('D: the activities’ writes alone');
      const db = createDb({ ...config, DATABASE_URL: t.databaseUrl });
      try {
        const act = dbFloorActivities(db, await loadTrustKeys(config), config.SIGNAL_ISSUER, config.LOG_ORIGIN);
        await closedLoop(8, 4, () => dbLifecycle(act, next(), runId));
        for (const c of CONCURRENCY) {
          const counter = countQueries(db);
          const cpu = cpuMeter(t.processes);
          const result = await closedLoop(perLevel(c), c, () => dbLifecycle(act, next(), runId));
          counter.stop();
          fig.D.push(level(c, result.done, result.perSecond, cpu()));
          if (c === CONCURRENCY[0]) {
            fig.perLifecycle.dbStatements = counter.queries / result.done;
            fig.perLifecycle.dbTransactions = counter.transactions / result.done;
          }
          log(
            `  D c=${c}: ${result.perSecond.toFixed(1)} lifecycles/s (${(counter.queries / result.done).toFixed(1)} statements each)`,
          );
        }
      } finally {
        await db.destroy();
      }
    }
    if (runs('reads')) {
      log('reads: p99 by database size');
      const url = new URL(t.databaseUrl);
      url.pathname = `/${url.pathname.slice(1)}_reads`.slice(0, 63);
      fig.reads = await readScaling({
        sizes: READ_SIZES,
        samples: READ_SAMPLES,
        concurrency: 4,
        databaseUrl: url.toString(),
        apiEnv: t.apiEnv,
        logFile: path.join(t.dir, 'api-reads.log'),
        token: t.token,
        log,
      });
    }
    if (runs('open')) {
      log(`open: ${OPEN.toLocaleString('en')} intakes waiting in governance`);
      fig.open = await openWorkflows({
        intakes,
        db: owner,
        target: http,
        workerPid: t.workerPid,
        count: OPEN,
        drive: DRIVE,
        concurrency: 32,
        log,
      });
    }
  } finally {
    await floor?.stop();
    await owner.destroy();
    await connection.close();
    await t.stack?.stop();
  }

  fig.seconds = (Date.now() - startedAt.getTime()) / 1000;
  fig.ratios = computeRatios(fig, LATENCY_AT);
  const out = values.out ?? path.join('bench-results', `bench-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${JSON.stringify(fig, null, 2)}\n`);
  const lines = [
    `QTM OS bench · ${String(fig.machine.cores)} cores, ${String(fig.machine.memoryGiB)} GiB · node ${fig.versions.node} · Temporal SDK ${fig.versions.temporalSdk} · ${fig.versions.temporalCli ?? 'temporal ?'} · Postgres ${fig.versions.postgres} · ${fig.seconds.toFixed(0)} s`,
    '',
    table(fig),
    '',
    ...ratioLines({
      [`L/F@32`]: fig.ratios['L/F@32'] ?? null,
      'http-p99/direct-p99': fig.ratios['http-p99/direct-p99'] ?? null,
    }),
    ...ratioLines(
      Object.fromEntries(Object.entries(fig.ratios).filter(([k]) => k !== 'L/F@32' && k !== 'http-p99/direct-p99')),
    ),
    '',
    `figures: ${out}`,
  ];
  if (values.chart) {
    const svg = out.replace(/\.json$/, '') + '.svg';
    fs.writeFileSync(svg, chart(fig));
    lines.push(`chart: ${svg}`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
