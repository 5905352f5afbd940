/**
 * The whole chain over real HTTP, for both audiences and both outcomes, reading back every
 * resource the contract exposes along the way.
 */
import type { JSONWebKeySet } from 'jose';
import type { Schemas } from '../client';
import { verifySignal } from '../trust/signal';
import { startTestApi, type TestApi } from './support/api';
import { admin, operator, requestBody, requester } from './support/fixtures';
import { knownOperatorId } from './support/operators';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api?.stop());

test.each([
  ['operator', 'completed'],
  ['operator', 'failed'],
  ['admin', 'completed'],
  ['admin', 'failed'],
] as const)('%s audience, outcome %s', async (audience, outcome) => {
  const operatorId = await knownOperatorId(api);
  const alice = requester();
  const staff = operator(operatorId);
  const boss = admin();
  const governor = audience === 'operator' ? staff : boss;
  const body = requestBody(audience === 'operator' ? { operatorId } : {});

  const asAlice = api.as(alice);
  const asGovernor = api.as(governor);
  const asStaff = api.as(staff);
  const anyone = api.as(null);

  const submitted = await asAlice.POST('/v1/requests', { body });
  expect(submitted.response.status).toBe(201);
  const { requestId, intakeId, taskId } = submitted.data!;
  expect(submitted.response.headers.get('location')).toBe(`/v1/intakes/${intakeId}`);
  expect(submitted.data).toMatchObject({
    phase: 'governance',
    task: { audience, status: 'pending' },
    workflowId: `intake-${intakeId}`,
  });

  const request = await asAlice.GET('/v1/requests/{id}', { params: { path: { id: requestId } } });
  expect(request.data).toMatchObject({
    id: requestId,
    intakeId,
    channel: 'web',
    body,
    submittedBy: { sub: alice.sub, role: 'requester' },
    actor: { kind: 'person', name: 'Ada Lovelace' },
  });

  const list = await asGovernor.GET('/v1/tasks', { params: { query: { audience, status: 'pending', limit: 100 } } });
  expect(list.data!.items.map((t) => t.id)).toContain(taskId);

  const task = { params: { path: { id: taskId } } };
  expect(
    (await asGovernor.POST('/v1/tasks/{id}/approve', { ...task, body: { note: 'looks fine' } })).data,
  ).toMatchObject({
    status: 'approved',
  });
  expect((await asGovernor.POST('/v1/tasks/{id}/assign', { ...task, body: { operatorId } })).data).toMatchObject({
    assigneeOperatorId: operatorId,
  });
  const job = await asGovernor.POST('/v1/tasks/{id}/job', { ...task, body: {} });
  expect(job.response.status).toBe(201);
  expect(job.data).toMatchObject({ taskId, intakeId, operatorId, status: 'queued' });
  const jobId = job.data!.id;
  const read = await asGovernor.GET('/v1/tasks/{id}', task);
  expect(read.data).toMatchObject({ status: 'job_created', jobId });
  expect(read.data!.decisions.map((d) => d.kind)).toEqual(['approve', 'assign', 'create_job']);

  const queuePath = { params: { path: { operatorId } } };
  const queue = await asStaff.GET('/v1/operators/{operatorId}/queue', queuePath);
  expect(queue.data!.items).toEqual([expect.objectContaining({ id: jobId, status: 'queued' })]);
  const jobPath = { params: { path: { id: jobId } } };
  expect((await asStaff.POST('/v1/jobs/{id}/claim', { ...jobPath, body: {} })).data).toMatchObject({
    status: 'claimed',
    claimedBy: staff.sub,
  });
  const started = await asStaff.POST('/v1/jobs/{id}/start', { ...jobPath, body: {} });
  expect(started.response.status).toBe(201);
  expect(started.data).toMatchObject({ status: 'open', jobId });
  const seId = started.data!.serviceEventId;
  expect((await asStaff.GET('/v1/jobs/{id}', jobPath)).data).toMatchObject({
    status: 'in_progress',
    serviceEventId: seId,
  });

  const sePath = { params: { path: { id: seId } } };
  expect(
    (await asStaff.POST('/v1/service-events/{id}/stage', { ...sePath, body: { stage: 'en_route' } })).data!.stage,
  ).toBe('en_route');
  expect(
    (await asStaff.POST('/v1/service-events/{id}/stage', { ...sePath, body: { stage: 'in_progress' } })).data!.stage,
  ).toBe('in_progress');
  const evidence: Schemas['EvidenceInput'][] = [
    {
      kind: 'photo',
      sha256: 'c'.repeat(64),
      mediaType: 'image/png',
      uri: 'https://files.example/p1.png',
      description: 'before',
    },
    { kind: 'measurement', value: 3.2, unit: 'bar' },
    { kind: 'signature', sha256: 'd'.repeat(64), description: 'customer sign-off' },
  ];
  for (const [i, e] of evidence.entries()) {
    const added = await asStaff.POST('/v1/service-events/{id}/evidence', { ...sePath, body: e });
    expect(added.response.status).toBe(201);
    expect(added.data).toMatchObject({ evidenceId: expect.any(String), seq: i + 1, serviceEventId: seId });
  }
  const se = await asStaff.GET('/v1/service-events/{id}', sePath);
  expect(se.data).toMatchObject({
    status: 'open',
    stage: 'in_progress',
    stageHistory: [
      { stage: 'en_route', by: staff.sub },
      { stage: 'in_progress', by: staff.sub },
    ],
  });
  expect(se.data!.evidence.map((e) => e.kind)).toEqual(['photo', 'measurement', 'signature']);

  const completed = await asStaff.POST('/v1/service-events/{id}/complete', {
    ...sePath,
    body: { outcome, summary: 'Summary of the visit' },
  });
  expect(completed.response.status).toBe(202);
  expect(completed.data).toMatchObject({ status: 'closed', outcome });
  await api.intakes.handle(intakeId).result();

  const chain = (await asAlice.GET('/v1/intakes/{id}', { params: { path: { id: intakeId } } })).data!;
  expect(chain).toMatchObject({
    phase: 'sealed',
    task: { id: taskId },
    job: { id: jobId, status: outcome },
    serviceEvent: { id: seId, outcome },
  });
  expect(chain.history.length).toBeGreaterThanOrEqual(12);
  expect((await asStaff.GET('/v1/operators/{operatorId}/queue', queuePath)).data!.items).toEqual([]);

  const recordId = chain.record!.id;
  const record = (await asAlice.GET('/v1/records/{id}', { params: { path: { id: recordId } } })).data!;
  expect(record).toMatchObject({
    hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    sequence: expect.any(Number),
    record: { type: 'qtm.record/v2', outcome: { status: outcome } },
  });
  expect(Buffer.from(record.canonicalBase64, 'base64').toString('utf8')).toBe(
    JSON.stringify(JSON.parse(Buffer.from(record.canonicalBase64, 'base64').toString('utf8'))),
  );
  const verified = await asStaff.GET('/v1/records/{id}/verify', { params: { path: { id: recordId } } });
  expect(verified.data).toMatchObject({ valid: true, recordId });

  if (outcome === 'completed') {
    expect(chain.signal).not.toBeNull();
    const signalId = chain.signal!.id;
    const signal = (await anyone.GET('/v1/signals/{id}', { params: { path: { id: signalId } } })).data!;
    const jwks = (await anyone.GET('/.well-known/jwks.json')).data!;
    const check = await verifySignal(signal.jws, jwks as unknown as JSONWebKeySet);
    expect(check.valid).toBe(true);
    expect(check.document).toEqual(signal.signal);
    expect(signal.signal.credentialSubject).toMatchObject({
      operatorId,
      attribution: { recordId, recordHash: `sha256:${record.hash}` },
    });
    const mine = await anyone.GET('/v1/operators/{operatorId}/signals', queuePath);
    expect(mine.data!.items.map((s) => s.id)).toEqual([signalId]);
  } else {
    expect(chain.signal).toBeNull();
    expect((await anyone.GET('/v1/operators/{operatorId}/signals', queuePath)).data!.items).toEqual([]);
  }
});
