/**
 * The webhook outbox reader: audit rows become events and deliveries, in (txid, id) order below
 * the oldest running transaction (db/migrations/005_webhooks.ts says why), and the pairs with new
 * deliveries are handed to the dispatcher.
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { eventTypeOfAction, webhookEventOf, type AuditFact, type ChainIds } from '../domain/webhook-events';
import { cloudEventBody } from '../adapters/webhook-cloudevent';
import type { Row } from './webhook-subscriptions';

/** Serializes fan-out passes (a zombie dispatcher activity beside its retry). Takes no xid, unlike FOR UPDATE. */
export const DISPATCH_LOCK = 0x5154_4d05;

export interface FanOutResult {
  /** Audit rows passed by the cursor. */
  read: number;
  events: number;
  deliveries: number;
}

/**
 * One pass of the outbox reader: the next audit rows in commit-safe order, each published action
 * made into one event (its id is the webhook-id for good), one delivery per matching subscription,
 * and the cursor moved past them, all in one transaction.
 */
export async function fanOut(db: Knex, options: { baseUrl: string; batchSize: number }): Promise<FanOutResult> {
  return db.transaction(async (trx) => {
    await trx.raw('SELECT pg_advisory_xact_lock(?)', [DISPATCH_LOCK]);
    const cursor: Row = await trx('webhook_dispatch_cursor')
      .where({ id: 1 })
      .first(trx.raw('txid::text AS txid'), 'audit_id');
    // The horizon comes from this statement's own snapshot: every transaction below it has ended,
    // and this snapshot sees all that committed, so no row can ever appear behind the cursor.
    const { rows }: { rows: Row[] } = await trx.raw(
      `SELECT a.id, a.txid::text AS txid, a.intake_id, a.entity_id, a.action, a.principal_sub, a.principal_role,
              a.principal_operator_id, a.details, a.at
         FROM audit_log a
        WHERE a.txid IS NOT NULL
          AND (a.txid, a.id) > (?::xid8, ?)
          AND a.txid < pg_snapshot_xmin(pg_current_snapshot())
        ORDER BY a.txid, a.id
        LIMIT ?`,
      [cursor.txid, cursor.audit_id, options.batchSize],
    );
    if (rows.length === 0) return { read: 0, events: 0, deliveries: 0 };

    const published = rows.filter((r) => eventTypeOfAction(r.action) !== null);
    let events = 0;
    let deliveries = 0;
    const subscriptions: Row[] = published.length
      ? await trx('webhook_subscriptions')
          .whereNull('deleted_at')
          .select('id', 'event_types', trx.raw('from_txid::text AS from_txid'))
      : [];
    if (subscriptions.length > 0) {
      const chains = await chainIdsOf(
        trx,
        published.map((r) => r.intake_id),
      );
      const now = new Date().toISOString();
      const eventRows: Row[] = [];
      const deliveryRows: Row[] = [];
      for (const r of published) {
        const chain = chains.get(r.intake_id);
        const type = eventTypeOfAction(r.action)!;
        const to = subscriptions.filter((s) => s.event_types.includes(type) && BigInt(r.txid) >= BigInt(s.from_txid));
        if (!chain || to.length === 0) continue;
        const fact: AuditFact = {
          auditId: r.id,
          intakeId: r.intake_id,
          entityId: r.entity_id,
          action: r.action,
          by: { sub: r.principal_sub, role: r.principal_role, operatorId: r.principal_operator_id },
          details: r.details ?? {},
          at: new Date(r.at).toISOString(),
        };
        const draft = webhookEventOf(fact, chain, options.baseUrl)!;
        const id = randomUUID();
        eventRows.push({
          id,
          audit_id: r.id,
          intake_id: r.intake_id,
          type,
          body: cloudEventBody(id, draft),
          occurred_at: fact.at,
          created_at: now,
        });
        for (const s of to)
          deliveryRows.push({
            id: randomUUID(),
            subscription_id: s.id,
            event_id: id,
            intake_id: r.intake_id,
            audit_id: r.id,
            status: 'pending',
            next_attempt_at: now,
            created_at: now,
            updated_at: now,
          });
      }
      // The lock and the cursor in one transaction make a second event for an audit row impossible
      // (webhook_events.audit_id is unique: it would fail the pass, not duplicate a webhook-id).
      for (const chunk of chunks(eventRows, 1000)) await trx('webhook_events').insert(chunk);
      for (const chunk of chunks(deliveryRows, 1000)) await trx('webhook_deliveries').insert(chunk);
      events = eventRows.length;
      deliveries = deliveryRows.length;
    }
    const last = rows.at(-1)!;
    await trx('webhook_dispatch_cursor')
      .where({ id: 1 })
      .update({ txid: trx.raw('?::xid8', [last.txid]), audit_id: last.id, updated_at: new Date().toISOString() });
    return { read: rows.length, events, deliveries };
  });
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

async function chainIdsOf(trx: Knex.Transaction, intakeIds: string[]): Promise<Map<string, ChainIds>> {
  const rows: Row[] = await trx('intakes as i')
    .join('tasks as t', 't.intake_id', 'i.id')
    .leftJoin('jobs as j', 'j.intake_id', 'i.id')
    .leftJoin('service_events as se', 'se.intake_id', 'i.id')
    .whereIn('i.id', [...new Set(intakeIds)])
    .select(
      'i.id',
      'i.request_id',
      'i.operator_id',
      't.id as task_id',
      'j.id as job_id',
      'j.operator_id as job_operator_id',
      'se.id as service_event_id',
    );
  return new Map(
    rows.map((r) => [
      r.id,
      {
        requestId: r.request_id,
        intakeOperatorId: r.operator_id,
        taskId: r.task_id,
        jobId: r.job_id,
        jobOperatorId: r.job_operator_id,
        serviceEventId: r.service_event_id,
      },
    ]),
  );
}

/** Deliveries whose (subscription, intake) workflow has not been told yet, by pair. */
export async function unnotifiedPairs(
  db: Knex,
  limit: number,
): Promise<Array<{ subscriptionId: string; intakeId: string; deliveryIds: string[] }>> {
  const rows: Row[] = await db('webhook_deliveries')
    .where({ notified: false })
    .orderBy('created_at')
    .limit(limit)
    .select('id', 'subscription_id', 'intake_id');
  const pairs = new Map<string, { subscriptionId: string; intakeId: string; deliveryIds: string[] }>();
  for (const r of rows) {
    const key = `${r.subscription_id}/${r.intake_id}`;
    const pair = pairs.get(key) ?? {
      subscriptionId: r.subscription_id as string,
      intakeId: r.intake_id as string,
      deliveryIds: [] as string[],
    };
    pair.deliveryIds.push(r.id);
    pairs.set(key, pair);
  }
  return [...pairs.values()];
}

export async function markNotified(db: Knex, deliveryIds: string[]): Promise<void> {
  if (deliveryIds.length > 0) await db('webhook_deliveries').whereIn('id', deliveryIds).update({ notified: true });
}

/** The intake's next event for this subscriber: the pending one with the lowest audit id. */
