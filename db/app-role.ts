/**
 * The role the API and worker run as (SET ROLE on every pooled connection). It may read
 * everything and insert everywhere, may update only the mutable read-side tables, and may
 * never UPDATE, DELETE or TRUNCATE the append-only accounts: a second wall behind the
 * triggers. Applied after every migration run, so new tables get the same grants.
 */
import type { Knex } from 'knex';

export const MUTABLE_TABLES = [
  'actors',
  'intakes',
  'tasks',
  'jobs',
  'service_events',
  'webhook_subscriptions',
  'webhook_deliveries',
  'webhook_dispatch_cursor',
  'operators',
] as const;

/** What an erasure deletes: the vault's values, the intake keys and evidence files (db/personal-data.ts). */
export const ERASABLE_TABLES = [
  'personal_data',
  'intake_keys',
  'evidence_files',
  'evidence_file_uploads',
  'evidence_file_chunks',
] as const;

export async function ensureAppRole(knex: Knex, role: string): Promise<void> {
  // Roles are cluster-wide: parallel test databases may race to create the same one.
  await knex.raw(`
    DO $$ BEGIN
      CREATE ROLE ${role} NOLOGIN;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
    END $$`);
  // A non-superuser migrator must be a member to SET ROLE; a superuser already may.
  await knex.raw(`
    DO $$ BEGIN
      IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        EXECUTE format('GRANT ${role} TO %I', current_user);
      END IF;
    END $$`);
  await knex.raw(`GRANT USAGE ON SCHEMA public TO ${role}`);
  await knex.raw(`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM ${role}`);
  await knex.raw(`GRANT SELECT, INSERT ON ALL TABLES IN SCHEMA public TO ${role}`);
  await knex.raw(`GRANT UPDATE ON ${MUTABLE_TABLES.join(', ')} TO ${role}`);
  await knex.raw(`GRANT DELETE ON ${ERASABLE_TABLES.join(', ')} TO ${role}`);
  await knex.raw(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${role}`);
  // knex's own bookkeeping is the migrator's business.
  await knex.raw(`REVOKE ALL ON knex_migrations, knex_migrations_lock FROM ${role}`);
}
