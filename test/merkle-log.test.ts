/**
 * The transparency log end to end, on the real Temporal server and Postgres: Records sealed by
 * full lifecycles become leaves in their sealing transaction, checkpoints are signed on demand and
 * by the Schedule, proofs are served over HTTP and verified offline, an export verifies with the
 * qtm-verify command, and the tamper drills are caught.
 *
 * It runs on a database of its own: it counts every leaf, and its drills rewrite rows as a
 * superuser, which must not disturb the other test files.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { latestCheckpoint, rootAt } from '../db/log-store';
import { ensureCheckpointSchedule } from '../orchestration/log-checkpoint-schedule';
import { canonicalBytes, sha256Hex } from '../trust/canonical';
import { ed25519PublicKeyFromJwk, openCheckpoint, verifierKey } from '../trust/log-checkpoint';
import { leafHash, MemoryTree, verifyConsistency } from '../trust/log-merkle';
import { verifyRecord } from '../trust/record';
import { failures, verifyBundle } from '../trust/verify-bundle';
import { admin, requester } from './support/fixtures';
import { freshDatabase } from './support/database';
import { startTestApi, type TestApi } from './support/api';
import { worldAt, type World } from './support/http-world';

const run = promisify(execFile);
const root = path.join(__dirname, '..');

let database: Awaited<ReturnType<typeof freshDatabase>>;
let api: TestApi;
let publicKey: Buffer;
beforeAll(async () => {
  database = await freshDatabase();
  api = await startTestApi({ DATABASE_URL: database.url });
  // The log's own key, not the Signals' one.
  publicKey = ed25519PublicKeyFromJwk(api.keys.log.current.publicJwk)!;
  expect(publicKey.equals(ed25519PublicKeyFromJwk(api.keys.signal.current.publicJwk)!)).toBe(false);
}, 120_000);
afterAll(async () => {
  await api?.stop();
  await database?.drop();
});

const boss = admin();

type Sealed = World & { recordId: string };

/** One Intake through the whole chain over HTTP, to its sealed Record (and Signal). */
async function seal(outcome: 'completed' | 'failed' = 'completed'): Promise<Sealed> {
  const world = await worldAt(api, 'completed', 'admin', outcome);
  return world as Sealed;
}

const anyone = () => api.as(null);
const signalOf = async (id: string) => (await anyone().GET('/v1/signals/{id}', { params: { path: { id } } })).data!;
/** The attribution a Signal's credential states. */
const attributionOf = async (signalId: string) =>
  ((await signalOf(signalId)).signal as { credentialSubject: { attribution: Record<string, unknown> } })
    .credentialSubject.attribution;

/** What a third party holds: the Record's bytes, its Signal, its proof and the public keys. */
async function bundleOf(sealed: Sealed, treeSize?: number) {
  const reader = api.as(sealed.requester);
  const record = { params: { path: { id: sealed.recordId } } };
  const [read, proof, jwks, logKeys] = await Promise.all([
    reader.GET('/v1/records/{id}', record),
    reader.GET('/v1/records/{id}/proof', { params: { ...record.params, query: { treeSize } } }),
    anyone().GET('/.well-known/jwks.json'),
    anyone().GET('/v1/log/keys'),
  ]);
  expect(proof.response.status).toBe(200);
  const signal = sealed.signalId !== undefined ? await signalOf(sealed.signalId) : null;
  return {
    record: Buffer.from(read.data!.canonicalBase64, 'base64'),
    proof: JSON.stringify(proof.data),
    jwks: JSON.stringify(jwks.data),
    logKeys: JSON.stringify(logKeys.data),
    origin: api.config.LOG_ORIGIN,
    ...(signal ? { jws: signal.jws } : {}),
  };
}

/** The inclusion proof of a sealed Record, as `as` reads it. */
const proofOf = (recordId: string, as: World['requester'] | null, treeSize?: number) =>
  api.as(as).GET('/v1/records/{id}/proof', { params: { path: { id: recordId }, query: { treeSize } } });
const verifyOf = async (sealed: Sealed) =>
  (await api.as(sealed.requester).GET('/v1/records/{id}/verify', { params: { path: { id: sealed.recordId } } })).data!;
