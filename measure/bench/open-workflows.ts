/**
 * Open-workflow scaling: N intakes waiting in governance (real workflows, started by the
 * Temporal client), the worker's resident memory as they accumulate, and the time to drive 100
 * of them (picked at random, so most have long left the worker's cache) to their Signal over HTTP.
 */
import fs from 'node:fs';
import type { Knex } from 'knex';
import type { Principal } from '../../domain/schemas';
import type { IntakeClient } from '../../orchestration/intake-client';
import { qtmClient } from '../../client';
import { registerOperators } from '../../client/operators';
import { seedOperatorIds, seedWaitingIntakes } from '../seed-intakes';
import { driveFromGovernance, type Cast, type HttpTarget } from './lifecycle';
import { closedLoop, type LoopResult } from './stats';

/** VmRSS of a process, in MiB (null when it cannot be read, e.g. a worker on another machine). */
export function rssMiB(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const line = fs
      .readFileSync(`/proc/${pid}/status`, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('VmRSS:'));
    return line ? Number(line.replace(/\D+/g, '')) / 1024 : null;
  } catch {
    return null;
  }
}

export interface OpenFigures {
  waiting: number;
  seedSeconds: number;
  /** Worker RSS (MiB) as the waiting intakes accumulate: [waiting, MiB]. */
  rss: Array<[number, number | null]>;
  drive: LoopResult & { count: number; concurrency: number };
  rssAfterDrive: number | null;
}

export async function openWorkflows(options: {
  intakes: IntakeClient;
  db: Knex;
  target: HttpTarget;
  workerPid: () => number | undefined;
  count: number;
  drive: number;
  concurrency: number;
  log: (line: string) => void;
}): Promise<OpenFigures> {
  const { log } = options;
  const rss: OpenFigures['rss'] = [[0, rssMiB(options.workerPid())]];
  const started = performance.now();
  const ids = await seedWaitingIntakes(options.intakes, options.count, options.concurrency, (done) => {
    rss.push([done, rssMiB(options.workerPid())]);
    if (done % 2_500 === 0)
      log(`  open: ${done}/${options.count} waiting, worker RSS ${rss.at(-1)![1]?.toFixed(0)} MiB`);
  });
  const seedSeconds = (performance.now() - started) / 1000;
  if (rss.at(-1)![0] !== ids.length) rss.push([ids.length, rssMiB(options.workerPid())]);

  // A random 100: the cache keeps the most recent workflows, so these mostly have to be replayed.
  const picked = [...ids].sort(() => Math.random() - 0.5).slice(0, options.drive);
  const rows: Array<{ id: string; intake_id: string; request_id: string; audience_operator_id: string }> = await options
    .db('tasks as t')
    .join('intakes as i', 'i.id', 't.intake_id')
    .whereIn('t.intake_id', picked)
    .select('t.id', 't.intake_id', 'i.request_id', 't.audience_operator_id');
  // They were submitted straight to Temporal; the API assigns them only to known operators.
  const admin = qtmClient({
    baseUrl: options.target.baseUrl,
    token: () => options.target.token({ sub: 'bench-open-admin', role: 'admin' }),
  });
  await registerOperators(
    admin,
    seedOperatorIds.map((id) => ({ id })),
  );
  const drive = await closedLoop(rows.length, options.concurrency, async (i) => {
    const row = rows[i]!;
    const operatorId = row.audience_operator_id;
    const staff: Principal = { sub: `${operatorId}-tech`, role: 'operator', operatorId };
    const c: Cast = { requester: staff, governor: staff, staff, operatorId, audience: 'operator' };
    await driveFromGovernance(
      options.target,
      { requestId: row.request_id, intakeId: row.intake_id, taskId: row.id },
      c,
    );
  });
  return {
    waiting: ids.length,
    seedSeconds,
    rss,
    drive: { ...drive, count: rows.length, concurrency: options.concurrency },
    rssAfterDrive: rssMiB(options.workerPid()),
  };
}
