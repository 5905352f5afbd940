/**
 * A chaos run: an isolated stack (its own Temporal dev server with a SQLite file, its own
 * database behind a cuttable proxy, the worker and the API as child processes), N
 * lifecycles driven over HTTP by impatient clients while faults are injected, then a
 * reconciliation of what reached the database.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { createDb } from '../../db';
import { IntakeClient } from '../../orchestration/intake-client';
import { createReconciler, type ReconcileReport } from '../../orchestration/reconcile';
import { connectTemporal } from '../../adapters/temporal-connection';
import { MACHINE_POSTGRES, startIsolatedStack } from '../isolated-stack';
import { ImpatientFetch } from './client';
import { drive, planFor, registerChaosOperators, type Driven } from './lifecycle';
import { reconcile, waitForEnds, type Reconciliation } from './reconcile';
import { TcpProxy } from './tcp-proxy';

export type FaultKind = 'worker' | 'temporal' | 'postgres' | 'clients';
export const FAULT_KINDS: FaultKind[] = ['worker', 'temporal', 'postgres', 'clients'];

export interface ChaosOptions {
  lifecycles: number;
  concurrency: number;
  faults: FaultKind[];
  /** Mean pause between injected faults. */
  faultEveryMs: number;
  seed: number;
  log: (line: string) => void;
  keep?: boolean;
}

export interface ChaosResult {
  options: Omit<ChaosOptions, 'log'>;
  injected: Record<string, number>;
  client: ImpatientFetch['stats'];
  anomalies: string[];
  mismatches: string[];
  reconciliation: Reconciliation;
  /** Every acknowledged intake's workflow against its rows (orchestration/reconcile.ts). */
  oneTruth: ReconcileReport;
  seconds: number;
  ok: boolean;
  summary: string;
}

