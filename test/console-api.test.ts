/**
 * What the console needs from the API, over real HTTP: development tokens only when turned on (DEV_TOKENS=on),
 * who a token names, the inbox's escalated filter, and the console's files served at /console with
 * their caching and content-security headers.
 */
import { randomUUID } from 'node:crypto';
import { ensureConsoleBuilt } from '../stack/console-build';
import { startTestApi, type TestApi } from './support/api';
import { driveLifecycle } from '../client/lifecycle';
import { admin, operator, requestBody, requester } from './support/fixtures';
import { knownOperatorId } from './support/operators';

let devApi: TestApi;
let testApi: TestApi;
beforeAll(async () => {
  await ensureConsoleBuilt();
  [devApi, testApi] = await Promise.all([startTestApi({ NODE_ENV: 'development', DEV_TOKENS: 'on' }), startTestApi()]);
});
afterAll(() => Promise.all([devApi?.stop(), testApi?.stop()]));

describe('POST /v1/dev/tokens', () => {
  it('with DEV_TOKENS=on, mints a token the API accepts, for the principal asked for', async () => {
    const sub = `olga-${randomUUID().slice(0, 6)}`;
    const minted = await devApi
      .as(null)
      .POST('/v1/dev/tokens', { body: { sub, role: 'operator', operatorId: 'op-north' } });
    expect(minted.response.status).toBe(201);
    expect(minted.data).toMatchObject({
      tokenType: 'Bearer',
      principal: { sub, role: 'operator', operatorId: 'op-north' },
    });
    expect(Date.parse(minted.data!.expiresAt)).toBeGreaterThan(Date.now() + 11 * 3600_000);
    const me = await fetch(`${devApi.url}/v1/auth/me`, { headers: { authorization: `Bearer ${minted.data!.token}` } });
    expect(await me.json()).toEqual({ sub, role: 'operator', operatorId: 'op-north' });
  });

  it('refuses principals that cannot exist, as 400s naming the field', async () => {
    for (const body of [
      { sub: 'x', role: 'operator' },
      { sub: 'x', role: 'admin', operatorId: 'op-north' },
      { sub: '', role: 'admin' },
      { sub: 'x', role: 'root' },
      { sub: 'x', role: 'admin', extra: true },
    ]) {
      const res = await devApi.call('POST', '/v1/dev/tokens', { body });
      expect({ body, status: res.status }).toEqual({ body, status: 400 });
      expect(res.body.errors?.[0]?.path).toMatch(/^body/);
    }
  });

  it('does not exist unless turned on: 404, and not in /openapi.json', async () => {
    const res = await testApi.call('POST', '/v1/dev/tokens', { body: { sub: 'x', role: 'admin' } });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const document = await testApi.call('GET', '/openapi.json');
    expect(Object.keys(document.body.paths)).not.toContain('/v1/dev/tokens');
    expect(Object.keys((await devApi.call('GET', '/openapi.json')).body.paths)).toContain('/v1/dev/tokens');
  });

  it('is off in development too unless DEV_TOKENS=on: a forgotten variable opens nothing', async () => {
    const quiet = await startTestApi({ NODE_ENV: 'development' });
    try {
      expect((await quiet.call('POST', '/v1/dev/tokens', { body: { sub: 'x', role: 'admin' } })).status).toBe(404);
    } finally {
      await quiet.stop();
    }
  });
});

test('GET /v1/auth/me names the principal of the token, and needs one', async () => {
  const alice = requester();
  expect((await testApi.as(alice).GET('/v1/auth/me')).data).toEqual(alice);
  expect((await testApi.call('GET', '/v1/auth/me')).status).toBe(401);
});

