/**
 * Hostile and malformed input at the HTTP edge (issue 11, "Bad input that still gets 500", and
 * issue 13's unsafe integers): every case answers a 4xx application/problem+json naming what is
 * wrong, changes no row, and writes no error-level log line, with and without a token.
 * Requests go over real HTTP (node:http, so paths, methods and bodies reach the server as written).
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import zlib from 'node:zlib';
import fc from 'fast-check';
import { SignJWT } from 'jose';
import { startTestApi, type TestApi } from './support/api';
import { requestBody } from './support/fixtures';
import { snapshot, worldAt, type World } from './support/http-world';
import { captureLog, type CapturedLog } from './support/log-capture';
import type { Principal } from '../domain/schemas';

let api: TestApi;
let log: CapturedLog;
let pending: World;
let executing: World;
let sealed: World;
beforeAll(async () => {
  log = captureLog();
  api = await startTestApi({}, log.logger);
  [pending, executing, sealed] = await Promise.all([
    worldAt(api, 'pending'),
    worldAt(api, 'executing'),
    worldAt(api, 'completed'),
  ]);
});
afterAll(() => api?.stop());

interface Sent {
  status: number;
  headers: http.IncomingHttpHeaders;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  text: string;
}

/** One request exactly as given: the path is not normalised, any method, a body on any method. */
function send(
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<Sent> {
  const url = new URL(api.url);
  // Node's client sends a GET's body without framing unless told its length.
  const length = options.body === undefined ? {} : { 'content-length': String(Buffer.byteLength(options.body)) };
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: url.hostname, port: url.port, method, path, headers: { ...length, ...options.headers }, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = null;
          try {
            body = text ? JSON.parse(text) : null;
          } catch {
            body = text;
          }
          resolve({ status: res.statusCode!, headers: res.headers, body, text });
        });
      },
    );
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

const bearer = async (p: Principal) => ({ authorization: `Bearer ${await api.token(p)}` });
const JSON_TYPE = { 'content-type': 'application/json' };

/** A 4xx problem document with this status, naming `field` (in `errors` and the detail) when given. */
function expectProblem(res: Sent, status: number, field?: string): void {
  expect({ status: res.status, body: res.body }).toMatchObject({ status, body: { status } });
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toEqual(
    expect.objectContaining({ type: expect.any(String), title: expect.any(String), detail: expect.any(String) }),
  );
  if (field) {
    expect({ detail: res.body.detail, paths: res.body.errors?.map((e: { path: string }) => e.path) }).toEqual({
      detail: expect.stringContaining(field),
      paths: expect.arrayContaining([field]),
    });
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(field);
    expect(res.body.detail).toContain(field);
  }
}

/** Runs `call`, then checks that the worlds' rows are as before and that no error-level line was logged. */
async function unchanged<T>(call: () => Promise<T>, worlds: World[] = [pending, executing, sealed]): Promise<T> {
  const before = await Promise.all(worlds.map((w) => snapshot(api, w.intakeId)));
  const mark = log.lines.length;
  const result = await call();
  expect(log.errorsSince(mark)).toEqual([]);
  expect(await Promise.all(worlds.map((w) => snapshot(api, w.intakeId)))).toEqual(before);
  return result;
}

describe('a bad percent-encoding in a path parameter → 400 naming the parameter', () => {
  const cases: Array<[string, string, () => string, string]> = [
    ['GET', '/v1/jobs/%ZZ', () => '/v1/jobs/%ZZ', 'params.id'],
    ['GET', '/v1/jobs/%', () => '/v1/jobs/%', 'params.id'],
    ['POST', '/v1/tasks/%ZZ/approve', () => '/v1/tasks/%ZZ/approve', 'params.id'],
    ['GET', '/v1/records/%E0%A4%A/verify', () => '/v1/records/%E0%A4%A/verify', 'params.id'],
    ['GET', '/v1/operators/%C0%AF/queue (overlong UTF-8)', () => '/v1/operators/%C0%AF/queue', 'params.operatorId'],
    ['GET', '/v1/operators/%ZZ/signals (public)', () => '/v1/operators/%ZZ/signals', 'params.operatorId'],
  ];
  test.each(cases)('%s %s, without and with a token', async (method, _name, path, field) => {
    await unchanged(async () => {
      for (const headers of [{}, await bearer(executing.admin)]) {
        const res = await send(method, path(), {
          headers: { ...headers, ...(method === 'POST' ? JSON_TYPE : {}) },
          body: method === 'POST' ? '{}' : undefined,
        });
        expectProblem(res, 400, field);
      }
    });
  });

  test('a bad percent-encoding outside any parameter is a 400 about the path', async () => {
    const res = await unchanged(() => send('GET', '/v1/%ZZ/tasks'));
    expectProblem(res, 400, 'path');
  });
});

