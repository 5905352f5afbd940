/**
 * The governed chain as tables. Foreign keys make the order of the chain structural
 * (a Job needs its Task, a ServiceEvent its Job, a Record its ServiceEvent, a Signal its
 * Record), unique constraints make each link one-to-one, and triggers make the
 * accounts that must never change (requests, records, signals, audit) append-only.
 */
import type { Knex } from 'knex';
import { makeAppendOnly } from './append-only';

const APPEND_ONLY = ['requests', 'evidence', 'task_decisions', 'task_escalations', 'records', 'signals', 'audit_log'];

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('actors', (t) => {
    t.uuid('id').primary();
    t.text('kind').notNullable().checkIn(['person', 'business']);
    t.text('name').notNullable();
    t.jsonb('contact');
    // The requester principal this actor is, when it asks for itself.
    t.text('principal_sub').unique();
    t.timestamp('created_at', { useTz: true }).notNullable();
  });

  await knex.schema.createTable('requests', (t) => {
    t.uuid('id').primary();
    t.uuid('actor_id').notNullable().references('actors.id');
    t.text('channel').notNullable();
    // The body exactly as received (validated, never rewritten).
    t.jsonb('payload').notNullable();
    t.text('payload_sha256').notNullable();
    t.text('submitted_by_sub').notNullable();
    t.text('submitted_by_role').notNullable();
    t.text('idempotency_key');
    t.timestamp('received_at', { useTz: true }).notNullable();
    t.index(['submitted_by_sub', 'received_at']);
  });

  await knex.schema.createTable('intakes', (t) => {
    t.uuid('id').primary();
    t.uuid('request_id').notNullable().unique().references('requests.id');
    t.uuid('actor_id').notNullable().references('actors.id');
    t.text('category').notNullable();
    t.text('summary').notNullable();
    t.text('details');
    t.jsonb('location');
    t.jsonb('preferred_window');
    t.text('operator_id');
    t.text('requester_sub').notNullable();
    t.text('requester_role').notNullable();
    t.text('workflow_id').notNullable().unique();
    t.text('run_id');
    t.text('phase').notNullable();
    t.integer('version').notNullable().defaultTo(0);
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.index(['requester_sub', 'created_at']);
  });

  await knex.schema.createTable('tasks', (t) => {
    t.uuid('id').primary();
    t.uuid('intake_id').notNullable().unique().references('intakes.id');
    t.text('audience').notNullable().checkIn(['operator', 'admin']);
    // For operator-audience tasks: the operator that governs its own incoming request.
    t.text('audience_operator_id');
    t.text('status').notNullable().checkIn(['pending', 'approved', 'rejected', 'withdrawn', 'job_created']);
    t.text('assignee_operator_id');
    t.integer('escalation_level').notNullable().defaultTo(0);
    // When the task last saw a governance decision or escalation: the escalation clock.
    t.timestamp('stale_since', { useTz: true }).notNullable();
    t.integer('version').notNullable().defaultTo(0);
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
  });
  // Governance lists and the escalation sweep only look at open tasks.
  await knex.raw(`CREATE INDEX tasks_admin_list ON tasks (audience, status, created_at, id)`);
  await knex.raw(`CREATE INDEX tasks_operator_list ON tasks (audience_operator_id, audience, status, created_at, id)`);
  await knex.raw(
    `CREATE INDEX tasks_stale ON tasks (audience, escalation_level, stale_since) WHERE status IN ('pending', 'approved')`,
  );

  await knex.schema.createTable('task_decisions', (t) => {
    t.uuid('id').primary();
    t.uuid('task_id').notNullable().references('tasks.id');
    t.uuid('intake_id').notNullable().references('intakes.id');
    t.text('kind').notNullable().checkIn(['approve', 'reject', 'assign', 'create_job', 'withdraw']);
    t.text('audience').notNullable();
    t.text('principal_sub').notNullable();
    t.text('principal_role').notNullable();
    t.text('principal_operator_id');
    t.jsonb('details').notNullable().defaultTo('{}');
    t.timestamp('decided_at', { useTz: true }).notNullable();
    t.index(['task_id', 'decided_at']);
  });

  await knex.schema.createTable('task_escalations', (t) => {
    t.uuid('id').primary();
    t.uuid('task_id').notNullable().references('tasks.id');
    t.uuid('intake_id').notNullable().references('intakes.id');
    t.text('from_audience').notNullable();
    t.text('to_audience').notNullable();
    t.integer('from_level').notNullable();
    t.integer('to_level').notNullable();
    t.text('reason').notNullable();
    t.timestamp('escalated_at', { useTz: true }).notNullable();
    t.unique(['task_id', 'to_audience', 'to_level']);
  });

  await knex.schema.createTable('jobs', (t) => {
    t.uuid('id').primary();
    t.uuid('task_id').notNullable().unique().references('tasks.id');
    t.uuid('intake_id').notNullable().references('intakes.id');
    t.text('operator_id').notNullable();
    t.text('status').notNullable().checkIn(['queued', 'claimed', 'in_progress', 'completed', 'failed']);
    t.text('created_by_sub').notNullable();
    t.text('created_by_role').notNullable();
    t.text('claimed_by_sub');
    t.timestamp('claimed_at', { useTz: true });
    t.timestamp('started_at', { useTz: true });
    t.timestamp('finished_at', { useTz: true });
    t.integer('version').notNullable().defaultTo(0);
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
  });
  await knex.raw(
    `CREATE INDEX jobs_operator_queue ON jobs (operator_id, created_at, id) WHERE status IN ('queued', 'claimed', 'in_progress')`,
  );

  await knex.schema.createTable('service_events', (t) => {
    t.uuid('id').primary();
    t.uuid('job_id').notNullable().unique().references('jobs.id');
    t.uuid('intake_id').notNullable().references('intakes.id');
    t.text('operator_id').notNullable();
    t.text('status').notNullable().checkIn(['open', 'closed']);
    t.text('stage');
    t.jsonb('stage_history').notNullable().defaultTo('[]');
    t.text('outcome').checkIn(['completed', 'failed']);
    t.text('summary');
    t.text('opened_by_sub').notNullable();
    t.timestamp('opened_at', { useTz: true }).notNullable();
    t.text('closed_by_sub');
    t.timestamp('closed_at', { useTz: true });
    t.integer('version').notNullable().defaultTo(0);
  });

  await knex.schema.createTable('evidence', (t) => {
    t.uuid('id').primary();
    t.uuid('service_event_id').notNullable().references('service_events.id');
    t.integer('seq').notNullable();
    t.text('kind').notNullable().checkIn(['note', 'photo', 'document', 'measurement', 'checklist', 'signature']);
    t.text('description');
    t.text('sha256');
    t.text('uri');
    t.text('media_type');
    t.jsonb('value');
    t.text('unit');
    t.timestamp('captured_at', { useTz: true });
    t.text('recorded_by_sub').notNullable();
    t.timestamp('recorded_at', { useTz: true }).notNullable();
    t.unique(['service_event_id', 'seq']);
  });

  await knex.schema.createTable('records', (t) => {
    t.uuid('id').primary();
    t.uuid('service_event_id').notNullable().unique().references('service_events.id');
    t.uuid('job_id').notNullable().unique().references('jobs.id');
    t.uuid('intake_id').notNullable().unique().references('intakes.id');
    t.text('operator_id').notNullable();
    t.text('outcome').notNullable();
    t.bigInteger('sequence').notNullable().unique();
    t.text('hash').notNullable().unique();
    t.text('prev_hash');
    // The canonical JSON bytes, stored verbatim: these are what is hashed and verified.
    t.binary('canonical').notNullable();
    t.timestamp('sealed_at', { useTz: true }).notNullable();
  });
  await knex.raw(`CREATE INDEX records_operator ON records (operator_id, sequence)`);

  await knex.schema.createTable('signals', (t) => {
    t.uuid('id').primary();
    t.uuid('record_id').notNullable().unique().references('records.id');
    t.uuid('job_id').notNullable().references('jobs.id');
    t.uuid('service_event_id').notNullable().references('service_events.id');
    t.uuid('intake_id').notNullable().references('intakes.id');
    t.text('operator_id').notNullable();
    t.jsonb('document').notNullable();
    t.text('jws').notNullable();
    t.timestamp('issued_at', { useTz: true }).notNullable();
  });
  await knex.raw(`CREATE INDEX signals_operator ON signals (operator_id, issued_at, id)`);

  await knex.schema.createTable('audit_log', (t) => {
    t.bigIncrements('id');
    t.uuid('intake_id').notNullable().references('intakes.id');
    t.text('entity').notNullable();
    t.uuid('entity_id').notNullable();
    t.text('action').notNullable();
    t.text('principal_sub').notNullable();
    t.text('principal_role').notNullable();
    t.text('principal_operator_id');
    t.jsonb('details').notNullable().defaultTo('{}');
    t.timestamp('at', { useTz: true }).notNullable();
    // One audit line per state change, even when the activity that writes it is retried.
    t.text('dedupe_key').notNullable().unique();
    // The Update (idempotency key) that caused it: answers a retry that arrives after the workflow ended.
    t.text('update_id');
    t.index(['intake_id', 'id']);
    t.index(['update_id']);
  });

  // A Signal cannot predate its Record, and must point at the Record's own job and event.
  await knex.raw(`
    CREATE FUNCTION qtm_signal_matches_record() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE r records%ROWTYPE;
    BEGIN
      SELECT * INTO r FROM records WHERE id = NEW.record_id;
      IF r.job_id <> NEW.job_id OR r.service_event_id <> NEW.service_event_id OR r.intake_id <> NEW.intake_id THEN
        RAISE EXCEPTION 'signal % does not match record %', NEW.id, NEW.record_id USING ERRCODE = 'check_violation';
      END IF;
      IF NEW.issued_at < r.sealed_at THEN
        RAISE EXCEPTION 'signal % would predate record %', NEW.id, NEW.record_id USING ERRCODE = 'check_violation';
      END IF;
      RETURN NEW;
    END $$`);
  await knex.raw(
    `CREATE TRIGGER signals_match_record BEFORE INSERT ON signals FOR EACH ROW EXECUTE FUNCTION qtm_signal_matches_record()`,
  );

  await knex.raw(`
    CREATE FUNCTION qtm_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION '% on % is not allowed: the table is append-only', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
    END $$`);
  await makeAppendOnly(knex, APPEND_ONLY);
}

export async function down(): Promise<void> {
  throw new Error('the chain tables are never dropped by a migration');
}
