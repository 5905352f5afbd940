/**
 * Webhooks: subscriptions, the events derived from the audit trail, one delivery per event and
 * subscription, and the dispatcher's cursor over audit_log.
 *
 * audit_log ids come from a sequence at INSERT, not at COMMIT, so a reader of `id > cursor` can
 * pass a row whose transaction commits after a later id became visible, and never see it. Each
 * audit row therefore records its transaction (`txid`, xid8), and the dispatcher reads in
 * (txid, id) order only below the oldest transaction still running
 * (`pg_snapshot_xmin(pg_current_snapshot())`): no row can appear there any more. Existing rows
 * keep txid NULL (they predate webhooks and are never dispatched); the column and its default
 * change no row's meaning and rewrite nothing.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE audit_log ADD COLUMN txid xid8`);
  await knex.raw(`ALTER TABLE audit_log ALTER COLUMN txid SET DEFAULT pg_current_xact_id()`);
  await knex.raw(`CREATE INDEX audit_log_commit_order ON audit_log (txid, id) WHERE txid IS NOT NULL`);

  await knex.schema.createTable('webhook_subscriptions', (t) => {
    t.uuid('id').primary();
    t.text('url').notNullable();
    t.specificType('event_types', 'text[]').notNullable();
    t.text('description');
    // AES-256-GCM under WEBHOOK_SECRETS_KEY (adapters/webhook-secrets.ts); the plain secret is shown once.
    t.text('secret_sealed').notNullable();
    // During a rotation's overlap the old secret signs too, until previous_secret_expires_at.
    t.text('previous_secret_sealed');
    t.timestamp('previous_secret_expires_at', { useTz: true });
    // Changes made by transactions that began at or after this xid reach the subscription.
    t.specificType('from_txid', 'xid8').notNullable();
    t.text('created_by_sub').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.timestamp('deleted_at', { useTz: true });
  });
  await knex.raw(
    `CREATE INDEX webhook_subscriptions_list ON webhook_subscriptions (created_at, id) WHERE deleted_at IS NULL`,
  );

  await knex.schema.createTable('webhook_events', (t) => {
    // The webhook-id header and the CloudEvent id: the same for every attempt and every subscriber.
    t.uuid('id').primary();
    t.bigInteger('audit_id').notNullable().unique().references('audit_log.id');
    t.uuid('intake_id').notNullable().references('intakes.id');
    t.text('type').notNullable();
    // The CloudEvent exactly as signed and sent: a redelivery sends the same bytes.
    t.text('body').notNullable();
    t.timestamp('occurred_at', { useTz: true }).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
  });

  await knex.schema.createTable('webhook_deliveries', (t) => {
    t.uuid('id').primary();
    t.uuid('subscription_id').notNullable().references('webhook_subscriptions.id');
    t.uuid('event_id').notNullable().references('webhook_events.id');
    t.uuid('intake_id').notNullable().references('intakes.id');
    // Causal order within an intake: a later change of an intake always has a larger audit id.
    t.bigInteger('audit_id').notNullable();
    t.text('status').notNullable().checkIn(['pending', 'succeeded', 'failed', 'cancelled']);
    t.integer('attempts').notNullable().defaultTo(0);
    t.integer('last_status');
    t.text('last_error');
    t.timestamp('last_attempt_at', { useTz: true });
    t.timestamp('next_attempt_at', { useTz: true });
    t.timestamp('delivered_at', { useTz: true });
    // False until the (subscription, intake) delivery workflow has been told about it.
    t.boolean('notified').notNullable().defaultTo(false);
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.unique(['subscription_id', 'event_id']);
  });
  await knex.raw(
    `CREATE INDEX webhook_deliveries_next ON webhook_deliveries (subscription_id, intake_id, audit_id) WHERE status = 'pending'`,
  );
  await knex.raw(`CREATE INDEX webhook_deliveries_unnotified ON webhook_deliveries (created_at) WHERE NOT notified`);
  await knex.raw(`CREATE INDEX webhook_deliveries_list ON webhook_deliveries (subscription_id, created_at, id)`);

  await knex.schema.createTable('webhook_dispatch_cursor', (t) => {
    t.smallint('id').primary();
    t.specificType('txid', 'xid8').notNullable();
    t.bigInteger('audit_id').notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
  });
  await knex.raw(`ALTER TABLE webhook_dispatch_cursor ADD CONSTRAINT webhook_dispatch_cursor_one CHECK (id = 1)`);
  await knex.raw(`INSERT INTO webhook_dispatch_cursor (id, txid, audit_id, updated_at) VALUES (1, '0', 0, now())`);

  // Events are facts: never changed once written.
  await knex.raw(
    `CREATE TRIGGER webhook_events_append_only BEFORE UPDATE OR DELETE ON webhook_events FOR EACH ROW EXECUTE FUNCTION qtm_refuse_change()`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('webhook_dispatch_cursor');
  await knex.schema.dropTable('webhook_deliveries');
  await knex.schema.dropTable('webhook_events');
  await knex.schema.dropTable('webhook_subscriptions');
  await knex.raw(`DROP INDEX IF EXISTS audit_log_commit_order`);
  await knex.raw(`ALTER TABLE audit_log DROP COLUMN txid`);
}