const consistency = (from: number, to: number) =>
  anyone().GET('/v1/log/consistency', { params: { query: { from, to } } });

async function storedRecords() {
  return api.db('records').orderBy('sequence').select('id', 'sequence', 'hash', 'prev_hash', 'canonical');
}

async function qtmVerify(args: string[]): Promise<{ code: number; stdout: string }> {
  return run(process.execPath, [path.join(root, 'bin', 'qtm-verify.js'), ...args]).then(
    ({ stdout }) => ({ code: 0, stdout }),
    (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
  );
}

/** `npm run export` as a process, against this file's database. */
async function exportTo(dir: string): Promise<string> {
  const { stdout } = await run(
    process.execPath,
    [path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(root, 'cli', 'export.ts'), '--out', dir],
    {
      env: { ...process.env, DATABASE_URL: database.url },
    },
  );
  return stdout;
}

const sealed: Sealed[] = [];

test('every sealed Record becomes the next leaf in its sealing transaction, and its Signal carries the leaf index', async () => {
  sealed.push(await seal(), await seal('failed'), await seal());
  const records = await storedRecords();
  const leaves = await api.db('log_leaves').orderBy('leaf_index');
  expect(leaves.map((l) => [Number(l.leaf_index), l.record_id, Number(l.record_sequence)])).toEqual(
    records.map((r, i) => [i, r.id, r.sequence]),
  );
  const level0 = await api.db('log_nodes').where({ level: 0 }).orderBy('idx');
  expect(level0.map((n) => n.hash.toString('hex'))).toEqual(records.map((r) => leafHash(r.canonical).toString('hex')));
  // The stored perfect subtrees give the RFC root of the Records' bytes.
  expect((await rootAt(api.db, 3)).equals(new MemoryTree(records.map((r) => leafHash(r.canonical))).root())).toBe(true);
  expect(await api.db('log_nodes').where({ level: 1 }).pluck('idx')).toEqual([0]);

  expect(await attributionOf(sealed[2]!.signalId!)).toMatchObject({
    recordId: sealed[2]!.recordId,
    logLeafIndex: 2,
  });
  expect(sealed[1]!.signalId).toBeUndefined();

  // Nothing is signed yet.
  expect((await anyone().GET('/v1/log/checkpoint', { parseAs: 'text' })).response.status).toBe(404);
  const early = await proofOf(sealed[0]!.recordId, sealed[0]!.requester);
  expect(early.response.status).toBe(409);
  expect(early.error!.detail).toMatch(/no checkpoint has been made yet/);
  expect((await consistency(1, 2)).response.status).toBe(409);
});

test('the log tables are append-only, for the application role and even for the owner', async () => {
  const column = {
    log_leaves: 'leaf_index',
    log_nodes: 'hash',
    log_checkpoints: 'tree_size',
    log_cosignatures: 'line',
    log_witness_refusals: 'detail',
  };
  for (const [table, col] of Object.entries(column)) {
    await expect(api.db.raw(`UPDATE ${table} SET ${col} = ${col}`)).rejects.toThrow(/permission denied/);
    await expect(api.db.raw(`DELETE FROM ${table}`)).rejects.toThrow(/permission denied/);
    await expect(api.ownerDb.raw(`TRUNCATE ${table} CASCADE`)).rejects.toThrow(
      /TRUNCATE on log_\w+ is not allowed: the table is append-only/,
    );
  }
  await expect(api.ownerDb.raw('UPDATE log_nodes SET hash = hash')).rejects.toThrow(
    /UPDATE on log_nodes is not allowed/,
  );
  await expect(api.ownerDb.raw('DELETE FROM log_leaves')).rejects.toThrow(/DELETE on log_leaves is not allowed/);
  expect(await api.db('log_leaves').count({ n: '*' })).toEqual([{ n: 3 }]);
});

test('admins sign checkpoints on demand; they are C2SP signed notes, served as text or JSON', async () => {
  const checkpoint = (as: World['requester'] | null) => api.as(as).POST('/v1/log/checkpoint');
  for (const who of [requester(), sealed[0]!.staff]) expect((await checkpoint(who)).response.status).toBe(403);
  expect((await checkpoint(null)).response.status).toBe(401);
  const created = await checkpoint(boss);
  expect(created.response.status).toBe(201);
  const made = created.data!;
  const records = await storedRecords();
  const expectedRoot = new MemoryTree(records.map((r) => leafHash(r.canonical))).root();
  expect(made).toMatchObject({
    origin: api.config.LOG_ORIGIN,
    treeSize: 3,
    rootHash: expectedRoot.toString('hex'),
    keyName: api.config.LOG_ORIGIN,
    verifierKey: verifierKey(api.config.LOG_ORIGIN, publicKey),
  });
  const opened = openCheckpoint(made.note, [publicKey], api.config.LOG_ORIGIN);
  expect(opened.checkpoint).toEqual({ origin: api.config.LOG_ORIGIN, treeSize: 3, rootHash: expectedRoot });
  expect(made.note).toBe(
    `${api.config.LOG_ORIGIN}\n3\n${expectedRoot.toString('base64')}\n\n\u2014 ${api.config.LOG_ORIGIN} ${made.note.split(' ').at(-1)}`,
  );

  // Nothing new to sign: the same checkpoint, no second row.
  const again = await checkpoint(boss);
  expect(again.response.status).toBe(200);
  expect(again.data!.note).toBe(made.note);
  expect(await api.db('log_checkpoints').count({ n: '*' })).toEqual([{ n: 1 }]);

  const text = await anyone().GET('/v1/log/checkpoint', { parseAs: 'text' });
  expect(text.response.headers.get('content-type')).toMatch(/^text\/plain/);
  expect(text.data).toBe(made.note);
  expect((await anyone().GET('/v1/log/checkpoint', { params: { query: { format: 'json' } } })).data).toEqual(made);
  expect((await anyone().GET('/v1/log/checkpoint', { headers: { accept: 'application/json' } })).data).toEqual(made);
  expect((await api.call('GET', '/v1/log/checkpoint?format=xml')).status).toBe(400);
});

test('inclusion proofs are readable like their Record and verify offline with nothing but the public keys', async () => {
  const [completed, failed] = sealed as [Sealed, Sealed];
  const proof = (await proofOf(completed.recordId, completed.requester)).data;
  expect(proof).toMatchObject({ recordId: completed.recordId, leafIndex: 0, treeSize: 3 });
  expect(proof!.auditPath).toHaveLength(2);
  expect(failures(await verifyBundle(await bundleOf(completed)))).toEqual([]);
  // Failed work has no Signal, but its Record is in the log all the same.
  const checks = await verifyBundle(await bundleOf(failed));
  expect(failures(checks)).toEqual([]);
  expect(checks.find((c) => c.name === 'proof.inclusion')?.ok).toBe(true);

  // The same through the qtm-verify command, from files as a third party would hold them.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qtm-proof-'));
  const bundle = await bundleOf(completed);
  fs.writeFileSync(path.join(dir, 'record.json'), bundle.record);
  fs.writeFileSync(path.join(dir, 'proof.json'), bundle.proof);
  fs.writeFileSync(path.join(dir, 'signal.jws'), bundle.jws!);
  fs.writeFileSync(path.join(dir, 'jwks.json'), bundle.jwks);
  fs.writeFileSync(path.join(dir, 'log-keys.json'), bundle.logKeys);
  const cli = await qtmVerify(
    [
      '--record',
      'record.json',
      '--proof',
      'proof.json',
      '--signal',
      'signal.jws',
      '--jwks',
      'jwks.json',
      '--log-keys',
      'log-keys.json',
      '--origin',
      api.config.LOG_ORIGIN,
    ].map((a) => (a.endsWith('.json') || a.endsWith('.jws') ? path.join(dir, a) : a)),
  );
  fs.rmSync(dir, { recursive: true });
  expect(cli.stdout).toMatch(/OK: all 16 checks passed/);
  expect(cli.code).toBe(0);

  // Readable exactly like the Record: its requester, its operator's staff, admins.
  const status = async (as: World['requester'] | null) => (await proofOf(completed.recordId, as)).response.status;
  expect(await Promise.all([completed.requester, completed.staff, completed.colleague, boss].map(status))).toEqual([
    200, 200, 200, 200,
  ]);
  expect(await Promise.all([completed.otherRequester, completed.stranger].map(status))).toEqual([403, 403]);
  expect(await status(null)).toBe(401);
  expect((await proofOf(randomUUID(), boss)).response.status).toBe(404);
  const bad = await api.call('GET', `/v1/records/${completed.recordId}/proof?treeSize=abc`, { as: boss });
  expect(bad.status).toBe(400);
  expect(bad.body.errors[0].path).toBe('query.treeSize');
  expect((await api.call('GET', `/v1/records/${completed.recordId}/proof?treeSize=0`, { as: boss })).status).toBe(400);
  const unknownSize = await proofOf(completed.recordId, boss, 2);
  expect(unknownSize.response.status).toBe(404);
  expect(unknownSize.error!.detail).toMatch(/no checkpoint of tree size 2/);
});

test('a Record sealed after a checkpoint waits for the next; old checkpoints stay provable and consistency proofs link them', async () => {
  const fourth = await seal();
  sealed.push(fourth);
  const waiting = await proofOf(fourth.recordId, fourth.requester);
  expect(waiting.response.status).toBe(409);
  expect(waiting.error!.detail).toMatch(/is leaf 3, not yet in the checkpoint of tree size 3/);
  expect((await attributionOf(fourth.signalId!)).logLeafIndex).toBe(3);

  const second = await api.as(boss).POST('/v1/log/checkpoint');
  expect(second.response.status).toBe(201);
  expect(second.data!.treeSize).toBe(4);
  expect(failures(await verifyBundle(await bundleOf(fourth)))).toEqual([]);
  // The first Record against the older checkpoint (size 3), by its signed note.
  const old = await bundleOf(sealed[0]!, 3);
  expect(JSON.parse(old.proof)).toMatchObject({
    treeSize: 3,
    checkpoint: (await api.db('log_checkpoints').where({ tree_size: 3 }).first()).note,
  });
  expect(failures(await verifyBundle(old))).toEqual([]);

  const linked = await consistency(3, 4);
  expect(linked.response.status).toBe(200);
  const roots = await api.db('log_checkpoints').orderBy('tree_size').pluck('root_hash');
  expect(
    verifyConsistency(
      3,
      4,
      roots[0],
      roots[1],
      linked.data!.proof.map((h) => Buffer.from(h, 'hex')),
    ),
  ).toBe(true);
  expect((await consistency(4, 4)).data).toEqual({ from: 4, to: 4, proof: [] });
  expect((await consistency(4, 3)).response.status).toBe(400);
  expect((await api.call('GET', '/v1/log/consistency?from=0&to=3')).status).toBe(400);
  expect((await consistency(1, 5)).response.status).toBe(409);

  const verified = await verifyOf(sealed[0]!);
  expect(verified.valid).toBe(true);
  expect(verified.checks.map((c) => c.name)).toEqual([
    'hash',
    'canonical',
    'document',
    'link',
    'log.leaf',
    'log.checkpoint',
  ]);
});

test('the checkpoint Schedule signs checkpoints by itself, and ensuring it twice converges instead of failing', async () => {
  const scheduleId = `test-log-checkpoint-${randomUUID()}`;
  await ensureCheckpointSchedule(api.client, { ...api.config, CHECKPOINT_INTERVAL: 60_000 }, { scheduleId });
  const handle = await ensureCheckpointSchedule(
    api.client,
    { ...api.config, CHECKPOINT_INTERVAL: 1_000 },
    { scheduleId },
  );
  try {
    const described = await handle.describe();
    expect(described.spec.intervals?.[0]?.every).toBe(1_000);
    expect(described.action).toMatchObject({
      type: 'startWorkflow',
      workflowType: 'checkpointWorkflow',
      taskQueue: api.config.TEMPORAL_TASK_QUEUE,
    });
    sealed.push(await seal());
    const deadline = Date.now() + 30_000;
    while ((await latestCheckpoint(api.db))?.treeSize !== 5 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 250));
    expect((await latestCheckpoint(api.db))?.treeSize).toBe(5);
  } finally {
    await handle.delete();
  }
});