describe('Content-Type charsets', () => {
  test.each(['latin1', 'utf-16', 'iso-8859-1'])(
    'application/json; charset=%s → 415, without and with a token',
    async (charset) => {
      await unchanged(async () => {
        for (const headers of [{}, await bearer(pending.governor)]) {
          const res = await send('POST', `/v1/tasks/${pending.taskId}/approve`, {
            headers: { ...headers, 'content-type': `application/json; charset=${charset}` },
            body: '{}',
          });
          expectProblem(res, 415);
          expect(res.body.detail).toMatch(/UTF-8/);
        }
      });
    },
  );

  test('charset="UTF-8" (quoted, any case) is accepted: the body reaches validation', async () => {
    const res = await unchanged(async () =>
      send('POST', `/v1/tasks/${pending.taskId}/approve`, {
        headers: { ...(await bearer(pending.governor)), 'content-type': 'application/json; charset="UTF-8"' },
        body: '{"bogus": 1}',
      }),
    );
    expectProblem(res, 400, 'body');
  });

  test('a body that is not valid UTF-8 → 400', async () => {
    const res = await unchanged(async () =>
      send('POST', `/v1/tasks/${pending.taskId}/reject`, {
        headers: { ...(await bearer(pending.governor)), ...JSON_TYPE },
        body: Buffer.from([0x7b, 0x22, 0x72, 0x65, 0x61, 0x73, 0x6f, 0x6e, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]),
      }),
    );
    expectProblem(res, 400, 'body');
  });
});

describe('Content-Encoding', () => {
  test.each(['gzip', 'deflate', 'br'])(
    '%s with bytes that are not of that coding → 400, without and with a token',
    async (coding) => {
      await unchanged(async () => {
        for (const headers of [{}, await bearer(pending.governor)]) {
          const res = await send('POST', `/v1/tasks/${pending.taskId}/approve`, {
            headers: { ...headers, ...JSON_TYPE, 'content-encoding': coding },
            body: 'these bytes are not compressed',
          });
          expectProblem(res, 400, 'body');
          expect(res.body.detail).toContain(coding);
        }
      });
    },
  );

  test('an encoding the server does not undo → 415 with Accept-Encoding listing those it does', async () => {
    for (const coding of ['compress', 'zstd', 'gzip, gzip']) {
      const res = await unchanged(async () =>
        send('POST', `/v1/tasks/${pending.taskId}/approve`, {
          headers: { ...(await bearer(pending.governor)), ...JSON_TYPE, 'content-encoding': coding },
          body: '{}',
        }),
      );
      expectProblem(res, 415);
      expect(res.headers['accept-encoding']).toBe('gzip, deflate, br');
    }
  });

  test('a real gzip body is undone and validated; a gzip bomb is measured after inflation → 413', async () => {
    const governor = await bearer(pending.governor);
    const valid = await unchanged(() =>
      send('POST', `/v1/tasks/${pending.taskId}/approve`, {
        headers: { ...governor, ...JSON_TYPE, 'content-encoding': 'gzip' },
        body: zlib.gzipSync('{"note": 5}'),
      }),
    );
    expectProblem(valid, 400, 'body.note');
    const bomb = await unchanged(() =>
      send('POST', `/v1/tasks/${pending.taskId}/approve`, {
        headers: { ...governor, ...JSON_TYPE, 'content-encoding': 'gzip' },
        body: zlib.gzipSync(Buffer.alloc(50_000_000, 0x20)),
      }),
    );
    expectProblem(bomb, 413);
  });
});

