/** The per-Intake audit trail's table: every state change, who made it and when (guardrail 7). */
import type { Knex } from 'knex';
import type { ActingPrincipal } from '../domain/views';

export { SYSTEM } from '../domain/intake-machine';

export interface AuditEntry {
  intakeId: string;
  entity: 'actor' | 'request' | 'intake' | 'task' | 'job' | 'service_event' | 'evidence' | 'record' | 'signal';
  entityId: string;
  action: string;
  by: ActingPrincipal;
  at: string;
  details?: Record<string, unknown>;
  /** Stable across activity retries, so a retried write adds no second line. */
  dedupeKey: string;
  updateId?: string | null;
}

/** The audit lines' INSERT, not yet run: for composing into a larger statement (see chain.ts). */
export function auditInsert(db: Knex | Knex.Transaction, entries: AuditEntry[]): Knex.QueryBuilder {
  return db('audit_log')
    .insert(
      entries.map((e) => ({
        intake_id: e.intakeId,
        entity: e.entity,
        entity_id: e.entityId,
        action: e.action,
        principal_sub: e.by.sub,
        principal_role: e.by.role,
        principal_operator_id: e.by.operatorId,
        details: JSON.stringify(e.details ?? {}),
        at: e.at,
        dedupe_key: e.dedupeKey,
        update_id: e.updateId ?? null,
      })),
    )
    .onConflict('dedupe_key')
    .ignore();
}

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
