/**
 * Which Temporal namespace this database is the read side of. The rows describe what that
 * namespace's workflows accepted; rows of two namespaces in one database (`npm start` and
 * `npm run cluster` on one DATABASE_URL, or a dev server whose data/ was removed) would be two
 * truths in one place. One row at most; the app role may insert it but never change it
 * (db/app-role.ts), so moving a database to another namespace is an owner's deliberate act.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('temporal_binding', (t) => {
    t.boolean('singleton').primary().defaultTo(true);
    t.text('namespace_id').notNullable();
    t.text('namespace').notNullable();
    t.text('address').notNullable();
    t.timestamp('bound_at', { useTz: true }).notNullable();
  });
  await knex.raw('ALTER TABLE temporal_binding ADD CONSTRAINT temporal_binding_one_row CHECK (singleton)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('temporal_binding');
}
