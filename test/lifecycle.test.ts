/**
 * One Intake through every step of the chain, driven with the Temporal client against the
 * real server and Postgres, checking the durable rows after each step, the Record's hash and
 * chain link, and the Signal's signature with nothing but the public key.
 */
import { createReadModel } from '../db/read-model';
import { verifyRecord } from '../trust/record';
import { verifySignal } from '../trust/signal';
import { intakeSteps } from '../measure/intake-steps';
import { prepareSubmission } from '../orchestration/submission';
import { newOperatorId, operator, requestBody, requester } from './support/fixtures';
import { startTestStack, type TestStack } from './support/stack';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

test('an operator-audience intake goes from request to sealed record and verified signal', async () => {
  const { db, intakes } = stack;
  const operatorId = newOperatorId();
  const alice = requester();
  const staff = operator(operatorId);
  const input = prepareSubmission(alice, requestBody({ operatorId }), null);
  const { intakeId, taskId } = input.ids;
  // The operator governs its own operator-audience Task, and its staff executes the Job.
  const step = intakeSteps(intakes, intakeId, { governor: staff, staff, operatorId });

  // The Request as received, its Intake and Task are durable when submit answers.
  const submitted = await intakes.submit(input);
  expect(submitted).toMatchObject({
    intakeId,
    taskId,
    phase: 'governance',
    workflowId: `intake-${intakeId}`,
    task: { id: taskId, audience: 'operator', status: 'pending' },
  });
  const request = await db('requests').where({ id: input.ids.requestId }).first();
  expect(request.payload).toEqual(input.body);
  expect(request).toMatchObject({ channel: 'web', submitted_by_sub: alice.sub, actor_id: input.ids.actorId });
  expect(await db('intakes').where({ id: intakeId }).first()).toMatchObject({
    request_id: input.ids.requestId,
    phase: 'governance',
    operator_id: operatorId,
  });
  expect(await db('tasks').where({ id: taskId }).first()).toMatchObject({
    intake_id: intakeId,
    audience: 'operator',
    audience_operator_id: operatorId,
    status: 'pending',
  });
  expect(await db('actors').where({ id: input.ids.actorId }).first()).toMatchObject({
    kind: 'person',
    name: 'Ada Lovelace',
    principal_sub: alice.sub,
  });

  // Governance: approve and assign create no Job; only the explicit create does.
  const approved = await step.approve({ note: 'we can do this one' });
  expect(approved.status).toBe('approved');
  const assigned = await step.assign();
  expect(assigned.assigneeOperatorId).toBe(operatorId);
  expect(await db('jobs').where({ task_id: taskId })).toHaveLength(0);
  const decisions = await db('task_decisions').where({ task_id: taskId }).orderBy('decided_at');
  expect(decisions.map((d) => [d.kind, d.principal_sub])).toEqual([
    ['approve', staff.sub],
    ['assign', staff.sub],
  ]);

  const job = await step.createJob();
  expect(job).toMatchObject({ taskId, intakeId, operatorId, status: 'queued' });
  expect(await db('jobs').where({ id: job.id }).first()).toMatchObject({
    task_id: taskId,
    intake_id: intakeId,
    status: 'queued',
    created_by_sub: staff.sub,
  });
  expect((await db('tasks').where({ id: taskId }).first()).status).toBe('job_created');

  // Execution.
  expect((await step.claim()).status).toBe('claimed');
  expect(await db('jobs').where({ id: job.id }).first()).toMatchObject({
    status: 'claimed',
    claimed_by_sub: staff.sub,
  });
  const opened = await step.start();
  expect(opened).toMatchObject({ jobId: job.id, status: 'open', stage: null });
  expect(await db('service_events').where({ job_id: job.id })).toHaveLength(1);
  expect((await db('jobs').where({ id: job.id }).first()).status).toBe('in_progress');

  await step.stage('en_route');
  await step.stage('on_site');
  const photoHash = 'a'.repeat(64);
  await step.evidence({ kind: 'photo', description: 'leak before', sha256: photoHash, mediaType: 'image/jpeg' });
  await step.evidence({ kind: 'measurement', value: 2.5, unit: 'bar' });
  const third = await step.evidence({ kind: 'note', description: 'replaced the trap seal' });
  expect(third.seq).toBe(3);
  const se = await db('service_events').where({ id: opened.id }).first();
  expect(se.stage).toBe('on_site');
  expect(se.stage_history.map((s: { stage: string }) => s.stage)).toEqual(['en_route', 'on_site']);
  expect(await db('evidence').where({ service_event_id: opened.id }).orderBy('seq').pluck('kind')).toEqual([
    'photo',
    'measurement',
    'note',
  ]);

  const closed = await step.complete('completed', 'Leak fixed, tested for 10 minutes');
  expect(closed).toMatchObject({ status: 'closed', outcome: 'completed' });

  // Sealing: exactly one Record and one Signal, once the workflow finishes.
  const outcome = await intakes.handle(intakeId).result();
  expect(outcome).toMatchObject({ intakeId, phase: 'sealed' });
  const record = await db('records').where({ intake_id: intakeId }).first();
  expect(record).toMatchObject({
    id: outcome.recordId,
    hash: outcome.recordHash,
    service_event_id: opened.id,
    job_id: job.id,
    operator_id: operatorId,
    outcome: 'completed',
  });
  // Its hash and its link to the Record before it, as the API's verify reads them.
  const stored = (await createReadModel(db).storedRecordWithPrevious(record.id))!;
  expect(verifyRecord(stored.record, stored.previous).filter((c) => !c.ok)).toEqual([]);

  const doc = JSON.parse(record.canonical.toString('utf8'));
  expect(doc).toMatchObject({
    type: 'qtm.record/v2',
    _sd_alg: 'sha-256',
    // The Actor and the requester are committed, not named: the Record is public.
    chain: {
      intakeId,
      taskId,
      jobId: job.id,
      serviceEventId: opened.id,
      requestId: input.ids.requestId,
      _sd: [expect.any(String)],
    },
    workflow: { workflowId: `intake-${intakeId}` },
    request: { channel: 'web', payload: input.body, submittedBy: { role: 'requester', _sd: [expect.any(String)] } },
    claim: { by: staff.sub },
    outcome: { status: 'completed', summary: 'Leak fixed, tested for 10 minutes' },
  });
  expect(doc.workflow.runId).toMatch(/[0-9a-f-]{36}/);
  expect(doc.governance.map((g: { kind: string }) => g.kind)).toEqual(['approve', 'assign', 'create_job']);
  expect(doc.execution.stages.map((s: { stage: string }) => s.stage)).toEqual(['en_route', 'on_site']);
  expect(doc.execution.evidence[0]).toMatchObject({ kind: 'photo', sha256: photoHash });

  const signal = await db('signals').where({ record_id: record.id }).first();
  expect(signal).toMatchObject({
    id: outcome.signalId,
    job_id: job.id,
    service_event_id: opened.id,
    operator_id: operatorId,
  });
  // Verified with nothing but the public key.
  const verification = await verifySignal(signal.jws, { keys: [stack.signingKey.publicJwk] });
  expect(verification.valid).toBe(true);
  expect(verification.document?.credentialSubject.attribution).toMatchObject({
    recordId: record.id,
    recordHash: `sha256:${record.hash}`,
    jobId: job.id,
    serviceEventId: opened.id,
    intakeId,
  });
  expect(JSON.stringify(verification.document)).not.toMatch(/score|rating|rank/i);

  // The audit trail names who did each step.
  const audit = await db('audit_log').where({ intake_id: intakeId }).orderBy('id');
  expect(audit.map((a) => a.action)).toEqual([
    'request.received',
    'intake.created',
    'task.created',
    'task.approve',
    'task.assign',
    'job.created',
    'job.claimed',
    'service_event.opened',
    'service_event.stage',
    'service_event.stage',
    'evidence.added',
    'evidence.added',
    'evidence.added',
    'service_event.completed',
    'record.sealed',
    'signal.emitted',
  ]);
  expect(audit.find((a) => a.action === 'job.claimed')?.principal_sub).toBe(staff.sub);
  expect((await db('intakes').where({ id: intakeId }).first()).phase).toBe('sealed');
});
