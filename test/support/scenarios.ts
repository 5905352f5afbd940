/**
 * Whole Intake stories driven through the Temporal client, shared by the lifecycle,
 * guardrail and replay tests.
 */
import type { IntakeClient } from '../../orchestration/intake-client';
import { prepareSubmission } from '../../orchestration/submission';
import type { Outcome, Principal, SubmitRequestBody } from '../../domain/schemas';
import { intakeSteps } from '../../measure/intake-steps';
import type { IntakeWorkflowInput } from '../../workflows/messages';
import { admin, newOperatorId, operator, requestBody, requester } from './fixtures';

export interface Cast {
  requester: Principal;
  governor: Principal;
  staff: Principal;
  operatorId: string;
}

/** Who acts, for an operator-audience intake (the operator governs) or an admin-audience one. */
export function cast(audience: 'operator' | 'admin'): Cast {
  const operatorId = newOperatorId();
  const staff = operator(operatorId);
  return { requester: requester(), governor: audience === 'operator' ? staff : admin(), staff, operatorId };
}

export async function submit(
  intakes: IntakeClient,
  c: Cast,
  audience: 'operator' | 'admin',
  overrides: Partial<SubmitRequestBody> = {},
): Promise<IntakeWorkflowInput> {
  const input = prepareSubmission(
    c.requester,
    requestBody({ ...(audience === 'operator' ? { operatorId: c.operatorId } : {}), ...overrides }),
    null,
  );
  await intakes.submit(input);
  return input;
}

/** Approve, assign and explicitly create the Job; returns the job id. */
export async function governToJob(intakes: IntakeClient, intakeId: string, c: Cast): Promise<string> {
  const step = intakeSteps(intakes, intakeId, c);
  await step.approve();
  await step.assign();
  return (await step.createJob()).id;
}

/** Claim, start, two stages, three pieces of evidence; returns the service event id. */
export async function execute(intakes: IntakeClient, intakeId: string, c: Cast): Promise<string> {
  const step = intakeSteps(intakes, intakeId, c);
  await step.claim();
  const se = await step.start();
  await step.stage('en_route');
  await step.stage('on_site');
  await step.evidence({ kind: 'photo', sha256: 'b'.repeat(64), mediaType: 'image/jpeg', description: 'before' });
  await step.evidence({ kind: 'measurement', value: 42, unit: 'psi' });
  await step.evidence({ kind: 'checklist', value: { valveClosed: true, areaClean: true } });
  return se.id;
}

export async function complete(intakes: IntakeClient, intakeId: string, c: Cast, outcome: Outcome = 'completed') {
  await intakeSteps(intakes, intakeId, c).complete(
    outcome,
    outcome === 'completed' ? 'Work done and tested' : 'Part unavailable; could not finish',
  );
  return intakes.handle(intakeId).result();
}

/** The whole chain; resolves with the workflow's outcome. */
export async function fullLifecycle(
  intakes: IntakeClient,
  audience: 'operator' | 'admin',
  outcome: Outcome = 'completed',
) {
  const c = cast(audience);
  const input = await submit(intakes, c, audience);
  const jobId = await governToJob(intakes, input.ids.intakeId, c);
  const serviceEventId = await execute(intakes, input.ids.intakeId, c);
  const result = await complete(intakes, input.ids.intakeId, c, outcome);
  return { cast: c, input, jobId, serviceEventId, result };
}
