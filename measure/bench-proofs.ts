/**
 * Proof generation at scale: seeds a throwaway database with 100,000 Records in the log, signs a
 * checkpoint with the real activity, then times inclusion proofs (as GET /v1/records/:id/proof
 * builds them) and consistency proofs, one at a time, and prints p50/p95/p99.
 *
 *   npm run bench:proofs [-- --leaves 100000 --samples 5000 --keep]
 *
 * The seeding is bulk and synthetic: Record rows with made-up bytes, inserted with foreign-key
 * triggers off (session_replication_role = replica), in a database named qtm_bench_proofs_<time>
 * that is dropped at the end (unless --keep). Never point it at a real database: it creates its own.
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { exportJWK, generateKeyPair } from 'jose';
import { makeCheckpoint } from '../activities/log';
import { loadConfigOrExit } from '../config';
import { createDb, dropDatabase, migrate } from '../db';
import { isRefusal, proveRecord } from '../db/log-proofs';
import { consistencyProof, insertNodes, latestCheckpoint, rootAt } from '../db/merkle-log';
import { canonicalBytes, sha256Hex } from '../trust/canonical';
import { loadSigningKey } from '../trust/keys';
import { leafHash, MemoryTree, verifyConsistency, verifyInclusion, type StoredNode } from '../trust/merkle';

const { values } = parseArgs({
  options: {
    leaves: { type: 'string', default: '100000' },
    samples: { type: 'string', default: '5000' },
    keep: { type: 'boolean', default: false },
  },
  strict: true,
});
const LEAVES = Number(values.leaves);
const SAMPLES = Number(values.samples);

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

async function main(): Promise<void> {
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
      makeCheckpoint({ db, signingKey, origin: config.LOG_ORIGIN }),
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
