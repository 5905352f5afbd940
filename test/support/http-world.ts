/**
 * Builds Intakes at any step of the chain through the HTTP API, with the principals who act
 * on them, so API tests can start each case from the state it needs.
 */
import { randomUUID } from 'node:crypto';
import type { Principal } from '../../domain/schemas';
import type { TestApi } from './api';
import { admin, newOperatorId, operator, requestBody, requester } from './fixtures';

export type Step = 'pending' | 'approved' | 'assigned' | 'queued' | 'claimed' | 'executing' | 'completed';
const ORDER: Step[] = ['pending', 'approved', 'assigned', 'queued', 'claimed', 'executing', 'completed'];

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

function expectStatus(what: string, res: { status: number; body: unknown }, status: number): void {
  if (res.status !== status)
    throw new Error(`${what}: expected ${status}, got ${res.status} ${JSON.stringify(res.body)}`);
}

export async function worldAt(
  api: TestApi,
  step: Step,
  audience: 'operator' | 'admin' = 'admin',
  outcome: 'completed' | 'failed' = 'completed',
): Promise<World> {
  const operatorId = newOperatorId();
  const staff = operator(operatorId);
  const boss = admin();
  const w: Partial<World> = {
    audience,
    requester: requester(),
    otherRequester: requester(),
    governor: audience === 'operator' ? staff : boss,
    admin: boss,
    staff,
    colleague: operator(operatorId),
    stranger: operator(newOperatorId()),
    operatorId,
  };
  const reach = (s: Step) => ORDER.indexOf(step) >= ORDER.indexOf(s);

  const submitted = await api.call('POST', '/v1/requests', {
    as: w.requester,
    body: requestBody(audience === 'operator' ? { operatorId } : {}),
  });
  expectStatus('submit', submitted, 201);
  Object.assign(w, {
    requestId: submitted.body.requestId,
    intakeId: submitted.body.intakeId,
    taskId: submitted.body.taskId,
  });

  if (reach('approved'))
    expectStatus('approve', await api.call('POST', `/v1/tasks/${w.taskId}/approve`, { as: w.governor, body: {} }), 200);
  if (reach('assigned'))
    expectStatus(
      'assign',
      await api.call('POST', `/v1/tasks/${w.taskId}/assign`, { as: w.governor, body: { operatorId } }),
      200,
    );
  if (reach('queued')) {
    const job = await api.call('POST', `/v1/tasks/${w.taskId}/job`, { as: w.governor });
    expectStatus('create job', job, 201);
    w.jobId = job.body.id;
  }
  if (reach('claimed')) expectStatus('claim', await api.call('POST', `/v1/jobs/${w.jobId}/claim`, { as: staff }), 200);
  if (reach('executing')) {
    const started = await api.call('POST', `/v1/jobs/${w.jobId}/start`, { as: staff });
    expectStatus('start', started, 201);
    w.serviceEventId = started.body.serviceEventId;
  }
  if (reach('completed')) {
    expectStatus(
      'complete',
      await api.call('POST', `/v1/service-events/${w.serviceEventId}/complete`, {
        as: staff,
        body: { outcome, summary: `finished: ${randomUUID()}` },
      }),
      202,
    );
    const result = await api.intakes.handle(w.intakeId!).result();
    w.recordId = result.recordId ?? undefined;
    w.signalId = result.signalId ?? undefined;
  }
  return w as World;
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
