/**
 * Two changes of one security review, in one migration.
 *
 * Evidence files are streamed to storage: an upload's bytes are written as chunks while they arrive
 * (evidence_file_chunks, one blob per stored content), inside the upload's transaction, so a file
 * is never held whole in the API's memory and an upload that fails leaves nothing. Files stored
 * before keep their one `content` value. The media type belongs to each upload
 * (evidence_file_uploads.media_type), never to the shared bytes: the content row's own is dropped.
 *
 * The webhook delivery log keeps status, timing and a classification, never what a subscriber
 * answered: each attempt's outcome is one word of a fixed list and its duration, and the response
 * excerpts stored before are dropped from last_error.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('evidence_file_chunks', (t) => {
    t.uuid('blob_id').notNullable();
    t.integer('seq').notNullable();
    t.binary('data').notNullable();
    t.primary(['blob_id', 'seq']);
  });
  await knex.raw(`ALTER TABLE evidence_files ADD COLUMN blob_id uuid UNIQUE`);
  await knex.raw(`ALTER TABLE evidence_files ALTER COLUMN content DROP NOT NULL`);
  await knex.raw(`ALTER TABLE evidence_files DROP CONSTRAINT evidence_files_size`);
  await knex.raw(
    `ALTER TABLE evidence_files ADD CONSTRAINT evidence_files_stored_once CHECK ((content IS NULL) <> (blob_id IS NULL))`,
  );
  await knex.raw(
    `ALTER TABLE evidence_files ADD CONSTRAINT evidence_files_size CHECK (content IS NULL OR size = octet_length(content))`,
  );
  await knex.raw(`ALTER TABLE evidence_files DROP COLUMN media_type`);

  await knex.raw(`ALTER TABLE webhook_deliveries ADD COLUMN last_outcome text`);
  await knex.raw(`ALTER TABLE webhook_deliveries ADD COLUMN last_duration_ms integer`);
  await knex.raw(`
    UPDATE webhook_deliveries SET
      last_outcome = CASE
        WHEN last_error IS NULL THEN CASE WHEN status = 'succeeded' THEN 'delivered' END
        WHEN last_error LIKE 'HTTP %' THEN 'http_error'
        WHEN last_error LIKE 'refused: %' THEN 'address_refused'
        WHEN last_error LIKE 'not signed: %' THEN 'not_signed'
        WHEN last_error LIKE 'not attempted: %' THEN 'not_attempted'
        WHEN last_error = 'subscription deleted' THEN 'cancelled'
        WHEN last_error LIKE '%no answer within%' THEN 'timeout'
        ELSE 'connection_failed'
      END,
      -- Whatever the subscriber answered goes: its status stays.
      last_error = CASE WHEN last_error LIKE 'HTTP %' THEN 'HTTP ' || last_status ELSE last_error END`);
  await knex.raw(
    `ALTER TABLE webhook_deliveries ADD CONSTRAINT webhook_deliveries_outcome CHECK (last_outcome IN (
      'delivered', 'http_error', 'timeout', 'connection_refused', 'connection_failed', 'dns_failed', 'tls_failed',
      'address_refused', 'not_signed', 'cancelled', 'not_attempted', 'gave_up'))`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE webhook_deliveries DROP CONSTRAINT webhook_deliveries_outcome`);
  await knex.raw(`ALTER TABLE webhook_deliveries DROP COLUMN last_duration_ms`);
  await knex.raw(`ALTER TABLE webhook_deliveries DROP COLUMN last_outcome`);
  await knex.raw(`ALTER TABLE evidence_files ADD COLUMN media_type text`);
  await knex.raw(`
    UPDATE evidence_files f SET media_type = (
      SELECT u.media_type FROM evidence_file_uploads u WHERE u.sha256 = f.sha256 ORDER BY u.uploaded_at LIMIT 1)`);
  await knex.raw(`ALTER TABLE evidence_files ALTER COLUMN media_type SET NOT NULL`);
  await knex.raw(`
    UPDATE evidence_files f SET content = (
      SELECT string_agg(c.data, ''::bytea ORDER BY c.seq) FROM evidence_file_chunks c WHERE c.blob_id = f.blob_id)
    WHERE blob_id IS NOT NULL`);
  await knex.raw(`ALTER TABLE evidence_files DROP CONSTRAINT evidence_files_size`);
  await knex.raw(`ALTER TABLE evidence_files DROP CONSTRAINT evidence_files_stored_once`);
  await knex.raw(`ALTER TABLE evidence_files ALTER COLUMN content SET NOT NULL`);
  await knex.raw(`ALTER TABLE evidence_files ADD CONSTRAINT evidence_files_size CHECK (size = octet_length(content))`);
  await knex.raw(`ALTER TABLE evidence_files DROP COLUMN blob_id`);
  await knex.schema.dropTable('evidence_file_chunks');
}
