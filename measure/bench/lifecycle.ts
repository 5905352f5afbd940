/**
 * One whole lifecycle (submit → approve → assign → job → claim → start → 2 stages → 3 evidence →
 * complete → Record sealed → Signal emitted), driven either through the HTTP API or with the same
 * Updates sent straight to the intake workflow by the Temporal client. Each command's latency is
 * kept by name, so the two paths can be compared command for command.
 */
import type { Client } from '@temporalio/client';
import { qtmClient } from '../../client';
import { driveLifecycle, type LifecyclePlan } from '../../client/lifecycle';
import { registerOperators } from '../../client/operators';
import type { Principal, SubmitRequestBody } from '../../domain/schemas';
import type { IntakeClient } from '../../orchestration/intake-client';
import { intakeSteps } from '../intake-steps';
import { prepareSubmission } from '../../orchestration/submission';
import { intakeWorkflowId, type IntakeOutcome } from '../../workflows/messages';
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

const BENCH_OPERATORS = 16;
const benchOperatorId = (runId: string, index: number) => `op-bench-${runId}-${index % BENCH_OPERATORS}`;

/** Registers the operators castFor names (only known operators are addressed and assigned). */
export async function registerBenchOperators(target: Pick<HttpTarget, 'baseUrl' | 'token'>, runId: string) {
  const admin = qtmClient({
    baseUrl: target.baseUrl,
    token: () => target.token({ sub: `bench-${runId}-admin`, role: 'admin' }),
  });
  await registerOperators(
    admin,
    Array.from({ length: BENCH_OPERATORS }, (_, i) => ({
      id: benchOperatorId(runId, i),
      displayName: `Bench Maintenance ${i}`,
    })),
  );
}

/** A small fixed set of principals (tokens are issued once), alternating the two audiences. */
export function castFor(index: number, runId: string): Cast {
  const operatorId = benchOperatorId(runId, index);
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

const EVIDENCE: LifecyclePlan['evidence'] & object = [
  { kind: 'note' as const, description: 'arrived on site' },
  { kind: 'measurement' as const, value: 42, unit: 'psi' },
  { kind: 'photo' as const, sha256: 'f'.repeat(64), mediaType: 'image/jpeg' },
];
const STAGES = ['en_route', 'on_site'] as const;

export async function awaitSignal(client: Client, intakeId: string): Promise<void> {
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

const castOf = (target: HttpTarget, c: Cast) => {
  const as = (p: Principal) => qtmClient({ baseUrl: target.baseUrl, token: () => target.token(p) });
  return { requester: as(c.requester), governor: as(c.governor), staff: as(c.staff) };
};

const planOf = (index: number, c: Cast): LifecyclePlan => ({
  body: requestBody(index, c),
  operatorId: c.operatorId,
  stages: [...STAGES],
  evidence: EVIDENCE,
  summary: 'Boiler serviced',
});

export async function httpLifecycle(target: HttpTarget, index: number, c: Cast, latencies: Latencies): Promise<string> {
  const onStep = (name: string, ms: number) => void record(latencies, name).push(ms);
  const { intakeId } = await driveLifecycle(castOf(target, c), planOf(index, c), { onStep });
  await awaitSignal(target.client, intakeId);
  return intakeId;
}

/** Governance and execution over HTTP, for an intake already waiting in governance. */
export async function driveFromGovernance(
  target: HttpTarget,
  submitted: { requestId: string; intakeId: string; taskId: string },
  c: Cast,
): Promise<void> {
  await driveLifecycle(castOf(target, c), { ...planOf(0, c), submitted });
  await awaitSignal(target.client, submitted.intakeId);
}

/**
 * The direct lifecycle up to its outcome: the intake then waits for complete, which `complete`
 * sends (the seal bench prepares many this way and completes them at once).
 */
export async function directUntilComplete(
  intakes: IntakeClient,
  index: number,
  c: Cast,
  latencies: Latencies,
): Promise<{ intakeId: string; complete: () => Promise<unknown> }> {
  const t = <T>(name: string, work: () => Promise<T>) => timed(record(latencies, name), work);
  const input = prepareSubmission(c.requester, requestBody(index, c), null);
  const id = input.ids.intakeId;
  const step = intakeSteps(intakes, id, c);
  await t('submit', () => intakes.submit(input));
  await t('approve', () => step.approve());
  await t('assign', () => step.assign());
  await t('createJob', () => step.createJob());
  await t('claim', () => step.claim());
  await t('start', () => step.start());
  for (const stage of STAGES) await t('stage', () => step.stage(stage));
  for (const evidence of EVIDENCE) await t('evidence', () => step.evidence(evidence));
  return { intakeId: id, complete: () => t('complete', () => step.complete('completed', 'Boiler serviced')) };
}

/** The same lifecycle with the Updates sent by the Temporal client: no HTTP, no API process. */
export async function directLifecycle(
  intakes: IntakeClient,
  index: number,
  c: Cast,
  latencies: Latencies,
): Promise<string> {
  const { intakeId, complete } = await directUntilComplete(intakes, index, c, latencies);
  await complete();
  await awaitSignal(intakes.client, intakeId);
  return intakeId;
}
