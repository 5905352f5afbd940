/** Database-wide counters from pg_stat_database, for per-lifecycle deltas over a whole stack. */
import type { Knex } from 'knex';
import { sleep } from './stats';

export interface DbCounters {
  xacts: number;
  inserted: number;
  updated: number;
  returned: number;
  fetched: number;
}

export async function dbCounters(db: Knex): Promise<DbCounters> {
  const { rows } = await db.raw<{ rows: Array<Record<string, string>> }>(
    `SELECT xact_commit, tup_inserted, tup_updated, tup_returned, tup_fetched FROM pg_stat_database WHERE datname = current_database()`,
  );
  const r = rows[0]!;
  return {
    xacts: Number(r.xact_commit),
    inserted: Number(r.tup_inserted),
    updated: Number(r.tup_updated),
    returned: Number(r.tup_returned),
    fetched: Number(r.tup_fetched),
  };
}

/**
 * Backends flush their counters at most once a second, and idle ones up to 10 s later
 * (PGSTAT_IDLE_INTERVAL), so a reading waits that long after the measured work.
 */
export async function settledCounters(db: Knex): Promise<DbCounters> {
  await sleep(11_000);
  return dbCounters(db);
}

export function perUnit(before: DbCounters, after: DbCounters, units: number, ownQueries: number) {
  return {
    // The two readings are transactions of their own.
    xacts: (after.xacts - before.xacts - ownQueries) / units,
    inserted: (after.inserted - before.inserted) / units,
    updated: (after.updated - before.updated) / units,
    returned: (after.returned - before.returned) / units,
    fetched: (after.fetched - before.fetched) / units,
  };
}
