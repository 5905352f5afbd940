/**
 * Tamper drills: a superuser bypasses the append-only triggers and rewrites sealed Records.
 * The API's verify and `npm run verify-chain` name the exact record and link that broke.
 * Runs on a database of its own: a broken chain must not leak into other tests' checks.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { verifyChain } from '../db/verify-chain';
import { sha256Hex } from '../trust/canonical';
import { startTestApi, type TestApi } from './support/api';
import { freshDatabase } from './support/database';
import { worldAt } from './support/http-world';

let api: TestApi;
let database: Awaited<ReturnType<typeof freshDatabase>>;
let records: Array<{ id: string; sequence: number; requester: import('../domain/schemas').Principal }>;

beforeAll(async () => {
  database = await freshDatabase();
  api = await startTestApi({ DATABASE_URL: database.url });
  records = [];
  for (let i = 0; i < 4; i += 1) {
    const w = await worldAt(api, 'completed');
    const row = await api.db('records').where({ id: w.recordId }).first('id', 'sequence');
    records.push({ ...row, requester: w.requester });
  }
}, 120_000);
afterAll(async () => {
  await api?.stop();
  await database?.drop();
});

async function rewrite(id: string, change: (bytes: Buffer) => Buffer, rehash: boolean): Promise<void> {
  await api.ownerDb.transaction(async (trx) => {
    await trx.raw('SET LOCAL session_replication_role = replica'); // superuser: triggers off
    const row = await trx('records').where({ id }).first('canonical');
    const canonical = change(row.canonical);
    await trx('records')
      .where({ id })
      .update({ canonical, ...(rehash ? { hash: sha256Hex(canonical) } : {}) });
  });
}

/** The API's verify of a Record, as its requester reads it. */
const verifyOf = async (record: (typeof records)[number]) =>
  (await api.as(record.requester).GET('/v1/records/{id}/verify', { params: { path: { id: record.id } } })).data!;

const runVerifyChain = () =>
  promisify(execFile)(
    path.join(__dirname, '..', 'node_modules', '.bin', 'tsx'),
    [path.join(__dirname, '..', 'cli', 'verify-chain.ts')],
    { env: { ...process.env, DATABASE_URL: database.url } },
  ).then(
    (r) => ({ code: 0, stdout: r.stdout }),
    (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }),
  );

test('before any tampering the whole chain verifies', async () => {
  const report = await verifyChain(api.db);
  expect(report).toMatchObject({ valid: true, records: 4, breaks: [] });
  const cli = await runVerifyChain();
  expect(cli.code).toBe(0);
  expect(cli.stdout).toMatch(/chain valid: 4 records/);
});

test('rewritten bytes: the record’s own hash check fails, by name', async () => {
  const victim = records[1]!;
  await rewrite(
    victim.id,
    (b) => Buffer.from(b.toString('utf8').replace('"status":"completed"', '"status":"failed"')),
    false,
  );
  const res = await verifyOf(victim);
  expect(res.valid).toBe(false);
  expect(res.checks.find((c) => c.name === 'hash')).toMatchObject({ ok: false });
  const cli = await runVerifyChain();
  expect(cli.code).toBe(1);
  expect(cli.stdout).toContain(`BROKEN record ${victim.id} (sequence ${victim.sequence}) hash:`);
});

test('rewritten bytes with a recomputed hash: the next record’s link names the break', async () => {
  const victim = records[2]!;
  const next = records[3]!;
  await rewrite(
    victim.id,
    (b) => Buffer.from(b.toString('utf8').replace('"status":"completed"', '"status":"COMPLETED"')),
    true,
  );
  // The rewritten record is self-consistent...
  const own = await verifyOf(victim);
  expect(own.checks.find((c) => c.name === 'hash')).toMatchObject({ ok: true });
  // ...but the record after it still points at the original hash.
  const following = await verifyOf(next);
  expect(following.valid).toBe(false);
  expect(following.checks.find((c) => c.name === 'link')).toMatchObject({
    ok: false,
    detail: expect.stringContaining(victim.id),
  });
  const report = await verifyChain(api.db);
  expect(report.breaks).toEqual(
    expect.arrayContaining([expect.objectContaining({ recordId: next.id, sequence: next.sequence, check: 'link' })]),
  );
  const cli = await runVerifyChain();
  expect(cli.stdout).toContain(`BROKEN record ${next.id} (sequence ${next.sequence}) link:`);
});
