/**
 * The webhook subscription API: only admins (403 for others, 401 without a token); the secret in
 * the Standard Webhooks form, shown once and sealed at rest; bad input and subscriber URLs that
 * point inside the network (SSRF) refused with a 400 that changes nothing and logs no error; the
 * endpoints and every event's schema in the OpenAPI document.
 */
import type { QtmClient } from '../client';
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from '../domain/webhook-events';
import { createSecretBox } from '../adapters/webhook-secrets';
import { startTestApi, type TestApi } from './support/api';
import { admin, newOperatorId, operator, requester } from './support/fixtures';
import { captureLog } from './support/log-capture';

const log = captureLog();
let api: TestApi;
const boss = admin();
beforeAll(async () => {
  api = await startTestApi({ WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' }, log.logger);
});
afterAll(() => api?.stop());

const subscribe = (url: string, as = boss, eventTypes: WebhookEventType[] = ['job.created']) =>
  api.as(as).POST('/v1/webhooks', { body: { url, eventTypes } });
const hook = (id: string) => ({ params: { path: { id } } });
/** One call of the contract, as the given client; `method` and `path` name it in failures. */
type Endpoint = [method: string, path: string, send: (client: QtmClient) => Promise<{ response: Response }>];

/** Every endpoint of one subscription (and one of its deliveries). */
const byId = (id: string, deliveryId: string): Endpoint[] => [
  ['GET', `/v1/webhooks/${id}`, (c) => c.GET('/v1/webhooks/{id}', hook(id))],
  ['DELETE', `/v1/webhooks/${id}`, (c) => c.DELETE('/v1/webhooks/{id}', hook(id))],
  [
    'POST',
    `/v1/webhooks/${id}/rotate-secret`,
    (c) => c.POST('/v1/webhooks/{id}/rotate-secret', { ...hook(id), body: {} }),
  ],
  ['GET', `/v1/webhooks/${id}/deliveries`, (c) => c.GET('/v1/webhooks/{id}/deliveries', hook(id))],
  [
    'POST',
    `/v1/webhooks/${id}/deliveries/${deliveryId}/redeliver`,
    (c) => c.POST('/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver', { params: { path: { id, deliveryId } } }),
  ],
];
const count = async () => Number((await api.db('webhook_subscriptions').count('* as n').first())!.n);

test('an admin subscribes: the secret is shown once, in the whsec_ form, and kept only sealed', async () => {
  const created = await subscribe('http://127.0.0.1:4999/hooks', boss, ['job.created', 'record.sealed']);
  expect(created.response.status).toBe(201);
  expect(created.response.headers.get('location')).toBe(`/v1/webhooks/${created.data!.id}`);
  expect(created.data).toMatchObject({
    url: 'http://127.0.0.1:4999/hooks',
    eventTypes: ['job.created', 'record.sealed'],
    createdBy: boss.sub,
    previousSecretExpiresAt: null,
  });
  const { secret, id } = created.data!;
  expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
  expect(Buffer.from(secret.slice('whsec_'.length), 'base64')).toHaveLength(32);

  const read = await api.as(boss).GET('/v1/webhooks/{id}', hook(id));
  expect(read.response.status).toBe(200);
  expect(read.data).not.toHaveProperty('secret');
  expect(JSON.stringify(read.data)).not.toContain(secret.slice(6));
  const list = await api.as(boss).GET('/v1/webhooks', { params: { query: { limit: 100 } } });
  expect(list.data!.items.map((s) => s.id)).toContain(id);
  expect(JSON.stringify(list.data)).not.toContain(secret.slice(6));

  // At rest: AES-GCM, bound to this subscription; the plain secret appears nowhere in the row.
  const row = await api.db('webhook_subscriptions').where({ id }).first();
  expect(JSON.stringify(row)).not.toContain(secret.slice(6));
  const box = createSecretBox(api.config, api.authKeys.secret);
  expect(box.open(row.secret_sealed, id)).toBe(secret);
  expect(() => box.open(row.secret_sealed, newOperatorId())).toThrow(/does not open/);
});

test('only admins: 403 for requesters and operators, 401 without a token, on every webhook endpoint', async () => {
  const created = await subscribe('http://127.0.0.1:4999/hooks');
  const id = created.data!.id;
  const deliveryId = '00000000-0000-4000-8000-000000000000';
  const endpoints: Endpoint[] = [
    [
      'POST',
      '/v1/webhooks',
      (c) => c.POST('/v1/webhooks', { body: { url: 'http://127.0.0.1:4999/x', eventTypes: ['job.created'] } }),
    ],
    ['GET', '/v1/webhooks', (c) => c.GET('/v1/webhooks')],
    ...byId(id, deliveryId),
  ];
  const before = await count();
  for (const [method, path, send] of endpoints) {
    for (const as of [requester(), operator(newOperatorId())]) {
      const { response } = await send(api.as(as));
      expect({ method, path, role: as.role, status: response.status }).toEqual({
        method,
        path,
        role: as.role,
        status: 403,
      });
      expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
    }
    const anonymous = await send(api.as(null));
    expect({ method, path, status: anonymous.response.status }).toEqual({ method, path, status: 401 });
  }
  expect(await count()).toBe(before);
  expect((await api.as(boss).GET('/v1/webhooks/{id}', hook(id))).response.status).toBe(200);
});

test('bad bodies, ids and queries get a 400 naming the field, and change nothing', async () => {
  const created = await subscribe('http://127.0.0.1:4999/hooks');
  const id = created.data!.id;
  const url = 'http://127.0.0.1:4999/hooks';
  const cases: Array<[string, string, unknown, string]> = [
    ['POST', '/v1/webhooks', { eventTypes: ['job.created'] }, 'body.url'],
    ['POST', '/v1/webhooks', { url, eventTypes: [] }, 'body.eventTypes'],
    ['POST', '/v1/webhooks', { url }, 'body.eventTypes'],
    ['POST', '/v1/webhooks', { url, eventTypes: ['job.exploded'] }, 'body.eventTypes.0'],
    ['POST', '/v1/webhooks', { url, eventTypes: ['job.created', 'job.created'] }, 'body.eventTypes'],
    ['POST', '/v1/webhooks', { url, eventTypes: ['job.created'], secret: 'mine' }, 'body'],
    ['POST', '/v1/webhooks', { url: `http://127.0.0.1/${'a'.repeat(2000)}`, eventTypes: ['job.created'] }, 'body.url'],
    ['POST', '/v1/webhooks', { url: 42, eventTypes: ['job.created'] }, 'body.url'],
    ['POST', `/v1/webhooks/${id}/rotate-secret`, { overlap: 'forever' }, 'body.overlap'],
    ['POST', `/v1/webhooks/${id}/rotate-secret`, { overlap: '31d' }, 'body.overlap'],
    ['GET', '/v1/webhooks/not-a-uuid', undefined, 'params.id'],
    ['GET', `/v1/webhooks/${id}/deliveries?status=lost`, undefined, 'query.status'],
    ['GET', `/v1/webhooks/${id}/deliveries?cursor=forged`, undefined, 'query.cursor'],
    ['GET', '/v1/webhooks?limit=0', undefined, 'query.limit'],
    ['POST', `/v1/webhooks/${id}/deliveries/nope/redeliver`, undefined, 'params.deliveryId'],
  ];
  const before = await count();
  const row = await api.db('webhook_subscriptions').where({ id }).first();
  for (const [method, path, body, field] of cases) {
    const res = await api.call(method, path, { as: boss, body });
    expect({ method, path, status: res.status }).toEqual({ method, path, status: 400 });
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(field);
  }
  expect(await count()).toBe(before);
  expect(await api.db('webhook_subscriptions').where({ id }).first()).toEqual(row);
});

test('unknown ids are 404; a deleted subscription is gone from reads and deletes once', async () => {
  const unknown = '00000000-0000-4000-8000-000000000001';
  const asBoss = api.as(boss);
  const endpoints = byId(unknown, unknown);
  for (const [method, path, send] of endpoints) {
    const { response } = await send(asBoss);
    expect({ method, path, status: response.status }).toEqual({ method, path, status: 404 });
  }
  const { id } = (await subscribe('http://127.0.0.1:4999/hooks')).data!;
  expect(
    (
      await asBoss.POST('/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver', {
        params: { path: { id, deliveryId: unknown } },
      })
    ).response.status,
  ).toBe(404);
  expect((await asBoss.DELETE('/v1/webhooks/{id}', hook(id))).response.status).toBe(204);
  expect((await asBoss.GET('/v1/webhooks/{id}', hook(id))).response.status).toBe(404);
  expect((await asBoss.GET('/v1/webhooks/{id}/deliveries', hook(id))).response.status).toBe(404);
  expect((await asBoss.DELETE('/v1/webhooks/{id}', hook(id))).response.status).toBe(404);
  const list = await asBoss.GET('/v1/webhooks', { params: { query: { limit: 100 } } });
  expect(list.data!.items.map((s) => s.id)).not.toContain(id);
});

test('SSRF: loopback, private, link-local and reserved addresses are refused unless allowlisted, by IP or by name', async () => {
  const refused: Array<[string, RegExp]> = [
    ['http://127.0.0.2:8080/hooks', /loopback address \(127\.0\.0\.2\)/], // loopback, not the allowlisted 127.0.0.1
    ['http://[::1]:8080/hooks', /loopback/],
    ['http://[::ffff:127.0.0.2]/hooks', /loopback/], // IPv4-mapped IPv6
    ['http://2130706434/hooks', /loopback/], // 127.0.0.2 written as one number (the URL parser normalizes it)
    ['http://localhost:8080/hooks', /host localhost resolves to a loopback address/], // a name resolving to loopback
    ['http://10.1.2.3/hooks', /private/],
    ['http://172.16.0.9/hooks', /private/],
    ['http://192.168.1.20/hooks', /private/],
    ['http://[fc00::1]/hooks', /unique-local/],
    ['http://169.254.169.254/latest/meta-data', /link-local/],
    ['http://[fe80::1]/hooks', /link-local/],
    ['http://100.64.0.1/hooks', /carrier-grade/],
    ['http://0.0.0.0/hooks', /unspecified/],
    ['ftp://127.0.0.1/hooks', /http\(s\)/],
    ['http://user:pw@127.0.0.1/hooks', /credentials/],
    ['not a url', /not a URL/],
  ];
  const before = await count();
  for (const [url, reason] of refused) {
    const res = await subscribe(url);
    expect({ url, status: res.response.status }).toEqual({ url, status: 400 });
    expect(res.error!.errors).toEqual([{ path: 'body.url', message: expect.stringMatching(reason) }]);
  }
  expect(await count()).toBe(before);
  // 127.0.0.1 is named by WEBHOOK_ALLOWED_HOSTS, however it is written.
  for (const url of ['http://127.0.0.1:8080/hooks', 'http://[::ffff:127.0.0.1]/hooks', 'http://2130706433/hooks'])
    expect({ url, status: (await subscribe(url)).response.status }).toEqual({ url, status: 201 });
  // Nothing above was worth an error-level log line.
  expect(log.errorsSince(0)).toEqual([]);
});

test('the OpenAPI document lists the webhook endpoints and, under webhooks, each event’s CloudEvent schema', async () => {
  const doc = (await api.call('GET', '/openapi.json')).body;
  const listed = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([p, methods]) =>
    Object.keys(methods).map((m) => `${m} ${p}`),
  );
  expect(listed).toEqual(
    expect.arrayContaining([
      'post /v1/webhooks',
      'get /v1/webhooks',
      'get /v1/webhooks/{id}',
      'delete /v1/webhooks/{id}',
      'post /v1/webhooks/{id}/rotate-secret',
      'get /v1/webhooks/{id}/deliveries',
      'post /v1/webhooks/{id}/deliveries/{deliveryId}/redeliver',
    ]),
  );
  expect(Object.keys(doc.webhooks).sort()).toEqual([...WEBHOOK_EVENT_TYPES].sort());
  const sealed = doc.webhooks['record.sealed'].post;
  expect(sealed.parameters.map((p: { name: string }) => p.name)).toEqual(
    expect.arrayContaining(['webhook-id', 'webhook-timestamp', 'webhook-signature']),
  );
  const ref = sealed.requestBody.content['application/cloudevents+json'].schema.$ref as string;
  const schema = doc.components.schemas[ref.split('/').pop()!];
  expect(schema.required).toEqual(
    expect.arrayContaining(['specversion', 'id', 'source', 'type', 'time', 'subject', 'datacontenttype', 'data']),
  );
  expect(schema.properties.type.const ?? schema.properties.type.enum?.[0]).toBe('record.sealed');
  expect(schema.properties.data.required).toEqual(expect.arrayContaining(['intakeId', 'recordId', 'link']));
});
