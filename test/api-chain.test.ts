/**
 * The whole chain over real HTTP, for both audiences and both outcomes, reading back every
 * resource the contract exposes along the way.
 */
import { verifySignal } from '../trust/signal';
import { startTestApi, type TestApi } from './support/api';
import { admin, newOperatorId, operator, requestBody, requester } from './support/fixtures';

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
  const operatorId = newOperatorId();
  const alice = requester();
  const staff = operator(operatorId);
  const boss = admin();
  const governor = audience === 'operator' ? staff : boss;
  const body = requestBody(audience === 'operator' ? { operatorId } : {});

  const submitted = await api.call('POST', '/v1/requests', { as: alice, body });
  expect(submitted.status).toBe(201);
  expect(submitted.headers.get('location')).toBe(`/v1/intakes/${submitted.body.intakeId}`);
  expect(submitted.body).toMatchObject({
    phase: 'governance',
    task: { audience, status: 'pending' },
    workflowId: `intake-${submitted.body.intakeId}`,
  });
  const { requestId, intakeId, taskId } = submitted.body;

  const request = await api.call('GET', `/v1/requests/${requestId}`, { as: alice });
  expect(request.body).toMatchObject({
    id: requestId,
    intakeId,
    channel: 'web',
    body,
    submittedBy: { sub: alice.sub, role: 'requester' },
    actor: { kind: 'person', name: 'Ada Lovelace' },
  });

  const list = await api.call('GET', `/v1/tasks?audience=${audience}&status=pending&limit=100`, { as: governor });
  expect(list.body.items.map((t: { id: string }) => t.id)).toContain(taskId);

  expect(
    (await api.call('POST', `/v1/tasks/${taskId}/approve`, { as: governor, body: { note: 'looks fine' } })).body,
  ).toMatchObject({ status: 'approved' });
  expect(
    (await api.call('POST', `/v1/tasks/${taskId}/assign`, { as: governor, body: { operatorId } })).body,
  ).toMatchObject({ assigneeOperatorId: operatorId });
  const job = await api.call('POST', `/v1/tasks/${taskId}/job`, { as: governor });
  expect(job).toMatchObject({ status: 201, body: { taskId, intakeId, operatorId, status: 'queued' } });
  const task = await api.call('GET', `/v1/tasks/${taskId}`, { as: governor });
  expect(task.body).toMatchObject({ status: 'job_created', jobId: job.body.id });
  expect(task.body.decisions.map((d: { kind: string }) => d.kind)).toEqual(['approve', 'assign', 'create_job']);

  const queue = await api.call('GET', `/v1/operators/${operatorId}/queue`, { as: staff });
  expect(queue.body.items).toEqual([expect.objectContaining({ id: job.body.id, status: 'queued' })]);
  expect((await api.call('POST', `/v1/jobs/${job.body.id}/claim`, { as: staff })).body).toMatchObject({
    status: 'claimed',
    claimedBy: staff.sub,
  });
  const started = await api.call('POST', `/v1/jobs/${job.body.id}/start`, { as: staff });
  expect(started).toMatchObject({ status: 201, body: { status: 'open', jobId: job.body.id } });
  const seId = started.body.serviceEventId;
  expect((await api.call('GET', `/v1/jobs/${job.body.id}`, { as: staff })).body).toMatchObject({
    status: 'in_progress',
    serviceEventId: seId,
  });

  expect(
    (await api.call('POST', `/v1/service-events/${seId}/stage`, { as: staff, body: { stage: 'en_route' } })).body.stage,
  ).toBe('en_route');
  expect(
    (await api.call('POST', `/v1/service-events/${seId}/stage`, { as: staff, body: { stage: 'in_progress' } })).body
      .stage,
  ).toBe('in_progress');
  const evidence = [
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
    const added = await api.call('POST', `/v1/service-events/${seId}/evidence`, { as: staff, body: e });
    expect(added).toMatchObject({
      status: 201,
      body: { evidenceId: expect.any(String), seq: i + 1, serviceEventId: seId },
    });
  }
  const se = await api.call('GET', `/v1/service-events/${seId}`, { as: staff });
  expect(se.body).toMatchObject({
    status: 'open',
    stage: 'in_progress',
    stageHistory: [
      { stage: 'en_route', by: staff.sub },
      { stage: 'in_progress', by: staff.sub },
    ],
  });
  expect(se.body.evidence.map((e: { kind: string }) => e.kind)).toEqual(['photo', 'measurement', 'signature']);

  const completed = await api.call('POST', `/v1/service-events/${seId}/complete`, {
    as: staff,
    body: { outcome, summary: 'Summary of the visit' },
  });
  expect(completed).toMatchObject({ status: 202, body: { status: 'closed', outcome } });
  await api.intakes.handle(intakeId).result();

  const chain = await api.call('GET', `/v1/intakes/${intakeId}`, { as: alice });
  expect(chain.body).toMatchObject({
    phase: 'sealed',
    task: { id: taskId },
    job: { id: job.body.id, status: outcome },
    serviceEvent: { id: seId, outcome },
  });
  expect(chain.body.history.length).toBeGreaterThanOrEqual(12);
  expect((await api.call('GET', `/v1/operators/${operatorId}/queue`, { as: staff })).body.items).toEqual([]);

  const recordId = chain.body.record.id;
  const record = await api.call('GET', `/v1/records/${recordId}`, { as: alice });
  expect(record.body).toMatchObject({
    hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    sequence: expect.any(Number),
    record: { type: 'qtm.record/v1', outcome: { status: outcome } },
  });
  expect(Buffer.from(record.body.canonicalBase64, 'base64').toString('utf8')).toBe(
    JSON.stringify(JSON.parse(Buffer.from(record.body.canonicalBase64, 'base64').toString('utf8'))),
  );
  const verified = await api.call('GET', `/v1/records/${recordId}/verify`, { as: staff });
  expect(verified.body).toMatchObject({ valid: true, recordId });

  if (outcome === 'completed') {
    expect(chain.body.signal).not.toBeNull();
    const signal = await api.call('GET', `/v1/signals/${chain.body.signal.id}`);
    const jwks = await api.call('GET', '/.well-known/jwks.json');
    const check = await verifySignal(signal.body.jws, jwks.body);
    expect(check.valid).toBe(true);
    expect(check.document).toEqual(signal.body.signal);
    expect(signal.body.signal.credentialSubject).toMatchObject({
      operatorId,
      attribution: { recordId, recordHash: `sha256:${record.body.hash}` },
    });
    const mine = await api.call('GET', `/v1/operators/${operatorId}/signals`);
    expect(mine.body.items.map((s: { id: string }) => s.id)).toEqual([chain.body.signal.id]);
  } else {
    expect(chain.body.signal).toBeNull();
    expect((await api.call('GET', `/v1/operators/${operatorId}/signals`)).body.items).toEqual([]);
  }
});
