/**
 * The activities that write the governed chain: each is one statement of the chain's store
 * (db/chain.ts), atomic and idempotent under retry, with its audit line.
 */
import type { Knex } from 'knex';
import { createChainStore } from '../db/chain';

export type { PersistIntakeInput, Versioned } from '../db/chain';

export function createChainActivities(db: Knex) {
  const chain = createChainStore(db);
  return {
    persistIntake: chain.persistIntake,
    recordTaskDecision: chain.recordTaskDecision,
    createJob: chain.createJob,
    recordClaim: chain.recordClaim,
    openServiceEvent: chain.openServiceEvent,
    recordStage: chain.recordStage,
    recordEvidence: chain.recordEvidence,
    closeServiceEvent: chain.closeServiceEvent,
    recordEscalation: chain.recordEscalation,
  };
}
