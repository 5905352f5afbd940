/**
 * After the storm: every acknowledged Intake must have reached exactly the end its plan
 * named, with exactly one Job, ServiceEvent and Record where work was done, one Signal per
 * completed Record, no duplicated steps, and a Record chain that verifies end to end.
 */
import type { Knex } from 'knex';
import { verifyChain, type ChainReport } from '../../db/verify-chain';
import type { Driven, Ending } from './lifecycle';

export interface Reconciliation {
  acknowledged: number;
  reachedEnd: number;
  lost: string[];
  duplicated: string[];
  chain: ChainReport;
}

const PHASE: Record<Ending, string> = {
  completed: 'sealed',
  failed: 'sealed',
  rejected: 'rejected',
  withdrawn: 'withdrawn',
};

export async function waitForEnds(db: Knex, driven: Driven[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pending = await unfinished(db, driven);
    if (pending === 0 || Date.now() > deadline) return;
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function unfinished(db: Knex, driven: Driven[]): Promise<number> {
  const ids = driven.map((d) => d.intakeId).filter((id): id is string => id !== null);
  const rows: Array<{ id: string; phase: string; signals: number }> = await db('intakes as i')
    .leftJoin('signals as s', 's.intake_id', 'i.id')
    .whereIn('i.id', ids)
    .groupBy('i.id', 'i.phase')
    .select('i.id', 'i.phase', db.raw('count(s.id)::int as signals'));
  const byId = new Map(rows.map((r) => [r.id, r]));
  return driven.filter((d) => {
    const row = d.intakeId ? byId.get(d.intakeId) : undefined;
    return !row || row.phase !== PHASE[d.plan.ending] || (d.plan.ending === 'completed' && row.signals === 0);
  }).length;
}

export async function reconcile(db: Knex, driven: Driven[]): Promise<Reconciliation> {
  const lost: string[] = [];
  const duplicated: string[] = [];
  const acknowledged = driven.filter((d) => d.intakeId !== null);
  for (const d of driven) if (!d.intakeId) lost.push(`lifecycle ${d.plan.index}: its request was never acknowledged`);

  const ids = acknowledged.map((d) => d.intakeId!);
  const count = async (table: string) =>
    new Map(
      (
        (await db(table)
          .whereIn('intake_id', ids)
          .groupBy('intake_id')
          .select('intake_id', db.raw('count(*)::int as n'))) as Array<{ intake_id: string; n: number }>
      ).map((r) => [r.intake_id, r.n]),
    );
  const [intakes, jobs, serviceEvents, records, signals, decisions] = await Promise.all([
    db('intakes').whereIn('id', ids).select('id', 'phase'),
    count('jobs'),
    count('service_events'),
    count('records'),
    count('signals'),
    db('task_decisions')
      .whereIn('intake_id', ids)
      .groupBy('intake_id', 'kind')
      .select('intake_id', 'kind', db.raw('count(*)::int as n')),
  ]);
  const evidence = new Map(
    (
      (await db('evidence as e')
        .join('service_events as s', 's.id', 'e.service_event_id')
        .whereIn('s.intake_id', ids)
        .groupBy('s.intake_id')
        .select('s.intake_id', db.raw('count(*)::int as n'))) as Array<{ intake_id: string; n: number }>
    ).map((r) => [r.intake_id, r.n]),
  );
  const phases = new Map((intakes as Array<{ id: string; phase: string }>).map((r) => [r.id, r.phase]));

  let reachedEnd = 0;
  for (const d of acknowledged) {
    const id = d.intakeId!;
    const ending = d.plan.ending;
    const worked = ending === 'completed' || ending === 'failed';
    const phase = phases.get(id);
    const n = (m: Map<string, number>) => m.get(id) ?? 0;
    const expected = {
      jobs: worked ? 1 : 0,
      serviceEvents: worked ? 1 : 0,
      records: worked ? 1 : 0,
      signals: ending === 'completed' ? 1 : 0,
      evidence: worked ? 3 : 0,
    };
    const actual = {
      jobs: n(jobs),
      serviceEvents: n(serviceEvents),
      records: n(records),
      signals: n(signals),
      evidence: n(evidence),
    };
    const missing = Object.entries(expected).filter(([k, v]) => actual[k as keyof typeof actual] < v);
    const extra = Object.entries(expected).filter(([k, v]) => actual[k as keyof typeof actual] > v);
    if (phase !== PHASE[ending] || missing.length > 0) {
      lost.push(
        `intake ${id} (lifecycle ${d.plan.index}, ${ending}): phase ${phase ?? 'missing'}, ${JSON.stringify(actual)}`,
      );
    } else {
      reachedEnd += 1;
    }
    if (extra.length > 0)
      duplicated.push(`intake ${id}: ${JSON.stringify(actual)} where ${JSON.stringify(expected)} was due`);
  }
  for (const row of decisions as Array<{ intake_id: string; kind: string; n: number }>) {
    if (row.n > 1) duplicated.push(`intake ${row.intake_id}: ${row.n} '${row.kind}' decisions`);
  }
  return { acknowledged: acknowledged.length, reachedEnd, lost, duplicated, chain: await verifyChain(db) };
}
