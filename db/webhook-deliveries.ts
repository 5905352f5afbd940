/** Sending one webhook delivery: the next pending one of a (subscription, intake), its attempts and its end. */
import type { Knex } from 'knex';
import type { DeliveryOutcome, DeliveryStatus, Row } from './webhook-subscriptions';

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
