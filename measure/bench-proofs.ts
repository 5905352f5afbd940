/**
 * The log's two figures:
 *
 * 1. Seal → proof available, under load: a whole isolated stack (Temporal dev server, the worker
 *    with its log signer, the API, a local litewitness cosigning every checkpoint) runs `--live`
 *    lifecycles over HTTP, `--concurrency` at a time. As soon as each one's complete is accepted,
 *    a poller reads its Record and polls GET /v1/records/:id/proof every 20 ms until it answers
 *    200 with a cosigned checkpoint; latency is that moment minus the Record's sealedAt. The same
 *    is also read exactly from the database (first checkpoint covering the leaf − sealed_at).
 * 2. Proof generation at scale: seeds a throwaway database with 100,000 Records in the log, signs a
 *    checkpoint with the real activity, then times inclusion proofs (as GET /v1/records/:id/proof
 *    builds them) and consistency proofs, one at a time, and prints p50/p95/p99.
 *
 *   npm run bench:proofs [-- --live 300 --concurrency 16 --leaves 100000 --samples 5000 --keep]
 *   (--live 0 skips part 1, --leaves 0 part 2)
 *
 * The seeding is bulk and synthetic: Record rows with made-up bytes, inserted with foreign-key
 * triggers off (session_replication_role = replica), in a database named qtm_bench_proofs_<time>
 * that is dropped at the end (unless --keep). Never point it at a real database: it creates its own.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Principal } from '../domain/schemas';
import { connectTemporal } from '../adapters/temporal-connection';
import { freePort } from '../stack/temporal-cli';
import { startLocalWitness } from '../stack/witness';
import { verifierKey } from '../trust/log-checkpoint';
import { checkWitnessPolicy, parseWitnessKey } from '../trust/log-cosignature';
import { newPrivateJwk } from '../trust/keys';
import { qtmClient, reasonOf } from '../client';
import { driveLifecycle } from '../client/lifecycle';
import { castFor, registerBenchOperators, requestBody, type HttpTarget } from './bench/lifecycle';
import { startIsolatedStack } from './isolated-stack';
import { exportJWK, generateKeyPair } from 'jose';
import { makeCheckpoint } from '../activities/log';
import { loadConfigOrExit } from '../config';
import { createDb, dropDatabase, migrate } from '../db';
import { isRefusal, proveRecord } from '../db/log-proofs';
import { consistencyProof, insertNodes, latestCheckpoint, rootAt } from '../db/log-store';
import { canonicalBytes, sha256Hex } from '../trust/canonical';
import { loadSigningKey } from '../trust/keys';
import { leafHash, MemoryTree, verifyConsistency, verifyInclusion, type StoredNode } from '../trust/log-merkle';

const { values } = parseArgs({
  options: {
    live: { type: 'string', default: '300' },
    concurrency: { type: 'string', default: '16' },
    leaves: { type: 'string', default: '100000' },
    samples: { type: 'string', default: '5000' },
    keep: { type: 'boolean', default: false },
  },
  strict: true,
});
const LEAVES = Number(values.leaves);
const SAMPLES = Number(values.samples);
const LIVE = Number(values.live);
const CONCURRENCY = Number(values.concurrency);

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const ms = (n: number) => `${n.toFixed(2)} ms`;
const log = (line: string) => process.stdout.write(`${line}\n`);

async function timed<T>(label: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await work();
  log(`  ${label}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return result;
}

function summary(label: string, samples: number[]): void {
  const sorted = [...samples].sort((a, b) => a - b);
  log(
    `${label} (${sorted.length} samples): p50 ${ms(percentile(sorted, 50))}  p95 ${ms(percentile(sorted, 95))}  p99 ${ms(percentile(sorted, 99))}  max ${ms(sorted.at(-1)!)}`,
  );
}

/** Part 1: seal → proof-available latency on a whole stack with its signer and a witness. */
async function liveLatency(origin: string): Promise<void> {
  const signal = await newPrivateJwk();
  const logJwk = await newPrivateJwk();
  const logPublic = Buffer.from(logJwk.x!, 'base64url');
  const witnessDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qtm-bench-witness-'));
  const witness = await startLocalWitness({
    dir: witnessDir,
    name: 'bench.local/witness',
    origin,
    logVerifierKeys: [verifierKey(origin, logPublic)],
    port: await freePort(),
  });
  const witnessKey = parseWitnessKey(witness.vkey);
  log(
    `live: ${LIVE} lifecycles over HTTP, ${CONCURRENCY} at a time; signer delay ${loadConfigOrExit().LOG_CHECKPOINT_DELAY} ms; witness ${witness.url}`,
  );
  const stack = await startIsolatedStack({
    name: 'proofs',
    log: () => undefined,
    env: {
      SIGNAL_SIGNING_KEY: JSON.stringify(signal),
      LOG_SIGNING_KEY: JSON.stringify(logJwk),
      LOG_WITNESSES: witness.entry,
      ...(process.env.LOG_CHECKPOINT_DELAY ? { LOG_CHECKPOINT_DELAY: process.env.LOG_CHECKPOINT_DELAY } : {}),
    },
  });
  const { client, connection } = await connectTemporal(stack.config);
  const target: HttpTarget = { baseUrl: stack.baseUrl, token: stack.token, client };
  const admin: Principal = { sub: 'bench-proofs-admin', role: 'admin' };
  const asAdmin = qtmClient({ baseUrl: target.baseUrl, token: () => target.token(admin) });
  const latencies: number[] = [];
  const uncosigned: string[] = [];
  const runId = stack.runId;
  try {
    await registerBenchOperators(target, runId);
    const pollProof = async (intakeId: string): Promise<void> => {
      let record: { id: string; sealedAt: string } | null = null;
      while (!record) {
        const { data: chain } = await asAdmin.GET('/v1/intakes/{id}', { params: { path: { id: intakeId } } });
        if (chain?.record) record = { id: chain.record.id, sealedAt: chain.record.sealedAt };
        else await sleep(20);
      }
      for (;;) {
        const proof = await asAdmin.GET('/v1/records/{id}/proof', { params: { path: { id: record.id } } });
        if (proof.data) {
          latencies.push(Date.now() - Date.parse(record.sealedAt));
          if (!checkWitnessPolicy(proof.data.checkpoint, [witnessKey], 1).ok) uncosigned.push(record.id);
          return;
        }
        if (proof.response.status !== 409)
          throw new Error(`proof of ${record.id}: ${reasonOf(proof.error, proof.response)}`);
        await sleep(20);
      }
    };
    const started = performance.now();
    let next = 0;
    const lane = async () => {
      for (let i = next++; i < LIVE; i = next++) {
        const c = castFor(i, runId);
        const as = (p: Principal) => qtmClient({ baseUrl: target.baseUrl, token: () => target.token(p) });
        let intakeId = '';
        let poller: Promise<void> | null = null;
        await driveLifecycle(
          { requester: as(c.requester), governor: as(c.governor), staff: as(c.staff) },
          {
            body: requestBody(i, c),
            operatorId: c.operatorId,
            stages: ['en_route', 'on_site'],
            summary: 'Boiler serviced',
          },
          {
            onSubmitted: (ids) => {
              intakeId = ids.intakeId;
            },
            // The seal follows the accepted complete: poll its proof from that moment.
            onStep: (command) => {
              if (command === 'complete') poller = pollProof(intakeId);
            },
          },
        );
        await poller;
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, lane));
    const seconds = (performance.now() - started) / 1000;
    const sorted = [...latencies].sort((a, b) => a - b);
    log(
      `  ${LIVE} Records sealed in ${seconds.toFixed(1)} s (${(LIVE / seconds).toFixed(1)} a second), each proof polled over HTTP every 20 ms`,
    );
    summary('  seal → proof available (HTTP 200, cosigned)', sorted);
    const db = createDb({ ...stack.config, DATABASE_URL: stack.databaseUrl }, { as: 'owner', poolMax: 2 });
    try {
      const { rows } = await db.raw<{ rows: Array<{ ms: number }> }>(`
        SELECT extract(epoch FROM (SELECT min(c.created_at) FROM log_checkpoints c WHERE c.tree_size > l.leaf_index) - r.sealed_at) * 1000 AS ms
          FROM records r JOIN log_leaves l ON l.record_id = r.id`);
      summary(
        '  seal → first checkpoint covering it (database clock)',
        rows.map((r) => Number(r.ms)),
      );
      const [{ checkpoints, witnessed }] = (
        await db.raw(
          `SELECT count(*)::int AS checkpoints, count(*) FILTER (WHERE witnessed)::int AS witnessed FROM log_checkpoints`,
        )
      ).rows;
      log(
        `  ${checkpoints} checkpoints for ${LIVE} Records (${(LIVE / checkpoints).toFixed(1)} leaves a checkpoint), ${witnessed} cosigned; ${uncosigned.length} proofs without the witness's cosignature`,
      );
    } finally {
      await db.destroy();
    }
    const p99 = sorted[Math.min(sorted.length - 1, Math.ceil(0.99 * sorted.length) - 1)]!;
    log(`target: proof available within 1 s of the seal (p99): ${p99 <= 1000 ? 'met' : 'MISSED'} (${ms(p99)})`);
  } finally {
    await connection.close();
    await stack.stop();
    await witness.stop();
    fs.rmSync(witnessDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  if (LIVE > 0) await liveLatency(loadConfigOrExit().LOG_ORIGIN);
  if (LEAVES > 0) await atScale();
}

async function atScale(): Promise<void> {
  const base = loadConfigOrExit();
  const url = new URL(base.DATABASE_URL);
  url.pathname = `/qtm_bench_proofs_${Date.now().toString(36)}`;
  const config = { ...base, DATABASE_URL: url.toString(), DATABASE_POOL_MAX: 4 };
  log(`throwaway database ${url.pathname.slice(1)}; ${LEAVES.toLocaleString('en')} leaves`);

  await migrate(config);
  const owner = createDb(config, { as: 'owner', poolMax: 2 });
  const db = createDb(config);
  try {
    log('seeding (bulk, synthetic):');
    const ids: string[] = [];
    const tree = new MemoryTree();
    await timed('records, leaves and nodes', async () => {
      let prevHash: string | null = null;
      for (let start = 0; start < LEAVES; start += 5_000) {
        const rows = {
          id: [] as string[],
          seq: [] as number[],
          hash: [] as string[],
          prev: [] as string[],
          canonical: [] as Buffer[],
          se: [] as string[],
          job: [] as string[],
          intake: [] as string[],
        };
        const nodes: StoredNode[] = [];
        for (let i = start; i < Math.min(start + 5_000, LEAVES); i += 1) {
          const id = randomUUID();
          const canonical = canonicalBytes({
            type: 'qtm.bench/v1',
            recordId: id,
            sequence: i + 1,
            prevHash,
            summary: `synthetic record ${i}`,
            evidence: [{ kind: 'note', sha256: sha256Hex(String(i)) }],
          });
          const hash = sha256Hex(canonical);
          rows.id.push(id);
          rows.seq.push(i + 1);
          rows.hash.push(hash);
          rows.prev.push(prevHash ?? ''); // '' → NULL below
          rows.canonical.push(canonical);
          rows.se.push(randomUUID());
          rows.job.push(randomUUID());
          rows.intake.push(randomUUID());
          nodes.push(...tree.append(leafHash(canonical)));
          ids.push(id);
          prevHash = hash;
        }
        await owner.transaction(async (trx) => {
          await trx.raw('SET LOCAL session_replication_role = replica'); // no parent rows for synthetic Records
          await trx.raw(
            `INSERT INTO records (id, service_event_id, job_id, intake_id, operator_id, outcome, sequence, hash, prev_hash, canonical, sealed_at)
             SELECT id, se, job, intake, 'op-bench', 'completed', seq, hash, NULLIF(prev, ''), canonical, now()
             FROM unnest(?::uuid[], ?::uuid[], ?::uuid[], ?::uuid[], ?::bigint[], ?::text[], ?::text[], ?::bytea[]) AS t(id, se, job, intake, seq, hash, prev, canonical)`,
            [rows.id, rows.se, rows.job, rows.intake, rows.seq, rows.hash, rows.prev, rows.canonical],
          );
          await trx.raw(
            `INSERT INTO log_leaves (leaf_index, record_id, record_sequence, appended_at) SELECT seq - 1, id, seq, now() FROM unnest(?::uuid[], ?::bigint[]) AS t(id, seq)`,
            [rows.id, rows.seq],
          );
          await insertNodes(trx, nodes);
        });
      }
    });
    await owner.raw('ANALYZE');

    const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
    const signingKey = await loadSigningKey({
      SIGNAL_SIGNING_KEY: JSON.stringify(await exportJWK(privateKey)),
      dataDir: config.dataDir,
    });
    const checkpoint = await timed('checkpoint (the real activity: root from stored nodes, signed note)', () =>
      makeCheckpoint({ db, logKey: signingKey, origin: config.LOG_ORIGIN }),
    );
    if (!checkpoint || checkpoint.treeSize !== LEAVES)
      throw new Error(`expected a checkpoint of ${LEAVES} leaves, got ${checkpoint?.treeSize}`);
    if (!(await rootAt(db, LEAVES)).equals(tree.root()))
      throw new Error('the stored root differs from the in-memory root');
    const root = (await latestCheckpoint(db))!.rootHash;

    const pick = () => Math.floor(Math.random() * LEAVES);
    for (let i = 0; i < 200; i += 1) await proveRecord(db, ids[pick()]!); // warm the pool and caches

    log('inclusion proofs (record id → leaf, latest checkpoint, O(log n) nodes in one query, hashing):');
    const inclusion: number[] = [];
    let pathHashes = 0;
    for (let i = 0; i < SAMPLES; i += 1) {
      const index = pick();
      const started = performance.now();
      const proof = await proveRecord(db, ids[index]!);
      inclusion.push(performance.now() - started);
      if (isRefusal(proof)) throw new Error(proof.detail);
      pathHashes += proof.auditPath.length;
      // Correctness, outside the timing: each proof verifies against the signed root.
      if (
        !verifyInclusion(
          proof.leafIndex,
          proof.treeSize,
          Buffer.from(proof.leafHash, 'hex'),
          proof.auditPath.map((h) => Buffer.from(h, 'hex')),
          root,
        )
      )
        throw new Error(`proof of leaf ${index} does not verify`);
    }
    summary('  inclusion proof', inclusion);
    log(
      `  average audit path: ${(pathHashes / SAMPLES).toFixed(1)} hashes; every proof verified against the signed root`,
    );

    log('consistency proofs (random sizes up to the checkpoint):');
    const consistency: number[] = [];
    for (let i = 0; i < SAMPLES; i += 1) {
      const to = 1 + pick();
      const from = 1 + Math.floor(Math.random() * to);
      const started = performance.now();
      const proof = await consistencyProof(db, from, to);
      consistency.push(performance.now() - started);
      if (i % 50 === 0 && !verifyConsistency(from, to, tree.root(from), tree.root(to), proof))
        throw new Error(`consistency ${from} → ${to} does not verify`);
    }
    summary('  consistency proof', consistency);

    const p99 = percentile(
      [...inclusion].sort((a, b) => a - b),
      99,
    );
    log(
      `target: inclusion proof p99 ≤ 10 ms at ${LEAVES.toLocaleString('en')} records: ${p99 <= 10 ? 'met' : 'MISSED'} (${ms(p99)})`,
    );
  } finally {
    await Promise.all([db.destroy(), owner.destroy()]);
    if (!values.keep) {
      await dropDatabase(url.toString());
      log(`dropped ${url.pathname.slice(1)}`);
    }
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench-proofs: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