describe('deeply nested JSON under the body limit', () => {
  const arrays = '['.repeat(30_000) + ']'.repeat(30_000);
  const objects = '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000);
  test.each([
    ['30,000 [', arrays],
    ['10,000 levels of {"a":', objects],
  ])('%s → 400 at once, without and with a token', async (_name, body) => {
    await unchanged(async () => {
      for (const [path, headers] of [
        [`/v1/tasks/${pending.taskId}/approve`, {}],
        [`/v1/tasks/${pending.taskId}/approve`, await bearer(pending.governor)],
        ['/v1/requests', await bearer(pending.requester)],
        ['/v1/tasks', await bearer(pending.admin)],
      ] as const) {
        const res = await send(path === '/v1/tasks' ? 'GET' : 'POST', path, {
          headers: { ...headers, ...JSON_TYPE },
          body,
        });
        expectProblem(res, 400, 'body');
        expect(res.body.detail).toMatch(/nest/);
      }
    });
  });

  test('the limit is 32 levels; brackets inside strings do not count', async () => {
    const governor = { ...(await bearer(pending.governor)), ...JSON_TYPE };
    const nested = (levels: number) => '{"note":'.repeat(levels) + '"x"' + '}'.repeat(levels);
    await unchanged(async () => {
      const atLimit = await send('POST', `/v1/tasks/${pending.taskId}/approve`, {
        headers: governor,
        body: nested(32),
      });
      expectProblem(atLimit, 400, 'body.note'); // parsed, then refused by the schema
      const over = await send('POST', `/v1/tasks/${pending.taskId}/approve`, { headers: governor, body: nested(33) });
      expectProblem(over, 400, 'body');
      expect(over.body.detail).toMatch(/nest/);
      const inString = await send('POST', `/v1/tasks/${pending.taskId}/approve`, {
        headers: governor,
        body: JSON.stringify({ note: '[{'.repeat(5_000) + '\\"[', bogus: true }),
      });
      expectProblem(inString, 400, 'body');
      expect(inString.body.detail).not.toMatch(/nest/);
    });
  });
});

describe('forged pagination cursors → 400 naming query.cursor', () => {
  const cursor = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const nil = '00000000-0000-0000-0000-000000000000';
  const forged: Array<[string, string]> = [
    ['a non-UUID id', cursor(['2024-01-01T00:00:00Z', 'f'.repeat(36)])],
    ['a UUID-shaped id with a stray character', cursor(['2024-01-01T00:00:00Z', `${nil.slice(0, 35)}g`])],
    ['a time that is not a timestamp', cursor(['1', nil])],
    ['an out-of-range time', cursor(['+275760-09-13T00:00:00.000Z', nil])],
    ['February 30th', cursor(['2024-02-30T00:00:00.000000Z', nil])],
    ['year 0', cursor(['0000-01-01T00:00:00Z', nil])],
    ['three items', cursor(['2024-01-01T00:00:00Z', nil, 1])],
    ['not JSON', Buffer.from('[oops').toString('base64url')],
  ];
  const endpoints: Array<[string, (w: World) => string, (w: World) => Principal | null]> = [
    ['/v1/tasks', () => '/v1/tasks', (w) => w.admin],
    ['/v1/operators/:id/queue', (w) => `/v1/operators/${w.operatorId}/queue`, (w) => w.admin],
    ['/v1/operators/:id/signals (public, no token)', (w) => `/v1/operators/${w.operatorId}/signals`, () => null],
  ];
  test.each(endpoints)('%s', async (_name, path, as) => {
    await unchanged(async () => {
      for (const [what, c] of forged) {
        const who = as(sealed);
        const res = await send('GET', `${path(sealed)}?cursor=${c}`, { headers: who ? await bearer(who) : {} });
        expect({ what, status: res.status }).toEqual({ what, status: 400 });
        expectProblem(res, 400, 'query.cursor');
      }
    });
  });

  test('cursors the API issued still work, including the older millisecond form', async () => {
    const admin = await bearer(sealed.admin);
    const first = await send('GET', '/v1/tasks?limit=1', { headers: admin });
    expect(first.status).toBe(200);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const next = await send('GET', `/v1/tasks?limit=1&cursor=${first.body.nextCursor}`, { headers: admin });
    expect(next.status).toBe(200);
    const older = await send('GET', `/v1/tasks?limit=1&cursor=${cursor(['2024-01-01T00:00:00.000Z', nil])}`, {
      headers: admin,
    });
    expect(older.status).toBe(200);
  });
});

