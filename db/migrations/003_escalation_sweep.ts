/**
 * The escalation sweep walks open Tasks oldest-first by their escalation clock, page by page.
 * This index serves that keyset walk (stale_since, id) without sorting the open set.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`CREATE INDEX tasks_stale_order ON tasks (stale_since, id) WHERE status IN ('pending', 'approved')`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`DROP INDEX IF EXISTS tasks_stale_order`);
}