test('GET /v1/tasks?escalated= lists only the Tasks that were (or were never) escalated', async () => {
  const boss = admin();
  const submit = () =>
    testApi
      .as(requester())
      .POST('/v1/requests', { body: requestBody() })
      .then((r) => r.data!.taskId);
  const [plain, raised] = await Promise.all([submit(), submit()]);
  // The sweep's effect on the row the list reads (the escalation itself is tested in escalation.test.ts).
  await testApi.ownerDb('tasks').where({ id: raised }).update({ escalation_level: 1 });
  const list = async (escalated?: 'true' | 'false') => {
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await testApi.as(boss).GET('/v1/tasks', {
        params: {
          query: { audience: 'admin', limit: 100, ...(escalated ? { escalated } : {}), ...(cursor ? { cursor } : {}) },
        },
      });
      ids.push(...page.data!.items.map((t) => t.id));
      cursor = page.data!.nextCursor ?? undefined;
    } while (cursor);
    return ids;
  };
  expect(await list('true')).toContain(raised);
  expect(await list('true')).not.toContain(plain);
  expect(await list('false')).toContain(plain);
  expect(await list('false')).not.toContain(raised);
  expect(await list()).toEqual(expect.arrayContaining([plain, raised]));
  expect((await testApi.call('GET', '/v1/tasks?escalated=yes', { as: boss })).status).toBe(400);
});

test('GET /v1/operators/:id/done lists the operator’s finished Jobs (the queue no longer does), to its staff and admins only', async () => {
  const operatorId = await knownOperatorId(testApi);
  const staff = operator(operatorId);
  const cast = { requester: testApi.as(requester()), governor: testApi.as(admin()), staff: testApi.as(staff) };
  const finished = await driveLifecycle(cast, { body: requestBody(), operatorId });
  const open = await driveLifecycle(cast, { body: requestBody(), operatorId, until: 'executing' });
  const path = { params: { path: { operatorId } } };
  const done = await testApi.as(staff).GET('/v1/operators/{operatorId}/done', path);
  expect(done.response.status).toBe(200);
  expect(done.data!.items.map((j) => [j.id, j.status])).toEqual([[finished.jobId, 'completed']]);
  expect(done.data!.items[0]!.finishedAt).toEqual(expect.any(String));
  const queue = await testApi.as(staff).GET('/v1/operators/{operatorId}/queue', path);
  expect(queue.data!.items.map((j) => j.id)).toEqual([open.jobId]);
  expect((await testApi.as(admin()).GET('/v1/operators/{operatorId}/done', path)).response.status).toBe(200);
  const other = operator(await knownOperatorId(testApi));
  expect((await testApi.call('GET', `/v1/operators/${operatorId}/done`, { as: other })).status).toBe(403);
  expect((await testApi.call('GET', `/v1/operators/${operatorId}/done`, { as: requester() })).status).toBe(403);
  expect((await testApi.call('GET', `/v1/operators/${operatorId}/done?limit=0`, { as: staff })).status).toBe(400);
});

describe('the console at /console', () => {
  it('redirects /console to /console/ and serves its page, revalidated, under a strict CSP', async () => {
    const bare = await fetch(`${testApi.url}/console`, { redirect: 'manual' });
    expect(bare.status).toBe(308);
    expect(bare.headers.get('location')).toBe('/console/');
    for (const path of ['/console/', '/console/intakes/some-id', '/console/tasks?status=pending']) {
      const res = await fetch(`${testApi.url}${path}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.headers.get('cache-control')).toBe('no-cache');
      const csp = res.headers.get('content-security-policy')!;
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-inline');
      const html = await res.text();
      expect(html).toContain('<div id="app"></div>');
      expect(html).not.toMatch(/<script>(?!<\/script>)/); // no inline script
    }
  });

  it('serves its hashed assets for good, and an unknown asset is a 404 problem', async () => {
    const html = await (await fetch(`${testApi.url}/console/`)).text();
    const script = /src="(\/console\/assets\/[^"]+\.js)"/.exec(html)![1]!;
    const res = await fetch(`${testApi.url}${script}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/javascript/);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const missing = await fetch(`${testApi.url}/console/assets/nothing-here.js`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect((await fetch(`${testApi.url}/console/.inputs-sha256`)).headers.get('content-type')).toMatch(/^text\/html/);
  });
});
