/**
 * Every endpoint × every role, allowed and refused, from one table. Refused calls get 401
 * (no token) or 403 (wrong principal), name no other principal, and leave every row of the
 * Intake as it was; allowed calls succeed. Then: reads that follow the current right to read,
 * principals compared whole, and the directory of known operators.
 */
import { randomUUID } from 'node:crypto';
import { awaitEnd, driveLifecycle } from '../client/lifecycle';
import type { Principal } from '../domain/schemas';
import { admin, newOperatorId, operator, requestBody, requester } from './support/fixtures';
import { startTestApi, type TestApi } from './support/api';
import { databaseAt } from './support/database';
import { eventually } from './support/eventually';
import { snapshot, worldAt, type Step, type World } from './support/http-world';
import { knownOperatorId } from './support/operators';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api?.stop());

type Who = 'anonymous' | 'requester' | 'otherRequester' | 'admin' | 'staff' | 'colleague' | 'stranger';
const EVERYONE: Who[] = ['anonymous', 'requester', 'otherRequester', 'admin', 'staff', 'colleague', 'stranger'];

interface Row {
  name: string;
  step: Step;
  audience?: 'operator' | 'admin';
  method: 'GET' | 'POST';
  path: (w: World) => string;
  body?: (w: World) => unknown;
  /** Who succeeds (each with its own fresh world when the call changes state). */
  allowed: Who[];
  status: number;
}

