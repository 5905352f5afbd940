/**
 * Bad input gets a clear 4xx naming what is wrong, and changes nothing: every body, path
 * parameter and query of the contract; malformed JSON, oversized and non-JSON bodies; and a
 * property-based run of generated bodies against every POST endpoint that must never 5xx.
 */
import fc from 'fast-check';
import { startTestApi, type TestApi } from './support/api';
import { requestBody } from './support/fixtures';
import { snapshot, worldAt, type World } from './support/http-world';
import { captureLog, type CapturedLog } from './support/log-capture';

let api: TestApi;
let log: CapturedLog;
let executing: World;
let pending: World;
let assigned: World;
beforeAll(async () => {
  log = captureLog();
  api = await startTestApi({ BODY_LIMIT: '16kb' }, log.logger);
  [executing, pending, assigned] = await Promise.all([
    worldAt(api, 'executing'),
    worldAt(api, 'pending'),
    worldAt(api, 'assigned'),
  ]);
});
afterAll(() => api?.stop());

interface BodyCase {
  endpoint: string;
  world: () => World;
  path: (w: World) => string;
  as: (w: World) => World[keyof World];
  body: unknown;
  field: string;
}

const valid = requestBody();
const BODY_CASES: BodyCase[] = [
  {
    endpoint: 'POST /v1/requests',
    world: () => pending,
    path: () => '/v1/requests',
    as: (w) => w.requester,
    body: { ...valid, channel: 'pigeon' },
    field: 'body.channel',
  },
  {
    endpoint: 'POST /v1/requests',
    world: () => pending,
    path: () => '/v1/requests',
    as: (w) => w.requester,
    body: { ...valid, actor: { kind: 'robot', name: 'R2' } },
    field: 'body.actor.kind',
  },
  {
    endpoint: 'POST /v1/requests',
    world: () => pending,
    path: () => '/v1/requests',
    as: (w) => w.requester,
    body: { ...valid, actor: { kind: 'person', name: '' } },
    field: 'body.actor.name',
  },
  {
    endpoint: 'POST /v1/requests',
    world: () => pending,
    path: () => '/v1/requests',
    as: (w) => w.requester,
    body: { ...valid, request: { category: 'plumbing' } },
    field: 'body.request.summary',
  },
  {
    endpoint: 'POST /v1/requests',
    world: () => pending,
    path: () => '/v1/requests',
    as: (w) => w.requester,
    body: { ...valid, request: { ...valid.request, category: 'Sink leaks' } },
    field: 'body.request.category',
  },
  {
    endpoint: 'POST /v1/requests',
    world: () => pending,
    path: () => '/v1/requests',
    as: (w) => w.requester,
    body: {
      ...valid,
      request: { ...valid.request, preferredWindow: { start: '2026-12-02T00:00:00Z', end: '2026-12-01T00:00:00Z' } },
    },
    field: 'body.request.preferredWindow.end',
  },
  {
    endpoint: 'POST /v1/requests',
    world: () => pending,
    path: () => '/v1/requests',
    as: (w) => w.requester,
    body: { ...valid, operatorId: 'not a valid id!' },
    field: 'body.operatorId',
  },
  {
    endpoint: 'POST /v1/requests',
    world: () => pending,
    path: () => '/v1/requests',
    as: (w) => w.requester,
    body: { ...valid, extra: true },
    field: 'body',
  },
  {
    endpoint: 'POST /v1/intakes/:id/withdraw',
    world: () => pending,
    path: (w) => `/v1/intakes/${w.intakeId}/withdraw`,
    as: (w) => w.requester,
    body: { reason: 42 },
    field: 'body.reason',
  },
  {
    endpoint: 'POST /v1/tasks/:id/approve',
    world: () => pending,
    path: (w) => `/v1/tasks/${w.taskId}/approve`,
    as: (w) => w.governor,
    body: { note: ['x'] },
    field: 'body.note',
  },
  {
    endpoint: 'POST /v1/tasks/:id/reject',
    world: () => pending,
    path: (w) => `/v1/tasks/${w.taskId}/reject`,
    as: (w) => w.governor,
    body: {},
    field: 'body.reason',
  },
  {
    endpoint: 'POST /v1/tasks/:id/reject',
    world: () => pending,
    path: (w) => `/v1/tasks/${w.taskId}/reject`,
    as: (w) => w.governor,
    body: { reason: '   ' },
    field: 'body.reason',
  },
  {
    endpoint: 'POST /v1/tasks/:id/assign',
    world: () => pending,
    path: (w) => `/v1/tasks/${w.taskId}/assign`,
    as: (w) => w.governor,
    body: { operatorId: '' },
    field: 'body.operatorId',
  },
  {
    endpoint: 'POST /v1/tasks/:id/job',
    world: () => assigned,
    path: (w) => `/v1/tasks/${w.taskId}/job`,
    as: (w) => w.governor,
    body: { operatorId: 'x' },
    field: 'body',
  },
  {
    endpoint: 'POST /v1/jobs/:id/claim',
    world: () => assigned,
    path: () => `/v1/jobs/${executing.jobId}/claim`,
    as: () => executing.staff,
    body: { force: true },
    field: 'body',
  },
  {
    endpoint: 'POST /v1/jobs/:id/start',
    world: () => executing,
    path: (w) => `/v1/jobs/${w.jobId}/start`,
    as: (w) => w.staff,
    body: { at: 'now' },
    field: 'body',
  },
  {
    endpoint: 'POST /v1/service-events/:id/stage',
    world: () => executing,
    path: (w) => `/v1/service-events/${w.serviceEventId}/stage`,
    as: (w) => w.staff,
    body: { stage: 'teleporting' },
    field: 'body.stage',
  },
  {
    endpoint: 'POST /v1/service-events/:id/evidence',
    world: () => executing,
    path: (w) => `/v1/service-events/${w.serviceEventId}/evidence`,
    as: (w) => w.staff,
    body: { kind: 'photo', description: 'no hash' },
    field: 'body.sha256',
  },
  {
    endpoint: 'POST /v1/service-events/:id/evidence',
    world: () => executing,
    path: (w) => `/v1/service-events/${w.serviceEventId}/evidence`,
    as: (w) => w.staff,
    body: { kind: 'measurement', value: 'high' },
    field: 'body.value',
  },
  {
    endpoint: 'POST /v1/service-events/:id/evidence',
    world: () => executing,
    path: (w) => `/v1/service-events/${w.serviceEventId}/evidence`,
    as: (w) => w.staff,
    body: { kind: 'note', description: 'x', sha256: 'XYZ' },
    field: 'body.sha256',
  },
  {
    endpoint: 'POST /v1/service-events/:id/evidence',
    world: () => executing,
    path: (w) => `/v1/service-events/${w.serviceEventId}/evidence`,
    as: (w) => w.staff,
    body: { kind: 'note', description: 'x', capturedAt: 'yesterday' },
    field: 'body.capturedAt',
  },
  {
    endpoint: 'POST /v1/service-events/:id/complete',
    world: () => executing,
    path: (w) => `/v1/service-events/${w.serviceEventId}/complete`,
    as: (w) => w.staff,
    body: { outcome: 'done', summary: 'x' },
    field: 'body.outcome',
  },
  {
    endpoint: 'POST /v1/service-events/:id/complete',
    world: () => executing,
    path: (w) => `/v1/service-events/${w.serviceEventId}/complete`,
    as: (w) => w.staff,
    body: { outcome: 'completed' },
    field: 'body.summary',
  },
];

