/**
 * The worker's activities, built from their dependencies (no module-level state), so that
 * tests and the production worker wire them the same way.
 */
import type { Knex } from 'knex';
import type { SigningKey } from '../trust/keys';
import { createChainActivities } from './chain';
import { createSealActivities } from './seal';

export interface ActivityDeps {
  db: Knex;
  signingKey: SigningKey;
  issuer: string;
}

export function createActivities(deps: ActivityDeps) {
  return {
    ...createChainActivities(deps.db),
    ...createSealActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
