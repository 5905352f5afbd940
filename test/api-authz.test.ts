/**
 * Every endpoint × every role, allowed and refused, from one table. Refused calls get 401
 * (no token) or 403 (wrong principal) and leave every row of the Intake as it was; allowed
 * calls succeed.
 */
import { requestBody } from './support/fixtures';
import { startTestApi, type TestApi } from './support/api';
import { snapshot, worldAt, type Step, type World } from './support/http-world';

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
    allowed: ['staff', 'colleague'],
    status: 200,
  },
  {
    name: 'add evidence',
    step: 'executing',
    method: 'POST',
    path: (w) => `/v1/service-events/${w.serviceEventId}/evidence`,
    body: () => ({ kind: 'note', description: 'arrived' }),
    allowed: ['staff', 'colleague'],
    status: 201,
  },
  {
    name: 'complete',
    step: 'executing',
    method: 'POST',
    path: (w) => `/v1/service-events/${w.serviceEventId}/complete`,
    body: () => ({ outcome: 'completed', summary: 'done' }),
    allowed: ['staff', 'colleague'],
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

test.each(ROWS.map((r) => [r.name, r] as const))('%s', async (_name, row) => {
  const world = await worldAt(api, row.step, row.audience ?? 'admin');
  const refused = EVERYONE.filter((who) => !row.allowed.includes(who));
  const before = await snapshot(api, world.intakeId);
  for (const who of refused) {
    const res = await api.call(row.method, row.path(world), { as: principal(world, who), body: row.body?.(world) });
    expect({ who, status: res.status }).toEqual({ who, status: who === 'anonymous' ? 401 : 403 });
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
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
