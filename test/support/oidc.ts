/**
 * A real OpenID Provider for a test file (test/support/oidc-provider.mjs in its own process), its
 * signing keys, and client-credentials tokens from it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import path from 'node:path';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { freePort, stopProcess } from '../../stack/temporal-cli';

export interface ProviderClient {
  id: string;
  secret: string;
  /** Extra claims in its access tokens (roles, operator id). */
  claims?: Record<string, unknown>;
  /** Access-token lifetime in seconds (300 by default). */
  ttl?: number;
  alg?: 'RS256' | 'ES256' | 'EdDSA';
  /** Which of the provider's keys of that algorithm signs. */
  kid?: string;
  /** Tokens carry nbf this many seconds ahead. */
  nbfIn?: number;
}

export interface ProviderOptions {
  /** Given to restart a provider at the same issuer. */
  port?: number;
  keys: JWK[];
  audiences: string[];
  clients: ProviderClient[];
  /** A public client for the authorization-code flow and the accounts that may sign in with it (their claims). */
  login?: { clientId: string; redirectUri: string; accounts: Record<string, Record<string, unknown>> };
}

export interface RunningProvider {
  issuer: string;
  port: number;
  /** A client-credentials access token for that client, for that resource (the first audience by default). */
  token(clientId: string, resource?: string): Promise<string>;
  /**
   * An ID token of the login client for that account: the authorization-code flow with PKCE, through
   * the provider's own sign-in and consent pages, as a browser would submit them.
   */
  idToken(account: string): Promise<string>;
  stop(): Promise<void>;
}

export async function signingKey(alg: 'RS256' | 'ES256' | 'EdDSA', kid: string): Promise<JWK> {
  const { privateKey } = await generateKeyPair(alg, {
    extractable: true,
    ...(alg === 'EdDSA' ? { crv: 'Ed25519' } : {}),
  });
  return { ...(await exportJWK(privateKey)), kid, alg, use: 'sig' };
}

export async function startProvider(options: ProviderOptions): Promise<RunningProvider> {
  const port = options.port ?? (await freePort());
  const child: ChildProcess = spawn(process.execPath, [path.join(__dirname, 'oidc-provider.mjs')], {
    env: { PATH: process.env.PATH ?? '', OP_CONFIG: JSON.stringify({ ...options, port }) },
    // stdin stays open: the provider exits when this process (and so the pipe) goes away.
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  const issuer = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the OpenID Provider did not start:\n${output}`)), 20_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const ready = /^ready (\S+)$/m.exec(output);
      if (ready) {
        clearTimeout(timer);
        resolve(ready[1]!);
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the OpenID Provider exited with ${code}:\n${output}`));
    });
  });
  return {
    issuer,
    port,
    async token(clientId, resource = options.audiences[0]) {
      const client = options.clients.find((c) => c.id === clientId);
      if (!client) throw new Error(`no client ${clientId}`);
      const res = await fetch(`${issuer}/token`, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: client.id,
          client_secret: client.secret,
          ...(resource ? { resource } : {}),
        }),
      });
      const body = (await res.json()) as { access_token?: string };
      if (res.status !== 200 || !body.access_token)
        throw new Error(`token for ${clientId}: ${res.status} ${JSON.stringify(body)}`);
      return body.access_token;
    },
    idToken: (account) => {
      if (!options.login) throw new Error('the provider has no login client');
      return codeFlowIdToken(issuer, options.login, account);
    },
    async stop() {
      await stopProcess(child);
    },
  };
}

async function codeFlowIdToken(
  issuer: string,
  client: NonNullable<ProviderOptions['login']>,
  account: string,
): Promise<string> {
  const cookies = new Map<string, string>();
  const go = async (url: string, init: { method?: string; body?: string } = {}) => {
    const res = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: {
        cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; '),
        ...(init.body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair!.indexOf('=');
      const [name, value] = [pair!.slice(0, at), pair!.slice(at + 1)];
      if (value) cookies.set(name, value);
      else cookies.delete(name);
    }
    return res;
  };
  const verifier = randomBytes(32).toString('base64url');
  const authorize = new URL(`${issuer}/auth`);
  for (const [name, value] of Object.entries({
    client_id: client.clientId,
    response_type: 'code',
    scope: 'openid',
    redirect_uri: client.redirectUri,
    state: randomBytes(8).toString('hex'),
    nonce: randomBytes(8).toString('hex'),
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  }))
    authorize.searchParams.set(name, value);
  let res = await go(authorize.href);
  let code: string | null = null;
  for (let step = 0; step < 12 && code === null; step += 1) {
    const location = res.headers.get('location');
    if (!location) throw new Error(`the code flow stopped at ${res.status}: ${await res.text()}`);
    const next = new URL(location, issuer);
    if (next.href.startsWith(client.redirectUri)) {
      code = next.searchParams.get('code');
      if (!code) throw new Error(`no code in ${next.href}`);
      break;
    }
    res = await go(next.href);
    if (res.status === 200) {
      // A sign-in or consent page: submit its form, as the person would.
      const page = await res.text();
      const prompt = /name="prompt" value="(\w+)"/.exec(page)?.[1];
      const action = /<form[^>]* action="([^"]+)"/.exec(page)?.[1];
      if (!prompt || !action) throw new Error(`not an interaction page: ${page.slice(0, 200)}`);
      const fields: Record<string, string> =
        prompt === 'login' ? { prompt, login: account, password: 'any' } : { prompt };
      res = await go(new URL(action, issuer).href, { method: 'POST', body: new URLSearchParams(fields).toString() });
    }
  }
  const exchanged = await fetch(`${issuer}/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: code!,
      redirect_uri: client.redirectUri,
      client_id: client.clientId,
      code_verifier: verifier,
    }),
  });
  const body = (await exchanged.json()) as { id_token?: string };
  if (exchanged.status !== 200 || !body.id_token)
    throw new Error(`code exchange: ${exchanged.status} ${JSON.stringify(body)}`);
  return body.id_token;
}
