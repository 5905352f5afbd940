/**
 * Rate limits (issue 21): a small load of bad tokens turns from 401s into 429s with Retry-After,
 * and writes no error-level log line; one principal, and one address without a token, each have a
 * budget of their own, which the configuration sets. The API is the real one over real HTTP from
 * 127.0.0.1 (the reviewer's attacker was on the same machine: loopback is not exempt).
 */
import { SignJWT } from 'jose';
import { startTestApi, type TestApi } from './support/api';
import { admin, requester } from './support/fixtures';
import { captureLog } from './support/log-capture';

interface Answer {
  status: number;
  retryAfter: string | null;
  type: string | null;
  detail?: string;
}

async function ask(api: TestApi, path: string, headers: Record<string, string> = {}, init: RequestInit = {}) {
  const res = await fetch(`${api.url}${path}`, { ...init, headers });
  const text = await res.text();
  const detail = res.headers.get('content-type')?.includes('json')
    ? (JSON.parse(text) as { detail?: string }).detail
    : undefined;
  return {
    status: res.status,
    retryAfter: res.headers.get('retry-after'),
    type: res.headers.get('content-type'),
    detail,
  };
}

const expectTooMany = (answer: Answer, detail: RegExp, windowSeconds: number) => {
  expect(answer).toMatchObject({ status: 429, type: expect.stringMatching(/^application\/problem\+json/) });
  expect(answer.detail).toMatch(detail);
  const seconds = Number(answer.retryAfter);
  expect(Number.isInteger(seconds) && seconds >= 1 && seconds <= windowSeconds).toBe(true);
};

describe('with the default limits', () => {
  const log = captureLog();
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({}, log.logger, { worker: false });
  });
  afterAll(() => api?.stop());

  test('30 bad tokens: the first 20 get 401, then 429 with Retry-After; a good token still passes; no error-level line', async () => {
    const mark = log.lines.length;
    const forged = await new SignJWT({ role: 'admin' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('intruder')
      .setIssuer(api.authKeys.issuer)
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('not-the-secret-'.repeat(4)));
    const answers: Answer[] = [];
    for (let i = 0; i < 30; i += 1)
      answers.push(await ask(api, '/v1/tasks', { authorization: `Bearer ${i % 2 ? forged : `garbage.${i}.x`}` }));
    expect(answers.slice(0, 20).map((a) => a.status)).toEqual(Array(20).fill(401));
    for (const answer of answers.slice(20))
      expectTooMany(answer, /^too many refused tokens from this address: at most 20 in 1m; retry in \d+ s$/, 60);
    // The refusal no longer says what was wrong with the token.
    expect(answers.slice(20).every((a) => !/invalid token|signature/.test(a.detail ?? ''))).toBe(true);
    // Someone with a good token at the same address is not locked out.
    expect((await ask(api, '/v1/tasks', { authorization: `Bearer ${await api.token(admin())}` })).status).toBe(200);
    expect(log.errorsSince(mark)).toEqual([]);
    expect(log.text()).toContain('"statusCode":429');
  });

  test('the OpenAPI document lists the 429 and its Retry-After on every operation', () => {
    const paths = api.openApiDocument().paths as Record<string, Record<string, { responses: Record<string, unknown> }>>;
    for (const [path, methods] of Object.entries(paths))
      for (const [method, operation] of Object.entries(methods))
        expect({ path, method, tooMany: operation.responses['429'] }).toEqual({
          path,
          method,
          tooMany: expect.objectContaining({ headers: { 'Retry-After': expect.any(Object) } }),
        });
  });
});

describe('with small limits from the configuration', () => {
  const log = captureLog();
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi(
      { RATE_LIMIT_PRINCIPAL: '5/1m', RATE_LIMIT_ADDRESS: '6/30s', RATE_LIMIT_AUTH_FAILURES: '3/1m' },
      log.logger,
      { worker: false },
    );
  });
  afterAll(() => api?.stop());

  test('one principal gets its budget; another principal, or the same sub in another role, has its own', async () => {
    const boss = admin();
    const bearer = async (p: Parameters<TestApi['token']>[0]) => ({ authorization: `Bearer ${await api.token(p)}` });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) statuses.push((await ask(api, '/v1/tasks', await bearer(boss))).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    expectTooMany(
      await ask(api, '/v1/tasks', await bearer(boss)),
      /^too many requests from this principal: at most 5 in 1m/,
      60,
    );
    // Public routes count against the principal too when a token comes with them.
    expect((await ask(api, '/.well-known/jwks.json', await bearer(boss))).status).toBe(429);
    expect((await ask(api, '/v1/tasks', await bearer(admin()))).status).toBe(200);
    expect((await ask(api, '/v1/auth/me', await bearer(requester(boss.sub)))).status).toBe(200);
  });

  test('requests without a token share the address budget: public routes, the console, unknown paths, refused bodies', async () => {
    const mark = log.lines.length;
    const answers = [
      await ask(api, '/.well-known/jwks.json'),
      await ask(api, '/v1/log/checkpoint'),
      await ask(api, '/console/'),
      await ask(api, '/no/such/path'),
      await ask(api, '/v1/requests', { 'content-type': 'application/json' }, { method: 'POST', body: '{"broken' }),
      await ask(api, '/v1/tasks'),
    ];
    expect(answers.map((a) => a.status)).not.toContain(429);
    for (const path of ['/.well-known/jwks.json', '/console/', '/no/such/path', '/v1/tasks'])
      expectTooMany(await ask(api, path), /^too many requests without a token from this address: at most 6 in 30s/, 30);
    // A principal's own budget is untouched by it.
    expect((await ask(api, '/v1/auth/me', { authorization: `Bearer ${await api.token(admin())}` })).status).toBe(200);
    expect(log.errorsSince(mark)).toEqual([]);
  });

  test('refused tokens have their own, smaller budget', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1)
      statuses.push((await ask(api, '/v1/auth/me', { authorization: 'Bearer a.b.c' })).status);
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
  });
});
