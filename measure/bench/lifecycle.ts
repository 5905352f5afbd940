/**
 * One whole lifecycle (submit → approve → assign → job → claim → start → 2 stages → 3 evidence →
 * complete → Record sealed → Signal emitted), driven either through the HTTP API or with the same
 * Updates sent straight to the intake workflow by the Temporal client. Each command's latency is
 * kept by name, so the two paths can be compared command for command.
 */
import type { Client } from '@temporalio/client';
import type { Principal, SubmitRequestBody } from '../../domain/schemas';
import type { IntakeClient } from '../../lib/intake-client';
import { prepareSubmission } from '../../lib/submission';
import {
  approveUpdate,
  assignUpdate,
  claimUpdate,
  completeUpdate,
  createJobUpdate,
  evidenceUpdate,
  intakeWorkflowId,
  stageUpdate,
  startUpdate,
  type IntakeOutcome,
} from '../../workflows/messages';
import { timed } from './stats';

export type Latencies = Map<string, number[]>;

export const COMMANDS = ['approve', 'assign', 'createJob', 'claim', 'start', 'stage', 'evidence', 'complete'] as const;

export function record(latencies: Latencies, name: string): number[] {
  let list = latencies.get(name);
  if (!list) latencies.set(name, (list = []));
  return list;
}

/** Every command's samples together (submit is kept apart: it starts a workflow). */
export const commandSamples = (latencies: Latencies) => COMMANDS.flatMap((name) => latencies.get(name) ?? []);

export interface Cast {
  requester: Principal;
  governor: Principal;
  staff: Principal;
  operatorId: string;
  audience: 'admin' | 'operator';
}

/** A small fixed set of principals (tokens are issued once), alternating the two audiences. */
export function castFor(index: number, runId: string): Cast {
  const operatorId = `op-bench-${runId}-${index % 16}`;
  const staff: Principal = { sub: `${operatorId}-tech`, role: 'operator', operatorId };
  const audience = index % 2 === 0 ? 'admin' : 'operator';
  return {
    requester: { sub: `bench-${runId}-requester-${index % 16}`, role: 'requester' },
    governor: audience === 'admin' ? { sub: `bench-${runId}-admin`, role: 'admin' } : staff,
    staff,
    operatorId,
    audience,
  };
}

export const requestBody = (index: number, c: Cast): SubmitRequestBody => ({
  channel: 'api',
  actor: { kind: 'business', name: `Bench Customer ${index}` },
  request: {
    category: 'maintenance',
    summary: `Bench lifecycle ${index}`,
    details: 'Boiler makes a knocking noise at start-up.',
  },
  ...(c.audience === 'operator' ? { operatorId: c.operatorId } : {}),
});

const EVIDENCE = [
  { kind: 'note' as const, description: 'arrived on site' },
  { kind: 'measurement' as const, value: 42, unit: 'psi' },
  { kind: 'photo' as const, sha256: 'f'.repeat(64), mediaType: 'image/jpeg' },
];
const STAGES = ['en_route', 'on_site'] as const;

async function awaitSignal(client: Client, intakeId: string): Promise<void> {
  // The workflow's result is the cheapest way to learn that the Signal exists (a long poll, no HTTP polling load).
  const outcome = (await client.workflow.getHandle(intakeWorkflowId(intakeId)).result()) as IntakeOutcome;
  if (outcome.phase !== 'sealed' || !outcome.signalId)
    throw new Error(`intake ${intakeId} ended ${outcome.phase} without a Signal`);
}

export interface HttpTarget {
  baseUrl: string;
  token: (p: Principal) => Promise<string>;
  client: Client;
}