const ROWS: Row[] = [
  // Requests and intakes.
  {
    name: 'submit a request',
    step: 'pending',
    method: 'POST',
    path: () => '/v1/requests',
    body: () => requestBody(),
    allowed: ['requester', 'otherRequester', 'admin'],
    status: 201,
  },
  {
    name: 'read a request',
    step: 'pending',
    method: 'GET',
    path: (w) => `/v1/requests/${w.requestId}`,
    allowed: ['requester', 'admin'],
    status: 200,
  },
  {
    name: 'read an intake chain',
    step: 'queued',
    method: 'GET',
    path: (w) => `/v1/intakes/${w.intakeId}`,
    allowed: ['requester', 'admin', 'staff', 'colleague'],
    status: 200,
  },
  {
    name: 'withdraw',
    step: 'approved',
    method: 'POST',
    path: (w) => `/v1/intakes/${w.intakeId}/withdraw`,
    body: () => ({ reason: 'changed my mind' }),
    allowed: ['requester'],
    status: 200,
  },
  // Governance, admin audience.
  {
    name: 'list admin tasks',
    step: 'pending',
    method: 'GET',
    path: () => '/v1/tasks?audience=admin',
    allowed: ['admin'],
    status: 200,
  },
  {
    name: 'read an admin task',
    step: 'pending',
    method: 'GET',
    path: (w) => `/v1/tasks/${w.taskId}`,
    allowed: ['admin'],
    status: 200,
  },
  {
    name: 'approve an admin task',
    step: 'pending',
    method: 'POST',
    path: (w) => `/v1/tasks/${w.taskId}/approve`,
    body: () => ({}),
    allowed: ['admin'],
    status: 200,
  },
  {
    name: 'reject an admin task',
    step: 'pending',
    method: 'POST',
    path: (w) => `/v1/tasks/${w.taskId}/reject`,
    body: () => ({ reason: 'no' }),
    allowed: ['admin'],
    status: 200,
  },
  {
    name: 'assign an admin task',
    step: 'approved',
    method: 'POST',
    path: (w) => `/v1/tasks/${w.taskId}/assign`,
    body: (w) => ({ operatorId: w.operatorId }),
    allowed: ['admin'],
    status: 200,
  },
  {
    name: 'create the job of an admin task',
    step: 'assigned',
    method: 'POST',
    path: (w) => `/v1/tasks/${w.taskId}/job`,
    allowed: ['admin'],
    status: 201,
  },
  // Governance, operator audience.
  {
    name: 'list own operator tasks',
    step: 'pending',
    audience: 'operator',
    method: 'GET',
    path: () => '/v1/tasks?audience=operator',
    allowed: ['admin', 'staff', 'colleague', 'stranger'],
    status: 200,
  },
  {
    name: 'read an operator task',
    step: 'pending',
    audience: 'operator',
    method: 'GET',
    path: (w) => `/v1/tasks/${w.taskId}`,
    allowed: ['admin', 'staff', 'colleague'],
    status: 200,
  },
  {
    name: 'approve an operator task',
    step: 'pending',
    audience: 'operator',
    method: 'POST',
    path: (w) => `/v1/tasks/${w.taskId}/approve`,
    body: () => ({ note: 'ok' }),
    allowed: ['staff', 'colleague'],
    status: 200,
  },
  {
    name: 'reject an operator task',
    step: 'pending',
    audience: 'operator',
    method: 'POST',
    path: (w) => `/v1/tasks/${w.taskId}/reject`,
    body: () => ({ reason: 'busy' }),
    allowed: ['staff', 'colleague'],
    status: 200,
  },
  {
    name: 'assign an operator task',
    step: 'approved',
    audience: 'operator',
    method: 'POST',
    path: (w) => `/v1/tasks/${w.taskId}/assign`,
    body: (w) => ({ operatorId: w.operatorId }),
    allowed: ['staff', 'colleague'],
    status: 200,
  },
  {
    name: 'create the job of an operator task',
    step: 'assigned',
    audience: 'operator',
    method: 'POST',
    path: (w) => `/v1/tasks/${w.taskId}/job`,
    allowed: ['staff', 'colleague'],
    status: 201,
  },
  // Execution.
  {
    name: 'read an operator queue',
    step: 'queued',
    method: 'GET',
    path: (w) => `/v1/operators/${w.operatorId}/queue`,
    allowed: ['admin', 'staff', 'colleague'],
    status: 200,
  },
  {
    name: 'read a job',
    step: 'queued',
    method: 'GET',
    path: (w) => `/v1/jobs/${w.jobId}`,
    allowed: ['admin', 'staff', 'colleague'],
    status: 200,
  },
  {
    name: 'claim a job',
    step: 'queued',
    method: 'POST',
    path: (w) => `/v1/jobs/${w.jobId}/claim`,
    allowed: ['staff', 'colleague'],
    status: 200,
  },
  {
    name: 'start a job',
    step: 'claimed',
    method: 'POST',
    path: (w) => `/v1/jobs/${w.jobId}/start`,
    allowed: ['staff'],
    status: 201,
  },
  {
    name: 'read a service event',
    step: 'executing',
    method: 'GET',
    path: (w) => `/v1/service-events/${w.serviceEventId}`,
    allowed: ['admin', 'staff', 'colleague'],
    status: 200,
  },
  {
    name: 'move a stage',
    step: 'executing',
    method: 'POST',
    path: (w) => `/v1/service-events/${w.serviceEventId}/stage`,
    body: () => ({ stage: 'en_route' }),
    allowed: ['staff'],
    status: 200,
  },
  {
    name: 'add evidence',
    step: 'executing',
    method: 'POST',
    path: (w) => `/v1/service-events/${w.serviceEventId}/evidence`,
    body: () => ({ kind: 'note', description: 'arrived' }),
    allowed: ['staff'],
    status: 201,
  },
  {
    name: 'complete',
    step: 'executing',
    method: 'POST',
    path: (w) => `/v1/service-events/${w.serviceEventId}/complete`,
    body: () => ({ outcome: 'completed', summary: 'done' }),
    allowed: ['staff'],
    status: 202,
  },
  // Trust.
  {
    name: 'read a record',
    step: 'completed',
    method: 'GET',
    path: (w) => `/v1/records/${w.recordId}`,
    allowed: ['requester', 'admin', 'staff', 'colleague'],
    status: 200,
  },
  {
    name: 'verify a record',
    step: 'completed',
    method: 'GET',
    path: (w) => `/v1/records/${w.recordId}/verify`,
    allowed: ['requester', 'admin', 'staff', 'colleague'],
    status: 200,
  },
  {
    name: 'read a signal',
    step: 'completed',
    method: 'GET',
    path: (w) => `/v1/signals/${w.signalId}`,
    allowed: EVERYONE,
    status: 200,
  },
  {
    name: 'list an operator’s signals',
    step: 'completed',
    method: 'GET',
    path: (w) => `/v1/operators/${w.operatorId}/signals`,
    allowed: EVERYONE,
    status: 200,
  },
  {
    name: 'read the public keys',
    step: 'pending',
    method: 'GET',
    path: () => '/.well-known/jwks.json',
    allowed: EVERYONE,
    status: 200,
  },
];

