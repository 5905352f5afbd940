/**
 * Witness cosignatures of the log's checkpoints (C2SP tlog-cosignature), and the refusals of
 * witnesses that answered but would not cosign (a rewritten history, an unknown key). Both only
 * grow, like the rest of the log. A checkpoint records whether its witness policy held when it was
 * signed: only witnessed checkpoints are published at /log/checkpoint.
 */
import type { Knex } from 'knex';
import { makeAppendOnly } from './append-only';

const APPEND_ONLY = ['log_cosignatures', 'log_witness_refusals'];

export async function up(knex: Knex): Promise<void> {
  // Checkpoints signed before witnesses existed met the policy of the day: none.
  await knex.raw('ALTER TABLE log_checkpoints ADD COLUMN witnessed boolean NOT NULL DEFAULT true');
  await knex.schema.createTable('log_cosignatures', (t) => {
    t.bigInteger('tree_size').notNullable().references('log_checkpoints.tree_size');
    t.text('witness').notNullable();
    t.text('key_id').notNullable();
    // The signature line exactly as the witness returned it: appended to the note as served.
    t.text('line').notNullable();
    t.timestamp('cosigned_at', { useTz: true }).notNullable();
    t.primary(['tree_size', 'witness', 'key_id']);
  });
  await knex.raw(`CREATE INDEX log_cosignatures_by_witness ON log_cosignatures (witness, key_id, tree_size DESC)`);
  await knex.schema.createTable('log_witness_refusals', (t) => {
    t.bigIncrements('id');
    t.bigInteger('tree_size').notNullable();
    t.text('witness').notNullable();
    t.integer('status').notNullable();
    t.text('detail').notNullable();
    t.timestamp('refused_at', { useTz: true }).notNullable();
  });
  await makeAppendOnly(knex, APPEND_ONLY);
}

export async function down(): Promise<void> {
  throw new Error('the transparency log is never dropped by a migration');
}
