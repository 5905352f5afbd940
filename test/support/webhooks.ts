/**
 * The real stack with webhooks on: a test API (with its intake worker) on a database of its own
 * (one dispatcher per database, as in production), the webhook worker on its own task queue, the
 * dispatcher workflow, and helpers that drive a whole lifecycle through the API and read the
 * delivery log. Retry timings are seconds, not hours.
 */
import { randomUUID } from 'node:crypto';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { loadConfig } from '../../config';
import type { Principal } from '../../domain/schemas';
import type { WebhookEventType } from '../../domain/webhook-events';
import { ensureWebhookDispatcher } from '../../lib/webhook-dispatcher';
import type { WebhookReceiver } from '../../lib/webhook-receiver';
import { createWebhookWorker } from '../../workers/webhooks';
import { startTestApi, type HttpResult, type TestApi } from './api';
import { freshDatabase } from './database';
import { eventually } from './eventually';
import { admin, newOperatorId, operator, requestBody, requester } from './fixtures';

export const BASE_URL = 'https://qtm.example';

export interface WebhookStack {
  api: TestApi;
  admin: Principal;
  worker: Worker;
  dispatcherId: string;
  /** Subscribes the receiver (all event types unless given) and makes it trust the secret. */
  subscribe(
    receiver: WebhookReceiver,
    eventTypes?: readonly WebhookEventType[],
    url?: string,
  ): Promise<{ id: string; secret: string }>;
  deliveries(subscriptionId: string): Promise<DeliveryItem[]>;
  stop(): Promise<void>;
}

export interface DeliveryItem {
  id: string;
  webhookId: string;
  eventType: string;
  intakeId: string;
  status: string;
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
}

export const ALL_TYPES: readonly WebhookEventType[] = [
  'intake.submitted',
  'task.decided',
  'task.escalated',
  'job.created',
  'job.claimed',
  'service_event.completed',
  'record.sealed',
  'signal.emitted',
];

/**
 * `env` configures both the API and the webhook worker; `workerEnv` only the worker (to show the
 * delivery-time checks apart from the subscribe-time ones).
 */
export async function startWebhookStack(
  env: Record<string, string> = {},
  workerEnv: Record<string, string> = {},
): Promise<WebhookStack> {
  const database = await freshDatabase();
  const queue = `test-webhooks-${randomUUID()}`;
  const common = {
    DATABASE_URL: database.url,
    PUBLIC_BASE_URL: BASE_URL,
    WEBHOOK_TASK_QUEUE: queue,
    WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
    WEBHOOK_POLL_INTERVAL: '100ms',
    WEBHOOK_RETRY_INITIAL: '200ms',
    WEBHOOK_RETRY_MAX_INTERVAL: '1s',
    WEBHOOK_RETRY_FOR: '60s',
    WEBHOOK_TIMEOUT: '1s',
    ...env,
  };
  const api = await startTestApi(common);
  const config = loadConfig({ ...process.env, ...common, ...workerEnv });
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const worker = await createWebhookWorker({
    config,
    db: api.db,
    client: api.client,
    tokenSecret: api.authKeys.secret,
    connection,
    workflowBundlePath: process.env.QTM_TEST_WORKFLOW_BUNDLE,
  });
  const running = worker.run();
  const dispatcherId = await ensureWebhookDispatcher(api.client, config, { workflowId: `webhook-dispatcher-${queue}` });
  const boss = admin();

  return {
    api,
    admin: boss,
    worker,
    dispatcherId,
    async subscribe(receiver, eventTypes = ALL_TYPES, url = receiver.url) {
      const res = await api.call('POST', '/v1/webhooks', { as: boss, body: { url, eventTypes } });
      if (res.status !== 201) throw new Error(`subscribe: ${res.status} ${JSON.stringify(res.body)}`);
      receiver.trust(res.body.secret);
      return { id: res.body.id, secret: res.body.secret };
    },
    async deliveries(subscriptionId) {
      const items: DeliveryItem[] = [];
      let cursor: string | null = null;
      do {
        const res: HttpResult = await api.call(
          'GET',
          `/v1/webhooks/${subscriptionId}/deliveries?limit=100${cursor ? `&cursor=${cursor}` : ''}`,
          {
            as: boss,
          },
        );
        if (res.status !== 200) throw new Error(`deliveries: ${res.status} ${JSON.stringify(res.body)}`);
        items.push(...res.body.items);
        cursor = res.body.nextCursor;
      } while (cursor);
      return items;
    },
    async stop() {
      worker.shutdown();
      await running;
      await api.client.workflow
        .getHandle(dispatcherId)
        .terminate('test over')
        .catch(() => undefined);
      await connection.close();
      await api.stop();
      await database.drop();
    },
  };
}

