/**
 * The transparency log of sealed Records (RFC 6962 / 9162): leaves in Record order, the hashes of
 * every complete (perfect) subtree, and the signed checkpoints. All three only ever grow: a stored
 * node never changes once its last leaf exists, so the same trigger that guards the Records refuses
 * UPDATE, DELETE and TRUNCATE here too.
 */
import type { Knex } from 'knex';
import { makeAppendOnly } from './append-only';

const APPEND_ONLY = ['log_leaves', 'log_nodes', 'log_checkpoints'];

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('log_leaves', (t) => {
    t.bigInteger('leaf_index').primary();
    t.uuid('record_id').notNullable().unique().references('records.id');
    // Leaves follow the Record chain's order; the last one says where appending resumes.
    t.bigInteger('record_sequence').notNullable().unique();
    t.timestamp('appended_at', { useTz: true }).notNullable();
  });
  await knex.raw(`ALTER TABLE log_leaves ADD CONSTRAINT log_leaves_index_nonnegative CHECK (leaf_index >= 0)`);

  // Level L, index i covers leaves [i·2^L, (i+1)·2^L); level 0 holds the leaf hashes.
  await knex.schema.createTable('log_nodes', (t) => {
    t.smallint('level').notNullable();
    t.bigInteger('idx').notNullable();
    t.binary('hash').notNullable();
    t.primary(['level', 'idx']);
  });
  await knex.raw(
    `ALTER TABLE log_nodes ADD CONSTRAINT log_nodes_shape CHECK (level >= 0 AND level < 64 AND idx >= 0 AND octet_length(hash) = 32)`,
  );

  await knex.schema.createTable('log_checkpoints', (t) => {
    t.bigInteger('tree_size').primary();
    t.binary('root_hash').notNullable();
    t.text('origin').notNullable();
    t.text('key_name').notNullable();
    t.text('key_id').notNullable();
    // The signed note exactly as served: what outside parties keep and verify.
    t.text('note').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
  });
  await knex.raw(
    `ALTER TABLE log_checkpoints ADD CONSTRAINT log_checkpoints_shape CHECK (tree_size > 0 AND octet_length(root_hash) = 32)`,
  );

  await makeAppendOnly(knex, APPEND_ONLY);
}

export async function down(): Promise<void> {
  throw new Error('the transparency log is never dropped by a migration');
}
