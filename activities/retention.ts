/** The retention Schedule's work: erasing what has expired (the vault decides what that is). */
import type { Knex } from 'knex';
import { createVault } from '../db/personal-data';
import { SYSTEM } from '../domain/intake-machine';

export function createRetentionActivities(db: Knex) {
  const vault = createVault(db);
  return {
    /** Erases up to `limit` Actors whose data expired as of `asOf`; returns how many. */
    async eraseExpiredPersonalData(input: { asOf: string; retentionMs: number; limit: number }): Promise<number> {
      const cutoff = new Date(Date.parse(input.asOf) - input.retentionMs).toISOString();
      const actors = await vault.expiredActors(cutoff, input.limit);
      for (const actorId of actors) {
        await vault.erase({ actorId, reason: 'retention_expired', by: SYSTEM, at: new Date().toISOString() });
      }
      return actors.length;
    },
  };
}
