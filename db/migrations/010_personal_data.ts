/**
 * The vault of personal values (guardrail 9). Every personal value the system takes is kept here
 * once, as an SD-JWT disclosure under the digest that every other table, the workflows and the
 * sealed Records carry instead (domain/personal.ts). Erasing an Actor deletes its rows here and
 * its intakes' keys; nothing else holds the values.
 *
 * - personal_data: one disclosure per value. Written by the API before the command that carries
 *   its reference reaches the workflow (a refused command's values are deleted again), so the
 *   intake row may not exist yet: no foreign key. Personal: `disclosure` (it contains the value).
 * - intake_keys: a random key per intake that makes the fingerprint of a command carrying personal
 *   values (its idempotency check) an HMAC no one can confirm a guess against once the key is erased.
 * - erasures: who erased an Actor's personal data, when and why (a reason code and an optional
 *   ticket reference, never free text); append-only.
 */
import type { Knex } from 'knex';
import { makeAppendOnly } from './append-only';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('personal_data', (t) => {
    t.text('digest').primary();
    t.uuid('intake_id').notNullable();
    t.uuid('actor_id').notNullable();
    t.text('claim').notNullable();
    t.text('disclosure').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['actor_id']);
    t.index(['intake_id']);
  });
  await knex.schema.createTable('intake_keys', (t) => {
    t.uuid('intake_id').primary();
    t.uuid('actor_id').notNullable().index();
    t.binary('key').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.schema.createTable('erasures', (t) => {
    t.bigIncrements('id');
    t.uuid('actor_id').notNullable().index();
    t.text('reason').notNullable();
    t.text('reference');
    t.text('by_sub').notNullable();
    t.text('by_role').notNullable();
    t.integer('values_erased').notNullable();
    t.integer('files_erased').notNullable();
    t.timestamp('erased_at', { useTz: true }).notNullable();
  });
  await makeAppendOnly(knex, ['erasures']);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('erasures');
  await knex.schema.dropTable('intake_keys');
  await knex.schema.dropTable('personal_data');
}
