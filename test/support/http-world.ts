/**
 * Builds Intakes at any step of the chain through the HTTP API, with the principals who act
 * on them, so API tests can start each case from the state it needs.
 */
import { randomUUID } from 'node:crypto';
import { driveLifecycle, type Step } from '../../client/lifecycle';
import type { Principal } from '../../domain/schemas';
import type { TestApi } from './api';
import { admin, newOperatorId, operator, requestBody, requester } from './fixtures';
import { registerTestOperators } from './operators';

export type { Step };

export interface World {
  audience: 'operator' | 'admin';
  requester: Principal;
  otherRequester: Principal;
  /** Governs the task: its operator (operator audience) or an admin. */
  governor: Principal;
  admin: Principal;
  /** Staff of the assigned operator; the one that claims. */
  staff: Principal;
  /** Another staff member of the same operator. */
  colleague: Principal;
  /** Staff of an unrelated operator. */
  stranger: Principal;
  operatorId: string;
  requestId: string;
  intakeId: string;
  taskId: string;
  jobId?: string;
  serviceEventId?: string;
  recordId?: string;
  signalId?: string;
}

export async function worldAt(
  api: TestApi,
  step: Step,
  audience: 'operator' | 'admin' = 'admin',
  outcome: 'completed' | 'failed' = 'completed',
): Promise<World> {
  const [operatorId, strangerOperatorId] = [newOperatorId(), newOperatorId()];
  await registerTestOperators(api, [operatorId, strangerOperatorId]);
  const staff = operator(operatorId);
  const boss = admin();
  const people = {
    audience,
    requester: requester(),
    otherRequester: requester(),
    governor: audience === 'operator' ? staff : boss,
    admin: boss,
    staff,
    colleague: operator(operatorId),
    stranger: operator(strangerOperatorId),
    operatorId,
  };
  const cast = { requester: api.as(people.requester), governor: api.as(people.governor), staff: api.as(staff) };
  const body = requestBody(audience === 'operator' ? { operatorId } : {});
  const summary = `finished: ${randomUUID()}`;
  const ids = await driveLifecycle(cast, { body, operatorId, ending: outcome, until: step, summary });
  const w: World = { ...people, ...ids };
  if (step === 'completed') {
    const result = await api.intakes.handle(w.intakeId).result();
    w.recordId = result.recordId ?? undefined;
    w.signalId = result.signalId ?? undefined;
  }
  return w;
}

/** Everything about an Intake's rows that a refused call must leave untouched. */
export async function snapshot(api: TestApi, intakeId: string): Promise<unknown> {
  const db = api.db;
  const [intake, task, decisions, jobs, serviceEvents, evidence, records, signals, audit] = await Promise.all([
    db('intakes').where({ id: intakeId }).first(),
    db('tasks').where({ intake_id: intakeId }).first(),
    db('task_decisions').where({ intake_id: intakeId }).orderBy('id'),
    db('jobs').where({ intake_id: intakeId }),
    db('service_events').where({ intake_id: intakeId }),
    db('evidence')
      .whereIn('service_event_id', db('service_events').where({ intake_id: intakeId }).select('id'))
      .orderBy('id'),
    db('records').where({ intake_id: intakeId }).select('id', 'hash'),
    db('signals').where({ intake_id: intakeId }).select('id'),
    db('audit_log').where({ intake_id: intakeId }).count('* as n').first(),
  ]);
  return { intake, task, decisions, jobs, serviceEvents, evidence, records, signals, audit };
}