describe('401 carries WWW-Authenticate: Bearer (RFC 6750)', () => {
  const sign = (claims: Record<string, unknown>, expiresIn: string | number = '1h') =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(api.authKeys.issuer)
      .setExpirationTime(expiresIn)
      .sign(api.authKeys.secret);

  test('no token, or another scheme: a bare Bearer challenge', async () => {
    for (const headers of [{}, { authorization: 'Basic dXNlcjpwYXNz' }] as Array<Record<string, string>>) {
      const res = await send('GET', '/v1/tasks', { headers });
      expectProblem(res, 401);
      expect(res.headers['www-authenticate']).toBe('Bearer');
    }
  });

  test('a token that is given but bad: error="invalid_token"', async () => {
    const expired = await sign({ sub: 'someone', role: 'admin' }, Math.floor(Date.now() / 1000) - 60);
    // The signature's first character: its last one carries two padding bits, so A↔B there can be the same bytes.
    const forged = (await api.token(pending.admin)).replace(
      /\.([^.])([^.]*)$/,
      (_, c: string, rest: string) => `.${c === 'A' ? 'B' : 'A'}${rest}`,
    );
    for (const token of ['abc.def.ghi', 'not-a-jwt', expired, forged, await sign({ sub: 'x', role: 'superuser' })]) {
      const res = await send('GET', '/v1/tasks', { headers: { authorization: `Bearer ${token}` } });
      expectProblem(res, 401);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer error="invalid_token", error_description="[^"]+"$/);
    }
  });

  test('the OpenAPI document names the challenge header and the 415', () => {
    const paths = api.openApiDocument().paths as Record<string, Record<string, { responses: Record<string, never> }>>;
    expect(paths['/v1/tasks']!.get!.responses['401']).toMatchObject({ headers: { 'WWW-Authenticate': {} } });
    expect(paths['/v1/tasks/{id}/approve']!.post!.responses['415']).toBeDefined();
  });

  test('the scheme is case-insensitive (RFC 9110 §11.1)', async () => {
    const res = await send('GET', `/v1/tasks/${pending.taskId}`, {
      headers: { authorization: `bearer ${await api.token(pending.admin)}` },
    });
    expect(res.status).toBe(200);
  });

  test('odd claims are refused with 401 before anything is written (a NUL in sub once wedged an intake)', async () => {
    const body = JSON.stringify(requestBody());
    const tag = `odd-${randomUUID().slice(0, 8)}`;
    const odd: Array<Record<string, unknown>> = [
      { sub: `${tag}\u0000b`, role: 'requester' },
      { sub: `${tag}\ud800b`, role: 'requester' },
      { sub: `${tag}\there`, role: 'requester' },
      { sub: tag.padEnd(201, 'x'), role: 'requester' },
      { sub: 42, role: 'requester' },
      { sub: tag, role: ['requester'] },
      { sub: tag, role: 'requester', operatorId: 'op-1' },
      { sub: tag, role: 'operator', operatorId: 'op 1' },
    ];
    await unchanged(async () => {
      for (const claims of odd) {
        const res = await send('POST', '/v1/requests', {
          headers: { authorization: `Bearer ${await sign(claims)}`, ...JSON_TYPE },
          body,
        });
        expect({ claims, status: res.status }).toEqual({ claims, status: 401 });
        expectProblem(res, 401);
        expect(res.headers['www-authenticate']).toMatch(/error="invalid_token"/);
      }
      const made = await api.db('intakes').where('requester_sub', 'like', `${tag}%`).count('* as n').first();
      expect(Number(made!.n)).toBe(0);
      const exp = await send('GET', '/v1/tasks', {
        headers: {
          authorization: `Bearer ${await new SignJWT({ sub: 'x', role: 'admin', exp: 'never' as unknown as number })
            .setProtectedHeader({ alg: 'HS256' })
            .setIssuer(api.authKeys.issuer)
            .sign(api.authKeys.secret)}`,
        },
      });
      expectProblem(exp, 401);
    });
  });
});

