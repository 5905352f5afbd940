/**
 * The webhook worker: the dispatcher and the delivery workflows with their activities, on the
 * webhook task queue. It runs in the worker process beside the intake worker; its own queue and
 * slots mean a subscriber that answers slowly, or not at all, never delays an intake.
 */
import type { Client } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { Knex } from 'knex';
import { createWebhookActivities } from '../activities';
import { publicBaseUrl, type Config } from '../config';
import { temporalDataConverter, type PayloadCodecConfig } from '../adapters/temporal-connection';
import { webhookPoker } from '../orchestration/webhook-dispatcher';
import { createSecretBox } from '../adapters/webhook-secrets';
import type { AddressLookup } from '../adapters/webhook-url';
import { workflowsPath } from './worker';

export interface WebhookWorkerDeps {
  config: Pick<
    Config,
    | 'TEMPORAL_ADDRESS'
    | 'TEMPORAL_NAMESPACE'
    | 'PUBLIC_BASE_URL'
    | 'PORT'
    | 'WEBHOOK_TASK_QUEUE'
    | 'WEBHOOK_ALLOWED_HOSTS'
    | 'WEBHOOK_SECRETS_KEY'
    | 'WEBHOOK_TIMEOUT'
    | 'WEBHOOK_RETRY_INITIAL'
    | 'WEBHOOK_RETRY_MAX_INTERVAL'
    | 'WEBHOOK_RETRY_FOR'
    | 'WEBHOOK_POLL_INTERVAL'
    | 'WEBHOOK_BATCH_SIZE'
  > &
    PayloadCodecConfig;
  db: Knex;
  /** The process's client: pokes delivery workflows. */
  client: Client;
  /** The bearer-token secret: the secrets key is derived from it when WEBHOOK_SECRETS_KEY is unset. */
  tokenSecret: Uint8Array;
  connection?: NativeConnection;
  workflowBundlePath?: string;
  lookup?: AddressLookup;
}

export async function createWebhookWorker(deps: WebhookWorkerDeps): Promise<Worker> {
  const { config } = deps;
  const connection = deps.connection ?? (await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS }));
  return Worker.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.WEBHOOK_TASK_QUEUE,
    dataConverter: temporalDataConverter(config),
    activities: createWebhookActivities({
      db: deps.db,
      secrets: createSecretBox(config, deps.tokenSecret),
      poker: webhookPoker(deps.client, config),
      baseUrl: publicBaseUrl(config),
      allowedHosts: config.WEBHOOK_ALLOWED_HOSTS,
      attemptTimeoutMs: config.WEBHOOK_TIMEOUT,
      pollIntervalMs: config.WEBHOOK_POLL_INTERVAL,
      batchSize: config.WEBHOOK_BATCH_SIZE,
      lookup: deps.lookup,
    }),
    ...(deps.workflowBundlePath ? { workflowBundle: { codePath: deps.workflowBundlePath } } : { workflowsPath }),
  });
}
