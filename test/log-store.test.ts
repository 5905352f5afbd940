/**
 * The Postgres side of the log against the in-memory reference: appending in uneven batches
 * stores exactly the reference tree's perfect subtrees, and every root and proof read back from
 * the stored nodes (including the one-query inclusion proof the API serves) equals the
 * reference: every leaf of every tree size up to 40, the edges and split points up to 70.
 *
 * Records here are synthetic rows in a database of this file's own (foreign keys off while
 * seeding), since only their bytes matter to the log.
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { isRefusal, proveRecord } from '../db/log-proofs';
import { appendPendingRecords, consistencyProof, insertCheckpoint, rootAt } from '../db/log-store';
import { createDb, type Db } from '../db';
import { loadConfig } from '../config';
import { leafHash, MemoryTree } from '../trust/log-merkle';
import { freshDatabase } from './support/database';

const SIZE = 70;
let database: Awaited<ReturnType<typeof freshDatabase>>;
let db: Db;
let owner: Db;
const ids: string[] = [];
const reference = new MemoryTree();

async function sealSynthetic(trx: Knex.Transaction, count: number): Promise<void> {
  await trx.raw('SET LOCAL session_replication_role = replica'); // no parent rows for synthetic Records
  for (let i = 0; i < count; i += 1) {
    const sequence = ids.length + 1;
    const canonical = Buffer.from(JSON.stringify({ synthetic: sequence }));
    const id = randomUUID();
    await trx('records').insert({
      id,
      service_event_id: randomUUID(),
      job_id: randomUUID(),
      intake_id: randomUUID(),
      operator_id: 'op-x',
      outcome: 'completed',
      sequence,
      hash: `${sequence}`,
      prev_hash: null,
      canonical,
      sealed_at: new Date().toISOString(),
    });
    ids.push(id);
    reference.append(leafHash(canonical));
  }
}

beforeAll(async () => {
  database = await freshDatabase();
  const config = loadConfig({ ...process.env, DATABASE_URL: database.url });
  db = createDb(config);
  owner = createDb(config, { as: 'owner', poolMax: 2 });
}, 60_000);
afterAll(async () => {
  await Promise.all([db?.destroy(), owner?.destroy()]);
  await database?.drop();
});

test('appending in uneven batches (as seals and backfills do) stores exactly the reference tree', async () => {
  for (const batch of [1, 2, 5, 13, 1, 30, 18]) {
    await owner.transaction(async (trx) => {
      await sealSynthetic(trx, batch);
      expect(await appendPendingRecords(trx)).toBe(batch);
      expect(await appendPendingRecords(trx)).toBe(0);
    });
  }
  expect(ids).toHaveLength(SIZE);
  const stored = await db('log_nodes').orderBy(['level', 'idx']).select('level', 'idx', 'hash');
  const expected = [];
  for (let level = 0; 2 ** level <= SIZE; level += 1)
    for (let index = 0; (index + 1) * 2 ** level <= SIZE; index += 1)
      expected.push({ level, idx: index, hash: reference.get({ level, index }).toString('hex') });
  expect(stored.map((n) => ({ level: n.level, idx: Number(n.idx), hash: n.hash.toString('hex') }))).toEqual(expected);
  expect(await db('log_leaves').orderBy('leaf_index').pluck('record_id')).toEqual(ids);
});

test('roots, inclusion proofs and consistency proofs read from Postgres equal the reference at every size', async () => {
  // A checkpoint row for every size, so that proofs can be asked for against each one.
  for (let size = 1; size <= SIZE; size += 1) {
    await insertCheckpoint(db, {
      treeSize: size,
      rootHash: await rootAt(db, size),
      origin: 'test',
      keyName: 'test',
      keyId: '00000000',
      note: `note ${size}`,
    });
  }
  const failures: string[] = [];
  for (let size = 1; size <= SIZE; size += 1) {
    if (!(await rootAt(db, size)).equals(reference.root(size))) failures.push(`root ${size}`);
    const indices =
      size <= 40
        ? Array.from({ length: size }, (_, i) => i)
        : [...new Set([0, 1, 31, 32, 63, 64, size >> 1, size - 2, size - 1])].filter((i) => i < size);
    for (const index of indices) {
      const proof = await proveRecord(db, ids[index]!, size);
      const expected = reference.inclusionProof(index, size).map((h) => h.toString('hex'));
      if (
        isRefusal(proof) ||
        proof.auditPath.join() !== expected.join() ||
        proof.leafIndex !== index ||
        proof.checkpoint !== `note ${size}`
      )
        failures.push(`inclusion ${index}@${size}`);
    }
    for (const from of new Set([1, size >> 1, size - 1, size].filter((m) => m >= 1))) {
      const proof = (await consistencyProof(db, from, size)).map((h) => h.toString('hex'));
      if (
        proof.join() !==
        reference
          .consistencyProof(from, size)
          .map((h) => h.toString('hex'))
          .join()
      )
        failures.push(`consistency ${from}->${size}`);
    }
  }
  expect(failures).toEqual([]);
  // Without a size: the latest checkpoint; beyond a checkpoint: refused with the reason.
  expect(await proveRecord(db, ids[69]!)).toMatchObject({ leafIndex: 69, treeSize: SIZE });
  expect(await proveRecord(db, ids[69]!, 69)).toMatchObject({ reason: 'not_in_checkpoint' });
  expect(await proveRecord(db, randomUUID())).toMatchObject({ reason: 'not_logged' });
}, 240_000);