describe('integers outside the IEEE-754 safe range (issue 13) → 400 naming the field', () => {
  const evidence = (w: World) => `/v1/service-events/${w.serviceEventId}/evidence`;

  test.each([
    ['{"kind":"measurement","value":9007199254740993}', 'body.value'],
    ['{"kind":"measurement","value":-9007199254740993}', 'body.value'],
    ['{"kind":"measurement","value":9007199254740992}', 'body.value'],
    ['{"kind":"checklist","value":{"valves":1,"serial":123456789012345678901234567890}}', 'body.value.serial'],
  ])('evidence %s', async (body, field) => {
    const res = await unchanged(async () =>
      send('POST', evidence(executing), { headers: { ...(await bearer(executing.staff)), ...JSON_TYPE }, body }),
    );
    expectProblem(res, 400, field);
    expect(res.body.detail).toMatch(/safe/);
  });

  test('anywhere in a POST /v1/requests body, known field or not', async () => {
    const requester = await bearer(pending.requester);
    const valid = requestBody();
    const location = JSON.stringify({ ...valid, request: { ...valid.request, location: { lat: 1 } } }).replace(
      '"lat":1',
      '"lat":9007199254740993',
    );
    const extra = JSON.stringify({ ...valid, extra: [0, 1] }).replace('[0,1]', '[0,12345678901234567890]');
    const byRequester = () =>
      api.db('requests').where({ submitted_by_sub: pending.requester.sub }).count('* as n').first();
    const before = await byRequester();
    for (const [body, field] of [
      [location, 'body.request.location.lat'],
      [extra, 'body.extra.1'],
    ]) {
      const res = await unchanged(() =>
        send('POST', '/v1/requests', { headers: { ...requester, ...JSON_TYPE }, body }),
      );
      expectProblem(res, 400, field);
    }
    expect(await byRequester()).toEqual(before);
  });

  test('numbers beyond a double (1e400 parses to Infinity) → 400 from the schema, which takes finite numbers only', async () => {
    const staff = { ...(await bearer(executing.staff)), ...JSON_TYPE };
    await unchanged(async () => {
      for (const [body, field] of [
        ['{"kind":"measurement","value":1e400}', 'body.value'],
        ['{"kind":"checklist","value":{"a":-1e400}}', 'body.value'],
      ]) {
        expectProblem(await send('POST', evidence(executing), { headers: staff, body }), 400, field);
      }
    });
  });

  test('safe integers, exponent forms and long digit strings are accepted as they are', async () => {
    const w = await worldAt(api, 'executing');
    const staff = { ...(await bearer(w.staff)), ...JSON_TYPE };
    for (const body of [
      '{"kind":"measurement","value":9007199254740991,"unit":"count"}',
      '{"kind":"measurement","value":6.02214076e23,"unit":"1/mol"}',
      '{"kind":"note","description":"serial 123456789012345678901234567890"}',
    ]) {
      const res = await send('POST', evidence(w), { headers: staff, body });
      expect({ body, status: res.status }).toEqual({ body, status: 201 });
    }
    const se = await api.call('GET', `/v1/service-events/${w.serviceEventId}`, { as: w.staff });
    expect(se.body.evidence.map((e: { value?: unknown }) => e.value)).toEqual([
      9007199254740991,
      6.02214076e23,
      undefined,
    ]);
  });
});

