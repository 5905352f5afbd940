/**
 * Every 409 of the contract: a permitted principal asking for a step the current state does
 * not allow gets 409 with the reason, and nothing changes. Plus idempotent retries.
 */
import { randomUUID } from 'node:crypto';
import type { QtmClient, Schemas } from '../client';
import type { Principal } from '../domain/schemas';
import { requestBody } from './support/fixtures';
import { startTestApi, type TestApi } from './support/api';
import { snapshot, worldAt, type Step, type World } from './support/http-world';
import { registerTestOperators } from './support/operators';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
  // The assignments below name these.
  await registerTestOperators(api, ['op-a', 'op-b']);
});
afterAll(() => api?.stop());

/** What the typed client answers, whichever call it was. */
interface Answer {
  data?: unknown;
  error?: unknown;
  response: Response;
}
type Key = { 'idempotency-key': string };
/** The path of a resource by its id (which the World has by the step the case starts from). */
const on = (id: string | undefined, header?: Key) => ({ params: { path: { id: id! }, header } });
/** The typed client acting as one of the World's principals. */
const acting = (w: World, who: keyof World) => api.as(w[who] as Principal);

interface Case {
  name: string;
  step: Step;
  as: keyof World;
  send: (client: QtmClient, w: World) => Promise<Answer>;
  reason: RegExp;
}

const CASES: Case[] = [
  {
    name: 'approve a task that is already approved',
    step: 'approved',
    as: 'governor',
    send: (c, w) => c.POST('/v1/tasks/{id}/approve', { ...on(w.taskId), body: {} }),
    reason: /not pending/,
  },
  {
    name: 'create a job before approval',
    step: 'pending',
    as: 'governor',
    send: (c, w) => c.POST('/v1/tasks/{id}/job', { ...on(w.taskId), body: {} }),
    reason: /needs an approved task/,
  },
  {
    name: 'create a job before assignment',
    step: 'approved',
    as: 'governor',
    send: (c, w) => c.POST('/v1/tasks/{id}/job', { ...on(w.taskId), body: {} }),
    reason: /no assignee/,
  },
  {
    name: 'create a second job',
    step: 'queued',
    as: 'governor',
    send: (c, w) => c.POST('/v1/tasks/{id}/job', { ...on(w.taskId), body: {} }),
    reason: /already exists/,
  },
  {
    name: 'reject once a job exists',
    step: 'queued',
    as: 'governor',
    send: (c, w) => c.POST('/v1/tasks/{id}/reject', { ...on(w.taskId), body: { reason: 'too late' } }),
    reason: /job_created/,
  },
  {
    name: 'assign once a job exists',
    step: 'queued',
    as: 'governor',
    send: (c, w) => c.POST('/v1/tasks/{id}/assign', { ...on(w.taskId), body: { operatorId: w.operatorId } }),
    reason: /job_created/,
  },
  {
    name: 'withdraw once a job exists',
    step: 'queued',
    as: 'requester',
    send: (c, w) => c.POST('/v1/intakes/{id}/withdraw', { ...on(w.intakeId), body: {} }),
    reason: /job already exists/,
  },
  {
    name: 'claim a job someone claimed',
    step: 'claimed',
    as: 'colleague',
    send: (c, w) => c.POST('/v1/jobs/{id}/claim', { ...on(w.jobId), body: {} }),
    reason: /claimed by/,
  },
  {
    name: 'start a job nobody claimed',
    step: 'queued',
    as: 'staff',
    send: (c, w) => c.POST('/v1/jobs/{id}/start', { ...on(w.jobId), body: {} }),
    reason: /not claimed/,
  },
  {
    name: 'start a job twice',
    step: 'executing',
    as: 'staff',
    send: (c, w) => c.POST('/v1/jobs/{id}/start', { ...on(w.jobId), body: {} }),
    reason: /in_progress, not claimed/,
  },
  {
    name: 'move a stage backwards',
    step: 'executing',
    as: 'staff',
    send: (c, w) => c.POST('/v1/service-events/{id}/stage', { ...on(w.serviceEventId), body: { stage: 'en_route' } }),
    reason: /not after the current stage/,
  },
  {
    name: 'add evidence after completion',
    step: 'completed',
    as: 'staff',
    send: (c, w) =>
      c.POST('/v1/service-events/{id}/evidence', {
        ...on(w.serviceEventId),
        body: { kind: 'note', description: 'late' },
      }),
    reason: /completed|ended/,
  },
  {
    name: 'complete twice',
    step: 'completed',
    as: 'staff',
    send: (c, w) =>
      c.POST('/v1/service-events/{id}/complete', {
        ...on(w.serviceEventId),
        body: { outcome: 'failed', summary: 'again' },
      }),
    reason: /completed|ended/,
  },
  {
    name: 'stage after completion',
    step: 'completed',
    as: 'staff',
    send: (c, w) =>
      c.POST('/v1/service-events/{id}/stage', { ...on(w.serviceEventId), body: { stage: 'wrapping_up' } }),
    reason: /completed|ended/,
  },
];

