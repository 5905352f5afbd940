/**
 * Webhook subscriptions (admins only): subscribe a URL to chain events, read and delete
 * subscriptions, rotate the signing secret, read the delivery log and redeliver one delivery.
 * Deliveries follow the Standard Webhooks specification with CloudEvents 1.0 bodies; each event
 * type's body is documented under the OpenAPI document's top-level `webhooks`.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { createWebhookStore, DELIVERY_OUTCOMES, DELIVERY_STATUSES } from '../../db/webhook-subscriptions';
import { cloudEventSchema, eventSchemaName, WEBHOOK_EVENT_TYPES } from '../../domain/webhook-events';
import { parseDurationMs } from '../../adapters/duration';
import { CLOUDEVENTS_JSON } from '../../adapters/webhook-http';
import { createSecretBox, newWebhookSecret, type SecretBox } from '../../adapters/webhook-secrets';
import { checkWebhookUrl, WebhookUrlRefused } from '../../adapters/webhook-url';
import { mustExist, type ApiDeps } from '../deps';
import { badRequest, conflict } from '../errors';
import type { ApiRoutes } from '../route';
import { idParams, pageOf, pageQuery } from '../schemas';

const MAX_OVERLAP_MS = 30 * 86_400_000;

const subscribeSchema = z
  .object({
    url: z
      .string()
      .max(2000)
      .openapi({ description: 'http(s) URL; refused if it resolves to a loopback, private or link-local address' }),
    eventTypes: z
      .array(z.enum(WEBHOOK_EVENT_TYPES))
      .min(1)
      .refine((types) => new Set(types).size === types.length, { message: 'must not repeat an event type' }),
    description: z.string().max(500).optional(),
  })
  .strict()
  .openapi('WebhookSubscriptionInput');

const subscriptionSchema = z
  .object({
    id: z.uuid(),
    url: z.string(),
    eventTypes: z.array(z.enum(WEBHOOK_EVENT_TYPES)),
    description: z.string().nullable(),
    createdBy: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
    previousSecretExpiresAt: z
      .string()
      .nullable()
      .openapi({ description: 'Until then deliveries are signed with the rotated-out secret too' }),
  })
  .openapi('WebhookSubscription');

const secretField = z.string().openapi({
  description: 'The signing secret (Standard Webhooks whsec_ form). Shown only in this answer; store it now',
});

const createdSchema = subscriptionSchema.extend({ secret: secretField }).openapi('WebhookSubscriptionCreated');

const rotateSchema = z
  .object({
    overlap: z
      .string()
      .refine((text) => (parseDurationMs(text) ?? Infinity) <= MAX_OVERLAP_MS, {
        message: 'must be a duration like 30s, 15m or 2h, at most 30d',
      })
      .optional()
      .openapi({ description: 'How long the old secret still signs (default WEBHOOK_SECRET_OVERLAP)' }),
  })
  .strict()
  .openapi('WebhookSecretRotation');

const rotatedSchema = z
  .object({ id: z.uuid(), secret: secretField, previousSecretExpiresAt: z.string() })
  .openapi('WebhookSecretRotated');

const deliverySchema = z
  .object({
    id: z.uuid(),
    subscriptionId: z.uuid(),
    webhookId: z.uuid().openapi({ description: 'The webhook-id header and CloudEvent id; the same on every attempt' }),
    eventType: z.enum(WEBHOOK_EVENT_TYPES),
    intakeId: z.uuid(),
    status: z.enum(DELIVERY_STATUSES),
    attempts: z.number().int(),
    lastStatus: z.number().int().nullable().openapi({ description: 'HTTP status of the last attempt' }),
    lastOutcome: z
      .enum(DELIVERY_OUTCOMES)
      .nullable()
      .openapi({ description: 'How the last attempt ended (or why none was made), as one word' }),
    lastError: z.string().nullable().openapi({
      description:
        'The same in a few words of ours (`HTTP 503`, `no answer within 10000 ms`, `refused: …`); never what the subscriber answered',
    }),
    lastDurationMs: z.number().int().nullable().openapi({ description: 'How long the last attempt took' }),
    lastAttemptAt: z.string().nullable(),
    nextAttemptAt: z.string().nullable(),
    deliveredAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi('WebhookDelivery');

const deliveryParams = z.object({
  id: z.uuid({ message: 'must be a UUID' }),
  deliveryId: z.uuid({ message: 'must be a UUID' }),
});

const deliveryQuery = pageQuery.extend({ status: z.enum(DELIVERY_STATUSES).optional() });

export function webhookRoutes(api: ApiRoutes, deps: ApiDeps): void {
  const store = createWebhookStore(deps.db);
  // Made on first use: declaring the routes (client:generate) needs no keys.
  let box: SecretBox | undefined;
  const secrets = () => (box ??= createSecretBox(deps.config, deps.authKeys.secret));
  const subscriptionOf = async (id: string) => mustExist(await store.subscription(id), 'webhook subscription');

  api.add({
    method: 'post',
    path: '/v1/webhooks',
    operationId: 'createWebhook',
    tag: 'Webhooks',
    summary: 'Subscribe a URL to chain events',
    description:
      'Deliveries start with changes made after the subscription. The answer carries the signing secret, once.',
    auth: ['admin'],
    body: subscribeSchema,
    responses: { 201: { description: 'The subscription, with its secret', schema: createdSchema } },
    handler: async ({ body, principal }) => {
      try {
        await checkWebhookUrl(body.url, deps.config.WEBHOOK_ALLOWED_HOSTS);
      } catch (error) {
        if (!(error instanceof WebhookUrlRefused)) throw error;
        throw badRequest(`invalid body: body.url: ${error.message}`, [{ path: 'body.url', message: error.message }]);
      }
      const id = randomUUID();
      const secret = newWebhookSecret();
      const created = await store.createSubscription({
        id,
        url: body.url,
        eventTypes: body.eventTypes,
        description: body.description ?? null,
        secretSealed: secrets().seal(secret, id),
        createdBy: principal!.sub,
      });
      return { status: 201, body: { ...created, secret }, headers: { Location: `/v1/webhooks/${id}` } };
    },
  });

  api.add({
    method: 'get',
    path: '/v1/webhooks',
    operationId: 'listWebhooks',
    tag: 'Webhooks',
    summary: 'List webhook subscriptions',
    auth: ['admin'],
    query: pageQuery,
    responses: {
      200: { description: 'A page of subscriptions, newest first', schema: pageOf(subscriptionSchema, 'WebhookPage') },
    },
    handler: async ({ query }) => ({ status: 200, body: await store.subscriptions(query) }),
  });

  api.add({
    method: 'get',
    path: '/v1/webhooks/:id',
    operationId: 'getWebhook',
    tag: 'Webhooks',
    summary: 'Read a webhook subscription',
    auth: ['admin'],
    params: idParams,
    responses: { 200: { description: 'The subscription (never its secret)', schema: subscriptionSchema } },
    handler: async ({ params }) => ({ status: 200, body: await subscriptionOf(params.id) }),
  });

  api.add({
    method: 'delete',
    path: '/v1/webhooks/:id',
    operationId: 'deleteWebhook',
    tag: 'Webhooks',
    summary: 'Delete a webhook subscription',
    description: 'Nothing more is delivered; pending deliveries are cancelled. The delivery log is kept.',
    auth: ['admin'],
    params: idParams,
    responses: { 204: { description: 'Deleted' } },
    handler: async ({ params }) => {
      if (!(await store.deleteSubscription(params.id))) mustExist(null, 'webhook subscription');
      return { status: 204 };
    },
  });

  api.add({
    method: 'post',
    path: '/v1/webhooks/:id/rotate-secret',
    operationId: 'rotateWebhookSecret',
    tag: 'Webhooks',
    summary: 'Rotate the signing secret',
    description:
      'A new secret signs from now on. Until previousSecretExpiresAt every delivery carries a second signature made with the old secret, so receivers can switch without losing a delivery.',
    auth: ['admin'],
    params: idParams,
    body: rotateSchema,
    responses: { 200: { description: 'The new secret, once', schema: rotatedSchema } },
    handler: async ({ params, body }) => {
      await subscriptionOf(params.id);
      const overlapMs = body.overlap ? parseDurationMs(body.overlap)! : deps.config.WEBHOOK_SECRET_OVERLAP;
      const secret = newWebhookSecret();
      const expiresAt = new Date(Date.now() + overlapMs);
      const rotated = mustExist(
        await store.rotateSecret(params.id, secrets().seal(secret, params.id), expiresAt),
        'webhook subscription',
      );
      return { status: 200, body: { id: rotated.id, secret, previousSecretExpiresAt: expiresAt.toISOString() } };
    },
  });

  api.add({
    method: 'get',
    path: '/v1/webhooks/:id/deliveries',
    operationId: 'listWebhookDeliveries',
    tag: 'Webhooks',
    summary: 'List a subscription’s deliveries',
    description:
      'Each delivery with its attempts, how the last one ended (HTTP status, a one-word outcome, its duration; never what the subscriber answered), and the next attempt. Newest first.',
    auth: ['admin'],
    params: idParams,
    query: deliveryQuery,
    responses: { 200: { description: 'A page of deliveries', schema: pageOf(deliverySchema, 'WebhookDeliveryPage') } },
    handler: async ({ params, query }) => {
      await subscriptionOf(params.id);
      return { status: 200, body: await store.deliveries(params.id, query) };
    },
  });

  api.add({
    method: 'post',
    path: '/v1/webhooks/:id/deliveries/:deliveryId/redeliver',
    operationId: 'redeliverWebhookDelivery',
    tag: 'Webhooks',
    summary: 'Redeliver one delivery',
    description:
      'A failed (or succeeded) delivery is sent again, with the same webhook-id and body and a fresh retry budget. 409 while it is still pending.',
    auth: ['admin'],
    params: deliveryParams,
    responses: { 202: { description: 'Queued again', schema: deliverySchema } },
    handler: async ({ params }) => {
      await subscriptionOf(params.id);
      const current = mustExist(await store.delivery(params.id, params.deliveryId), 'delivery');
      const queued = await store.redeliver(params.id, params.deliveryId);
      if (!queued) throw conflict(`the delivery is ${current.status}: only a failed or succeeded one is redelivered`);
      return { status: 202, body: queued };
    },
  });

  api.registry.registerComponent('securitySchemes', 'standardWebhooks', {
    type: 'apiKey',
    in: 'header',
    name: 'webhook-signature',
    description:
      'Standard Webhooks: HMAC-SHA256 with the subscription secret over `webhook-id.webhook-timestamp.body`, as `v1,<base64>` (several, space-separated, during a rotation). Receivers verify it; there is no bearer token.',
  });
  for (const type of WEBHOOK_EVENT_TYPES) {
    const event = cloudEventSchema(type);
    // zod-to-openapi 8 writes components before it walks webhooks: name the event schemas up front.
    api.registry.register(eventSchemaName(type), event);
    api.registry.registerWebhook({
      method: 'post',
      path: type,
      operationId: `${eventSchemaName(type).replace(/Event$/, '')}Webhook`.replace(/^./, (c) => c.toLowerCase()),
      security: [{ standardWebhooks: [] }],
      summary: `${type}, delivered to subscribers of it`,
      description:
        'Standard Webhooks: verify webhook-signature (HMAC-SHA256 over `webhook-id.webhook-timestamp.body` with the subscription secret; several space-separated `v1,` signatures during a rotation) before trusting the body. At least once: deduplicate by webhook-id.',
      tags: ['Webhooks'],
      request: {
        headers: z.object({
          'webhook-id': z.string().openapi({ description: 'The event id, the same on every attempt' }),
          'webhook-timestamp': z.string().openapi({ description: 'Unix seconds of this attempt' }),
          'webhook-signature': z.string().openapi({ description: 'v1,<base64 HMAC-SHA256>, space-separated' }),
        }),
        body: { required: true, content: { [CLOUDEVENTS_JSON.split(';')[0]!]: { schema: event } } },
      },
      responses: {
        200: { description: 'Any 2xx acknowledges the delivery; anything else, or no answer in time, is retried' },
      },
    });
  }
}
