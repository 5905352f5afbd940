/**
 * Evidence files, stored content-addressed: one row per distinct content (its SHA-256 is the key,
 * so the same bytes uploaded twice are stored once), and one row per upload of it to a
 * ServiceEvent (who sent it, and to which ServiceEvent: the basis of who may read it).
 *
 * The file rows are not append-only like Records: a file can be deleted (personal data) without
 * breaking any seal, since a Record carries only the hash. The app role may only SELECT and
 * INSERT here (db/app-role.ts), so deleting one is an owner's act.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('evidence_files', (t) => {
    t.text('sha256').primary();
    t.bigInteger('size').notNullable();
    // The media type of its first upload: what GET /v1/evidence-files/:sha256 serves it as.
    t.text('media_type').notNullable();
    t.binary('content').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
  });
  await knex.raw(
    `ALTER TABLE evidence_files ADD CONSTRAINT evidence_files_sha256_hex CHECK (sha256 ~ '^[0-9a-f]{64}$')`,
  );
  await knex.raw(`ALTER TABLE evidence_files ADD CONSTRAINT evidence_files_size CHECK (size = octet_length(content))`);

  await knex.schema.createTable('evidence_file_uploads', (t) => {
    t.uuid('id').primary();
    t.text('sha256').notNullable().references('evidence_files.sha256');
    t.uuid('service_event_id').notNullable().references('service_events.id');
    t.text('operator_id').notNullable();
    t.text('uploaded_by_sub').notNullable();
    t.text('media_type').notNullable();
    t.timestamp('uploaded_at', { useTz: true }).notNullable();
    // A retried upload of the same bytes to the same ServiceEvent is the same upload.
    t.unique(['sha256', 'service_event_id']);
  });
  // Who may read a file: found from the file's uploads, and the evidence of their ServiceEvents.
  await knex.raw(`CREATE INDEX evidence_sha256 ON evidence (sha256) WHERE sha256 IS NOT NULL`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`DROP INDEX IF EXISTS evidence_sha256`);
  await knex.schema.dropTable('evidence_file_uploads');
  await knex.schema.dropTable('evidence_files');
}
