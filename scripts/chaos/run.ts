/**
 * A chaos run: an isolated stack (its own Temporal dev server with a SQLite file, its own
 * database behind a cuttable proxy, the worker and the API as child processes), N
 * lifecycles driven over HTTP by impatient clients while faults are injected, then a
 * reconciliation of what reached the database.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { issueToken } from '../../api/auth';
import { loadConfig } from '../../config';
import { createDb, migrate } from '../../db';
import type { Principal } from '../../domain/schemas';
import { loadAuthSecret } from '../../trust/keys';
import { searchAttributeRegistrations } from '../../workflows/messages';
import { bundleWorkflows } from '../bundle-workflows';
import { ensureTemporalCli, freePort } from '../lib/temporal-cli';
import { ImpatientClient } from './client';
import { drive, planFor, type Driven } from './lifecycle';
import { NodeService, TemporalService } from './processes';
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
  client: ImpatientClient['stats'];
  anomalies: string[];
  mismatches: string[];
  reconciliation: Reconciliation;
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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runChaos(options: ChaosOptions): Promise<ChaosResult> {
  const started = Date.now();
  const random = prng(options.seed);
  const runId = randomUUID().slice(0, 8);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `qtm-chaos-${runId}-`));
  const base = new URL(process.env.CHAOS_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  base.pathname = `/qtm_chaos_${runId}`;
  const databaseUrl = base.toString();
  const log = options.log;

  log(`chaos ${runId}: ${options.lifecycles} lifecycles, concurrency ${options.concurrency}, faults [${options.faults.join(', ') || 'none'}], seed ${options.seed}; files in ${dir}`);
  const binary = ensureTemporalCli(log);
  await migrate(loadConfig({ DATABASE_URL: databaseUrl }));
  const bundle = path.join(dir, 'workflow-bundle.js');
  await bundleWorkflows(bundle);

  const proxy = new TcpProxy({ host: base.hostname, port: Number(base.port || 5432) });
  const proxyPort = await proxy.start();
  const viaProxy = new URL(databaseUrl);
  viaProxy.host = `127.0.0.1:${proxyPort}`;
  const [temporalPort, apiPort] = [await freePort(), await freePort()];
  const temporal = new TemporalService({ binary, port: temporalPort, uiPort: null, dbFile: path.join(dir, 'temporal.sqlite'), searchAttributes: searchAttributeRegistrations, logFile: path.join(dir, 'temporal.log') });
  await temporal.start();

  const env = {
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    DATABASE_URL: viaProxy.toString(),
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_TASK_QUEUE: `chaos-${runId}`,
    DATA_DIR: dir,
    PORT: String(apiPort),
    WORKFLOW_BUNDLE: bundle,
  };
  const config = loadConfig({ ...process.env, ...env });
  const worker = new NodeService('worker', 'workers/main.ts', env, path.join(dir, 'worker.log'));
  const api = new NodeService('api', 'api/main.ts', env, path.join(dir, 'api.log'));
  worker.start();
  api.start();
  const baseUrl = `http://127.0.0.1:${apiPort}`;
  for (let i = 0; ; i += 1) {
    const ready = await fetch(`${baseUrl}/readyz`).then((r) => r.ok, () => false);
    if (ready) break;
    if (i > 120) throw new Error(`the API did not become ready (see ${dir}/api.log)`);
    await sleep(500);
  }

  const secret = await loadAuthSecret(config);
  const tokens = new Map<string, Promise<string>>();
  const token = (p: Principal) => {
    if (!tokens.has(p.sub)) tokens.set(p.sub, issueToken({ secret, issuer: config.AUTH_JWT_ISSUER }, p, '2h'));
    return tokens.get(p.sub)!;
  };
  const clientFaults = options.faults.includes('clients');
  const client = new ImpatientClient({ baseUrl, timeoutMs: clientFaults ? 1_500 : 30_000, duplicateRate: clientFaults ? 0.15 : 0, deadlineMs: 240_000, random });

  // Faults, one at a time, while lifecycles run.
  const injected: Record<string, number> = { worker: 0, temporal: 0, postgres: 0, clients: 0 };
  let driving = true;
  const machineFaults = options.faults.filter((f) => f !== 'clients');
  const injector = (async () => {
    // Round robin from a random start: every enabled kind is injected, even in a short run.
    let turn = Math.floor(random() * Math.max(machineFaults.length, 1));
    while (driving && machineFaults.length > 0) {
      await sleep(options.faultEveryMs * (0.5 + random()));
      if (!driving) break;
      const kind = machineFaults[turn++ % machineFaults.length]!;
      injected[kind] = (injected[kind] ?? 0) + 1;
      if (kind === 'worker') {
        log(`fault: SIGKILL worker`);
        worker.kill();
        await sleep(300 + random() * 1_500);
        worker.start();
      } else if (kind === 'temporal') {
        log(`fault: SIGKILL Temporal server`);
        temporal.kill();
        await temporal.killed();
        await sleep(500 + random() * 1_500);
        await temporal.start();
      } else {
        const ms = 1_000 + random() * 4_000;
        log(`fault: Postgres unreachable for ${(ms / 1000).toFixed(1)}s`);
        proxy.down();
        await sleep(ms);
        proxy.restore();
      }
    }
  })();

  const driven: Driven[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (next < options.lifecycles) {
        const plan = planFor(next++, runId);
        try {
          driven.push(await drive(plan, client, token));
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

  const owner = createDb({ ...config, DATABASE_URL: databaseUrl }, { as: 'owner', poolMax: 4 });
  let reconciliation: Reconciliation;
  try {
    await waitForEnds(owner, driven, 120_000);
    reconciliation = await reconcile(owner, driven);
  } finally {
    await owner.destroy();
    await api.stop();
    await worker.stop();
    await temporal.stop();
    await proxy.stop();
    if (!options.keep) {
      const admin = new pg.Client({ connectionString: new URL('/postgres', databaseUrl).toString() });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(`qtm_chaos_${runId}`)} WITH (FORCE)`);
      await admin.end();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  const anomalies = driven.flatMap((d) => d.anomalies.map((a) => `lifecycle ${d.plan.index}: ${a}`));
  const lost = reconciliation.lost.length;
  const duplicated = reconciliation.duplicated.length + client.mismatches.length;
  const ok = lost === 0 && duplicated === 0 && reconciliation.chain.valid && anomalies.length === 0;
  return {
    options: { lifecycles: options.lifecycles, concurrency: options.concurrency, faults: options.faults, faultEveryMs: options.faultEveryMs, seed: options.seed },
    injected,
    client: client.stats,
    anomalies,
    mismatches: client.mismatches,
    reconciliation,
    seconds: (Date.now() - started) / 1000,
    ok,
    summary: `chaos: lifecycles=${options.lifecycles} completed=${reconciliation.reachedEnd} lost=${lost} duplicated=${duplicated} chain=${reconciliation.chain.valid ? 'valid' : 'broken'}`,
  };
}