test.each(CASES.map((c) => [c.name, c] as const))('409: %s', async (_name, c) => {
  const world = await worldAt(api, c.step);
  if (c.name === 'move a stage backwards') {
    expect(
      (
        await api
          .as(world.staff)
          .POST('/v1/service-events/{id}/stage', { ...on(world.serviceEventId), body: { stage: 'on_site' } })
      ).response.status,
    ).toBe(200);
  }
  const before = await snapshot(api, world.intakeId);
  const { response, error } = await c.send(acting(world, c.as), world);
  expect(response.status).toBe(409);
  expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
  expect(error).toMatchObject({ status: 409, title: 'Conflict', detail: expect.stringMatching(c.reason) });
  expect(await snapshot(api, world.intakeId)).toEqual(before);
});

test('409: anything after the intake was rejected or withdrawn', async () => {
  const rejected = await worldAt(api, 'pending');
  const governor = api.as(rejected.governor);
  expect(
    (await governor.POST('/v1/tasks/{id}/reject', { ...on(rejected.taskId), body: { reason: 'no' } })).response.status,
  ).toBe(200);
  await api.intakes.handle(rejected.intakeId).result();
  const approve = await governor.POST('/v1/tasks/{id}/approve', { ...on(rejected.taskId), body: {} });
  expect(approve.response.status).toBe(409);
  expect(approve.error!.detail).toMatch(/rejected/);

  const withdrawn = await worldAt(api, 'pending');
  const requester = api.as(withdrawn.requester);
  const withdraw = () => requester.POST('/v1/intakes/{id}/withdraw', { ...on(withdrawn.intakeId), body: {} });
  expect((await withdraw()).response.status).toBe(200);
  expect((await withdraw()).response.status).toBe(409);
  expect((await requester.GET('/v1/intakes/{id}', { params: { path: { id: withdrawn.intakeId } } })).data?.phase).toBe(
    'withdrawn',
  );
});

