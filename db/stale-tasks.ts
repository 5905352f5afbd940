/**
 * Which Tasks the escalation sweep nudges: open (pending or approved, so no Job yet) and
 * without a governance decision or escalation for longer than their audience's threshold.
 * Admin Tasks already at the ceiling are left out, so they are not nudged for nothing.
 * Pages are keyset-ordered by the escalation clock (stale_since, id): no OFFSET scans.
 */
import type { Knex } from 'knex';
import type { EscalationPolicy } from '../domain/intake-machine';
import type { Audience } from '../domain/schemas';
import { microsecondKey } from './keyset';

export interface StaleTask {
  taskId: string;
  intakeId: string;
  audience: Audience;
  escalationLevel: number;
  staleSince: string;
}

/** Where the previous page stopped: the sort key of its last Task. */
export interface StaleCursor {
  /** ISO time to the microsecond, as Postgres stores it. */
  staleSince: string;
  taskId: string;
}

export interface StalePage {
  items: StaleTask[];
  next: StaleCursor | null;
}

export async function findStaleTasks(
  db: Knex,
  query: { asOf: string; policy: EscalationPolicy; after: StaleCursor | null; limit: number },
): Promise<StalePage> {
  const asOf = Date.parse(query.asOf);
  const operatorCutoff = new Date(asOf - query.policy.operatorThresholdMs).toISOString();
  const adminCutoff = new Date(asOf - query.policy.adminThresholdMs).toISOString();
  // Every stale Task is older than the later cutoff: the partial index (stale_since, id) walks up to it in order.
  const laterCutoff = operatorCutoff > adminCutoff ? operatorCutoff : adminCutoff;
  const q = db('tasks')
    .select('id', 'intake_id', 'audience', 'escalation_level', 'stale_since')
    .select(microsecondKey(db, 'stale_since', 'stale_key'))
    .whereIn('status', ['pending', 'approved'])
    .andWhere('stale_since', '<=', laterCutoff)
    .andWhere((w) =>
      w
        .where((o) => o.where('audience', 'operator').andWhere('stale_since', '<=', operatorCutoff))
        .orWhere((a) =>
          a
            .where('audience', 'admin')
            .andWhere('escalation_level', '<', query.policy.maxLevel)
            .andWhere('stale_since', '<=', adminCutoff),
        ),
    );
  if (query.after)
    q.andWhereRaw('(stale_since, id) > (?::timestamptz, ?)', [query.after.staleSince, query.after.taskId]);
  const rows = await q.orderBy([{ column: 'stale_since' }, { column: 'id' }]).limit(query.limit + 1);
  const items: StaleTask[] = rows.slice(0, query.limit).map((r) => ({
    taskId: r.id,
    intakeId: r.intake_id,
    audience: r.audience,
    escalationLevel: r.escalation_level,
    staleSince: new Date(r.stale_since).toISOString(),
  }));
  const last = rows[query.limit - 1];
  return { items, next: rows.length > query.limit && last ? { staleSince: last.stale_key, taskId: last.id } : null };
}