const principal = (w: World, who: Who) => (who === 'anonymous' ? null : w[who]);

/** A refusal's detail names neither another principal's sub nor, to an outsider, the owning operator. */
const namingNoOneElse = (w: World, who: Who) => {
  const others = EVERYONE.filter((o) => o !== who && o !== 'anonymous').map(
    (o) => w[o as Exclude<Who, 'anonymous'>].sub,
  );
  const mine = who !== 'anonymous' && w[who].operatorId === w.operatorId;
  const names = [...others, ...(mine ? [] : [w.operatorId])];
  return expect.not.stringMatching(new RegExp(names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')));
};

test.each(ROWS.map((r) => [r.name, r] as const))('%s', async (_name, row) => {
  const world = await worldAt(api, row.step, row.audience ?? 'admin');
  const refused = EVERYONE.filter((who) => !row.allowed.includes(who));
  const before = await snapshot(api, world.intakeId);
  for (const who of refused) {
    const res = await api.call(row.method, row.path(world), { as: principal(world, who), body: row.body?.(world) });
    expect({ who, status: res.status }).toEqual({ who, status: who === 'anonymous' ? 401 : 403 });
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect({ who, detail: res.body.detail }).toEqual({ who, detail: namingNoOneElse(world, who) });
  }
  expect(await snapshot(api, world.intakeId)).toEqual(before);

  for (const [i, who] of row.allowed.entries()) {
    // A state-changing call gets a fresh world for each allowed principal.
    const w = row.method === 'POST' && i > 0 ? await worldAt(api, row.step, row.audience ?? 'admin') : world;
    const res = await api.call(row.method, row.path(w), { as: principal(w, who), body: row.body?.(w) });
    expect({ who, status: res.status, body: res.status === row.status ? 'ok' : res.body }).toEqual({
      who,
      status: row.status,
      body: 'ok',
    });
  }
});

test('operator lists only its own operator-audience tasks', async () => {
  const mine = await worldAt(api, 'pending', 'operator');
  const theirs = await worldAt(api, 'pending', 'operator');
  const res = await api.call('GET', '/v1/tasks?audience=operator&limit=100', { as: mine.staff });
  const ids = res.body.items.map((t: { id: string }) => t.id);
  expect(ids).toContain(mine.taskId);
  expect(ids).not.toContain(theirs.taskId);
  expect(res.body.items.every((t: { operatorId: string }) => t.operatorId === mine.operatorId)).toBe(true);
  expect((await api.call('GET', '/v1/tasks?audience=admin', { as: mine.staff })).status).toBe(403);
});

const get = (path: string, as: Principal | null) => api.call('GET', path, { as });

/** Signs a checkpoint (the test stack runs no log signer) and waits until the Record's proof answers. */
async function inCheckpoint(recordId: string): Promise<void> {
  const boss = admin();
  await eventually('the Record in a checkpoint', async () => {
    await api.call('POST', '/v1/log/checkpoint', { as: boss });
    return (await get(`/v1/records/${recordId}/proof`, boss)).status === 200 ? true : undefined;
  });
}

describe('reads follow the current right to read', () => {
  test('after escalation and a new assignment, the operator named at submission reads nothing of the other operator’s work', async () => {
    // Operator A is addressed; its Task goes stale, moves to the admins, and an admin gives the work to B.
    const w = await worldAt(api, 'pending', 'operator');
    const a = w.staff;
    expect((await get(`/v1/intakes/${w.intakeId}`, a)).status).toBe(200);
    await api.intakes.escalate(w.intakeId, {
      expectedAudience: 'operator',
      expectedLevel: 0,
      maxLevel: 3,
      reason: 'no decision for 4h',
    });
    await eventually('the escalation', async () =>
      (await get(`/v1/tasks/${w.taskId}`, w.admin)).body.audience === 'admin' ? true : undefined,
    );
    // The Task is the admins' now: A no longer governs it, so it no longer reads it or its Intake.
    for (const path of [`/v1/intakes/${w.intakeId}`, `/v1/tasks/${w.taskId}`])
      expect({ path, status: (await get(path, a)).status }).toEqual({ path, status: 403 });

    const b = await knownOperatorId(api);
    const bStaff = operator(b);
    // Approved and assigned to B by an admin, and carried out by B.
    const ids = await driveLifecycle(
      { requester: api.as(w.requester), governor: api.as(w.admin), staff: api.as(bStaff) },
      {
        body: requestBody(),
        submitted: { requestId: w.requestId, intakeId: w.intakeId, taskId: w.taskId },
        operatorId: b,
        evidence: [{ kind: 'note', description: 'replaced the washer' }],
        summary: 'fixed by B',
      },
    );
    const chain = await awaitEnd(api.as(w.requester), w.intakeId);
    const recordId = chain.record!.id;
    await inCheckpoint(recordId);
    const reads = [
      `/v1/intakes/${w.intakeId}`,
      `/v1/tasks/${w.taskId}`,
      `/v1/jobs/${ids.jobId}`,
      `/v1/service-events/${ids.serviceEventId}`,
      `/v1/records/${recordId}`,
      `/v1/records/${recordId}/verify`,
      `/v1/records/${recordId}/proof`,
    ];
    for (const path of reads) {
      const refused = await get(path, a);
      expect({ path, status: refused.status }).toEqual({ path, status: 403 });
      expect(refused.body.detail).not.toContain(b);
      expect(refused.body.detail).not.toContain(bStaff.sub);
    }
    // B, whose work it is, reads what its Job names; the requester and admins read the whole chain.
    for (const path of reads.filter((p) => !p.startsWith('/v1/tasks/')))
      expect({ path, status: (await get(path, bStaff)).status }).toEqual({ path, status: 200 });
    const asB = (await get(`/v1/intakes/${w.intakeId}`, bStaff)).body;
    expect(asB).toMatchObject({ job: { operatorId: b }, record: { id: recordId } });
    expect(asB.record).not.toHaveProperty('requester');
    for (const who of [w.requester, w.admin]) expect((await get(`/v1/intakes/${w.intakeId}`, who)).status).toBe(200);
  });

  test('an operator assigned an admin-audience Task reads its Intake until another is assigned', async () => {
    const w = await worldAt(api, 'approved', 'admin');
    const boss = api.as(w.admin);
    const task = { params: { path: { id: w.taskId } } };
    await boss.POST('/v1/tasks/{id}/assign', { ...task, body: { operatorId: w.operatorId } });
    expect((await get(`/v1/intakes/${w.intakeId}`, w.staff)).status).toBe(200);
    expect((await get(`/v1/tasks/${w.taskId}`, w.staff)).status).toBe(403);
    const other = await knownOperatorId(api);
    await boss.POST('/v1/tasks/{id}/assign', { ...task, body: { operatorId: other } });
    expect((await get(`/v1/intakes/${w.intakeId}`, w.staff)).status).toBe(403);
    expect((await get(`/v1/intakes/${w.intakeId}`, operator(other))).status).toBe(200);
  });
});

describe('principals compared whole', () => {
  test('a requester whose sub is the admin who entered an Intake reads neither it nor its Request, Record or proof', async () => {
    const boss = admin();
    const operatorId = await knownOperatorId(api);
    const ids = await driveLifecycle(
      { requester: api.as(boss), governor: api.as(boss), staff: api.as(operator(operatorId)) },
      { body: requestBody({ channel: 'phone' }), operatorId },
    );
    const recordId = (await awaitEnd(api.as(boss), ids.intakeId)).record!.id;
    await inCheckpoint(recordId);
    const impostor: Principal = { sub: boss.sub, role: 'requester' };
    for (const path of [
      `/v1/intakes/${ids.intakeId}`,
      `/v1/requests/${ids.requestId}`,
      `/v1/records/${recordId}`,
      `/v1/records/${recordId}/verify`,
      `/v1/records/${recordId}/proof`,
    ]) {
      expect({ path, status: (await get(path, impostor)).status }).toEqual({ path, status: 403 });
      expect({ path, status: (await get(path, boss)).status }).toEqual({ path, status: 200 });
    }
  });

  test('an Idempotency-Key is the whole principal’s: an admin with a requester’s sub replaying its key gets an Intake of its own', async () => {
    const alice = requester();
    const key = randomUUID();
    const submit = (as: Principal) =>
      api.call('POST', '/v1/requests', { as, body: requestBody(), headers: { 'idempotency-key': key } });
    const first = await submit(alice);
    expect(first.status).toBe(201);
    expect((await submit(alice)).body.intakeId).toBe(first.body.intakeId);
    const impostor: Principal = { sub: alice.sub, role: 'admin' };
    const replayed = await submit(impostor);
    expect(replayed.status).toBe(201);
    expect(replayed.body.intakeId).not.toBe(first.body.intakeId);
    expect(replayed.body.requestId).not.toBe(first.body.requestId);
    const theirs = await get(`/v1/requests/${replayed.body.requestId}`, impostor);
    expect(theirs.body.submittedBy).toEqual({ sub: alice.sub, role: 'admin' });

    // The same for a command: replaying the requester's withdrawal key does not get its answer.
    const withdraw = (as: Principal) =>
      api.call('POST', `/v1/intakes/${first.body.intakeId}/withdraw`, {
        as,
        body: {},
        headers: { 'idempotency-key': key },
      });
    expect((await withdraw(alice)).status).toBe(200);
    expect((await withdraw(alice)).status).toBe(200);
    const replay = await withdraw(impostor);
    expect(replay.status).toBe(409);
    expect(replay.body.detail).toMatch(/has ended/);
  });
});

describe('known operators', () => {
  test('an admin registers and updates an operator; every signed-in principal lists and reads it; no one else registers', async () => {
    const id = newOperatorId();
    const boss = admin();
    const body = { displayName: 'Northside Plumbing', categories: ['plumbing', 'heating'] };
    const created = await api.call('PUT', `/v1/operators/${id}`, { as: boss, body });
    expect(created).toMatchObject({ status: 201, body: { id, ...body } });
    expect(created.headers.get('location')).toBe(`/v1/operators/${id}`);
    const renamed = await api.call('PUT', `/v1/operators/${id}`, {
      as: boss,
      body: { displayName: 'Northside Plumbing & Heating', categories: ['heating'] },
    });
    expect(renamed).toMatchObject({ status: 200, body: { id, displayName: 'Northside Plumbing & Heating' } });
    for (const who of [requester(), operator(id), operator(newOperatorId()), boss]) {
      expect((await get(`/v1/operators/${id}`, who)).body).toMatchObject({ id, categories: ['heating'] });
      const listed = await eventually('the operator listed', async () => {
        for (let cursor: string | null = null, page = 0; page < 100; page += 1) {
          const res = await get(`/v1/operators?category=heating&limit=100${cursor ? `&cursor=${cursor}` : ''}`, who);
          expect(res.status).toBe(200);
          const found = res.body.items.find((o: { id: string }) => o.id === id);
          if (found) return found;
          cursor = res.body.nextCursor;
          if (!cursor) return undefined;
        }
        return undefined;
      });
      expect(listed.displayName).toBe('Northside Plumbing & Heating');
    }
    expect((await get('/v1/operators', null)).status).toBe(401);
    expect((await get(`/v1/operators/${newOperatorId()}`, boss)).status).toBe(404);
    for (const who of [requester(), operator(id)])
      expect((await api.call('PUT', `/v1/operators/${id}`, { as: who, body })).status).toBe(403);
    const bad = await api.call('PUT', `/v1/operators/${id}`, {
      as: boss,
      body: { displayName: 'x', categories: ['drains and gutters'] },
    });
    expect(bad).toMatchObject({
      status: 400,
      body: { errors: [expect.objectContaining({ path: 'body.categories.0' })] },
    });
    expect(bad.body.detail).toContain('plumbing, electrical');
    expect((await get('/v1/operators?cursor=not-ours', boss)).status).toBe(400);
  });

  test('migration 011 registers the operators the chain already names, so work in flight can still go to them', async () => {
    const database = await databaseAt('009_temporal_binding');
    try {
      const task = (audience: string | null, assignee: string | null) => ({
        id: randomUUID(),
        intake_id: randomUUID(),
        audience: audience ? 'operator' : 'admin',
        audience_operator_id: audience,
        status: 'approved',
        assignee_operator_id: assignee,
        escalation_level: 0,
        stale_since: new Date().toISOString(),
        created_at: new Date().toISOString(),
        updated_at: new Date().toISOString(),
      });
      await database.insertBare('tasks', [task('op-addressed', 'op-addressed'), task(null, 'op-assigned')]);
      await database.rest();
      const rows = await database.owner('operators').orderBy('id').select('id', 'display_name', 'categories');
      expect(rows).toEqual([
        { id: 'op-addressed', display_name: 'op-addressed', categories: [] },
        { id: 'op-assigned', display_name: 'op-assigned', categories: [] },
      ]);
    } finally {
      await database.drop();
    }
  });

  test('a request addressed to an unknown operator is refused with 422 naming it, and nothing is created', async () => {
    const alice = requester();
    const typo = 'op-nrothside';
    const res = await api.call('POST', '/v1/requests', { as: alice, body: requestBody({ operatorId: typo }) });
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body.detail).toContain(typo);
    expect(res.body.errors).toEqual([{ path: 'body.operatorId', message: `${typo} is not a known operator` }]);
    expect(await api.db('requests').where({ submitted_by_sub: alice.sub })).toHaveLength(0);
  });

  test('an admin may assign only a known operator; a principal that may not govern still gets 403', async () => {
    const w = await worldAt(api, 'approved', 'admin');
    const typo = `${w.operatorId}x`;
    const before = await snapshot(api, w.intakeId);
    const res = await api.call('POST', `/v1/tasks/${w.taskId}/assign`, { as: w.admin, body: { operatorId: typo } });
    expect(res).toMatchObject({ status: 422, body: { errors: [{ path: 'body.operatorId' }] } });
    expect(res.body.detail).toContain(typo);
    const stranger = await api.call('POST', `/v1/tasks/${w.taskId}/assign`, {
      as: w.stranger,
      body: { operatorId: typo },
    });
    expect(stranger.status).toBe(403);
    expect(await snapshot(api, w.intakeId)).toEqual(before);
    const known = await api.call('POST', `/v1/tasks/${w.taskId}/assign`, {
      as: w.admin,
      body: { operatorId: w.operatorId },
    });
    expect(known).toMatchObject({ status: 200, body: { assigneeOperatorId: w.operatorId } });
  });
});
