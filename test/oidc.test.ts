/**
 * Sign-in from a real OpenID Provider (oidc-provider, a certified implementation, in its own
 * process): its client-credentials access tokens, with roles and operatorId in Keycloak- and
 * Auth0-shaped claims, work on the real API; tokens from another issuer, for another audience,
 * expired, not yet valid, too long-lived or signed by a rotated-out key are refused with 401 and
 * WWW-Authenticate; so is an ID token whose aud is the API's audience (only `typ: at+jwt` access
 * tokens are accepted, RFC 9068); rotation needs no API restart; a provider outage is a 503, never a 500.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { decodeJwt, decodeProtectedHeader, type JWK } from 'jose';
import { freePort } from '../stack/temporal-cli';
import { startTestApi, type HttpResult, type TestApi } from './support/api';
import { admin as adminPrincipal, newOperatorId, requestBody } from './support/fixtures';
import { signingKey, startProvider, type ProviderClient, type RunningProvider } from './support/oidc';
import { qtmClient } from '../client';
import { registerOperators } from '../client/operators';

jest.setTimeout(120_000);

const AUDIENCE = 'https://api.qtm.test';
const OTHER_AUDIENCE = 'https://billing.qtm.test';
const OPERATOR = newOperatorId();
const OPERATOR_CLAIM = 'https://qtm.example/operator_id';
const secret = 'client-secret-that-is-long-enough-0123456789';
const roles = (...names: string[]) => ({ realm_access: { roles: names } });
const asAdmin = roles('qtm-admin', 'uma_authorization');

/** Keycloak-style role arrays, an Auth0-style namespaced claim for the operator, IdP role names mapped. */
const apiEnv = (issuer: string) => ({
  AUTH_OIDC_ISSUER: issuer,
  AUTH_AUDIENCE: AUDIENCE,
  AUTH_ROLE_CLAIM: 'realm_access.roles',
  AUTH_OPERATOR_ID_CLAIM: OPERATOR_CLAIM,
  AUTH_ROLE_MAP: 'qtm-requester=requester,qtm-operator=operator,qtm-admin=admin',
  AUTH_TOKEN_MAX_LIFETIME: '1h',
  AUTH_CLOCK_TOLERANCE: '1s',
  AUTH_OIDC_JWKS_COOLDOWN: '1s',
  AUTH_OIDC_JWKS_CACHE_MAX_AGE: '3s',
  AUTH_OIDC_TIMEOUT: '2s',
  AUTH_OIDC_CLIENT_ID: 'qtm-console',
  AUTH_OIDC_SCOPES: 'openid profile',
});

const clients = (rsaKid: string): ProviderClient[] => [
  { id: 'qtm-requester', secret, claims: roles('offline_access', 'qtm-requester'), kid: rsaKid },
  { id: 'qtm-operator', secret, claims: { ...roles('qtm-operator'), [OPERATOR_CLAIM]: OPERATOR }, kid: rsaKid },
  { id: 'qtm-admin', secret, claims: asAdmin, kid: rsaKid },
  { id: 'qtm-admin-es256', secret, claims: asAdmin, alg: 'ES256' },
  { id: 'qtm-admin-eddsa', secret, claims: asAdmin, alg: 'EdDSA' },
  { id: 'qtm-admin-2h', secret, claims: asAdmin, ttl: 2 * 3600, kid: rsaKid },
  { id: 'qtm-admin-later', secret, claims: asAdmin, nbfIn: 3600, kid: rsaKid },
  { id: 'qtm-admin-1s', secret, claims: asAdmin, ttl: 1, kid: rsaKid },
  { id: 'qtm-nobody', secret, claims: roles('offline_access', 'uma_authorization'), kid: rsaKid },
  { id: 'qtm-two-roles', secret, claims: roles('qtm-admin', 'qtm-operator'), kid: rsaKid },
];

let keys: { rsa1: JWK; rsa2: JWK; ec: JWK; ed: JWK };
let port: number;
let op: RunningProvider | null = null;
let otherOp: RunningProvider;
let api: TestApi;

const provider = (rsaKeys: JWK[], rsaKid: string) =>
  startProvider({
    port,
    keys: [...rsaKeys, keys.ec, keys.ed],
    audiences: [AUDIENCE, OTHER_AUDIENCE],
    clients: clients(rsaKid),
    // A client whose id is the API's audience (a common set-up: AUTH_AUDIENCE = the app's client id),
    // so that its ID tokens name the API in aud, and an admin who signs in with it.
    login: { clientId: AUDIENCE, redirectUri: 'http://127.0.0.1:9/callback', accounts: { 'ada-admin': asAdmin } },
  });

async function restartProvider(rsaKeys: JWK[], rsaKid: string): Promise<RunningProvider> {
  await op?.stop();
  op = await provider(rsaKeys, rsaKid);
  return op;
}

