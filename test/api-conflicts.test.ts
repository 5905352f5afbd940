/**
 * Every 409 of the contract: a permitted principal asking for a step the current state does
 * not allow gets 409 with the reason, and nothing changes. Plus idempotent retries.
 */
import { randomUUID } from 'node:crypto';
import { requestBody } from './support/fixtures';
import { startTestApi, type TestApi } from './support/api';
import { snapshot, worldAt, type Step, type World } from './support/http-world';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api?.stop());

interface Case {
  name: string;
  step: Step;
  call: (w: World) => [method: 'POST', path: string, as: keyof World, body?: unknown];
  reason: RegExp;
}

const CASES: Case[] = [
  {
    name: 'approve a task that is already approved',
    step: 'approved',
    call: (w) => ['POST', `/v1/tasks/${w.taskId}/approve`, 'governor', {}],
    reason: /not pending/,
  },
  {
    name: 'create a job before approval',
    step: 'pending',
    call: (w) => ['POST', `/v1/tasks/${w.taskId}/job`, 'governor'],
    reason: /needs an approved task/,
  },
  {
    name: 'create a job before assignment',
    step: 'approved',
    call: (w) => ['POST', `/v1/tasks/${w.taskId}/job`, 'governor'],
    reason: /no assignee/,
  },
  {
    name: 'create a second job',
    step: 'queued',
    call: (w) => ['POST', `/v1/tasks/${w.taskId}/job`, 'governor'],
    reason: /already exists/,
  },
  {
    name: 'reject once a job exists',
    step: 'queued',
    call: (w) => ['POST', `/v1/tasks/${w.taskId}/reject`, 'governor', { reason: 'too late' }],
    reason: /job_created/,
  },
  {
    name: 'assign once a job exists',
    step: 'queued',
    call: (w) => ['POST', `/v1/tasks/${w.taskId}/assign`, 'governor', { operatorId: w.operatorId }],
    reason: /job_created/,
  },
  {
    name: 'withdraw once a job exists',
    step: 'queued',
    call: (w) => ['POST', `/v1/intakes/${w.intakeId}/withdraw`, 'requester', {}],
    reason: /job already exists/,
  },
  {
    name: 'claim a job someone claimed',
    step: 'claimed',
    call: (w) => ['POST', `/v1/jobs/${w.jobId}/claim`, 'colleague'],
    reason: /claimed by/,
  },
  {
    name: 'start a job nobody claimed',
    step: 'queued',
    call: (w) => ['POST', `/v1/jobs/${w.jobId}/start`, 'staff'],
    reason: /not claimed/,
  },
  {
    name: 'start a job twice',
    step: 'executing',
    call: (w) => ['POST', `/v1/jobs/${w.jobId}/start`, 'staff'],
    reason: /in_progress, not claimed/,
  },
  {
    name: 'move a stage backwards',
    step: 'executing',
    call: (w) => ['POST', `/v1/service-events/${w.serviceEventId}/stage`, 'staff', { stage: 'en_route' }],
    reason: /not after the current stage/,
  },
  {
    name: 'add evidence after completion',
    step: 'completed',
    call: (w) => [
      'POST',
      `/v1/service-events/${w.serviceEventId}/evidence`,
      'staff',
      { kind: 'note', description: 'late' },
    ],
    reason: /completed|ended/,
  },
  {
    name: 'complete twice',
    step: 'completed',
    call: (w) => [
      'POST',
      `/v1/service-events/${w.serviceEventId}/complete`,
      'staff',
      { outcome: 'failed', summary: 'again' },
    ],
    reason: /completed|ended/,
  },
  {
    name: 'stage after completion',
    step: 'completed',
    call: (w) => ['POST', `/v1/service-events/${w.serviceEventId}/stage`, 'staff', { stage: 'wrapping_up' }],
    reason: /completed|ended/,
  },
];

test.each(CASES.map((c) => [c.name, c] as const))('409: %s', async (_name, c) => {
  const world = await worldAt(api, c.step);
  if (c.name === 'move a stage backwards') {
    expect(
      (
        await api.call('POST', `/v1/service-events/${world.serviceEventId}/stage`, {
          as: world.staff,
          body: { stage: 'on_site' },
        })
      ).status,
    ).toBe(200);
  }
  const before = await snapshot(api, world.intakeId);
  const [method, path, as, body] = c.call(world);
  const res = await api.call(method, path, { as: world[as] as never, body });
  expect(res.status).toBe(409);
  expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
  expect(res.body).toMatchObject({ status: 409, title: 'Conflict', detail: expect.stringMatching(c.reason) });
  expect(await snapshot(api, world.intakeId)).toEqual(before);
});

