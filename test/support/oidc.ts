/**
 * A real OpenID Provider for a test file (test/support/oidc-provider.mjs in its own process), its
 * signing keys, and client-credentials tokens from it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
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
}

export interface RunningProvider {
  issuer: string;
  port: number;
  /** A client-credentials access token for that client, for that resource (the first audience by default). */
  token(clientId: string, resource?: string): Promise<string>;
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
    async stop() {
      await stopProcess(child);
    },
  };
}
