/**
 * The real API on an ephemeral port, over a test stack (real Temporal worker, real
 * Postgres). Tests act through the typed client as any principal (`api.as(p)`), and send raw
 * requests (`api.call`) where the point is what the typed client would never send: malformed
 * bodies, bad headers, forged tokens.
 */
import type { AddressInfo } from 'node:net';
import pino, { type Logger } from 'pino';
import { createAuthKeys, issueToken, type AuthKeys } from '../../api/auth';
import { createApp } from '../../api/app';
import { qtmClient, type QtmClient } from '../../client';
import { createHttpServer } from '../../api/server';
import type { ApiDeps } from '../../api/deps';
import { createVault } from '../../db/personal-data';
import { createReadModel } from '../../db/read-model';
import type { Principal } from '../../domain/schemas';
import { loadAuthSecret } from '../../trust/keys';
import { freshDatabase } from './database';
import { startTestStack, type TestStack } from './stack';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface HttpResult<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface TestApi extends TestStack {
  url: string;
  deps: ApiDeps;
  authKeys: AuthKeys;
  token(principal: Principal, expiresIn?: string | number): Promise<string>;
  /** The typed client of the contract, acting as `principal` (anonymous when null). */
  as(principal: Principal | null): QtmClient;
  /** JSON request as `as` (or anonymous); `headers` override. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  call<T = any>(
    method: string,
    path: string,
    options?: { as?: Principal | null; body?: unknown; headers?: Record<string, string>; rawBody?: string },
  ): Promise<HttpResult<T>>;
  openApiDocument(): Record<string, unknown>;
}

export async function startTestApi(
  env: Record<string, string> = {},
  log: Logger = pino({ level: process.env.LOG_LEVEL ?? 'silent' }),
  options: { worker?: boolean } = {},
): Promise<TestApi> {
  const stack = await startTestStack(env, options);
  const secret = await loadAuthSecret(stack.config);
  const authKeys = createAuthKeys(stack.config, secret, log);
  const deps: ApiDeps = {
    config: stack.config,
    db: stack.db,
    temporal: stack.client,
    intakes: stack.intakes,
    readModel: createReadModel(stack.db),
    vault: createVault(stack.db),
    authKeys,
    keys: stack.keys,
    log,
  };
  const { app, openApiDocument } = createApp(deps);
  const server = createHttpServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const token = (principal: Principal, expiresIn?: string | number) => issueToken(authKeys, principal, expiresIn);

  return {
    ...stack,
    url,
    deps,
    authKeys,
    token,
    as: (principal) => qtmClient({ baseUrl: url, token: () => (principal ? token(principal) : null) }),
    openApiDocument,
    async call(method, path, options = {}) {
      const headers: Record<string, string> = {};
      if (options.as) headers.authorization = `Bearer ${await token(options.as)}`;
      let body: string | undefined;
      if (options.rawBody !== undefined) {
        body = options.rawBody;
        headers['content-type'] = 'application/json';
      } else if (options.body !== undefined) {
        body = JSON.stringify(options.body);
        headers['content-type'] = 'application/json';
      }
      const res = await fetch(`${url}${path}`, { method, headers: { ...headers, ...options.headers }, body });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        // not JSON (metrics, docs)
      }
      return { status: res.status, body: parsed as never, headers: res.headers };
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await stack.stop();
    },
  };
}

/**
 * startTestApi on a database of its own, for a file whose checks count or break what it holds
 * (its log, its chain, what a retention run erases); stop() drops the database too.
 */
export async function startTestApiOnOwnDatabase(env: Record<string, string> = {}): Promise<TestApi> {
  const database = await freshDatabase();
  const api = await startTestApi({ ...env, DATABASE_URL: database.url });
  return {
    ...api,
    async stop() {
      await api.stop();
      await database.drop();
    },
  };
}
