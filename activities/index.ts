/**
 * The worker's activities, built from their dependencies (no module-level state), so that
 * tests and the production worker wire them the same way.
 */
import type { Knex } from 'knex';
import type { WitnessEndpoint } from '../adapters/log-witness-client';
import type { SigningKey } from '../trust/keys';
import { createChainActivities } from './chain';
import { createEscalationActivities, type EscalationNudger } from './escalation';
import { createLogActivities, recordLog, type LogLogger } from './log';
import { createRetentionActivities } from './retention';
import { createSealActivities } from './seal';

export interface ActivityDeps {
  db: Knex;
  /** The Signal key. */
  signingKey: SigningKey;
  /** The log's checkpoint key: a different key. */
  logKey: SigningKey;
  /** Note key ids of every log key this process knows (current and retired). */
  logKeyIds?: string[];
  issuer: string;
  /** LOG_ORIGIN: names the transparency log in its checkpoints. */
  logOrigin: string;
  /** Sends the escalation sweep's nudges to intake workflows. */
  nudger: EscalationNudger;
  /** Where checkpoints go for cosignatures (LOG_WITNESSES), and how many must cosign. */
  witnesses?: WitnessEndpoint[];
  witnessThreshold?: number;
  witnessTimeoutMs?: number;
  log?: LogLogger;
}

export function createActivities(deps: ActivityDeps) {
  return {
    ...createChainActivities(deps.db),
    // The seal hands each sealed Record to the transparency log, inside its sealing transaction.
    ...createSealActivities({ ...deps, log: recordLog(deps.db) }),
    ...createLogActivities({
      db: deps.db,
      logKey: deps.logKey,
      knownKeyIds: deps.logKeyIds,
      origin: deps.logOrigin,
      witnesses: deps.witnesses,
      witnessThreshold: deps.witnessThreshold,
      witnessTimeoutMs: deps.witnessTimeoutMs,
      log: deps.log,
    }),
    ...createEscalationActivities({ db: deps.db, nudger: deps.nudger }),
    ...createRetentionActivities(deps.db),
  };
}

export type Activities = ReturnType<typeof createActivities>;

// The webhook worker's activities run on their own task queue (workers/webhooks.ts).
export { createWebhookActivities, type WebhookActivities, type WebhookActivityDeps } from './webhooks';
