/** The per-Intake audit trail: every state change, who made it and when (guardrail 7). */
import type { Knex } from 'knex';
import { auditInsert, type AuditEntry } from '../db/audit';

export type { AuditEntry } from '../db/audit';

export { SYSTEM } from '../domain/intake-machine';

/** The audit lines of what happens once in an intake's life: keyed by the action, so a retry adds none. */
export function onceAudit(
  db: Knex | Knex.Transaction,
  entries: Array<Omit<AuditEntry, 'dedupeKey'>>,
): Knex.QueryBuilder {
  return auditInsert(
    db,
    entries.map((e) => ({ ...e, dedupeKey: `${e.intakeId}:${e.action}` })),
  );
}

export type ChangeEntry = Omit<AuditEntry, 'intakeId' | 'dedupeKey' | 'updateId'>;

/**
 * The audit line of one accepted change: keyed by the intake version it was accepted at (so a
 * retried write adds no second line) and naming the Update that asked for it, if any.
 */
export function changeAudit(
  db: Knex | Knex.Transaction,
  change: { intakeId: string; version: number; updateId?: string | null },
  entry: ChangeEntry,
): Knex.QueryBuilder {
  const key = { intakeId: change.intakeId, dedupeKey: `${change.intakeId}:${change.version}` };
  return auditInsert(db, [{ ...entry, ...key, updateId: change.updateId ?? null }]);
}
