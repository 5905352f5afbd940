/**
 * The seal path at scale (issue 26): how many Records a second the chain (one CHAIN_LOCK for the
 * whole hash chain) and the log take with 1, 2 and 4 worker processes sealing at once, and what
 * that does to seal → cosigned proof.
 *
 * One isolated stack, as bench-proofs.ts starts it (Temporal dev server, a fresh database, the API,
 * the worker with its log signer, a local litewitness cosigning every checkpoint). For each worker
 * count, ascending (workers are added, never stopped: no cached workflow loses its worker):
 *   1. prepare: --lifecycles intakes driven by direct Updates up to complete (not timed);
 *   2. burst: their completes sent --concurrency at a time; each one ends with its workflow's result
 *      (Record sealed, Signal emitted), then its proof is polled over HTTP every --poll-ms until it
 *      answers 200 with a checkpoint the witness cosigned (the lane goes on meanwhile);
 *   3. meanwhile, pg_locks ⨝ pg_stat_activity is sampled every --sample-ms for sessions waiting on
 *      CHAIN_LOCK.
 *
 * What is printed, per worker count:
 *   seals/s         the burst's Records over the span of their sealed_at (set just after the lock is taken);
 *   Signals/s       the burst's lifecycles over first complete sent → last workflow result;
 *   chain gap       p50/p99 of the gaps between consecutive sealed_at: while others queue, what one
 *                   seal holds the lock (the chain's service time);
 *   lock wait       from the sampling, per wait seen (a session seen waiting in at least one sample):
 *                   now − query_start at the last sample that saw it, so short by at most one interval;
 *                   waits shorter than an interval may be unseen. "p99 all" counts every unseen seal as
 *                   0 (a lower bound); mean waiters ÷ Signals/s is the mean wait by Little's law;
 *   seal → proof    HTTP: 200 with a cosigned checkpoint (client clock) − sealedAt, polled from the
 *                   workflow's result on, so it includes seal → Signal (polling every lane's intake from
 *                   the complete on, as bench-proofs does, would load the API during the burst);
 *                   database: the first witnessed checkpoint covering the leaf − sealed_at (exact).
 *
 *   npm run bench:seal [-- --workers 1,2,4 --lifecycles 64 --concurrency 32 --prepare-concurrency 8
 *                        --poll-ms 50 --sample-ms 10 --keep]
 *
 * Only ratios of figures from the same run mean anything: these machines are shared and noisy.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Knex } from 'knex';
import { connectTemporal } from '../adapters/temporal-connection';
import { qtmClient, reasonOf } from '../client';
import { loadConfigOrExit } from '../config';
import { createDb } from '../db';
import { CHAIN_LOCK } from '../db/records';
import type { Principal } from '../domain/schemas';
import { CHECKPOINT_SCHEDULE_ID } from '../orchestration/log-checkpoint-schedule';
import { ESCALATION_SCHEDULE_ID } from '../orchestration/escalation-schedule';
import { IntakeClient } from '../orchestration/intake-client';
import { freePort } from '../stack/temporal-cli';
import { startLocalWitness } from '../stack/witness';
import { newPrivateJwk } from '../trust/keys';
import { verifierKey } from '../trust/log-checkpoint';
import { checkWitnessPolicy, parseWitnessKey } from '../trust/log-cosignature';
import { awaitSignal, castFor, directUntilComplete, registerBenchOperators, type HttpTarget } from './bench/lifecycle';
import { closedLoop, percentiles, sleep, type Percentiles } from './bench/stats';
import { startIsolatedStack } from './isolated-stack';

const { values } = parseArgs({
  options: {
    workers: { type: 'string', default: '1,2,4' },
    lifecycles: { type: 'string', default: '64' },
    concurrency: { type: 'string', default: '32' },
    'prepare-concurrency': { type: 'string', default: '8' },
    'poll-ms': { type: 'string', default: '50' },
    'sample-ms': { type: 'string', default: '10' },
    keep: { type: 'boolean', default: false },
  },
  strict: true,
});
const whole = (name: string, text: string) => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a whole number of at least 1 (got ${text})`);
  return n;
};
const WORKERS = [...new Set(values.workers.split(',').map((w) => whole('workers', w.trim())))].sort((a, b) => a - b);
const LIFECYCLES = whole('lifecycles', values.lifecycles);
const CONCURRENCY = whole('concurrency', values.concurrency);
const PREPARE_CONCURRENCY = whole('prepare-concurrency', values['prepare-concurrency']);
const POLL_MS = whole('poll-ms', values['poll-ms']);
const SAMPLE_MS = whole('sample-ms', values['sample-ms']);

const log = (line: string) => process.stderr.write(`${line}\n`);

interface LockSampling {
  /** One per wait seen: its length at the last sample that saw it, ms. */
  waits: number[];
  samples: number;
  meanWaiters: number;
}