test.each(BODY_CASES.map((c) => [c.endpoint, c.field, c] as const))(
  '%s: invalid %s → 400, nothing changes',
  async (_e, _f, c) => {
    const w = c.world();
    const before = await snapshot(api, w.intakeId);
    const as = c.as(w) as { sub: string };
    // Other test files share the database: count only what this principal submitted.
    const submittedBy = () => api.db('requests').where({ submitted_by_sub: as.sub }).count('* as n').first();
    const requestsBefore = await submittedBy();
    const res = await api.call('POST', c.path(w), { as: as as never, body: c.body });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(c.field);
    expect(res.body.detail).toContain(c.field);
    expect(await snapshot(api, w.intakeId)).toEqual(before);
    expect(await submittedBy()).toEqual(requestsBefore);
  },
);

const ID_PATHS: Array<[string, 'GET' | 'POST', (id: string) => string]> = [
  ['GET /v1/requests/:id', 'GET', (id) => `/v1/requests/${id}`],
  ['GET /v1/intakes/:id', 'GET', (id) => `/v1/intakes/${id}`],
  ['POST /v1/intakes/:id/withdraw', 'POST', (id) => `/v1/intakes/${id}/withdraw`],
  ['GET /v1/tasks/:id', 'GET', (id) => `/v1/tasks/${id}`],
  ['POST /v1/tasks/:id/approve', 'POST', (id) => `/v1/tasks/${id}/approve`],
  ['POST /v1/tasks/:id/reject', 'POST', (id) => `/v1/tasks/${id}/reject`],
  ['POST /v1/tasks/:id/assign', 'POST', (id) => `/v1/tasks/${id}/assign`],
  ['POST /v1/tasks/:id/job', 'POST', (id) => `/v1/tasks/${id}/job`],
  ['GET /v1/jobs/:id', 'GET', (id) => `/v1/jobs/${id}`],
  ['POST /v1/jobs/:id/claim', 'POST', (id) => `/v1/jobs/${id}/claim`],
  ['POST /v1/jobs/:id/start', 'POST', (id) => `/v1/jobs/${id}/start`],
  ['GET /v1/service-events/:id', 'GET', (id) => `/v1/service-events/${id}`],
  ['POST /v1/service-events/:id/stage', 'POST', (id) => `/v1/service-events/${id}/stage`],
  ['POST /v1/service-events/:id/evidence', 'POST', (id) => `/v1/service-events/${id}/evidence`],
  ['POST /v1/service-events/:id/complete', 'POST', (id) => `/v1/service-events/${id}/complete`],
  ['GET /v1/records/:id', 'GET', (id) => `/v1/records/${id}`],
  ['GET /v1/records/:id/verify', 'GET', (id) => `/v1/records/${id}/verify`],
  ['GET /v1/signals/:id', 'GET', (id) => `/v1/signals/${id}`],
];

