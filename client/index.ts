/**
 * The one typed client of the HTTP contract (openapi-fetch over the types generated from
 * /openapi.json): paths, parameters, bodies and answers are checked by the compiler. Used by
 * the demo, the benchmarks, the chaos run, the UI check, the tests and the console.
 *
 *   const api = qtmClient({ baseUrl, token: () => tokenFor(alice) });
 *   const { data, error, response } = await api.POST('/v1/tasks/{id}/approve', { params: { path: { id } }, body: {} });
 *
 * Every POST carries an Idempotency-Key (a fresh one unless the caller gives its own), so a
 * retried call is applied once. Runs in Node 20 and in browsers (fetch and crypto.randomUUID).
 */
import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { components, paths } from './openapi';

export type { components, paths };
export type QtmClient = Client<paths>;
export type Schemas = components['schemas'];

export interface QtmClientOptions {
  baseUrl: string;
  /** The bearer token of whoever acts; none for public calls. */
  token?: () => string | null | Promise<string | null>;
  /** Another fetch (timeouts, retries, fault injection); the global one by default. */
  fetch?: typeof fetch;
}

export function qtmClient(options: QtmClientOptions): QtmClient {
  const client = createClient<paths>({ baseUrl: options.baseUrl, ...(options.fetch ? { fetch: options.fetch } : {}) });
  const auth: Middleware = {
    async onRequest({ request }) {
      const token = await options.token?.();
      if (token && !request.headers.has('authorization')) request.headers.set('authorization', `Bearer ${token}`);
      if (request.method === 'POST' && !request.headers.has('idempotency-key')) {
        request.headers.set('idempotency-key', crypto.randomUUID());
      }
      return request;
    },
  };
  client.use(auth);
  return client;
}

/** The problem document of a refused call, as a one-line reason. */
export function reasonOf(error: unknown, response: Response): string {
  const problem = error as { title?: string; detail?: string } | undefined;
  return `${response.status} ${problem?.title ?? response.statusText}: ${problem?.detail ?? JSON.stringify(error)}`;
}
