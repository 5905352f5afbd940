/**
 * Webhook storage: subscriptions, the fan-out of audit rows into events and deliveries, and the
 * delivery log. The fan-out is the outbox reader; see db/migrations/005_webhooks.ts for why it
 * reads in (txid, id) order below the oldest running transaction.
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { eventTypeOfAction, webhookEventOf, type AuditFact, type ChainIds } from '../domain/webhook-events';
import { cloudEventBody } from '../adapters/webhook-cloudevent';
import { microsecondKey } from './keyset';
import { decodeCursor, encodeCursor, type Page, type PageRequest } from './read-model';
import { iso } from './timestamps';

type Row = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Serializes fan-out passes (a zombie dispatcher activity beside its retry). Takes no xid, unlike FOR UPDATE. */
export const DISPATCH_LOCK = 0x5154_4d05;

export const DELIVERY_STATUSES = ['pending', 'succeeded', 'failed', 'cancelled'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/**
 * How the last attempt ended, as one word (migration 012 checks the list). With the HTTP status and
 * the attempt's duration, it is all the log keeps: never what a subscriber answered.
 */
export const DELIVERY_OUTCOMES = [
  'delivered',
  'http_error',
  'timeout',
  'connection_refused',
  'connection_failed',
  'dns_failed',
  'tls_failed',
  'address_refused',
  'not_signed',
  'cancelled',
  'not_attempted',
  'gave_up',
] as const;
export type DeliveryOutcome = (typeof DELIVERY_OUTCOMES)[number];

export interface SubscriptionView {
  id: string;
  url: string;
  eventTypes: string[];
  description: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  /** While a rotated-out secret still signs beside the current one. */
  previousSecretExpiresAt: string | null;
}

const subscriptionView = (r: Row): SubscriptionView => ({
  id: r.id,
  url: r.url,
  eventTypes: r.event_types,
  description: r.description,
  createdBy: r.created_by_sub,
  createdAt: iso(r.created_at)!,
  updatedAt: iso(r.updated_at)!,
  previousSecretExpiresAt:
    r.previous_secret_expires_at && new Date(r.previous_secret_expires_at) > new Date()
      ? iso(r.previous_secret_expires_at)
      : null,
});

export interface DeliveryView {
  id: string;
  subscriptionId: string;
  /** The webhook-id header and CloudEvent id. */
  webhookId: string;
  eventType: string;
  intakeId: string;
  status: DeliveryStatus;
  attempts: number;
  lastStatus: number | null;
  lastOutcome: DeliveryOutcome | null;
  lastError: string | null;
  lastDurationMs: number | null;
  lastAttemptAt: string | null;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  createdAt: string;
}

const deliveryView = (r: Row): DeliveryView => ({
  id: r.id,
  subscriptionId: r.subscription_id,
  webhookId: r.event_id,
  eventType: r.type,
  intakeId: r.intake_id,
  status: r.status,
  attempts: r.attempts,
  lastStatus: r.last_status,
  lastOutcome: r.last_outcome,
  lastError: r.last_error,
  lastDurationMs: r.last_duration_ms,
  lastAttemptAt: iso(r.last_attempt_at),
  nextAttemptAt: iso(r.next_attempt_at),
  deliveredAt: iso(r.delivered_at),
  createdAt: iso(r.created_at)!,
});

/** Keyset page, newest first. */
async function pageNewestFirst<T>(
  db: Knex,
  query: Knex.QueryBuilder,
  atColumn: string,
  idColumn: string,
  req: PageRequest,
  map: (r: Row) => T,
): Promise<Page<T>> {
  if (req.cursor) {
    const [at, id] = decodeCursor(req.cursor)!;
    query.whereRaw(`(${atColumn}, ${idColumn}) < (?, ?)`, [at, id]);
  }
  const rows: Row[] = await query
    .select(microsecondKey(db, atColumn, 'page_key'))
    .orderBy([
      { column: atColumn, order: 'desc' },
      { column: idColumn, order: 'desc' },
    ])
    .limit(req.limit + 1);
  const more = rows.length > req.limit;
  const items = rows.slice(0, req.limit);
  const last = items.at(-1);
  return { items: items.map(map), nextCursor: more && last ? encodeCursor(last.page_key, last.id) : null };
}

export function createWebhookStore(db: Knex) {
  const liveSubscription = (id: string) => db('webhook_subscriptions').where({ id }).whereNull('deleted_at');
  const delivery = async (subscriptionId: string, deliveryId: string): Promise<DeliveryView | null> => {
    const row = await db('webhook_deliveries as d')
      .join('webhook_events as e', 'e.id', 'd.event_id')
      .where({ 'd.id': deliveryId, 'd.subscription_id': subscriptionId })
      .first('d.*', 'e.type');
    return row ? deliveryView(row) : null;
  };

  return {
    async createSubscription(input: {
      id: string;
      url: string;
      eventTypes: readonly string[];
      description: string | null;
      secretSealed: string;
      createdBy: string;
    }): Promise<SubscriptionView> {
      const now = new Date().toISOString();
      const [row] = await db('webhook_subscriptions')
        .insert({
          id: input.id,
          url: input.url,
          event_types: input.eventTypes,
          description: input.description,
          secret_sealed: input.secretSealed,
          // Changes whose transaction begins after this one reach the subscription.
          from_txid: db.raw('pg_snapshot_xmax(pg_current_snapshot())'),
          created_by_sub: input.createdBy,
          created_at: now,
          updated_at: now,
        })
        .returning('*');
      return subscriptionView(row);
    },

    async subscriptions(req: PageRequest): Promise<Page<SubscriptionView>> {
      const query = db('webhook_subscriptions').whereNull('deleted_at').select('*');
      return pageNewestFirst(db, query, 'created_at', 'id', req, subscriptionView);
    },

    async subscription(id: string): Promise<SubscriptionView | null> {
      const row = await liveSubscription(id).first();
      return row ? subscriptionView(row) : null;
    },

    /** Soft delete: the delivery log stays; what was still pending is cancelled. */
    async deleteSubscription(id: string): Promise<boolean> {
      return db.transaction(async (trx) => {
        const now = new Date().toISOString();
        const deleted = await trx('webhook_subscriptions')
          .where({ id })
          .whereNull('deleted_at')
          .update({ deleted_at: now, updated_at: now });
        if (deleted === 0) return false;
        await trx('webhook_deliveries').where({ subscription_id: id, status: 'pending' }).update({
          status: 'cancelled',
          next_attempt_at: null,
          last_outcome: 'cancelled',
          last_error: 'subscription deleted',
          updated_at: now,
        });
        return true;
      });
    },

    /** The current secret becomes the previous one until `previousExpiresAt`; the older one is dropped. */
    async rotateSecret(id: string, secretSealed: string, previousExpiresAt: Date): Promise<SubscriptionView | null> {
      const [row] = await db('webhook_subscriptions')
        .where({ id })
        .whereNull('deleted_at')
        .update({
          previous_secret_sealed: db.ref('secret_sealed'),
          previous_secret_expires_at: previousExpiresAt.toISOString(),
          secret_sealed: secretSealed,
          updated_at: new Date().toISOString(),
        })
        .returning('*');
      return row ? subscriptionView(row) : null;
    },

    async deliveries(
      subscriptionId: string,
      req: PageRequest & { status?: DeliveryStatus },
    ): Promise<Page<DeliveryView>> {
      const query = db('webhook_deliveries as d')
        .join('webhook_events as e', 'e.id', 'd.event_id')
        .where('d.subscription_id', subscriptionId)
        .select('d.*', 'e.type');
      if (req.status) query.where('d.status', req.status);
      return pageNewestFirst(db, query, 'd.created_at', 'd.id', req, deliveryView);
    },

    delivery,

    /**
     * Puts a finished delivery back in line with a fresh retry budget and the same webhook-id; the
     * dispatcher tells its delivery workflow. Null when it is still pending.
     */
    async redeliver(subscriptionId: string, deliveryId: string): Promise<DeliveryView | null> {
      const now = new Date().toISOString();
      const updated = await db('webhook_deliveries')
        .where({ id: deliveryId, subscription_id: subscriptionId })
        .whereIn('status', ['succeeded', 'failed'])
        .update({ status: 'pending', next_attempt_at: now, notified: false, updated_at: now });
      return updated === 0 ? null : delivery(subscriptionId, deliveryId);
    },
  };
}

export type WebhookStore = ReturnType<typeof createWebhookStore>;

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
export async function nextPendingDelivery(db: Knex, subscriptionId: string, intakeId: string): Promise<string | null> {
  const row = await db('webhook_deliveries')
    .where({ subscription_id: subscriptionId, intake_id: intakeId, status: 'pending' })
    .orderBy('audit_id')
    .first('id');
  return row?.id ?? null;
}

export interface DeliveryToSend {
  id: string;
  status: DeliveryStatus;
  eventId: string;
  body: string;
  subscriptionId: string;
  url: string;
  deleted: boolean;
  secretSealed: string;
  previousSecretSealed: string | null;
  previousSecretExpiresAt: Date | null;
}

export async function deliveryToSend(db: Knex, deliveryId: string): Promise<DeliveryToSend | null> {
  const r: Row | undefined = await db('webhook_deliveries as d')
    .join('webhook_events as e', 'e.id', 'd.event_id')
    .join('webhook_subscriptions as s', 's.id', 'd.subscription_id')
    .where('d.id', deliveryId)
    .first(
      'd.id',
      'd.status',
      'e.id as event_id',
      'e.body',
      's.id as subscription_id',
      's.url',
      's.deleted_at',
      's.secret_sealed',
      's.previous_secret_sealed',
      's.previous_secret_expires_at',
    );
  if (!r) return null;
  return {
    id: r.id,
    status: r.status,
    eventId: r.event_id,
    body: r.body,
    subscriptionId: r.subscription_id,
    url: r.url,
    deleted: r.deleted_at !== null,
    secretSealed: r.secret_sealed,
    previousSecretSealed: r.previous_secret_sealed,
    previousSecretExpiresAt: r.previous_secret_expires_at ? new Date(r.previous_secret_expires_at) : null,
  };
}

export interface AttemptOutcome {
  ok: boolean;
  status: number | null;
  outcome: DeliveryOutcome;
  /** Our words for it (never the subscriber's); null when delivered. */
  error: string | null;
  durationMs: number;
  nextAttemptAt: Date | null;
}

/** One attempt's outcome. Only a pending delivery changes: a late retry never undoes a cancel or a success. */
export async function recordAttempt(db: Knex, deliveryId: string, outcome: AttemptOutcome): Promise<void> {
  const now = new Date().toISOString();
  await db('webhook_deliveries')
    .where({ id: deliveryId, status: 'pending' })
    .update({
      attempts: db.raw('attempts + 1'),
      last_status: outcome.status,
      last_outcome: outcome.outcome,
      last_error: outcome.error,
      last_duration_ms: Math.round(outcome.durationMs),
      last_attempt_at: now,
      next_attempt_at: outcome.ok ? null : (outcome.nextAttemptAt?.toISOString() ?? null),
      ...(outcome.ok ? { status: 'succeeded', delivered_at: now } : {}),
      updated_at: now,
    });
}

export async function cancelDelivery(db: Knex, deliveryId: string, reason: string): Promise<void> {
  await db('webhook_deliveries').where({ id: deliveryId, status: 'pending' }).update({
    status: 'cancelled',
    next_attempt_at: null,
    last_outcome: 'cancelled',
    last_error: reason,
    updated_at: new Date().toISOString(),
  });
}

/**
 * The retry budget is spent: the delivery is failed, and so is every later pending event of the
 * same intake for this subscriber, unattempted. Sending those would break the intake's causal
 * order (job.claimed without the job.created before it), and each would wait out a budget of its
 * own. A redelivery puts any of them back in line.
 */
export async function giveUp(db: Knex, deliveryId: string, reason: string): Promise<{ failed: number }> {
  return db.transaction(async (trx) => {
    const now = new Date().toISOString();
    const [head]: Row[] = await trx('webhook_deliveries')
      .where({ id: deliveryId, status: 'pending' })
      // The last attempt's own error says most; the reason covers a budget spent with no attempt recorded.
      .update({
        status: 'failed',
        next_attempt_at: null,
        last_outcome: trx.raw('COALESCE(last_outcome, ?)', ['gave_up']),
        last_error: trx.raw('COALESCE(last_error, ?)', [reason]),
        updated_at: now,
      })
      .returning(['subscription_id', 'intake_id', 'event_id']);
    if (!head) return { failed: 0 };
    const behind = await trx('webhook_deliveries')
      .where({ subscription_id: head.subscription_id, intake_id: head.intake_id, status: 'pending' })
      .update({
        status: 'failed',
        next_attempt_at: null,
        last_outcome: 'not_attempted',
        last_error: `not attempted: the intake's earlier event ${head.event_id} could not be delivered`,
        updated_at: now,
      });
    return { failed: 1 + behind };
  });
}
