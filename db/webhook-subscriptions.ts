/**
 * Webhook storage, the subscribers' side: subscriptions (their sealed secrets) and each one's
 * delivery log, as the API shows them. The outbox reader is db/webhook-outbox.ts; sending is
 * db/webhook-deliveries.ts.
 */
import type { Knex } from 'knex';
import { microsecondKey } from './keyset';
import { decodeCursor, encodeCursor, type Page, type PageRequest } from './read-model';
import { iso } from './timestamps';

export type Row = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

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
