/**
 * The operator registry: the operators requesters may address and admins may assign work to.
 * An operator is a business: its display name is the business's name, never a person's, so the
 * registry holds no personal data and is readable by every signed-in principal.
 *
 * Operators already named by the chain (Tasks, Jobs) are registered with their id as their
 * display name, so work in flight can still be re-assigned to them; an admin names them properly.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('operators', (t) => {
    t.text('id').primary();
    t.text('display_name').notNullable();
    // What they do: kinds of work from the fixed vocabulary (domain/schemas.ts CATEGORIES).
    t.specificType('categories', 'text[]').notNullable().defaultTo('{}');
    t.text('registered_by_sub').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
  });
  // The same rule as the API's operatorIdSchema.
  await knex.raw(
    `ALTER TABLE operators ADD CONSTRAINT operators_id_slug CHECK (id ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$')`,
  );
  await knex.raw(`
    INSERT INTO operators (id, display_name, categories, registered_by_sub, created_at, updated_at)
    SELECT id, id, '{}', 'system', now(), now() FROM (
      SELECT audience_operator_id AS id FROM tasks WHERE audience_operator_id IS NOT NULL
      UNION SELECT assignee_operator_id FROM tasks WHERE assignee_operator_id IS NOT NULL
      UNION SELECT operator_id FROM jobs
    ) named
    WHERE id ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'
    ON CONFLICT (id) DO NOTHING`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('operators');
}