describe('methods, headers and queries', () => {
  test('a known path with another method → 405 with Allow; OPTIONS answers Allow', async () => {
    await unchanged(async () => {
      for (const method of ['PUT', 'DELETE', 'PATCH']) {
        const res = await send(method, `/v1/tasks/${pending.taskId}`, { headers: await bearer(pending.admin) });
        expectProblem(res, 405);
        expect(res.headers.allow).toBe('GET, HEAD');
      }
      const post = await send('GET', `/v1/tasks/${pending.taskId}/approve`);
      expectProblem(post, 405);
      expect(post.headers.allow).toBe('POST');
      const options = await send('OPTIONS', `/v1/tasks/${pending.taskId}`);
      expect(options.status).toBe(204);
      expect(options.headers.allow).toBe('GET, HEAD');
      const unknown = await send('PUT', '/v1/nothing-here');
      expectProblem(unknown, 404);
    });
  });

  test('HEAD answers like GET without a body', async () => {
    const head = await send('HEAD', `/v1/tasks/${pending.taskId}`, { headers: await bearer(pending.admin) });
    expect(head.status).toBe(200);
    expect(head.text).toBe('');
    const anonymous = await send('HEAD', '/v1/tasks');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['www-authenticate']).toMatch(/^Bearer/);
  });

  test('a method Node cannot parse, or a header too large → a 4xx problem from the server itself', async () => {
    const bogus = await send('FOO', '/v1/tasks');
    expectProblem(bogus, 400);
    const huge = await send('POST', `/v1/tasks/${pending.taskId}/approve`, {
      headers: { ...(await bearer(pending.governor)), ...JSON_TYPE, 'idempotency-key': 'k'.repeat(20_000) },
      body: '{}',
    });
    expectProblem(huge, 431);
  });

  test('repeated or array-shaped query parameters and absurd limits → 400 naming them', async () => {
    const admin = await bearer(pending.admin);
    await unchanged(async () => {
      for (const [query, field] of [
        ['status=pending&status=approved', 'query.status'],
        ['limit=1&limit=2', 'query.limit'],
        ['cursor=a&cursor=b', 'query.cursor'],
        ['limit=1e400', 'query.limit'],
        ['limit=99999999999999999999999', 'query.limit'],
        ['limit=-0.5', 'query.limit'],
        ['limit=%ZZ', 'query.limit'],
        ['audience=admin&audience=operator', 'query.audience'],
      ]) {
        expectProblem(await send('GET', `/v1/tasks?${query}`, { headers: admin }), 400, field);
      }
      expectProblem(await send('GET', '/v1/log/consistency?from[]=1&to=2'), 400, 'query.from');
    });
  });

  test('a huge or repeated Idempotency-Key → 400 naming the header', async () => {
    const governor = { ...(await bearer(pending.governor)), ...JSON_TYPE };
    await unchanged(async () => {
      const huge = await send('POST', `/v1/tasks/${pending.taskId}/approve`, {
        headers: { ...governor, 'idempotency-key': 'k'.repeat(10_000) },
        body: '{}',
      });
      expectProblem(huge, 400, 'headers.idempotency-key');
      const twice = await send('POST', `/v1/tasks/${pending.taskId}/approve`, {
        headers: { ...governor, 'idempotency-key': ['a', 'b'] as unknown as string },
        body: '{}',
      });
      expectProblem(twice, 400, 'headers.idempotency-key');
    });
  });

  test('a body on a GET is read like any other: malformed → 400, otherwise ignored', async () => {
    const admin = await bearer(pending.admin);
    await unchanged(async () => {
      expectProblem(
        await send('GET', '/v1/tasks', { headers: { ...admin, ...JSON_TYPE }, body: '{"x":' }),
        400,
        'body',
      );
      expect((await send('GET', '/v1/tasks', { headers: { ...admin, ...JSON_TYPE }, body: '{"x":1}' })).status).toBe(
        200,
      );
      expect(
        (await send('GET', '/v1/tasks', { headers: { ...admin, 'content-type': 'text/plain' }, body: 'hi' })).status,
      ).toBe(200);
    });
  });
});

