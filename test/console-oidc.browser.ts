/**
 * Console sign-in with an OpenID Provider (a real `oidc-provider`, test/support/oidc-login-provider.mjs):
 * the API says so (GET /v1/auth/config), the console sends the browser to the provider's sign-in page,
 * the authorization code comes back with PKCE (S256) and becomes an access token for the API's
 * audience, and the API says whom it names (GET /v1/auth/me). Then the person acts with that token.
 * Development sign-in does not exist there (POST /v1/dev/tokens is 404 unless DEV_TOKENS=on).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { ensureConsoleBuilt } from '../stack/console-build';
import { freePort, stopProcess } from '../stack/temporal-cli';
import { startTestApi, type TestApi } from './support/api';
import { launchChromium } from './support/browser';
import { signingKey } from './support/oidc';

const AUDIENCE = 'https://api.qtm.test';
const CLIENT_ID = 'qtm-console';

jest.setTimeout(90_000);

let api: TestApi;
let browser: Browser;
let provider: ChildProcess;

async function startLoginProvider(port: number, redirectUri: string): Promise<ChildProcess> {
  const config = {
    port,
    keys: [await signingKey('RS256', 'login-rs256')],
    audience: AUDIENCE,
    clientId: CLIENT_ID,
    redirectUri,
    accounts: { alice: { role: 'requester' } },
  };
  const child = spawn(process.execPath, [path.join(__dirname, 'support', 'oidc-login-provider.mjs')], {
    env: { PATH: process.env.PATH ?? '', OP_CONFIG: JSON.stringify(config) },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the provider did not start:\n${output}`)), 20_000);
    const seen = (chunk: Buffer) => {
      output += chunk.toString();
      if (/^ready /m.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', seen);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`the provider exited with ${code}:\n${output}`)));
  });
  return child;
}

beforeAll(async () => {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  await ensureConsoleBuilt();
  [api, browser] = await Promise.all([
    startTestApi({ AUTH_OIDC_ISSUER: issuer, AUTH_AUDIENCE: AUDIENCE, AUTH_OIDC_CLIENT_ID: CLIENT_ID }),
    launchChromium(),
  ]);
  provider = await startLoginProvider(port, `${api.url}/console/callback`);
});

afterAll(async () => {
  await browser?.close();
  if (provider) await stopProcess(provider);
  await api?.stop();
});

test('sign-in at the OpenID Provider with the authorization-code flow and PKCE, then acting with its token', async () => {
  const context = await browser.newContext({ viewport: { width: 360, height: 780 }, baseURL: api.url });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  const authorizeRequests: URL[] = [];
  const tokenBodies: URLSearchParams[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname === '/auth') authorizeRequests.push(url);
    if (url.pathname === '/token' && request.method() === 'POST')
      tokenBodies.push(new URLSearchParams(request.postData() ?? ''));
  });

  // A link opened before signing in: the provider's round trip returns to it.
  await page.goto('/console/requests?from=a-link');
  await page.getByRole('button', { name: /^Sign in with 127\.0\.0\.1:/ }).click();
  // The provider's own pages: any login, then consent.
  await page.locator('input[name="login"]').fill('alice');
  await page.locator('input[name="password"]').fill('anything');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();

  // Back in the console, signed in as the principal the API reads in the access token.
  await page.getByRole('heading', { name: 'Ask for service' }).waitFor();
  await page.getByText('alice (requester)').waitFor();
  expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe('/console/requests?from=a-link');
  const authorize = authorizeRequests[0]!;
  expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
    response_type: 'code',
    client_id: CLIENT_ID,
    code_challenge_method: 'S256',
    resource: AUDIENCE,
    redirect_uri: `${api.url}/console/callback`,
  });
  expect(authorize.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(tokenBodies[0]?.get('grant_type')).toBe('authorization_code');
  expect(tokenBodies[0]?.get('code_verifier')).toMatch(/^[A-Za-z0-9_~.-]{43,128}$/);

  // It acts with that token: a Request submitted through the API, which names the provider's subject.
  await page.getByLabel('What is needed').fill('Gutter is blocked');
  await page.getByRole('button', { name: 'Submit Request' }).click();
  await page.getByRole('heading', { name: 'Gutter is blocked' }).waitFor();
  await page.getByText('alice (requester)', { exact: false }).first().waitFor();
  const intakeId = new URL(page.url()).pathname.split('/').pop()!;
  const intake = await api.ownerDb('intakes').where({ id: intakeId }).first('requester_sub', 'requester_role');
  expect(intake).toEqual({ requester_sub: 'alice', requester_role: 'requester' });

  // No development sign-in here.
  expect(
    (
      await fetch(`${api.url}/v1/dev/tokens`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"sub":"x","role":"admin"}',
      })
    ).status,
  ).toBe(404);
  await context.close();
});
