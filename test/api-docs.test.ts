/**
 * The API describes itself: an OpenAPI 3.1 document generated from the same zod schemas
 * (validated by an independent validator, listing every contract path), a readable /docs
 * page, health and readiness, Prometheus metrics, and tokens that are refused when bad.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SignJWT, UnsecuredJWT } from 'jose';
import { startTestApi, type TestApi } from './support/api';
import { admin } from './support/fixtures';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api?.stop());

/** The contract's paths (the product contract, §3 of its design), verbatim. */
const CONTRACT: Array<[string, string]> = [
  ['post', '/v1/requests'],
  ['get', '/v1/requests/{id}'],
  ['get', '/v1/intakes/{id}'],
  ['post', '/v1/intakes/{id}/withdraw'],
  ['get', '/v1/tasks'],
  ['get', '/v1/tasks/{id}'],
  ['post', '/v1/tasks/{id}/approve'],
  ['post', '/v1/tasks/{id}/reject'],
  ['post', '/v1/tasks/{id}/assign'],
  ['post', '/v1/tasks/{id}/job'],
  ['put', '/v1/operators/{operatorId}'],
  ['get', '/v1/operators'],
  ['get', '/v1/operators/{operatorId}'],
  ['get', '/v1/operators/{operatorId}/queue'],
  ['get', '/v1/jobs/{id}'],
  ['post', '/v1/jobs/{id}/claim'],
  ['post', '/v1/jobs/{id}/start'],
  ['get', '/v1/service-events/{id}'],
  ['post', '/v1/service-events/{id}/stage'],
  ['post', '/v1/service-events/{id}/evidence'],
  ['post', '/v1/service-events/{id}/complete'],
  ['post', '/v1/service-events/{id}/evidence/files'],
  ['get', '/v1/evidence-files/{sha256}'],
  ['get', '/v1/records/{id}'],
  ['get', '/v1/records/{id}/verify'],
  ['get', '/v1/signals/{id}'],
  ['get', '/v1/operators/{operatorId}/signals'],
  ['get', '/.well-known/jwks.json'],
  ['get', '/v1/log/checkpoint'],
  ['post', '/v1/log/checkpoint'],
  ['get', '/v1/records/{id}/proof'],
  ['get', '/v1/log/consistency'],
  ['get', '/openapi.json'],
  ['get', '/docs'],
  ['get', '/healthz'],
  ['get', '/readyz'],
  ['get', '/metrics'],
];

test('GET /openapi.json is a valid OpenAPI 3.1 document listing every contract path', async () => {
  const res = await api.call('GET', '/openapi.json');
  expect(res.status).toBe(200);
  expect(res.body.openapi).toBe('3.1.0');
  const listed = Object.entries(res.body.paths as Record<string, Record<string, unknown>>).flatMap(([p, methods]) =>
    Object.keys(methods).map((m) => `${m} ${p}`),
  );
  expect(listed).toEqual(expect.arrayContaining(CONTRACT.map(([m, p]) => `${m} ${p}`)));
  // The validator is an ES module; run its CLI on the document as served.
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'qtm-openapi-')), 'openapi.json');
  fs.writeFileSync(file, JSON.stringify(res.body));
  const cli = require.resolve('@seriousme/openapi-schema-validator/bin/validate-api-cli.js');
  const out = execFileSync(process.execPath, [cli, file], { encoding: 'utf8' });
  expect(JSON.parse(out.slice(out.indexOf('{')))).toMatchObject({ valid: true });
  // Bodies are documented from the zod schemas that validate them.
  const submit = res.body.paths['/v1/requests'].post;
  expect(JSON.stringify(submit.requestBody)).toContain('SubmitRequest');
  expect(res.body.components.schemas.SubmitRequest.required).toEqual(
    expect.arrayContaining(['channel', 'actor', 'request']),
  );
});