/**
 * Sessions of this database waiting for CHAIN_LOCK, sampled from the outside. pg_advisory_xact_lock
 * on a bigint key shows in pg_locks as classid (high 32 bits), objid (low 32 bits), objsubid 1.
 */
function sampleChainLock(db: Knex, everyMs: number): { stop(): Promise<LockSampling> } {
  const waits = new Map<string, number>();
  let samples = 0;
  let waiters = 0;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const { rows } = await db.raw<{ rows: Array<{ pid: number; since: string; ms: number }> }>(
        `SELECT a.pid, a.query_start::text AS since,
                (extract(epoch FROM clock_timestamp() - a.query_start) * 1000)::float8 AS ms
           FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
          WHERE l.locktype = 'advisory' AND NOT l.granted
            AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
            AND l.classid = ?::oid AND l.objid = ?::oid AND l.objsubid = 1`,
        [Math.floor(CHAIN_LOCK / 2 ** 32), CHAIN_LOCK % 2 ** 32],
      );
      samples += 1;
      waiters += rows.length;
      for (const r of rows) {
        const key = `${r.pid} ${r.since}`;
        waits.set(key, Math.max(waits.get(key) ?? 0, Number(r.ms)));
      }
      await sleep(everyMs);
    }
  })();
  loop.catch(() => undefined); // stop() awaits it and so rethrows; a run that fails first never calls stop()
  return {
    async stop() {
      stopped = true;
      await loop;
      return { waits: [...waits.values()], samples, meanWaiters: samples ? waiters / samples : 0 };
    },
  };
}

interface LevelFigures {
  workers: number;
  lifecycles: number;
  sealsPerSecond: number;
  signalsPerSecond: number;
  completeToSignal: Percentiles;
  chainGap: Percentiles;
  lock: LockSampling & { seen: Percentiles; p99All: number; littleMs: number };
  proofHttp: Percentiles;
  proofDb: Percentiles;
  uncosigned: number;
  checkpoints: number;
}

const gaps = (sorted: number[]) => sorted.slice(1).map((t, i) => t - sorted[i]!);