test('property: generated methods, paths, queries, headers and bodies never cause a 5xx or an error log line', async () => {
  const w = await worldAt(api, 'executing');
  const tokens = {
    none: null,
    admin: (await bearer(w.admin)).authorization,
    staff: (await bearer(w.staff)).authorization,
    requester: (await bearer(w.requester)).authorization,
    garbage: 'Bearer abc.def.ghi',
    basic: 'Basic dXNlcjpwYXNz',
  };
  // Every route of the contract (POST /v1/log/checkpoint signs, /readyz may answer 503: neither is input handling).
  const templates = Object.keys(api.openApiDocument().paths as object)
    .filter((p) => p !== '/v1/log/checkpoint' && p !== '/readyz')
    .map((p) => p.replace(/\{(\w+)\}/g, ':$1'));
  const urlSafe = fc.stringMatching(/^[A-Za-z0-9%._~:@!$&'()*+,;=-]{0,12}$/);
  const paramValue = fc.oneof(
    fc.constantFrom(
      w.taskId,
      w.jobId!,
      w.serviceEventId!,
      w.intakeId,
      w.operatorId,
      '00000000-0000-4000-8000-000000000000',
    ),
    urlSafe,
    fc.string().map(encodeURIComponent),
  );
  const pathArb = fc.oneof(
    fc
      .tuple(fc.constantFrom(...templates), fc.array(paramValue, { minLength: 4, maxLength: 4 }))
      .map(([t, values]) => t.replace(/:[A-Za-z]+/g, () => values.shift() || 'x')),
    fc.array(urlSafe, { maxLength: 5 }).map((segments) => `/${segments.join('/')}`),
  );
  const queryArb = fc
    .array(
      fc.tuple(
        fc.oneof(
          fc.constantFrom('limit', 'cursor', 'status', 'audience', 'format', 'treeSize', 'from', 'to', 'limit[]'),
          urlSafe,
        ),
        fc.oneof(urlSafe, fc.integer().map(String), fc.string().map(encodeURIComponent)),
      ),
      { maxLength: 4 },
    )
    .map((pairs) => (pairs.length ? `?${pairs.map(([k, v]) => `${k}=${v}`).join('&')}` : ''));
  const printable = fc.stringMatching(/^[\x20-\x7e]{0,40}$/);
  const headersArb = fc.record(
    {
      authorization: fc.oneof(
        fc.constantFrom(...Object.values(tokens)),
        printable.map((s) => `Bearer ${s}`),
      ),
      'content-type': fc.oneof(
        fc.constantFrom('application/json', 'application/json; charset=latin1', 'text/plain', 'application/xml'),
        printable,
      ),
      'content-encoding': fc.oneof(fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'compress'), printable),
      'idempotency-key': printable,
      accept: fc.oneof(fc.constantFrom('application/json', 'text/plain', '*/*;q=abc'), printable),
    },
    { requiredKeys: [] },
  );
  const bodyArb = fc.oneof(
    fc.constant(undefined),
    fc.jsonValue().map((v) => JSON.stringify(v)),
    fc.string(),
    fc.nat(40).map((n) => '['.repeat(n) + ']'.repeat(n)),
    fc.constant(zlib.gzipSync('{}').toString('latin1')),
  );
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom('GET', 'POST', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'PATCH'),
      pathArb,
      queryArb,
      headersArb,
      bodyArb,
      async (method, path, query, headers, body) => {
        const cleaned = Object.fromEntries(Object.entries(headers).filter(([, v]) => v !== null && v !== '')) as Record<
          string,
          string
        >;
        const mark = log.lines.length;
        const res = await send(method, `${path}${query}`, {
          headers: cleaned,
          body: body === undefined ? undefined : Buffer.from(body, 'latin1'),
        });
        const errors = log.errorsSince(mark);
        if (res.status >= 500 || errors.length > 0)
          throw new Error(
            `${method} ${path}${query} → ${res.status} ${res.text.slice(0, 200)} ${JSON.stringify(errors)}`,
          );
        if (res.status >= 400 && method !== 'HEAD') expect(res.headers['content-type']).toMatch(/problem\+json/);
      },
    ),
    { numRuns: 400 },
  );
}, 240_000);