test('an export of the whole log verifies offline with qtm-verify', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qtm-export-'));
  try {
    expect(await exportTo(dir)).toMatch(/exported 5 records \(5 with inclusion proofs\), \d+ checkpoints/);
    const result = await qtmVerify(['--export', dir]);
    expect(result.stdout).toMatch(/✓ log\.root 5: the 5 exported records hash to the signed root/);
    expect(result.stdout).toMatch(/✓ log\.consistency 3 → 4/);
    expect(result.stdout).toMatch(/OK: all \d+ checks passed/);
    expect(result.code).toBe(0);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

describe('tamper drills', () => {
  test('a superuser rewrites a Record and recomputes its chain hash: the chain still verifies, the log does not', async () => {
    const target = sealed[4]!;
    const before = await api.db('records').where({ id: target.recordId }).first();
    const doc = JSON.parse(before.canonical.toString('utf8'));
    doc.outcome.summary = 'work completed (and the invoice doubled)';
    const canonical = canonicalBytes(doc);
    await api.ownerDb.transaction(async (trx) => {
      await trx.raw('SET LOCAL session_replication_role = replica'); // bypasses the append-only triggers
      await trx('records')
        .where({ id: target.recordId })
        .update({ canonical, hash: sha256Hex(canonical) });
    });

    // The chain is fooled: the hash matches the bytes and the link to the previous Record holds.
    const records = await storedRecords();
    const last = records.at(-1)!;
    const previous = records.at(-2)!;
    const chain = verifyRecord(
      { id: last.id, sequence: last.sequence, hash: last.hash, prevHash: last.prev_hash, canonical: last.canonical },
      { id: previous.id, sequence: previous.sequence, hash: previous.hash },
    );
    expect(chain.filter((c) => !c.ok)).toEqual([]);

    // The log is not: the API's verify names the leaf...
    const verified = await verifyOf(target);
    expect(verified.valid).toBe(false);
    expect(verified.checks.filter((c) => !c.ok).map((c) => c.name)).toEqual(['log.leaf', 'log.checkpoint']);

    // ...a third party with the Record, its Signal and its proof sees what broke...
    const bundleFailures = failures(await verifyBundle(await bundleOf(target)));
    expect(bundleFailures.map((c) => c.name)).toEqual(['record.hash', 'proof.leafHash', 'proof.inclusion']);

    // ...and so does qtm-verify over an export, down to the Record.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qtm-drill-'));
    try {
      await exportTo(dir);
      const result = await qtmVerify(['--export', dir]);
      expect(result.code).toBe(1);
      expect(result.stdout).toContain(`record 5 ${target.recordId}`);
      expect(result.stdout).toMatch(/✓ chain\.hash: sha256 of the stored bytes/);
      expect(result.stdout).toMatch(/✗ record\.hash: the record bytes hash to [0-9a-f]{64}, but the Signal attests/);
      expect(result.stdout).toMatch(/✗ proof\.inclusion:/);
      expect(result.stdout).toMatch(
        /✗ log\.root 5: the first 5 exported records hash to [0-9a-f]{64}, not to the signed root/,
      );
      expect(result.stdout).toMatch(
        new RegExp(`FAILED: 4 of \\d+ checks failed: log\\.root 5, record 5 ${target.recordId}: record\\.hash`),
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('rewriting the log’s own leaf to match is caught by the signed checkpoint, and no new checkpoint will vouch for it', async () => {
    const target = sealed[4]!;
    const record = await api.db('records').where({ id: target.recordId }).first();
    await api.ownerDb.transaction(async (trx) => {
      await trx.raw('SET LOCAL session_replication_role = replica');
      // Leaf 4 of a 5-leaf tree completes no larger subtree, so this is the whole rewrite.
      await trx('log_nodes')
        .where({ level: 0, idx: 4 })
        .update({ hash: leafHash(record.canonical) });
    });
    const verified = await verifyOf(target);
    expect(verified.checks.filter((c) => !c.ok).map((c) => c.name)).toEqual(['log.checkpoint']);

    sealed.push(await seal());
    const refused = await api.as(boss).POST('/v1/log/checkpoint');
    expect(refused.response.status).toBe(500);
    expect(refused.error).toMatchObject({
      title: 'Log Integrity Failure',
      detail: 'the stored log no longer matches the signed checkpoint of size 5',
    });
    expect((await latestCheckpoint(api.db))?.treeSize).toBe(5);
  });
});