async function main(): Promise<void> {
  const origin = loadConfigOrExit().LOG_ORIGIN;
  const signal = await newPrivateJwk();
  const logJwk = await newPrivateJwk();
  const witnessDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qtm-bench-seal-witness-'));
  const witness = await startLocalWitness({
    dir: witnessDir,
    name: 'bench.local/witness',
    origin,
    logVerifierKeys: [verifierKey(origin, Buffer.from(logJwk.x!, 'base64url'))],
    port: await freePort(),
  });
  const witnessKey = parseWitnessKey(witness.vkey);
  const stack = await startIsolatedStack({
    name: 'seal',
    log,
    keep: values.keep,
    env: {
      SIGNAL_SIGNING_KEY: JSON.stringify(signal),
      LOG_SIGNING_KEY: JSON.stringify(logJwk),
      LOG_WITNESSES: witness.entry,
      ...(process.env.LOG_CHECKPOINT_DELAY ? { LOG_CHECKPOINT_DELAY: process.env.LOG_CHECKPOINT_DELAY } : {}),
    },
  });
  const { client, connection } = await connectTemporal(stack.config);
  const intakes = new IntakeClient(client, stack.config.TEMPORAL_TASK_QUEUE);
  const target: HttpTarget = { baseUrl: stack.baseUrl, token: stack.token, client };
  const admin: Principal = { sub: 'bench-seal-admin', role: 'admin' };
  const asAdmin = qtmClient({ baseUrl: target.baseUrl, token: () => target.token(admin) });
  const owner = createDb({ ...stack.config, DATABASE_URL: stack.databaseUrl }, { as: 'owner', poolMax: 2 });
  const sampler = createDb({ ...stack.config, DATABASE_URL: stack.databaseUrl }, { as: 'owner', poolMax: 1 });
  const runId = stack.runId;
  const results: LevelFigures[] = [];
  let index = 0;
  try {
    // The Schedules' own runs would land in the middle of the measurements (the worker's signer stays on).
    for (const id of [ESCALATION_SCHEDULE_ID, CHECKPOINT_SCHEDULE_ID])
      await client.schedule.getHandle(id).pause('npm run bench:seal is measuring');
    await registerBenchOperators(target, runId);
    log(
      `bench:seal: workers ${WORKERS.join(', ')}; ${LIFECYCLES} lifecycles a level, completes ${CONCURRENCY} at a time; ` +
        `signer delay ${stack.config.LOG_CHECKPOINT_DELAY} ms; witness ${witness.url}`,
    );

    const pollProof = async (intakeId: string, into: number[], uncosigned: string[]): Promise<void> => {
      const {
        data: chain,
        error,
        response,
      } = await asAdmin.GET('/v1/intakes/{id}', {
        params: { path: { id: intakeId } },
      });
      // The workflow's result came first: its Record is sealed.
      if (!chain?.record) throw new Error(`intake ${intakeId} has no Record: ${reasonOf(error, response)}`);
      const record = chain.record;
      for (;;) {
        const proof = await asAdmin.GET('/v1/records/{id}/proof', { params: { path: { id: record.id } } });
        if (proof.data && checkWitnessPolicy(proof.data.checkpoint, [witnessKey], 1).ok) {
          into.push(Date.now() - Date.parse(record.sealedAt));
          return;
        }
        if (proof.data) uncosigned.push(record.id);
        else if (proof.response.status !== 409)
          throw new Error(`proof of ${record.id}: ${reasonOf(proof.error, proof.response)}`);
        await sleep(POLL_MS);
      }
    };

    for (const workers of WORKERS) {
      while (stack.workers.length < workers) await stack.addWorker();
      log(`${workers} worker(s): preparing ${LIFECYCLES} intakes up to complete (${PREPARE_CONCURRENCY} at a time)`);
      const prepared: Array<{ intakeId: string; complete: () => Promise<unknown> }> = [];
      await closedLoop(LIFECYCLES, PREPARE_CONCURRENCY, async () => {
        const i = index++;
        prepared.push(await directUntilComplete(intakes, i, castFor(i, runId), new Map()));
      });

      log(`${workers} worker(s): completing them, ${CONCURRENCY} at a time`);
      const lock = sampleChainLock(sampler, SAMPLE_MS);
      const completeToSignal: number[] = [];
      const proofHttp: number[] = [];
      const uncosigned: string[] = [];
      const pollers: Array<Promise<void>> = [];
      const started = performance.now();
      await closedLoop(prepared.length, CONCURRENCY, async (i) => {
        const one = prepared[i]!;
        const sent = performance.now();
        await one.complete();
        await awaitSignal(client, one.intakeId);
        completeToSignal.push(performance.now() - sent);
        const poller = pollProof(one.intakeId, proofHttp, uncosigned);
        poller.catch(() => undefined); // awaited below, after the burst: not an unhandled rejection meanwhile
        pollers.push(poller);
      });
      const burstSeconds = (performance.now() - started) / 1000;
      // Every Record of the burst is sealed once every result is in: the lock's window ends here.
      const sampling = await lock.stop();
      await Promise.all(pollers);

      const { rows } = await owner.raw<{ rows: Array<{ sealed_ms: number; leaf: number; proof_ms: number | null }> }>(
        `SELECT (extract(epoch FROM r.sealed_at) * 1000)::float8 AS sealed_ms, l.leaf_index::int AS leaf,
                (extract(epoch FROM (SELECT min(c.created_at) FROM log_checkpoints c
                                      WHERE c.witnessed AND c.tree_size > l.leaf_index) - r.sealed_at) * 1000)::float8 AS proof_ms
           FROM records r JOIN log_leaves l ON l.record_id = r.id
          WHERE r.intake_id = ANY(?::uuid[])
          ORDER BY r.sealed_at`,
        [prepared.map((p) => p.intakeId)],
      );
      if (rows.length !== prepared.length)
        throw new Error(`${prepared.length} intakes completed but ${rows.length} Records found in the log`);
      const sealed = rows.map((r) => Number(r.sealed_ms));
      const span = (sealed.at(-1)! - sealed[0]!) / 1000;
      const sealsPerSecond = span > 0 ? (sealed.length - 1) / span : NaN;
      // The checkpoints that first covered one of the burst's leaves (how the signer batched them).
      const leaves = rows.map((r) => Number(r.leaf));
      const { checkpoints } = (
        await owner.raw<{ rows: Array<{ checkpoints: number }> }>(
          `SELECT count(*)::int AS checkpoints FROM log_checkpoints WHERE tree_size > ? AND tree_size <= ?`,
          [Math.min(...leaves), Math.max(...leaves) + 1],
        )
      ).rows[0]!;
      const seen = sampling.waits;
      const all = [...seen, ...Array<number>(Math.max(0, rows.length - seen.length)).fill(0)];
      const fig: LevelFigures = {
        workers,
        lifecycles: prepared.length,
        sealsPerSecond,
        signalsPerSecond: prepared.length / burstSeconds,
        completeToSignal: percentiles(completeToSignal),
        chainGap: percentiles(gaps(sealed)),
        lock: {
          ...sampling,
          seen: percentiles(seen),
          p99All: percentiles(all).p99,
          // Little's law over the sampling window (the burst): mean waiters ÷ arrivals a second.
          littleMs: (1000 * sampling.meanWaiters * burstSeconds) / prepared.length,
        },
        proofHttp: percentiles(proofHttp),
        proofDb: percentiles(rows.filter((r) => r.proof_ms !== null).map((r) => Number(r.proof_ms))),
        uncosigned: new Set(uncosigned).size,
        checkpoints,
      };
      results.push(fig);
      log(
        `  ${workers} worker(s): ${fig.sealsPerSecond.toFixed(1)} seals/s, lock waits seen ${seen.length}/${rows.length} ` +
          `(p99 ${fig.lock.seen.p99.toFixed(0)} ms), seal → cosigned proof p99 ${fig.proofHttp.p99.toFixed(0)} ms`,
      );
    }
  } finally {
    await Promise.all([owner.destroy(), sampler.destroy()]);
    await connection.close();
    await stack.stop();
    await witness.stop();
    fs.rmSync(witnessDir, { recursive: true, force: true });
  }
  process.stdout.write(`${report(results)}\n`);
}

