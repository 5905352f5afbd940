/**
 * Keyset cursors over timestamp columns. Postgres keeps time to the microsecond; a JavaScript Date
 * cuts it to the millisecond, so a cursor made from one sorts before the row it came from and the
 * walk hands that row (and its millisecond's neighbours) out again. The key is therefore read as
 * text, to the microsecond, by Postgres itself.
 */
import type { Knex } from 'knex';

/** `column` as an ISO-8601 UTC string with microseconds, selected `AS alias`. */
export const microsecondKey = (db: Knex, column: string, alias: string): Knex.Raw =>
  db.raw(`to_char(?? AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS ??`, [column, alias]);
