/**
 * D: the rows of one lifecycle written by the product's own activity code, called directly with
 * knex: no Temporal, no HTTP. The commands go through the same state machine the workflow uses
 * (domain/intake-machine.ts) and each change is persisted by the activity the workflow would
 * schedule for it, so D is exactly the database's share of a lifecycle. Every statement is
 * counted (knex 'query' events), which gives the database round trips per lifecycle.
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { createActivities, type Activities } from '../../activities';
import { acting, decide, initialState, type Command } from '../../domain/intake-machine';
import type { Principal } from '../../domain/schemas';
import { prepareSubmission } from '../../orchestration/submission';
import type { TrustKeys } from '../../trust/keys';
import { intakeWorkflowId } from '../../workflows/messages';
import { acceptedIds, writeFor, type Write } from '../../workflows/writes';
import { castFor, requestBody } from './lifecycle';

export interface QueryCounter {
  queries: number;
  transactions: number;
  stop(): void;
}

export function countQueries(db: Knex): QueryCounter {
  const counter = {
    queries: 0,
    transactions: 0,
    stop: () => void db.removeListener('query', listener),
  };
  const listener = (q: { sql?: string }) => {
    counter.queries += 1;
    if (/^begin/i.test(q.sql ?? '')) counter.transactions += 1;
  };
  db.on('query', listener);
  return counter;
}

/** The activity the intake workflow would schedule for this change, called directly. */
function persist(act: Activities, { activity, input }: Write): Promise<void> {
  return (act[activity] as (input: Write['input']) => Promise<void>)(input);
}

export function dbFloorActivities(db: Knex, keys: TrustKeys, issuer: string, logOrigin: string): Activities {
  return createActivities({
    db,
    signingKey: keys.signal.current,
    logKey: keys.log.current,
    issuer,
    logOrigin,
    nudger: { escalate: async () => undefined },
  });
}

export async function dbLifecycle(act: Activities, index: number, runId: string): Promise<void> {
  const c = castFor(index, runId);
  const input = prepareSubmission(c.requester, requestBody(index, c), null);
  const { ids } = input;
  const workflowId = intakeWorkflowId(ids.intakeId);
  const runIdOfWorkflow = randomUUID();
  let state = initialState({
    ids,
    requester: c.requester,
    category: input.body.request.category,
    summary: input.body.request.summary,
    operatorId: input.body.operatorId ?? null,
    receivedAt: input.receivedAt,
  });
  await act.persistIntake({
    intakeId: ids.intakeId,
    version: state.version,
    phase: state.phase,
    intake: input,
    workflowId,
    runId: runIdOfWorkflow,
    task: state.task,
  });
  const steps: Array<[Principal, Command]> = [
    [c.governor, { type: 'approve', decisionId: randomUUID() }],
    [c.governor, { type: 'assign', decisionId: randomUUID(), operatorId: c.operatorId }],
    [c.governor, { type: 'createJob', decisionId: randomUUID(), jobId: randomUUID() }],
    [c.staff, { type: 'claim' }],
    [c.staff, { type: 'start', serviceEventId: randomUUID() }],
    [c.staff, { type: 'stage', stage: 'en_route' }],
    [c.staff, { type: 'stage', stage: 'on_site' }],
    [
      c.staff,
      { type: 'evidence', evidenceId: randomUUID(), evidence: { kind: 'note', description: 'arrived on site' } },
    ],
    [
      c.staff,
      { type: 'evidence', evidenceId: randomUUID(), evidence: { kind: 'measurement', value: 42, unit: 'psi' } },
    ],
    [
      c.staff,
      {
        type: 'evidence',
        evidenceId: randomUUID(),
        evidence: { kind: 'photo', sha256: 'f'.repeat(64), mediaType: 'image/jpeg' },
      },
    ],
    [c.staff, { type: 'complete', outcome: 'completed', summary: 'Boiler serviced' }],
  ];
  for (const [by, command] of steps) {
    const outcome = decide(state, by, command, new Date().toISOString());
    if (!outcome.ok) throw new Error(`db floor: ${command.type} refused: ${outcome.message}`);
    state = outcome.state;
    const context = { intakeId: ids.intakeId, version: state.version, phase: state.phase, updateId: randomUUID() };
    await persist(act, writeFor(outcome.change, { ...context, by: acting(by) }));
  }
  const record = await act.sealRecord({
    intakeId: ids.intakeId,
    recordId: randomUUID(),
    workflowId,
    runId: runIdOfWorkflow,
    version: state.version + 1,
    accepted: acceptedIds(state),
  });
  await act.emitSignal({ intakeId: ids.intakeId, recordId: record.id, signalId: randomUUID() });
}
