/**
 * The worker's activities, built from their dependencies (no module-level state), so that
 * tests and the production worker wire them the same way.
 */
import type { Knex } from 'knex';
import type { SigningKey } from '../trust/keys';
import { createChainActivities } from './chain';
import { createEscalationActivities, type EscalationNudger } from './escalation';
import { appendSealedRecord, createLogActivities, leafIndexOfRecord } from './log';
import { createSealActivities } from './seal';

export interface ActivityDeps {
  db: Knex;
  signingKey: SigningKey;
  issuer: string;
  /** LOG_ORIGIN: names the transparency log in its checkpoints. */
  logOrigin: string;
  /** Sends the escalation sweep's nudges to intake workflows. */
  nudger: EscalationNudger;
}

export function createActivities(deps: ActivityDeps) {
  return {
    ...createChainActivities(deps.db),
    // Each sealed Record joins the transparency log in its own sealing transaction.
    ...createSealActivities({
      ...deps,
      onSealed: appendSealedRecord,
      leafIndexOf: (recordId) => leafIndexOfRecord(deps.db, recordId),
    }),
    ...createLogActivities({ db: deps.db, signingKey: deps.signingKey, origin: deps.logOrigin }),
    ...createEscalationActivities({ db: deps.db, nudger: deps.nudger }),
  };
}

export type Activities = ReturnType<typeof createActivities>;
