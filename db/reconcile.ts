/** What reconcile (orchestration/reconcile.ts) reads of the rows, beside the read model. */
import type { Knex } from 'knex';

/** The intake row's phase and version, which follow the workflow's. */
export async function intakeProgress(
  db: Knex,
  intakeId: string,
): Promise<{ phase: string; version: number } | undefined> {
  return db('intakes').where({ id: intakeId }).first('phase', 'version');
}

export async function intakeExists(db: Knex, intakeId: string): Promise<boolean> {
  return Boolean(await db('intakes').where({ id: intakeId }).first('id'));
}

/** The intake's audit lines, as far as reconcile compares them with the workflow's accepted Updates. */
export async function auditKeys(
  db: Knex,
  intakeId: string,
): Promise<Array<{ dedupe_key: string; update_id: string | null; action: string }>> {
  return db('audit_log').where({ intake_id: intakeId }).select('dedupe_key', 'update_id', 'action');
}

/** Every intake's id, or those created since `since`. */
export async function intakeIds(db: Knex, since?: Date): Promise<string[]> {
  const query = db('intakes').select('id');
  if (since) query.where('created_at', '>=', since);
  return (await query).map((row: { id: string }) => row.id);
}
