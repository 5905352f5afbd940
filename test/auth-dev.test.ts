/**
 * The development HS256 tokens (the default for `npm start`): `aud` is checked once AUTH_AUDIENCE
 * is set, a token minted to live longer than AUTH_TOKEN_MAX_LIFETIME is refused even while it is
 * unexpired (a 100-year token used to pass), and every 401 carries a Bearer challenge.
 */
import { SignJWT } from 'jose';
import { issueToken } from '../api/auth';
import { startTestApi, type TestApi } from './support/api';
import { admin } from './support/fixtures';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({ AUTH_AUDIENCE: 'https://api.qtm.test', AUTH_TOKEN_MAX_LIFETIME: '12h' });
});
afterAll(() => api?.stop());

const now = () => Math.floor(Date.now() / 1000);
const sign = (build: (jwt: SignJWT) => SignJWT) =>
  build(
    new SignJWT({ role: 'admin' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('admin-1')
      .setIssuer(api.authKeys.issuer)
      .setIssuedAt(),
  ).sign(api.authKeys.secret);

async function status(token: string): Promise<{ status: number; detail?: string; challenge: string | null }> {
  const res = await fetch(`${api.url}/v1/tasks`, { headers: { authorization: `Bearer ${token}` } });
  const body = (await res.json()) as { detail?: string };
  return { status: res.status, detail: body.detail, challenge: res.headers.get('www-authenticate') };
}

test('issued tokens carry the configured audience and are accepted', async () => {
  expect((await status(await api.token(admin()))).status).toBe(200);
});

test('a token without aud, or for another audience, is refused', async () => {
  expect(await status(await sign((jwt) => jwt.setExpirationTime('1h')))).toEqual({
    status: 401,
    detail: 'invalid token (ERR_JWT_CLAIM_VALIDATION_FAILED: missing required "aud" claim)',
    challenge:
      'Bearer error="invalid_token", error_description="invalid token (ERR_JWT_CLAIM_VALIDATION_FAILED: missing required \'aud\' claim)"',
  });
  expect(
    await status(await sign((jwt) => jwt.setAudience('https://other.test').setExpirationTime('1h'))),
  ).toMatchObject({ status: 401, detail: expect.stringMatching(/unexpected "aud" claim value/) });
});

test('a token valid for 100 years is refused; one within the maximum lifetime is not', async () => {
  const forever = await sign((jwt) => jwt.setAudience('https://api.qtm.test').setExpirationTime('36500d'));
  expect(await status(forever)).toMatchObject({
    status: 401,
    detail: expect.stringMatching(/^token lifetime \(\d+ s\) exceeds the maximum of 43200 s$/),
    challenge: expect.stringMatching(/^Bearer error="invalid_token"/),
  });
  expect((await status(await issueToken(api.authKeys, admin(), '13h'))).status).toBe(401);
  expect((await status(await issueToken(api.authKeys, admin(), '11h'))).status).toBe(200);
});

test('an iat in the future does not stretch the lifetime', async () => {
  const later = now() + 10 * 365 * 86400;
  const token = await sign((jwt) =>
    jwt
      .setAudience('https://api.qtm.test')
      .setIssuedAt(later)
      .setExpirationTime(later + 60),
  );
  expect(await status(token)).toMatchObject({ status: 401, detail: expect.stringMatching(/lifetime .* exceeds/) });
});

test('no token or another scheme: 401 with the bare Bearer challenge', async () => {
  for (const headers of [{}, { authorization: 'Basic YWRtaW46YWRtaW4=' }] as Record<string, string>[]) {
    const res = await fetch(`${api.url}/v1/tasks`, { headers });
    expect({ status: res.status, challenge: res.headers.get('www-authenticate') }).toEqual({
      status: 401,
      challenge: 'Bearer',
    });
  }
});

test('GET /v1/auth/config describes the development tokens', async () => {
  expect(await api.call('GET', '/v1/auth/config', { as: null })).toMatchObject({
    status: 200,
    body: { mode: 'dev', issuer: 'qtm-os', audience: 'https://api.qtm.test', tokenCommand: expect.any(String) },
  });
});
