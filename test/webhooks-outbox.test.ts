/**
 * The dispatcher's read of audit_log (db/webhook-outbox.ts fanOut) against real Postgres transactions.
 * audit_log ids are taken at INSERT: a row whose transaction is still open has a smaller id than
 * a row committed after it. A reader of `id > cursor` would pass it and never see it; the fan-out
 * must wait until no transaction older than the rows it reads is running, then read both, in order.
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { loadConfig } from '../config';
import { createDb, type Db } from '../db';
import { fanOut } from '../db/webhook-outbox';
import { createWebhookStore } from '../db/webhook-subscriptions';
import { freshDatabase } from './support/database';
import { eventually } from './support/eventually';

let database: { url: string; drop(): Promise<void> };
let db: Db;
let owner: Db;
const BASE = 'https://qtm.example';

beforeAll(async () => {
  database = await freshDatabase();
  const config = loadConfig({ ...process.env, DATABASE_URL: database.url });
  db = createDb(config);
  owner = createDb(config, { as: 'owner', poolMax: 2 });
});
afterAll(async () => {
  await Promise.all([db?.destroy(), owner?.destroy()]);
  await database?.drop();
});

/** An Intake with its Task, as persistIntake leaves it (without its audit lines). */
async function seedIntake(): Promise<{ intakeId: string; taskId: string }> {
  const [actorId, requestId, intakeId, taskId] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
  const at = new Date().toISOString();
  await owner('actors').insert({ id: actorId, kind: 'person', name: 'Ada', created_at: at });
  await owner('requests').insert({
    id: requestId,
    actor_id: actorId,
    channel: 'web',
    payload: '{}',
    payload_sha256: 'x',
    submitted_by_sub: 'r',
    submitted_by_role: 'requester',
    received_at: at,
  });
  await owner('intakes').insert({
    id: intakeId,
    request_id: requestId,
    actor_id: actorId,
    category: 'plumbing',
    summary: 's',
    requester_sub: 'r',
    requester_role: 'requester',
    workflow_id: `intake-${intakeId}`,
    phase: 'governance',
    created_at: at,
    updated_at: at,
  });
  await owner('tasks').insert({
    id: taskId,
    intake_id: intakeId,
    audience: 'admin',
    status: 'pending',
    stale_since: at,
    created_at: at,
    updated_at: at,
  });
  return { intakeId, taskId };
}

const decision = (intakeId: string, taskId: string, kind: string) => ({
  intake_id: intakeId,
  entity: 'task',
  entity_id: taskId,
  action: `task.${kind}`,
  principal_sub: 'admin-1',
  principal_role: 'admin',
  details: '{}',
  at: new Date().toISOString(),
  dedupe_key: `${intakeId}:${randomUUID()}`,
});

async function subscribe(): Promise<string> {
  const id = randomUUID();
  await createWebhookStore(db).createSubscription({
    id,
    url: 'https://hooks.example/x',
    eventTypes: ['task.decided'],
    description: null,
    secretSealed: 'sealed',
    createdBy: 'admin-1',
  });
  return id;
}

/** Fan-out passes until the audit rows are passed (other transactions in the cluster may hold it back a moment). */
async function fanOutUntil(auditIds: number[]): Promise<void> {
  await eventually(`the fan-out past audit rows ${auditIds.join(', ')}`, async () => {
    await fanOut(db, { baseUrl: BASE, batchSize: 100 });
    const cursor = await db('webhook_dispatch_cursor').first('audit_id', db.raw('txid::text AS txid'));
    const rows = await db('audit_log').whereIn('id', auditIds).select('id', db.raw('txid::text AS txid'));
    const passed = rows.every(
      (r) => BigInt(r.txid) < BigInt(cursor.txid) || (r.txid === cursor.txid && r.id <= cursor.audit_id),
    );
    return passed ? true : undefined;
  });
}

test('a row whose transaction commits late is neither read early nor skipped: both arrive, in (txid, id) order', async () => {
  const { intakeId, taskId } = await seedIntake();
  await subscribe();

  // T1 inserts first (the smaller id) and stays open; T2 inserts after it and commits at once.
  let commitT1!: () => void;
  const t1Open = new Promise<void>((resolve) => (commitT1 = resolve));
  let t1Row!: number;
  const t1Inserted = new Promise<void>((resolve, reject) => {
    db.transaction(async (trx: Knex.Transaction) => {
      [{ id: t1Row }] = await trx('audit_log')
        .insert(decision(intakeId, taskId, 'approve'))
        .returning('id');
      resolve();
      await t1Open;
    }).catch(reject);
  });
  await t1Inserted;
  let t2Row = 0;
  try {
    [{ id: t2Row }] = await db('audit_log')
      .insert(decision(intakeId, taskId, 'assign'))
      .returning('id');
    expect(t1Row).toBeLessThan(t2Row);
    // While T1 runs, T2's committed row is held back: reading it now would move the cursor past T1's.
    for (let i = 0; i < 3; i += 1)
      expect(await fanOut(db, { baseUrl: BASE, batchSize: 100 })).toMatchObject({ read: 0 });
    expect(await db('webhook_events').where({ intake_id: intakeId })).toEqual([]);
  } finally {
    commitT1();
  }
  await fanOutUntil([t1Row, t2Row]);
  const events = await db('webhook_events')
    .where({ intake_id: intakeId })
    .orderBy('audit_id')
    .select('audit_id', 'body');
  expect(events.map((e) => e.audit_id)).toEqual([t1Row, t2Row]);
  expect(events.map((e) => JSON.parse(e.body).data.decision)).toEqual(['approve', 'assign']);
  // Passed for good: another pass reads nothing again.
  expect(await fanOut(db, { baseUrl: BASE, batchSize: 100 })).toMatchObject({ events: 0 });
  expect(await db('webhook_events').where({ intake_id: intakeId })).toHaveLength(2);
});

test('one event per audit row, however many passes and batches; a subscription gets only changes begun after it', async () => {
  const { intakeId, taskId } = await seedIntake();
  const [{ id: before }] = await db('audit_log')
    .insert(decision(intakeId, taskId, 'approve'))
    .returning('id');
  const subscriptionId = await subscribe();
  const rows: number[] = [];
  for (const kind of ['assign', 'assign', 'assign', 'reject']) {
    const [{ id }] = await db('audit_log')
      .insert(decision(intakeId, taskId, kind))
      .returning('id');
    rows.push(id);
  }
  await eventually('batches of one until all are passed', async () => {
    await fanOut(db, { baseUrl: BASE, batchSize: 1 });
    return (await db('webhook_deliveries').where({ subscription_id: subscriptionId })).length === rows.length
      ? true
      : undefined;
  });
  for (let i = 0; i < 3; i += 1) await fanOut(db, { baseUrl: BASE, batchSize: 1 });
  const deliveries = await db('webhook_deliveries').where({ subscription_id: subscriptionId }).orderBy('audit_id');
  expect(deliveries.map((d) => d.audit_id)).toEqual(rows);
  expect(new Set(deliveries.map((d) => d.event_id)).size).toBe(rows.length);
  expect(deliveries.every((d) => d.status === 'pending' && d.notified === false)).toBe(true);
  expect(await db('webhook_deliveries').where({ subscription_id: subscriptionId, audit_id: before })).toEqual([]);
});