const call = (method: string, url: string, token: string, body?: unknown): Promise<HttpResult> =>
  api.call(method, url, { as: null, headers: { authorization: `Bearer ${token}` }, ...(body ? { body } : {}) });

async function expectRefused(token: string, detail: RegExp): Promise<void> {
  const res = await call('GET', '/v1/tasks?audience=admin', token);
  expect({ status: res.status, detail: res.body.detail }).toEqual({
    status: 401,
    detail: expect.stringMatching(detail),
  });
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(res.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token", error_description="[^"]+"$/);
}

beforeAll(async () => {
  const [rsa1, rsa2, ec, ed] = await Promise.all([
    signingKey('RS256', 'rsa-1'),
    signingKey('RS256', 'rsa-2'),
    signingKey('ES256', 'ec-1'),
    signingKey('EdDSA', 'ed-1'),
  ]);
  keys = { rsa1, rsa2, ec, ed };
  port = await freePort();
  // Another issuer with the very same keys and clients: only `iss` tells its tokens apart.
  otherOp = await startProvider({ keys: [rsa1, ec, ed], audiences: [AUDIENCE], clients: clients('rsa-1') });
  // The API starts while its issuer is not up yet: that is an outage, not bad configuration.
  api = await startTestApi(apiEnv(`http://127.0.0.1:${port}`));
});

afterAll(async () => {
  await api?.stop();
  await Promise.all([op?.stop(), otherOp?.stop()]);
});

test('while the issuer is unreachable, a token gets 503 with Retry-After; once it is up, no restart is needed', async () => {
  try {
    const res = await call('GET', '/v1/tasks?audience=admin', await otherOp.token('qtm-admin'));
    expect({ status: res.status, retryAfter: res.headers.get('retry-after') }).toEqual({
      status: 503,
      retryAfter: '2',
    });
    expect(res.body.detail).toMatch(/identity provider .* is unavailable: discovery .* failed/);
  } finally {
    // The tests below use this provider whatever happened above.
    await restartProvider([keys.rsa1], 'rsa-1');
    await sleep(2_100); // a failed discovery is remembered for 2 s
  }
  expect((await call('GET', '/v1/tasks?audience=admin', await op!.token('qtm-admin'))).status).toBe(200);
});

test("each role's access token works on the real API, its role and operatorId read from the mapped claims", async () => {
  const adminToken = await op!.token('qtm-admin');
  // The admin registers the operator (only a known one may be addressed), with the provider's token.
  await registerOperators(qtmClient({ baseUrl: api.url, token: () => adminToken }), [{ id: OPERATOR }]);
  const entered = await call(
    'POST',
    '/v1/requests',
    adminToken,
    requestBody({ channel: 'phone', operatorId: OPERATOR }),
  );
  expect(entered.status).toBe(201);
  expect((await call('GET', `/v1/intakes/${entered.body.intakeId}`, adminToken)).status).toBe(200);

  const requesterToken = await op!.token('qtm-requester');
  const own = await call('POST', '/v1/requests', requesterToken, requestBody());
  expect(own.status).toBe(201);
  const asReceived = await call('GET', `/v1/requests/${own.body.requestId}`, requesterToken);
  expect(asReceived.status).toBe(200);
  // The requester's principal is the token's subject (the client id, for client credentials).
  expect((await call('GET', `/v1/requests/${entered.body.requestId}`, requesterToken)).status).toBe(403);

  const operatorToken = await op!.token('qtm-operator');
  expect((await call('GET', `/v1/operators/${OPERATOR}/queue`, operatorToken)).status).toBe(200);
  expect((await call('GET', `/v1/operators/${newOperatorId()}/queue`, operatorToken)).status).toBe(403);
  const tasks = await call('GET', '/v1/tasks?audience=operator', operatorToken);
  expect(tasks.status).toBe(200);
  expect(tasks.body.items.map((task: { id: string }) => task.id)).toContain(entered.body.taskId);
  expect((await call('POST', `/v1/tasks/${entered.body.taskId}/approve`, operatorToken, {})).status).toBe(200);
});

test('an ID token of the same provider, for the API audience and naming an admin, is refused: it is no access token', async () => {
  const idToken = await op!.idToken('ada-admin');
  expect(decodeProtectedHeader(idToken).typ).not.toBe('at+jwt');
  expect(decodeJwt(idToken)).toMatchObject({ iss: op!.issuer, aud: AUDIENCE, sub: 'ada-admin', ...asAdmin });
  await expectRefused(idToken, /^not an access token: its typ header must be at\+jwt \(RFC 9068\)/);
});

test('ES256 and EdDSA access tokens work', async () => {
  for (const [client, alg] of [
    ['qtm-admin-es256', 'ES256'],
    ['qtm-admin-eddsa', 'EdDSA'],
  ] as const) {
    const token = await op!.token(client);
    expect(decodeProtectedHeader(token)).toMatchObject({ alg, typ: 'at+jwt' });
    expect((await call('GET', '/v1/tasks?audience=admin', token)).status).toBe(200);
  }
});

describe('refused with 401 and WWW-Authenticate', () => {
  test('a token from another issuer (same keys)', async () => {
    await expectRefused(await otherOp.token('qtm-admin'), /unexpected "iss" claim value/);
  });
  test('a token for another audience', async () => {
    await expectRefused(await op!.token('qtm-admin', OTHER_AUDIENCE), /unexpected "aud" claim value/);
  });
  test('an expired token', async () => {
    const token = await op!.token('qtm-admin-1s');
    await sleep(2_500); // its second, and the second of clock tolerance
    await expectRefused(token, /expired/);
  });
  test('a token not valid yet', async () => {
    await expectRefused(await op!.token('qtm-admin-later'), /not valid yet/);
  });
  test('a token minted to live longer than AUTH_TOKEN_MAX_LIFETIME', async () => {
    await expectRefused(await op!.token('qtm-admin-2h'), /lifetime \(7200 s\) exceeds the maximum of 3600 s/);
  });
  test('a development HS256 token', async () => {
    await expectRefused(await api.token(adminPrincipal()), /ERR_JOSE_ALG_NOT_ALLOWED/);
  });
  test('a token whose roles name no QTM role, or two of them', async () => {
    await expectRefused(await op!.token('qtm-nobody'), /names no QTM role/);
    await expectRefused(await op!.token('qtm-two-roles'), /names several QTM roles \(admin, operator\)/);
  });
  test('no token: the bare Bearer challenge', async () => {
    const res = await api.call('GET', '/v1/tasks', { as: null });
    expect({ status: res.status, challenge: res.headers.get('www-authenticate') }).toEqual({
      status: 401,
      challenge: 'Bearer',
    });
  });
});

test('key rotation at the provider: a new key verifies without restarting the API; a removed key stops verifying', async () => {
  const before = await op!.token('qtm-admin');
  expect(decodeProtectedHeader(before).kid).toBe('rsa-1');
  expect((await call('GET', '/v1/tasks?audience=admin', before)).status).toBe(200);

  // New key published and signing; the old one still published.
  await restartProvider([keys.rsa2, keys.rsa1], 'rsa-2');
  await sleep(1_100); // past the refetch cooldown
  const during = await op!.token('qtm-admin');
  expect(decodeProtectedHeader(during).kid).toBe('rsa-2');
  expect((await call('GET', '/v1/tasks?audience=admin', during)).status).toBe(200);
  expect((await call('GET', '/v1/tasks?audience=admin', before)).status).toBe(200);

  // Old key removed: once the cached key set is older than its maximum age, tokens it signed are refused.
  await restartProvider([keys.rsa2], 'rsa-2');
  await sleep(3_100);
  await expectRefused(before, /signed with a key the issuer does not publish/);
  expect((await call('GET', '/v1/tasks?audience=admin', during)).status).toBe(200);
  expect((await call('GET', '/v1/tasks?audience=admin', await op!.token('qtm-admin'))).status).toBe(200);
});

test('a provider outage while verifying is 503 with Retry-After (never 500), and ends by itself', async () => {
  const token = await op!.token('qtm-admin');
  expect((await call('GET', '/v1/tasks?audience=admin', token)).status).toBe(200);
  await op!.stop();
  await sleep(3_100); // the cached key set goes stale and must be refetched
  const res = await call('GET', '/v1/tasks?audience=admin', token);
  expect({ status: res.status, retryAfter: res.headers.get('retry-after') }).toEqual({ status: 503, retryAfter: '2' });
  expect(res.body.detail).toMatch(/key set could not be fetched/);
  await restartProvider([keys.rsa2], 'rsa-2');
  expect((await call('GET', '/v1/tasks?audience=admin', token)).status).toBe(200);
});

test('GET /v1/auth/config tells the console how to sign in, and is in the OpenAPI document', async () => {
  const res = await api.call('GET', '/v1/auth/config', { as: null });
  expect(res).toMatchObject({
    status: 200,
    body: {
      mode: 'oidc',
      issuer: op!.issuer,
      discoveryUrl: `${op!.issuer}/.well-known/openid-configuration`,
      audience: AUDIENCE,
      clientId: 'qtm-console',
      scopes: ['openid', 'profile'],
      pkce: 'S256',
    },
  });
  const document = api.openApiDocument() as { paths: Record<string, { get?: { responses: object } }> };
  expect(document.paths['/v1/auth/config']?.get?.responses).toHaveProperty('200');
});
