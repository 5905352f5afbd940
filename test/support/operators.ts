/**
 * Operators the tests name, registered in the directory first: a requester may address, and an
 * admin assign, only a known operator (else 422). The one helper every test uses for that.
 */
import { registerOperators } from '../../client/operators';
import type { TestApi } from './api';
import { admin, newOperatorId } from './fixtures';

/** Registers these operator ids (as a plumbing business each), through the admin API. */
export async function registerTestOperators(api: Pick<TestApi, 'as'>, ids: readonly string[]): Promise<void> {
  await registerOperators(
    api.as(admin('registrar')),
    ids.map((id) => ({ id, displayName: `Test Plumbing ${id}`, categories: ['plumbing', 'maintenance'] })),
  );
}

/** A fresh operator id, registered. */
export async function knownOperatorId(api: Pick<TestApi, 'as'>): Promise<string> {
  const id = newOperatorId();
  await registerTestOperators(api, [id]);
  return id;
}
