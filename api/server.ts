/** Wires the API's dependencies and serves it; close() lets in-flight requests finish. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Express } from 'express';
import type { Config } from '../config';
import { createDb } from '../db';
import { createVault } from '../db/personal-data';
import { createReadModel } from '../db/read-model';
import { bindToTemporal } from '../db/temporal-binding';
import { IntakeClient } from '../orchestration/intake-client';
import { createLogger } from '../adapters/logger';
import { connectTemporal } from '../adapters/temporal-connection';
import { loadAuthSecret, loadTrustKeys } from '../trust/keys';
import { createApp } from './app';
import { createAuthKeys } from './auth';
import type { ApiDeps } from './deps';
import type { Logger } from 'pino';

export interface RunningApi {
  /** Where this machine reaches it. */
  url: string;
  /** The address it listens on (HOST) and the port it got. */
  host: string;
  port: number;
  deps: ApiDeps;
  close(): Promise<void>;
}

export async function buildApiDeps(
  config: Config,
  log: Logger = createLogger(config, 'api'),
): Promise<ApiDeps & { release(): Promise<void> }> {
  const db = createDb(config);
  const { client, connection, identity } = await connectTemporal(config);
  await bindToTemporal(db, identity);
  // With an OpenID Provider no HS256 secret is needed (none is generated into DATA_DIR either).
  const [secret, keys] = await Promise.all([
    config.AUTH_OIDC_ISSUER ? null : loadAuthSecret(config),
    loadTrustKeys(config),
  ]);
  return {
    config,
    db,
    temporal: client,
    intakes: new IntakeClient(client, config.TEMPORAL_TASK_QUEUE),
    readModel: createReadModel(db),
    vault: createVault(db),
    authKeys: createAuthKeys(config, secret, log),
    keys,
    log,
    async release() {
      await connection.close();
      await db.destroy();
    },
  };
}

/**
 * The HTTP server around the app. Requests Node itself cannot parse (an unknown method, headers
 * over its 16 KiB limit, a malformed request line) never reach express: answer them with a problem
 * document too, instead of Node's bare status line.
 */
export function createHttpServer(app: Express): http.Server {
  const server = http.createServer(app);
  // Longer than clients' and load balancers' idle timeouts, so they close first (no reset races).
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.on('clientError', (error: Error & { code?: string }, socket: Duplex) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
    const title = http.STATUS_CODES[status]!;
    const body = JSON.stringify({
      type: `https://qtm.local/problems/${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`,
      title,
      status,
      detail:
        status === 431
          ? 'the request headers exceed the server’s limit'
          : status === 408
            ? 'the request did not arrive in time'
            : `the request is not valid HTTP/1.1 (${error.code ?? 'parse error'})`,
    });
    socket.end(
      `HTTP/1.1 ${status} ${title}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
  return server;
}

/** How a client on this machine names a server listening on `host` (a wildcard is reached through loopback). */
function localHostOf(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

export async function startApi(config: Config, port = config.PORT): Promise<RunningApi> {
  const deps = await buildApiDeps(config);
  const { app } = createApp(deps);
  const server = createHttpServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // HOST, 127.0.0.1 unless configured: a start nobody thought about is reachable from this machine only.
    server.listen(port, config.HOST, () => resolve());
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://${localHostOf(config.HOST)}:${bound}`,
    host: config.HOST,
    port: bound,
    deps,
    async close() {
      // Stop accepting, let in-flight requests finish, drop idle keep-alive sockets.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const force = setTimeout(() => server.closeAllConnections(), 10_000);
      await closed;
      clearTimeout(force);
      await deps.release();
    },
  };
}