/** A principal the route's role check lets through, so validation and lookup are what answer. */
const roleFor = (endpoint: string) =>
  /jobs\/:id\/|service-events\/:id\//.test(endpoint)
    ? executing.staff
    : /withdraw/.test(endpoint)
      ? executing.requester
      : executing.admin;

test.each(ID_PATHS)(
  '%s: a malformed id → 400 naming params.id; an unknown one → 404',
  async (endpoint, method, path) => {
    const as = roleFor(endpoint);
    const bad = await api.call(method, path('not-a-uuid'), { as, body: method === 'POST' ? {} : undefined });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ path: 'params.id' })]);
    const unknown = await api.call(method, path('00000000-0000-4000-8000-00000000dead'), {
      as,
      body:
        method === 'POST' && /reject/.test(endpoint)
          ? { reason: 'x' }
          : method === 'POST' && /assign/.test(endpoint)
            ? { operatorId: 'op-x' }
            : method === 'POST' && /stage/.test(endpoint)
              ? { stage: 'on_site' }
              : method === 'POST' && /evidence/.test(endpoint)
                ? { kind: 'note', description: 'x' }
                : method === 'POST' && /complete/.test(endpoint)
                  ? { outcome: 'failed', summary: 'x' }
                  : method === 'POST'
                    ? {}
                    : undefined,
    });
    expect(unknown.status).toBe(404);
  },
);

test.each([
  ['/v1/tasks?limit=0', 'query.limit'],
  ['/v1/tasks?limit=1000', 'query.limit'],
  ['/v1/tasks?status=maybe', 'query.status'],
  ['/v1/tasks?audience=everyone', 'query.audience'],
  ['/v1/tasks?cursor=forged', 'query.cursor'],
  ['/v1/operators/op%20bad/queue', 'params.operatorId'],
  ['/v1/operators/op-x/signals?limit=-1', 'query.limit'],
])('GET %s → 400 naming %s', async (path, field) => {
  const res = await api.call('GET', path, { as: executing.admin });
  expect(res.status).toBe(400);
  expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(field);
});

test('pagination walks every item once with the cursor it is given', async () => {
  const worlds = await Promise.all([1, 2, 3].map(() => worldAt(api, 'pending', 'operator')));
  const seen: string[] = [];
  let cursor: string | null = null;
  const admin = executing.admin;
  do {
    const res: { status: number; body: { items: Array<{ id: string }>; nextCursor: string | null } } = await api.call(
      'GET',
      `/v1/tasks?audience=operator&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      { as: admin },
    );
    expect(res.status).toBe(200);
    expect(res.body.items.length).toBeLessThanOrEqual(2);
    seen.push(...res.body.items.map((t) => t.id));
    cursor = res.body.nextCursor;
  } while (cursor);
  expect(new Set(seen).size).toBe(seen.length);
  for (const w of worlds) expect(seen).toContain(w.taskId);
});

test('pagination over Tasks created within one millisecond still hands each out once', async () => {
  const worlds = await Promise.all([1, 2, 3, 4, 5].map(() => worldAt(api, 'pending', 'admin')));
  const ids = worlds.map((w) => w.taskId);
  // Postgres's clocks carry microseconds; rows this close apart share their millisecond.
  await api.ownerDb.raw(
    `UPDATE tasks SET created_at = '2000-01-01T00:00:00.123456Z'::timestamptz + (ordinality || ' microseconds')::interval FROM unnest(?::uuid[]) WITH ORDINALITY AS t(id, ordinality) WHERE tasks.id = t.id`,
    [ids],
  );
  const seen: string[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 1_000; pages += 1) {
    const res: { status: number; body: { items: Array<{ id: string }>; nextCursor: string | null } } = await api.call(
      'GET',
      `/v1/tasks?audience=admin&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      { as: executing.admin },
    );
    expect(res.status).toBe(200);
    seen.push(...res.body.items.map((t) => t.id));
    cursor = res.body.nextCursor;
    if (!cursor) break;
  }
  expect(cursor).toBeNull();
  expect(new Set(seen).size).toBe(seen.length);
  // They sort first (the oldest clock) and in the order of their microseconds.
  expect(seen.slice(0, ids.length)).toEqual(ids);
});