describe('idempotency', () => {
  test('a request submitted twice with one key is one intake, and the same answer', async () => {
    const w = await worldAt(api, 'pending');
    const key = randomUUID();
    const body = requestBody({ request: { category: 'electrical', summary: 'Breaker trips' } });
    const submit = (who: Principal, submitted: Schemas['SubmitRequest']) =>
      api.as(who).POST('/v1/requests', { params: { header: { 'idempotency-key': key } }, body: submitted });
    const first = await submit(w.requester, body);
    const again = await submit(w.requester, body);
    expect(first.response.status).toBe(201);
    expect({ status: again.response.status, body: again.data }).toMatchObject({ status: 201, body: first.data });
    expect(await api.db('requests').where({ submitted_by_sub: w.requester.sub, idempotency_key: key })).toHaveLength(1);
    // The same key for a different body is the client's mistake, and changes nothing.
    const changed = await submit(w.requester, { ...body, channel: 'email' });
    expect(changed.response.status).toBe(422);
    // Another principal's identical key is its own submission.
    const other = await submit(w.otherRequester, body);
    expect(other.response.status).toBe(201);
    expect(other.data!.intakeId).not.toBe(first.data!.intakeId);
  });

  test('racing submissions with one key start one workflow', async () => {
    const w = await worldAt(api, 'pending');
    const key = randomUUID();
    const body = requestBody();
    const answers = await Promise.all(
      Array.from({ length: 5 }, () =>
        api.as(w.requester).POST('/v1/requests', { params: { header: { 'idempotency-key': key } }, body }),
      ),
    );
    expect(answers.map((a) => a.response.status)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(answers.map((a) => a.data?.intakeId)).size).toBe(1);
    expect(await api.db('intakes').where({ id: answers[0]!.data!.intakeId })).toHaveLength(1);
  });

  test('a retried command with the same key is applied once and answered the same', async () => {
    const w = await worldAt(api, 'executing');
    const key = { 'idempotency-key': randomUUID() };
    const send = () =>
      api.as(w.staff).POST('/v1/service-events/{id}/evidence', {
        ...on(w.serviceEventId, key),
        body: { kind: 'note', description: 'once' },
      });
    const [a, b] = [await send(), await send()];
    expect(a.response.status).toBe(201);
    expect({ status: b.response.status, body: b.data }).toMatchObject({ status: 201, body: a.data });
    expect(await api.db('evidence').where({ service_event_id: w.serviceEventId })).toHaveLength(1);
  });

  test('createJob retried with its key returns the same job, even after the intake has ended', async () => {
    const w = await worldAt(api, 'assigned');
    const governor = api.as(w.governor);
    const staff = api.as(w.staff);
    const key = { 'idempotency-key': randomUUID() };
    const create = () => governor.POST('/v1/tasks/{id}/job', { ...on(w.taskId, key), body: {} });
    const first = await create();
    expect(first.response.status).toBe(201);
    const jobId = first.data!.id;
    expect((await create()).data?.id).toBe(jobId);
    const completeKey = { 'idempotency-key': randomUUID() };
    const complete = () =>
      staff.POST('/v1/service-events/{id}/complete', {
        ...on(se, completeKey),
        body: { outcome: 'completed', summary: 's' },
      });
    expect((await staff.POST('/v1/jobs/{id}/claim', { ...on(jobId), body: {} })).response.status).toBe(200);
    const se = (await staff.POST('/v1/jobs/{id}/start', { ...on(jobId), body: {} })).data?.serviceEventId;
    expect((await complete()).response.status).toBe(202);
    await api.intakes.handle(w.intakeId).result();
    // The workflow is closed now; the audit trail still knows these keys were applied.
    const lateJob = await create();
    expect({ status: lateJob.response.status, body: lateJob.data }).toMatchObject({ status: 201, body: { id: jobId } });
    const lateComplete = await complete();
    expect({ status: lateComplete.response.status, body: lateComplete.data }).toMatchObject({
      status: 202,
      body: { id: se, outcome: 'completed' },
    });
    // A different key is a new command, refused.
    expect(
      (await governor.POST('/v1/tasks/{id}/job', { ...on(w.taskId, { 'idempotency-key': randomUUID() }), body: {} }))
        .response.status,
    ).toBe(409);
  });

  test('concurrent createJob calls with different keys make exactly one job', async () => {
    const w = await worldAt(api, 'assigned');
    const answers = await Promise.all(
      Array.from({ length: 6 }, () =>
        api
          .as(w.governor)
          .POST('/v1/tasks/{id}/job', { ...on(w.taskId, { 'idempotency-key': randomUUID() }), body: {} }),
      ),
    );
    expect(answers.map((a) => a.response.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
    expect(await api.db('jobs').where({ task_id: w.taskId })).toHaveLength(1);
  });
});

describe('an Idempotency-Key reused with another body', () => {
  /** Sends the command with its first or its second body, under the given key. */
  type Send = (client: QtmClient, w: World, key: Key) => Promise<Answer>;
  type Reuse = [name: string, step: Step, as: keyof World, first: Send, second: Send];
  const reuse = <Body>(
    name: string,
    step: Step,
    as: keyof World,
    send: (client: QtmClient, w: World, body: Body, key: Key) => Promise<Answer>,
    first: Body,
    second: Body,
  ): Reuse => [name, step, as, (c, w, key) => send(c, w, first, key), (c, w, key) => send(c, w, second, key)];
  const REUSES: Reuse[] = [
    reuse(
      'approve',
      'pending',
      'governor',
      (c, w, body: Schemas['ApproveTask'], key) => c.POST('/v1/tasks/{id}/approve', { ...on(w.taskId, key), body }),
      { note: 'a' },
      { note: 'b' },
    ),
    reuse(
      'reject',
      'pending',
      'governor',
      (c, w, body: Schemas['RejectTask'], key) => c.POST('/v1/tasks/{id}/reject', { ...on(w.taskId, key), body }),
      { reason: 'a' },
      { reason: 'b' },
    ),
    reuse(
      'assign',
      'approved',
      'governor',
      (c, w, body: Schemas['AssignTask'], key) => c.POST('/v1/tasks/{id}/assign', { ...on(w.taskId, key), body }),
      { operatorId: 'op-a' },
      { operatorId: 'op-b' },
    ),
    reuse(
      'withdraw',
      'pending',
      'requester',
      (c, w, body: Schemas['WithdrawIntake'], key) =>
        c.POST('/v1/intakes/{id}/withdraw', { ...on(w.intakeId, key), body }),
      { reason: 'a' },
      { reason: 'b' },
    ),
    reuse(
      'stage',
      'executing',
      'staff',
      (c, w, body: Schemas['StageChange'], key) =>
        c.POST('/v1/service-events/{id}/stage', { ...on(w.serviceEventId, key), body }),
      { stage: 'en_route' },
      { stage: 'on_site' },
    ),
    reuse(
      'evidence',
      'executing',
      'staff',
      (c, w, body: Schemas['EvidenceInput'], key) =>
        c.POST('/v1/service-events/{id}/evidence', { ...on(w.serviceEventId, key), body }),
      { kind: 'note', description: 'a' },
      { kind: 'note', description: 'b' },
    ),
    reuse(
      'complete',
      'executing',
      'staff',
      (c, w, body: Schemas['CompleteServiceEvent'], key) =>
        c.POST('/v1/service-events/{id}/complete', { ...on(w.serviceEventId, key), body }),
      { outcome: 'completed', summary: 'a' },
      { outcome: 'failed', summary: 'b' },
    ),
  ];
  const ENDING = new Set(['reject', 'withdraw', 'complete']);
  test.each(REUSES)('%s: 422, and the first answer stands', async (name, step, who, first, second) => {
    const w = await worldAt(api, step);
    const key = { 'idempotency-key': randomUUID() };
    const client = acting(w, who);
    const answered = await first(client, w, key);
    expect(answered.response.status).toBeLessThan(300);
    // A command that ends the Intake leaves the seal to run after its answer: let it finish first.
    if (ENDING.has(name)) await api.intakes.handle(w.intakeId).result();
    const before = await snapshot(api, w.intakeId);
    const reused = await second(client, w, key);
    expect({ status: reused.response.status, body: reused.error }).toMatchObject({
      status: 422,
      body: { detail: expect.stringMatching(/different request body/) },
    });
    expect(await snapshot(api, w.intakeId)).toEqual(before);
    // The same body again is a retry: the first answer, once more.
    const retried = await first(client, w, key);
    expect({ status: retried.response.status, body: retried.data }).toMatchObject({
      status: answered.response.status,
      body: answered.data,
    });
  });
});
