/** Health, readiness, metrics and the API's own documentation. */
import { createHash, timingSafeEqual } from 'node:crypto';
import { OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { pingDb } from '../../db';
import type { ApiDeps } from '../deps';
import { problemSchema, type ApiRoutes } from '../route';
import { isLoopbackClient } from '../client-address';
import { DOCS_PAGE_HEADERS, renderDocsPage } from '../docs-page';
import { forbidden } from '../errors';
import type { Registry } from 'prom-client';
import type { RateLimits } from '../rate-limits';

export function systemRoutes(
  api: ApiRoutes,
  deps: ApiDeps,
  metrics: Registry,
  limits: Pick<RateLimits, 'authFailure'>,
): () => Record<string, unknown> {
  const expected = deps.config.METRICS_TOKEN ? digest(deps.config.METRICS_TOKEN) : null;
  /** Compared as SHA-256 digests in constant time: the comparison tells nothing about the token's length or prefix. */
  const presentsMetricsToken = (header: string | undefined) => {
    const given = /^\s*bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1];
    return expected !== null && given !== undefined && timingSafeEqual(digest(given), expected);
  };

  const readinessSchema = z
    .object({
      status: z.enum(['ready', 'not_ready']),
      checks: z.object({ postgres: z.string(), temporal: z.string() }),
    })
    .openapi('Readiness');

  api.add({
    method: 'get',
    path: '/healthz',
    operationId: 'getHealth',
    tag: 'System',
    summary: 'Liveness',
    auth: 'public',
    responses: { 200: { description: 'The process is up', schema: z.object({ status: z.literal('ok') }) } },
    handler: async () => ({ status: 200, body: { status: 'ok' } }),
  });

  api.add({
    method: 'get',
    path: '/readyz',
    operationId: 'getReadiness',
    tag: 'System',
    summary: 'Readiness (Postgres and Temporal reachable)',
    auth: 'public',
    responses: {
      200: { description: 'Ready', schema: readinessSchema },
      503: { description: 'A dependency is unreachable', schema: readinessSchema },
    },
    handler: async () => {
      const within = <T>(p: Promise<T>) =>
        Promise.race([
          p,
          new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timed out after 2s')), 2_000)),
        ]);
      const [postgres, temporal] = await Promise.all([
        within(pingDb(deps.db)).then(
          () => 'ok',
          (e: Error) => `unreachable: ${e.message}`,
        ),
        within(deps.temporal.workflowService.getSystemInfo({})).then(
          () => 'ok',
          (e: Error) => `unreachable: ${e.message}`,
        ),
      ]);
      const ready = postgres === 'ok' && temporal === 'ok';
      return {
        status: ready ? 200 : 503,
        body: { status: ready ? 'ready' : 'not_ready', checks: { postgres, temporal } },
      };
    },
  });

  api.add({
    method: 'get',
    path: '/metrics',
    operationId: 'getMetrics',
    tag: 'System',
    summary: 'Prometheus metrics',
    description:
      'For clients on the same machine (loopback), or anyone sending `Authorization: Bearer <METRICS_TOKEN>` ' +
      '(a static token from the configuration, not a JWT); 403 for everyone else.',
    auth: 'public',
    ownAuthorization: true,
    responses: {
      200: { description: 'Prometheus text exposition format', schema: z.string(), contentType: 'text/plain' },
      403: {
        description: 'Neither a loopback client nor the METRICS_TOKEN',
        schema: problemSchema,
        contentType: 'application/problem+json',
      },
    },
    handler: async ({ req }) => {
      if (!isLoopbackClient(req) && !presentsMetricsToken(req.headers.authorization)) {
        // A wrong token is a refused token, and spends from the address's budget for those.
        if (req.headers.authorization) await limits.authFailure(req);
        throw forbidden('metrics are served to clients on this machine, or with the METRICS_TOKEN bearer token');
      }
      return { status: 200, raw: { type: metrics.contentType, content: await metrics.metrics() } };
    },
  });

  let document: Record<string, unknown> | null = null;
  const openApiDocument = () =>
    (document ??= new OpenApiGeneratorV31(api.registry.definitions).generateDocument({
      openapi: '3.1.0',
      info: {
        title: 'QTM OS API',
        version: '1.0.0',
        license: { name: 'Proprietary; all rights reserved', identifier: 'LicenseRef-Proprietary' },
        description:
          'Governed service work: Actor → Request → Intake → Task → Job → ServiceEvent → Record → ⭐ Signal.',
      },
      // Without a public URL, paths are relative to wherever this document is served from.
      servers: [{ url: deps.config.PUBLIC_BASE_URL ?? '/' }],
    }) as unknown as Record<string, unknown>);

  api.add({
    method: 'get',
    path: '/openapi.json',
    operationId: 'getOpenApiDocument',
    tag: 'System',
    summary: 'OpenAPI 3.1 document',
    auth: 'public',
    responses: {
      200: {
        description: 'Generated from the same zod schemas that validate requests',
        schema: z.record(z.string(), z.unknown()).openapi({ description: 'An OpenAPI 3.1 document' }),
      },
    },
    handler: async () => ({ status: 200, body: openApiDocument() }),
  });

  api.add({
    method: 'get',
    path: '/docs',
    operationId: 'getDocs',
    tag: 'System',
    summary: 'Readable API documentation',
    auth: 'public',
    responses: { 200: { description: 'HTML', contentType: 'text/html', schema: z.string() } },
    handler: async () => ({
      status: 200,
      headers: DOCS_PAGE_HEADERS,
      raw: { type: 'text/html; charset=utf-8', content: renderDocsPage('/openapi.json') },
    }),
  });

  return openApiDocument;
}

const digest = (text: string) => createHash('sha256').update(text).digest();