/** Small deterministic PRNG (mulberry32), so a seed reproduces a run's choices. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function runChaos(options: ChaosOptions): Promise<ChaosResult> {
  const started = Date.now();
  const random = prng(options.seed);
  const log = options.log;
  log(
    `chaos: ${options.lifecycles} lifecycles, concurrency ${options.concurrency}, faults [${options.faults.join(', ') || 'none'}], seed ${options.seed}`,
  );
  // Between the app and Postgres: a proxy of our own that can refuse and drop connections.
  const postgres = new URL(process.env.CHAOS_DATABASE_URL ?? MACHINE_POSTGRES);
  const proxy = new TcpProxy({ host: postgres.hostname, port: Number(postgres.port || 5432) });
  const proxyPort = await proxy.start();
  const stack = await startIsolatedStack({
    name: 'chaos',
    log,
    baseDatabaseUrl: postgres.toString(),
    appDatabaseHost: `127.0.0.1:${proxyPort}`,
    temporalDbFile: true,
    keep: options.keep,
  });
  const { runId, worker, temporal, workerPolling, token, baseUrl, config } = stack;
  log(`chaos ${runId}: files in ${stack.dir}`);
  await registerChaosOperators(runId, { baseUrl, fetch, token });
  const clientFaults = options.faults.includes('clients');
  const client = new ImpatientFetch({
    timeoutMs: clientFaults ? 1_500 : 30_000,
    duplicateRate: clientFaults ? 0.15 : 0,
    deadlineMs: 240_000,
    random,
  });

  // Faults, one at a time, while lifecycles run.
  const injected: Record<string, number> = { worker: 0, temporal: 0, postgres: 0, clients: 0 };
  let driving = true;
  const machineFaults = options.faults.filter((f) => f !== 'clients');
  const driven: Driven[] = [];
  let next = 0;
  // The first round of faults is tied to progress, not to the clock, so that every enabled kind
  // lands while lifecycles are in flight however fast the machine is: the k-th fault fires at the
  // latest when k/(kinds+1) of the lifecycles have reached their end (the first one once every
  // driver holds a lifecycle). Faults stall progress, so the rest are still in flight when it does.
  const deadlineOfFault = (k: number): (() => boolean) | null =>
    k >= machineFaults.length
      ? null
      : k === 0
        ? () => next >= Math.min(options.concurrency, options.lifecycles)
        : () => driven.length >= Math.floor((k * options.lifecycles) / (machineFaults.length + 1));
  const pauseBeforeFault = async (k: number): Promise<void> => {
    const due = deadlineOfFault(k);
    const until = Date.now() + options.faultEveryMs * (0.5 + random());
    while (Date.now() < until && !(due?.() ?? false) && (driving || due)) await sleep(25);
  };
  const injector = (async () => {
    // Round robin from a random start: every enabled kind is injected, even in a short run.
    let turn = Math.floor(random() * Math.max(machineFaults.length, 1));
    for (let k = 0; machineFaults.length > 0; k += 1) {
      await pauseBeforeFault(k);
      if (!driving && !deadlineOfFault(k)) break;
      const kind = machineFaults[turn++ % machineFaults.length]!;
      injected[kind] = (injected[kind] ?? 0) + 1;
      if (kind === 'worker') {
        log(`fault: SIGKILL worker`);
        worker.kill();
        await sleep(300 + random() * 1_500);
        worker.start();
        await workerPolling();
      } else if (kind === 'temporal') {
        log(`fault: SIGKILL Temporal server`);
        temporal.kill();
        await temporal.killed();
        await sleep(500 + random() * 1_500);
        await temporal.start();
        await workerPolling();
      } else {
        const ms = 1_000 + random() * 4_000;
        log(`fault: Postgres unreachable for ${(ms / 1000).toFixed(1)}s`);
        proxy.down();
        await sleep(ms);
        proxy.restore();
      }
    }
  })();

  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (next < options.lifecycles) {
        const plan = planFor(next++, runId);
        try {
          driven.push(await drive(plan, { baseUrl, fetch: client.fetch, token }));
        } catch (error) {
          driven.push({ plan, intakeId: null, anomalies: [(error as Error).message] });
        }
        if (driven.length % 50 === 0) log(`${driven.length}/${options.lifecycles} lifecycles driven`);
      }
    }),
  );
  driving = false;
  await injector;
  injected.clients = client.stats.timeouts + client.stats.duplicates;

  const owner = createDb({ ...config, DATABASE_URL: stack.databaseUrl }, { as: 'owner', poolMax: 4 });
  let reconciliation: Reconciliation;
  let oneTruth: ReconcileReport;
  try {
    await waitForEnds(owner, driven, 120_000);
    reconciliation = await reconcile(owner, driven);
    const temporal = await connectTemporal(config);
    try {
      const intakes = new IntakeClient(temporal.client, config.TEMPORAL_TASK_QUEUE);
      const reconciler = createReconciler({ db: owner, client: temporal.client, intakes }, { settleMs: 60_000 });
      const ids = driven.flatMap((d) => (d.intakeId ? [d.intakeId] : []));
      oneTruth = await reconciler.all({ intakeIds: ids });
      log(
        `reconcile: ${oneTruth.compared} of ${oneTruth.intakes} intakes compared, ${oneTruth.differences.length} differences`,
      );
    } finally {
      await temporal.connection.close();
    }
  } finally {
    await owner.destroy();
    await stack.stop();
    await proxy.stop();
  }

  const anomalies = driven.flatMap((d) => d.anomalies.map((a) => `lifecycle ${d.plan.index}: ${a}`));
  const lost = reconciliation.lost.length;
  const duplicated = reconciliation.duplicated.length + client.mismatches.length;
  const differences = oneTruth.differences.length + oneTruth.inFlight.length;
  const ok =
    lost === 0 && duplicated === 0 && differences === 0 && reconciliation.chain.valid && anomalies.length === 0;
  return {
    options: {
      lifecycles: options.lifecycles,
      concurrency: options.concurrency,
      faults: options.faults,
      faultEveryMs: options.faultEveryMs,
      seed: options.seed,
    },
    injected,
    client: client.stats,
    anomalies,
    mismatches: client.mismatches,
    reconciliation,
    oneTruth,
    seconds: (Date.now() - started) / 1000,
    ok,
    summary: `chaos: lifecycles=${options.lifecycles} completed=${reconciliation.reachedEnd} lost=${lost} duplicated=${duplicated} chain=${reconciliation.chain.valid ? 'valid' : 'broken'} differences=${differences}`,
  };
}
