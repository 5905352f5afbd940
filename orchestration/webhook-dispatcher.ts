/**
 * Starting the webhook workflows from outside: the dispatcher, ensured at every worker start
 * (one per deployment; a second start finds it running), and the pokes that start or wake a
 * (subscription, intake) delivery workflow.
 */
import { WorkflowIdConflictPolicy, type Client } from '@temporalio/client';
import type { WebhookPoker } from '../activities/webhooks';
import type { Config } from '../config';
import {
  WEBHOOK_DISPATCHER_WORKFLOW_ID,
  webhookDeliveryWorkflowId,
  webhookPokeSignal,
  type WebhookDeliveryInput,
  type WebhookRetry,
} from '../workflows/messages';
import {
  WEBHOOK_DELIVERY_WORKFLOW_TYPE,
  WEBHOOK_DISPATCHER_WORKFLOW_TYPE,
  type webhookDeliveryWorkflow,
  type webhookDispatcherWorkflow,
} from '../workflows/webhooks';

type RetryConfig = Pick<
  Config,
  'WEBHOOK_RETRY_INITIAL' | 'WEBHOOK_RETRY_MAX_INTERVAL' | 'WEBHOOK_RETRY_FOR' | 'WEBHOOK_TIMEOUT'
>;

export const webhookRetryOf = (config: RetryConfig): WebhookRetry => ({
  initialIntervalMs: config.WEBHOOK_RETRY_INITIAL,
  maximumIntervalMs: config.WEBHOOK_RETRY_MAX_INTERVAL,
  retryForMs: config.WEBHOOK_RETRY_FOR,
  attemptTimeoutMs: config.WEBHOOK_TIMEOUT,
});

/** Signal-with-start: wakes the pair's running workflow, or starts one. */
export function webhookPoker(client: Client, config: RetryConfig & Pick<Config, 'WEBHOOK_TASK_QUEUE'>): WebhookPoker {
  const retry = webhookRetryOf(config);
  return {
    async poke(subscriptionId, intakeId) {
      const args: [WebhookDeliveryInput] = [{ subscriptionId, intakeId, retry }];
      await client.workflow.signalWithStart<typeof webhookDeliveryWorkflow, []>(WEBHOOK_DELIVERY_WORKFLOW_TYPE, {
        workflowId: webhookDeliveryWorkflowId(subscriptionId, intakeId),
        taskQueue: config.WEBHOOK_TASK_QUEUE,
        args,
        signal: webhookPokeSignal,
        signalArgs: [],
        staticSummary: `Webhook deliveries of intake ${intakeId} to subscription ${subscriptionId}`,
      });
    },
  };
}

/** Starts the dispatcher unless it is running (every worker calls this at start). */
export async function ensureWebhookDispatcher(
  client: Client,
  config: Pick<Config, 'WEBHOOK_TASK_QUEUE'>,
  options: { workflowId?: string; budgetMs?: number } = {},
): Promise<string> {
  const workflowId = options.workflowId ?? WEBHOOK_DISPATCHER_WORKFLOW_ID;
  const handle = await client.workflow.start<typeof webhookDispatcherWorkflow>(WEBHOOK_DISPATCHER_WORKFLOW_TYPE, {
    workflowId,
    taskQueue: config.WEBHOOK_TASK_QUEUE,
    args: [options.budgetMs ? { budgetMs: options.budgetMs } : {}],
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    staticSummary: 'Webhook dispatcher: audit trail → events → deliveries',
  });
  return handle.workflowId;
}
