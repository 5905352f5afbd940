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
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from '../../domain/webhook-events';
import { ensureWebhookDispatcher } from '../../orchestration/webhook-dispatcher';
import type { WebhookReceiver } from '../../adapters/webhook-receiver';
import { createWebhookWorker } from '../../workers/webhooks';
import { reasonOf, type QtmClient, type Schemas } from '../../client';
import { startTestApi, type TestApi } from './api';
import { freshDatabase } from './database';
import { eventually } from './eventually';
import { admin, operator, requestBody, requester } from './fixtures';
import { knownOperatorId } from './operators';

export const BASE_URL = 'https://qtm.example';

export interface WebhookStack {
  api: TestApi;
  admin: Principal;
  /** The typed client, as that admin. */
  asAdmin: QtmClient;
  /** A requester's admin-audience Request (intake.submitted follows). */
  submit(): Promise<Schemas['SubmissionResult']>;
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

export type DeliveryItem = Schemas['WebhookDelivery'];

/**
 * `env` configures both the API and the webhook worker; `workerEnv` only the worker (to show the
 * delivery-time checks apart from the subscribe-time ones).
 */
export async function startWebhookStack(
  env: Record<string, string> = {},
  workerEnv: Record<string, string> = {},
  options: { dispatchBudgetMs?: number } = {},
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
  const dispatcherId = await ensureWebhookDispatcher(api.client, config, {
    workflowId: `webhook-dispatcher-${queue}`,
    budgetMs: options.dispatchBudgetMs,
  });
  const boss = admin();

  return {
    api,
    admin: boss,
    asAdmin: api.as(boss),
    async submit() {
      const { data, error, response } = await api.as(requester()).POST('/v1/requests', { body: requestBody() });
      if (!data) throw new Error(`submit: ${reasonOf(error, response)}`);
      return data;
    },
    worker,
    dispatcherId,
    async subscribe(receiver, eventTypes = WEBHOOK_EVENT_TYPES, url = receiver.url) {
      const { data, error, response } = await api
        .as(boss)
        .POST('/v1/webhooks', { body: { url, eventTypes: [...eventTypes] } });
      if (!data) throw new Error(`subscribe: ${reasonOf(error, response)}`);
      receiver.trust(data.secret);
      return { id: data.id, secret: data.secret };
    },
    async deliveries(subscriptionId) {
      const items: DeliveryItem[] = [];
      let cursor: string | undefined;
      do {
        const { data, error, response } = await api.as(boss).GET('/v1/webhooks/{id}/deliveries', {
          params: { path: { id: subscriptionId }, query: { limit: 100, cursor } },
        });
        if (!data) throw new Error(`deliveries: ${reasonOf(error, response)}`);
        items.push(...data.items);
        cursor = data.nextCursor ?? undefined;
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
  const operatorId = await knownOperatorId(api);
  const [governor, staff] = [api.as(boss), api.as(operator(operatorId))];
  const ok = async <T>(what: string, call: Promise<{ data?: T; error?: unknown; response: Response }>) => {
    const { data, error, response } = await call;
    if (data === undefined || data === null) throw new Error(`${what}: ${reasonOf(error, response)}`);
    return data;
  };
  const submitted = await ok('submit', api.as(requester()).POST('/v1/requests', { body: requestBody({ operatorId }) }));
  const { intakeId, requestId, taskId } = submitted;
  const task = { params: { path: { id: taskId } } };
  // What the escalation sweep sends a stale operator-audience Task's workflow.
  await api.intakes.escalate(intakeId, {
    expectedAudience: 'operator',
    expectedLevel: 0,
    maxLevel: 3,
    reason: 'no decision for 4h',
  });
  await eventually('the escalation', async () =>
    (await governor.GET('/v1/tasks/{id}', task)).data?.audience === 'admin' ? true : undefined,
  );
  await ok('approve', governor.POST('/v1/tasks/{id}/approve', { ...task, body: { note: 'ok' } }));
  await ok('assign', governor.POST('/v1/tasks/{id}/assign', { ...task, body: { operatorId } }));
  const job = await ok('job', governor.POST('/v1/tasks/{id}/job', { ...task, body: {} }));
  const jobPath = { params: { path: { id: job.id } } };
  await ok('claim', staff.POST('/v1/jobs/{id}/claim', { ...jobPath, body: {} }));
  const started = await ok('start', staff.POST('/v1/jobs/{id}/start', { ...jobPath, body: {} }));
  const se = { params: { path: { id: started.serviceEventId } } };
  await ok('stage', staff.POST('/v1/service-events/{id}/stage', { ...se, body: { stage: 'on_site' } }));
  await ok(
    'evidence',
    staff.POST('/v1/service-events/{id}/evidence', { ...se, body: { kind: 'note', description: 'fixed' } }),
  );
  await ok(
    'complete',
    staff.POST('/v1/service-events/{id}/complete', { ...se, body: { outcome: 'completed', summary: 'done' } }),
  );
  const outcome = await api.intakes.handle(intakeId).result();
  return {
    intakeId,
    requestId,
    taskId,
    jobId: job.id,
    serviceEventId: started.serviceEventId,
    recordId: outcome.recordId!,
    signalId: outcome.signalId!,
  };
}