function report(results: LevelFigures[]): string {
  const f = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '–');
  const p = (x: Percentiles) => `${f(x.p50)}/${f(x.p99)}`;
  const rows: string[][] = [
    [
      'workers',
      'seals/s',
      'Signals/s',
      'complete→Signal ms p50/p99',
      'chain gap ms p50/p99',
      'lock waits seen',
      'lock wait ms p50/p99/max (seen)',
      'lock wait p99 all',
      'mean waiters',
      'Little mean wait ms',
      'seal→proof HTTP p50/p99',
      'seal→proof db p50/p99',
      'checkpoints',
    ],
    ...results.map((r) => [
      String(r.workers),
      f(r.sealsPerSecond, 1),
      f(r.signalsPerSecond, 1),
      p(r.completeToSignal),
      `${f(r.chainGap.p50, 1)}/${f(r.chainGap.p99, 1)}`,
      `${r.lock.waits.length}/${r.lifecycles}`,
      r.lock.waits.length ? `${f(r.lock.seen.p50)}/${f(r.lock.seen.p99)}/${f(r.lock.seen.max)}` : '–',
      r.lock.waits.length ? f(r.lock.p99All) : `<${SAMPLE_MS}`,
      f(r.lock.meanWaiters, 2),
      f(r.lock.littleMs, 1),
      p(r.proofHttp),
      p(r.proofDb),
      String(r.checkpoints),
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const first = results[0];
  const ratios = results
    .slice(1)
    .map(
      (r) => `ratio seals/s ${r.workers}/${first!.workers} workers: ${f(r.sealsPerSecond / first!.sealsPerSecond, 2)}`,
    );
  const uncosigned = results.reduce((n, r) => n + r.uncosigned, 0);
  return [
    `QTM OS seal bench · ${os.cpus().length} cores · ${LIFECYCLES} lifecycles a level, completes ${CONCURRENCY} at a time; ` +
      `proofs polled every ${POLL_MS} ms, pg_locks sampled every ${SAMPLE_MS} ms (${results.map((r) => r.lock.samples).join('/')} samples)`,
    '',
    line(rows[0]!),
    '-'.repeat(widths.reduce((a, b) => a + b + 2, -2)),
    ...rows.slice(1).map(line),
    '',
    ...ratios,
    `proof answers without the witness's cosignature (polled again until cosigned): ${uncosigned}`,
  ].join('\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`bench-seal failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
