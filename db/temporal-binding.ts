/**
 * One database, one Temporal namespace: the first API or worker to start binds the database to
 * the namespace it connects to (by the namespace's id, which a recreated namespace or a fresh dev
 * server does not keep); every later start checks it, and refuses to serve another namespace's
 * workflows from these rows.
 */
import type { TemporalIdentity } from '../adapters/temporal-connection';
import type { Db } from '.';
import { isoOf } from './timestamps';

export class TemporalBindingMismatch extends Error {
  constructor(
    readonly database: string,
    readonly bound: TemporalIdentity & { boundAt: string },
    readonly connected: TemporalIdentity,
  ) {
    super(
      `database ${database} is the read side of Temporal namespace ${bound.namespace} ` +
        `(id ${bound.namespaceId}, at ${bound.address} when bound on ${bound.boundAt}), not of ` +
        `${connected.namespace} (id ${connected.namespaceId}) at ${connected.address}: its rows describe ` +
        'workflows this Temporal does not have. Point DATABASE_URL at this namespace’s database, or ' +
        'TEMPORAL_ADDRESS/TEMPORAL_NAMESPACE at that one (OPERATIONS.md, "One database, one Temporal")',
    );
  }
}

/** Binds an unbound database; throws TemporalBindingMismatch when it is bound to another namespace. */
export async function bindToTemporal(db: Db, temporal: TemporalIdentity, now = new Date()): Promise<void> {
  await db('temporal_binding')
    .insert({
      namespace_id: temporal.namespaceId,
      namespace: temporal.namespace,
      address: temporal.address,
      bound_at: now,
    })
    .onConflict('singleton')
    .ignore();
  const mismatch = await bindingMismatch(db, temporal);
  if (mismatch) throw mismatch;
}

/** The namespace the database is bound to, if any (none before migration 009, or before the first start). */
export async function boundNamespace(db: Db): Promise<(TemporalIdentity & { boundAt: string }) | null> {
  if (!(await db.schema.hasTable('temporal_binding'))) return null;
  const row = await db('temporal_binding').first('namespace_id', 'namespace', 'address', 'bound_at');
  if (!row) return null;
  return {
    namespaceId: row.namespace_id,
    namespace: row.namespace,
    address: row.address,
    boundAt: isoOf(row.bound_at),
  };
}

/** Read only (for tools such as reconcile): the mismatch, if the database is bound to another namespace. */
export async function bindingMismatch(db: Db, temporal: TemporalIdentity): Promise<TemporalBindingMismatch | null> {
  const bound = await boundNamespace(db);
  if (!bound || bound.namespaceId === temporal.namespaceId) return null;
  const { rows } = await db.raw<{ rows: { name: string }[] }>('SELECT current_database() AS name');
  return new TemporalBindingMismatch(rows[0]!.name, bound, temporal);
}
