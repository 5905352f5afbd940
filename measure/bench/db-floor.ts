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
import { acting, decide, initialState, type Change, type Command, type IntakeState } from '../../domain/intake-machine';
import type { Principal } from '../../domain/schemas';
import { prepareSubmission } from '../../lib/submission';
import type { SigningKey } from '../../trust/keys';
import { intakeWorkflowId } from '../../workflows/messages';
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

/** Mirrors the intake workflow's persist(): the activity each kind of change is written by. */
function persist(
  act: Activities,
  change: Change,
  by: Principal,
  base: { intakeId: string; version: number; phase: IntakeState['phase']; updateId: string | null },
): Promise<void> {
  const principal = acting(by);
  switch (change.kind) {
    case 'taskDecided':
      return act.recordTaskDecision({ ...base, task: change.task, decision: change.decision });
    case 'jobCreated':
      return act.createJob({ ...base, task: change.task, decision: change.decision, job: change.job });
    case 'jobClaimed':
      return act.recordClaim({ ...base, job: change.job, by: principal });
    case 'serviceEventOpened':
      return act.openServiceEvent({ ...base, job: change.job, serviceEvent: change.serviceEvent, by: principal });
    case 'stageChanged':
      return act.recordStage({ ...base, serviceEvent: change.serviceEvent, entry: change.entry, by: principal });
    case 'evidenceAdded':
      return act.recordEvidence({
        ...base,
        serviceEventId: change.serviceEvent.id,
        evidence: change.evidence,
        by: principal,
      });
    case 'serviceEventClosed':
      return act.closeServiceEvent({ ...base, job: change.job, serviceEvent: change.serviceEvent, by: principal });
    case 'escalated':
      return act.recordEscalation({ ...base, task: change.task, escalation: change.escalation });
  }
}

export function dbFloorActivities(db: Knex, signingKey: SigningKey, issuer: string, logOrigin: string): Activities {
  return createActivities({ db, signingKey, issuer, logOrigin, nudger: { escalate: async () => undefined } });
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
  let version = 1;
  await act.persistIntake({
    intakeId: ids.intakeId,
    version,
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
    version += 1;
    await persist(act, outcome.change, by, {
      intakeId: ids.intakeId,
      version,
      phase: state.phase,
      updateId: randomUUID(),
    });
  }
  version += 1;
  const record = await act.sealRecord({
    intakeId: ids.intakeId,
    recordId: randomUUID(),
    workflowId,
    runId: runIdOfWorkflow,
    version,
  });
  await act.emitSignal({ intakeId: ids.intakeId, recordId: record.id, signalId: randomUUID() });
}
