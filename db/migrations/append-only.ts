/**
 * The guard of an append-only table: UPDATE, DELETE and TRUNCATE raise through qtm_refuse_change()
 * (created by 001_chain). Not a migration: index.ts lists those.
 */
import type { Knex } from 'knex';

export async function makeAppendOnly(knex: Knex, tables: readonly string[]): Promise<void> {
  for (const table of tables) {
    await knex.raw(
      `CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION qtm_refuse_change()`,
    );
    await knex.raw(
      `CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION qtm_refuse_change()`,
    );
  }
}