test('malformed JSON → 400; a body over the limit → 413; a non-JSON body → 415; none changes anything', async () => {
  const before = await snapshot(api, pending.intakeId);
  const malformed = await api.call('POST', `/v1/tasks/${pending.taskId}/reject`, {
    as: pending.governor,
    rawBody: '{"reason": "unterminated',
  });
  expect(malformed).toMatchObject({ status: 400, body: { errors: [{ path: 'body' }] } });
  const huge = await api.call('POST', `/v1/tasks/${pending.taskId}/reject`, {
    as: pending.governor,
    body: { reason: 'x'.repeat(20_000) },
  });
  expect(huge.status).toBe(413);
  expect(huge.headers.get('content-type')).toMatch(/application\/problem\+json/);
  const text = await fetch(`${api.url}/v1/tasks/${pending.taskId}/reject`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await api.token(pending.governor)}`, 'content-type': 'text/plain' },
    body: 'reason=no',
  });
  expect(text.status).toBe(415);
  expect(await snapshot(api, pending.intakeId)).toEqual(before);
});

test('an unknown route is a 404 problem', async () => {
  const res = await api.call('GET', '/v1/nothing-here');
  expect(res).toMatchObject({ status: 404, body: { status: 404, title: 'Not Found' } });
});

test('property: generated bodies sent to every POST endpoint never cause a 5xx or an error log line', async () => {
  const fresh = await worldAt(api, 'executing');
  const targets: Array<[string, World[keyof World]]> = [
    ['/v1/requests', fresh.requester],
    [`/v1/intakes/${fresh.intakeId}/withdraw`, fresh.requester],
    [`/v1/tasks/${fresh.taskId}/approve`, fresh.governor],
    [`/v1/tasks/${fresh.taskId}/reject`, fresh.governor],
    [`/v1/tasks/${fresh.taskId}/assign`, fresh.governor],
    [`/v1/tasks/${fresh.taskId}/job`, fresh.governor],
    [`/v1/jobs/${fresh.jobId}/claim`, fresh.staff],
    [`/v1/jobs/${fresh.jobId}/start`, fresh.staff],
    [`/v1/service-events/${fresh.serviceEventId}/stage`, fresh.staff],
    [`/v1/service-events/${fresh.serviceEventId}/evidence`, fresh.staff],
    [`/v1/service-events/${fresh.serviceEventId}/complete`, fresh.staff],
  ];
  const tokens = new Map<unknown, string>();
  for (const [, as] of targets) if (!tokens.has(as)) tokens.set(as, await api.token(as as never));
  // Near-valid shapes find more edge cases than random JSON alone.
  const nearValid = fc.record(
    {
      channel: fc.oneof(fc.constantFrom('web', 'email', 'phone'), fc.string()),
      actor: fc.oneof(
        fc.record({ kind: fc.constantFrom('person', 'business', 'x'), name: fc.string() }),
        fc.anything(),
      ),
      request: fc.oneof(fc.record({ category: fc.string(), summary: fc.string({ maxLength: 600 }) }), fc.anything()),
      reason: fc.oneof(fc.string(), fc.integer(), fc.constant(null)),
      operatorId: fc.oneof(fc.string(), fc.constant('op-x')),
      stage: fc.oneof(fc.constantFrom('en_route', 'on_site', 'bogus'), fc.anything()),
      kind: fc.constantFrom('note', 'photo', 'measurement', 'checklist', 'signature', 'document', 'other'),
      value: fc.oneof(fc.double(), fc.string(), fc.dictionary(fc.string(), fc.anything())),
      sha256: fc.oneof(fc.stringMatching(/^[0-9a-f]{64}$/), fc.string()),
      outcome: fc.constantFrom('failed', 'completed', 'other'),
      summary: fc.oneof(fc.string(), fc.string({ unit: 'binary' })),
      description: fc.string({ unit: 'binary' }),
    },
    { requiredKeys: [] },
  );
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...targets),
      fc.oneof(
        fc.jsonValue(),
        nearValid,
        fc.string().map((s) => ({ raw: s })),
      ),
      async ([path, as], body) => {
        const raw =
          typeof body === 'object' && body !== null && 'raw' in body && Object.keys(body).length === 1
            ? String((body as { raw: string }).raw)
            : JSON.stringify(body);
        const mark = log.lines.length;
        const res = await fetch(`${api.url}${path}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${tokens.get(as)}`, 'content-type': 'application/json' },
          body: raw,
        });
        await res.arrayBuffer();
        return res.status < 500 && log.errorsSince(mark).length === 0;
      },
    ),
    { numRuns: 300 },
  );
}, 180_000);