/** The ids one lifecycle made, as the API answered them. */
export interface Lifecycle {
  intakeId: string;
  requestId: string;
  taskId: string;
  jobId: string;
  serviceEventId: string;
  recordId: string;
  signalId: string;
}

/** The events a lifecycle with an escalation publishes, in causal order. */
export const LIFECYCLE_EVENTS: WebhookEventType[] = [
  'intake.submitted',
  'task.escalated',
  'task.decided',
  'task.decided',
  'job.created',
  'job.claimed',
  'service_event.completed',
  'record.sealed',
  'signal.emitted',
];

/**
 * Submit (operator audience), escalate to the admins (the sweep's signal), approve, assign,
 * create the Job, claim, start, stage, evidence, complete: over HTTP as test/api-chain.test.ts does.
 */
export async function driveLifecycle(api: TestApi, boss: Principal): Promise<Lifecycle> {
  const operatorId = newOperatorId();
  const staff = operator(operatorId);
  const expect2xx = async (what: string, res: Promise<HttpResult>) => {
    const r = await res;
    if (r.status < 200 || r.status > 299) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const submitted = await expect2xx(
    'submit',
    api.call('POST', '/v1/requests', { as: requester(), body: requestBody({ operatorId }) }),
  );
  const { intakeId, requestId, taskId } = submitted;
  await api.intakes.escalate(intakeId, {
    expectedAudience: 'operator',
    expectedLevel: 0,
    maxLevel: 3,
    reason: 'no decision for 4h',
  });
  await eventually('the escalation', async () => {
    const task = await api.call('GET', `/v1/tasks/${taskId}`, { as: boss });
    return task.body.audience === 'admin' ? true : undefined;
  });
  await expect2xx('approve', api.call('POST', `/v1/tasks/${taskId}/approve`, { as: boss, body: { note: 'ok' } }));
  await expect2xx('assign', api.call('POST', `/v1/tasks/${taskId}/assign`, { as: boss, body: { operatorId } }));
  const job = await expect2xx('job', api.call('POST', `/v1/tasks/${taskId}/job`, { as: boss }));
  await expect2xx('claim', api.call('POST', `/v1/jobs/${job.id}/claim`, { as: staff }));
  const started = await expect2xx('start', api.call('POST', `/v1/jobs/${job.id}/start`, { as: staff }));
  const seId = started.serviceEventId;
  await expect2xx(
    'stage',
    api.call('POST', `/v1/service-events/${seId}/stage`, { as: staff, body: { stage: 'on_site' } }),
  );
  await expect2xx(
    'evidence',
    api.call('POST', `/v1/service-events/${seId}/evidence`, {
      as: staff,
      body: { kind: 'note', description: 'fixed' },
    }),
  );
  await expect2xx(
    'complete',
    api.call('POST', `/v1/service-events/${seId}/complete`, {
      as: staff,
      body: { outcome: 'completed', summary: 'done' },
    }),
  );
  const outcome = await api.intakes.handle(intakeId).result();
  return {
    intakeId,
    requestId,
    taskId,
    jobId: job.id,
    serviceEventId: seId,
    recordId: outcome.recordId!,
    signalId: outcome.signalId!,
  };
}