/* eslint-disable @typescript-eslint/no-explicit-any */
async function call(
  target: HttpTarget,
  principal: Principal,
  method: string,
  path: string,
  expected: number,
  body?: unknown,
): Promise<any> {
  const res = await fetch(`${target.baseUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${await target.token(principal)}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status !== expected)
    throw new Error(`${method} ${path}: expected ${expected}, got ${res.status} ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : null;
}
/* eslint-enable @typescript-eslint/no-explicit-any */

export async function httpLifecycle(target: HttpTarget, index: number, c: Cast, latencies: Latencies): Promise<string> {
  const t = (name: string, work: () => Promise<unknown>) => timed(record(latencies, name), work);
  const submitted = await timed(record(latencies, 'submit'), () =>
    call(target, c.requester, 'POST', '/v1/requests', 201, requestBody(index, c)),
  );
  const { intakeId, taskId } = submitted as { intakeId: string; taskId: string };
  await driveFromGovernance(target, { intakeId, taskId }, c, t);
  return intakeId;
}

/** Governance and execution over HTTP, for an intake already waiting in governance. */
export async function driveFromGovernance(
  target: HttpTarget,
  ids: { intakeId: string; taskId: string },
  c: Cast,
  t: (name: string, work: () => Promise<unknown>) => Promise<unknown> = (_n, work) => work(),
): Promise<void> {
  const { taskId } = ids;
  await t('approve', () => call(target, c.governor, 'POST', `/v1/tasks/${taskId}/approve`, 200, {}));
  await t('assign', () =>
    call(target, c.governor, 'POST', `/v1/tasks/${taskId}/assign`, 200, { operatorId: c.operatorId }),
  );
  const job = (await t('createJob', () => call(target, c.governor, 'POST', `/v1/tasks/${taskId}/job`, 201))) as {
    id: string;
  };
  await t('claim', () => call(target, c.staff, 'POST', `/v1/jobs/${job.id}/claim`, 200));
  const started = (await t('start', () => call(target, c.staff, 'POST', `/v1/jobs/${job.id}/start`, 201))) as {
    serviceEventId: string;
  };
  const se = started.serviceEventId;
  for (const stage of STAGES)
    await t('stage', () => call(target, c.staff, 'POST', `/v1/service-events/${se}/stage`, 200, { stage }));
  for (const e of EVIDENCE)
    await t('evidence', () => call(target, c.staff, 'POST', `/v1/service-events/${se}/evidence`, 201, e));
  await t('complete', () =>
    call(target, c.staff, 'POST', `/v1/service-events/${se}/complete`, 202, {
      outcome: 'completed',
      summary: 'Boiler serviced',
    }),
  );
  await awaitSignal(target.client, ids.intakeId);
}

/** The same lifecycle with the Updates sent by the Temporal client: no HTTP, no API process. */
export async function directLifecycle(
  intakes: IntakeClient,
  index: number,
  c: Cast,
  latencies: Latencies,
): Promise<string> {
  const t = <T>(name: string, work: () => Promise<T>) => timed(record(latencies, name), work);
  const input = prepareSubmission(c.requester, requestBody(index, c), null);
  const id = input.ids.intakeId;
  await t('submit', () => intakes.submit(input));
  await t('approve', () => intakes.command(id, approveUpdate, { principal: c.governor }));
  await t('assign', () => intakes.command(id, assignUpdate, { principal: c.governor, operatorId: c.operatorId }));
  await t('createJob', () => intakes.command(id, createJobUpdate, { principal: c.governor }));
  await t('claim', () => intakes.command(id, claimUpdate, { principal: c.staff }));
  await t('start', () => intakes.command(id, startUpdate, { principal: c.staff }));
  for (const stage of STAGES) await t('stage', () => intakes.command(id, stageUpdate, { principal: c.staff, stage }));
  for (const evidence of EVIDENCE)
    await t('evidence', () => intakes.command(id, evidenceUpdate, { principal: c.staff, evidence }));
  await t('complete', () =>
    intakes.command(id, completeUpdate, { principal: c.staff, outcome: 'completed', summary: 'Boiler serviced' }),
  );
  await awaitSignal(intakes.client, id);
  return id;
}
