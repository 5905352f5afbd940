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

const KEY_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?Z$/;

/**
 * Whether `text` is a key microsecondKey could have produced (or the millisecond ISO form cursors
 * once carried): a real UTC instant that Postgres reads as timestamptz. Anything else in a cursor is
 * forged and must be refused before it reaches SQL, where `+275760-…`, `1` or February 30th throw.
 */
export function isKeyTime(text: string): boolean {
  if (!KEY_TIME.test(text)) return false;
  const seconds = text.slice(0, 19);
  const at = new Date(`${seconds}Z`);
  // The round trip refuses days and hours that do not exist; Postgres has no year 0.
  return !Number.isNaN(at.getTime()) && at.getUTCFullYear() >= 1 && at.toISOString().slice(0, 19) === seconds;
}

/** A UUID in the canonical 8-4-4-4-12 hex form (what Postgres's uuid type prints). */
export const isCanonicalUuid = (text: string): boolean =>
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text);