test('GET /docs renders the document with Redoc, served by the API itself (nothing from a CDN)', async () => {
  const res = await fetch(`${api.url}/docs`);
  expect(res.headers.get('content-type')).toMatch(/text\/html/);
  const html = await res.text();
  expect(html).toContain('<redoc spec-url="/openapi.json"');
  const scripts = [...html.matchAll(/<script src="([^"]+)"/g)].map((m) => m[1]);
  expect(scripts).toEqual(['/docs/redoc.standalone.js']);
  expect(html).not.toMatch(/https?:\/\//);
  const script = await fetch(`${api.url}${scripts[0]}`);
  expect(script.status).toBe(200);
  expect(script.headers.get('content-type')).toMatch(/javascript/);
  expect((await script.text()).length).toBeGreaterThan(500_000);
});

test('health, readiness and metrics', async () => {
  expect(await api.call('GET', '/healthz')).toMatchObject({ status: 200, body: { status: 'ok' } });
  expect(await api.call('GET', '/readyz')).toMatchObject({
    status: 200,
    body: { status: 'ready', checks: { postgres: 'ok', temporal: 'ok' } },
  });
  await api.call('GET', '/v1/tasks', { as: admin() });
  await api.call('GET', '/v1/tasks/not-a-uuid', { as: admin() });
  const metrics = await fetch(`${api.url}/metrics`).then((r) => r.text());
  expect(metrics).toMatch(/qtm_http_requests_total\{method="GET",route="\/v1\/tasks",status="200"\} \d+/);
  expect(metrics).toMatch(/qtm_http_requests_total\{method="GET",route="\/v1\/tasks\/:id",status="400"\} \d+/);
  expect(metrics).toMatch(
    /qtm_http_request_duration_seconds_bucket\{le="0.1",method="GET",route="\/v1\/tasks",status="200"\}/,
  );
});

describe('bearer tokens', () => {
  const boss = admin();
  const claims = { role: 'admin' };
  const expectRefused = async (token: string, detail: RegExp) => {
    const res = await fetch(`${api.url}/v1/tasks`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { detail: string }).detail).toMatch(detail);
  };

  test('a valid token is accepted', async () => {
    expect((await api.call('GET', '/v1/tasks', { as: boss })).status).toBe(200);
  });
  test('missing or malformed Authorization → 401', async () => {
    expect((await fetch(`${api.url}/v1/tasks`)).status).toBe(401);
    expect((await fetch(`${api.url}/v1/tasks`, { headers: { authorization: 'Basic abc' } })).status).toBe(401);
  });
  test('expired → 401', async () => {
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(boss.sub)
      .setIssuer(api.authKeys.issuer)
      .setIssuedAt(Math.floor(Date.now() / 1000) - 7200)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 3600)
      .sign(api.authKeys.secret);
    await expectRefused(token, /expired/);
  });
  test('signed with another secret → 401', async () => {
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(boss.sub)
      .setIssuer(api.authKeys.issuer)
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('x'.repeat(48)));
    await expectRefused(token, /invalid token/);
  });
  test('alg: none → 401', async () => {
    const token = new UnsecuredJWT(claims)
      .setSubject(boss.sub)
      .setIssuer(api.authKeys.issuer)
      .setExpirationTime('1h')
      .encode();
    await expectRefused(token, /invalid token/);
  });
  test('payload altered after signing → 401', async () => {
    const token = await api.token({ sub: 'someone', role: 'requester' });
    const [header, payload, signature] = token.split('.');
    const altered = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), role: 'admin' }),
    ).toString('base64url');
    await expectRefused(`${header}.${altered}.${signature}`, /invalid token/);
  });
  test('an operator token without operatorId, or an unknown role → 401', async () => {
    const sign = (c: Record<string, unknown>) =>
      new SignJWT(c)
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('x')
        .setIssuer(api.authKeys.issuer)
        .setExpirationTime('1h')
        .sign(api.authKeys.secret);
    await expectRefused(await sign({ role: 'operator' }), /operatorId/);
    await expectRefused(await sign({ role: 'root' }), /principal/);
  });
});