test('409: anything after the intake was rejected or withdrawn', async () => {
  const rejected = await worldAt(api, 'pending');
  expect(
    (await api.call('POST', `/v1/tasks/${rejected.taskId}/reject`, { as: rejected.governor, body: { reason: 'no' } }))
      .status,
  ).toBe(200);
  await api.intakes.handle(rejected.intakeId).result();
  const approve = await api.call('POST', `/v1/tasks/${rejected.taskId}/approve`, { as: rejected.governor, body: {} });
  expect(approve.status).toBe(409);
  expect(approve.body.detail).toMatch(/rejected/);

  const withdrawn = await worldAt(api, 'pending');
  expect(
    (await api.call('POST', `/v1/intakes/${withdrawn.intakeId}/withdraw`, { as: withdrawn.requester, body: {} }))
      .status,
  ).toBe(200);
  expect(
    (await api.call('POST', `/v1/intakes/${withdrawn.intakeId}/withdraw`, { as: withdrawn.requester, body: {} }))
      .status,
  ).toBe(409);
  expect((await api.call('GET', `/v1/intakes/${withdrawn.intakeId}`, { as: withdrawn.requester })).body.phase).toBe(
    'withdrawn',
  );
});

describe('idempotency', () => {
  test('a request submitted twice with one key is one intake, and the same answer', async () => {
    const w = await worldAt(api, 'pending');
    const key = randomUUID();
    const body = requestBody({ request: { category: 'electrical', summary: 'Breaker trips' } });
    const first = await api.call('POST', '/v1/requests', {
      as: w.requester,
      body,
      headers: { 'idempotency-key': key },
    });
    const again = await api.call('POST', '/v1/requests', {
      as: w.requester,
      body,
      headers: { 'idempotency-key': key },
    });
    expect(first.status).toBe(201);
    expect(again).toMatchObject({ status: 201, body: first.body });
    expect(await api.db('requests').where({ submitted_by_sub: w.requester.sub, idempotency_key: key })).toHaveLength(1);
    // The same key for a different body is the client's mistake, and changes nothing.
    const changed = await api.call('POST', '/v1/requests', {
      as: w.requester,
      body: { ...body, channel: 'email' },
      headers: { 'idempotency-key': key },
    });
    expect(changed.status).toBe(422);
    // Another principal's identical key is its own submission.
    const other = await api.call('POST', '/v1/requests', {
      as: w.otherRequester,
      body,
      headers: { 'idempotency-key': key },
    });
    expect(other.status).toBe(201);
    expect(other.body.intakeId).not.toBe(first.body.intakeId);
  });

  test('racing submissions with one key start one workflow', async () => {
    const w = await worldAt(api, 'pending');
    const key = randomUUID();
    const body = requestBody();
    const answers = await Promise.all(
      Array.from({ length: 5 }, () =>
        api.call('POST', '/v1/requests', { as: w.requester, body, headers: { 'idempotency-key': key } }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(answers.map((a) => a.body.intakeId)).size).toBe(1);
    expect(await api.db('intakes').where({ id: answers[0]!.body.intakeId })).toHaveLength(1);
  });

  test('a retried command with the same key is applied once and answered the same', async () => {
    const w = await worldAt(api, 'executing');
    const key = randomUUID();
    const send = () =>
      api.call('POST', `/v1/service-events/${w.serviceEventId}/evidence`, {
        as: w.staff,
        body: { kind: 'note', description: 'once' },
        headers: { 'idempotency-key': key },
      });
    const [a, b] = [await send(), await send()];
    expect(a.status).toBe(201);
    expect(b).toMatchObject({ status: 201, body: a.body });
    expect(await api.db('evidence').where({ service_event_id: w.serviceEventId })).toHaveLength(1);
  });

  test('createJob retried with its key returns the same job, even after the intake has ended', async () => {
    const w = await worldAt(api, 'assigned');
    const key = randomUUID();
    const create = () =>
      api.call('POST', `/v1/tasks/${w.taskId}/job`, { as: w.governor, headers: { 'idempotency-key': key } });
    const first = await create();
    expect(first.status).toBe(201);
    expect((await create()).body.id).toBe(first.body.id);
    const completeKey = randomUUID();
    const complete = () =>
      api.call('POST', `/v1/service-events/${se}/complete`, {
        as: w.staff,
        body: { outcome: 'completed', summary: 's' },
        headers: { 'idempotency-key': completeKey },
      });
    expect((await api.call('POST', `/v1/jobs/${first.body.id}/claim`, { as: w.staff })).status).toBe(200);
    const se = (await api.call('POST', `/v1/jobs/${first.body.id}/start`, { as: w.staff })).body.serviceEventId;
    expect((await complete()).status).toBe(202);
    await api.intakes.handle(w.intakeId).result();
    // The workflow is closed now; the audit trail still knows these keys were applied.
    const lateJob = await create();
    expect(lateJob).toMatchObject({ status: 201, body: { id: first.body.id } });
    const lateComplete = await complete();
    expect(lateComplete).toMatchObject({ status: 202, body: { id: se, outcome: 'completed' } });
    // A different key is a new command, refused.
    expect(
      (
        await api.call('POST', `/v1/tasks/${w.taskId}/job`, {
          as: w.governor,
          headers: { 'idempotency-key': randomUUID() },
        })
      ).status,
    ).toBe(409);
  });

  test('concurrent createJob calls with different keys make exactly one job', async () => {
    const w = await worldAt(api, 'assigned');
    const answers = await Promise.all(
      Array.from({ length: 6 }, () =>
        api.call('POST', `/v1/tasks/${w.taskId}/job`, { as: w.governor, headers: { 'idempotency-key': randomUUID() } }),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
    expect(await api.db('jobs').where({ task_id: w.taskId })).toHaveLength(1);
  });
});

describe('an Idempotency-Key reused with another body', () => {
  type Reuse = [name: string, step: Step, path: (w: World) => string, as: keyof World, first: unknown, second: unknown];
  const REUSES: Reuse[] = [
    ['approve', 'pending', (w) => `/v1/tasks/${w.taskId}/approve`, 'governor', { note: 'a' }, { note: 'b' }],
    ['reject', 'pending', (w) => `/v1/tasks/${w.taskId}/reject`, 'governor', { reason: 'a' }, { reason: 'b' }],
    [
      'assign',
      'approved',
      (w) => `/v1/tasks/${w.taskId}/assign`,
      'governor',
      { operatorId: 'op-a' },
      { operatorId: 'op-b' },
    ],
    ['withdraw', 'pending', (w) => `/v1/intakes/${w.intakeId}/withdraw`, 'requester', { reason: 'a' }, { reason: 'b' }],
    [
      'stage',
      'executing',
      (w) => `/v1/service-events/${w.serviceEventId}/stage`,
      'staff',
      { stage: 'en_route' },
      { stage: 'on_site' },
    ],
    [
      'evidence',
      'executing',
      (w) => `/v1/service-events/${w.serviceEventId}/evidence`,
      'staff',
      { kind: 'note', description: 'a' },
      { kind: 'note', description: 'b' },
    ],
    [
      'complete',
      'executing',
      (w) => `/v1/service-events/${w.serviceEventId}/complete`,
      'staff',
      { outcome: 'completed', summary: 'a' },
      { outcome: 'failed', summary: 'b' },
    ],
  ];
  const ENDING = new Set(['reject', 'withdraw', 'complete']);
  test.each(REUSES)('%s: 422, and the first answer stands', async (name, step, path, as, first, second) => {
    const w = await worldAt(api, step);
    const headers = { 'idempotency-key': randomUUID() };
    const principal = w[as] as World['admin'];
    const answered = await api.call('POST', path(w), { as: principal, body: first, headers });
    expect(answered.status).toBeLessThan(300);
    // A command that ends the Intake leaves the seal to run after its answer: let it finish first.
    if (ENDING.has(name)) await api.intakes.handle(w.intakeId).result();
    const before = await snapshot(api, w.intakeId);
    const reused = await api.call('POST', path(w), { as: principal, body: second, headers });
    expect(reused).toMatchObject({ status: 422, body: { detail: expect.stringMatching(/different request body/) } });
    expect(await snapshot(api, w.intakeId)).toEqual(before);
    // The same body again is a retry: the first answer, once more.
    expect(await api.call('POST', path(w), { as: principal, body: first, headers })).toMatchObject({
      status: answered.status,
      body: answered.body,
    });
  });
});
