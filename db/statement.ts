/** Several writes as one SQL statement (writable CTEs): atomic, and one round trip to Postgres. */
import type { Knex } from 'knex';

/**
 * Runs the given writes as one statement: `WITH s0 AS (...), s1 AS (...) SELECT 1`. Postgres
 * executes every data-modifying CTE exactly once, all or none; they touch different tables, so
 * their order does not matter, and foreign keys are checked at the end of the statement.
 */
export async function atOnce(
  db: Knex | Knex.Transaction,
  writes: Knex.QueryBuilder[],
  returningFrom?: number,
): Promise<Array<Record<string, unknown>>> {
  const parts = writes.map((w) => w.toSQL());
  const last = returningFrom === undefined ? 'SELECT 1' : `SELECT * FROM s${returningFrom}`;
  const { rows } = await db.raw<{ rows: Array<Record<string, unknown>> }>(
    `WITH ${parts.map((p, i) => `s${i} AS (${p.sql})`).join(', ')} ${last}`,
    parts.flatMap((p) => p.bindings as Knex.Value[]),
  );
  return rows;
}
