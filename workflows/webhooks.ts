/**
 * Webhook delivery, driven by Temporal and apart from the intake workflow (which never waits on
 * it: events are read from the audit trail it already writes).
 *
 * - The dispatcher (one per deployment, long-running, continued as new) turns new audit rows into
 *   events and deliveries, and tells each (subscription, intake) delivery workflow it has work.
 * - A delivery workflow sends its intake's pending events to its subscriber one at a time, in
 *   causal order, each with Temporal's retry and back-off; a delivery whose retry budget is spent
 *   is marked failed. Its id is keyed by subscription and intake, so at most one runs per pair and
 *   an event's webhook-id (fixed when the event was made) is the same on every attempt.
 */
import {
  ActivityFailure,
  continueAsNew,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { WebhookActivities } from '../activities/webhooks';
import { webhookPokeSignal, type WebhookDeliveryInput } from './messages';

export const WEBHOOK_DISPATCHER_WORKFLOW_TYPE = 'webhookDispatcherWorkflow';
export const WEBHOOK_DELIVERY_WORKFLOW_TYPE = 'webhookDeliveryWorkflow';

/** How long one dispatch activity polls before handing back to the workflow. */
const DISPATCH_BUDGET_MS = 60_000;
/** Activities a run does before it continues as new (a short history replays fast). */
const RUN_LENGTH = 500;

const { dispatchWebhookEvents } = proxyActivities<Pick<WebhookActivities, 'dispatchWebhookEvents'>>({
  startToCloseTimeout: '3 minutes',
  heartbeatTimeout: '30 seconds',
  summary: 'Read new audit rows into webhook deliveries',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});

export interface DispatcherTotals {
  read: number;
  events: number;
  deliveries: number;
  pokes: number;
}

export interface DispatcherInput {
  /** How long one dispatch activity polls (default one minute). */
  budgetMs?: number;
  totals?: DispatcherTotals;
}

export async function webhookDispatcherWorkflow(input: DispatcherInput = {}): Promise<void> {
  const totals: DispatcherTotals = { ...(input.totals ?? { read: 0, events: 0, deliveries: 0, pokes: 0 }) };
  for (let run = 1; ; run += 1) {
    const pass = await dispatchWebhookEvents({ budgetMs: input.budgetMs ?? DISPATCH_BUDGET_MS });
    totals.read += pass.read;
    totals.events += pass.events;
    totals.deliveries += pass.deliveries;
    totals.pokes += pass.pokes;
    setCurrentDetails(
      `${totals.events} events from ${totals.read} audit rows, ${totals.deliveries} deliveries, ${totals.pokes} delivery workflows told`,
    );
    if (run >= RUN_LENGTH || workflowInfo().continueAsNewSuggested)
      await continueAsNew<typeof webhookDispatcherWorkflow>({ ...input, totals });
  }
}

const { nextWebhookDelivery, giveUpWebhookDelivery } = proxyActivities<
  Pick<WebhookActivities, 'nextWebhookDelivery' | 'giveUpWebhookDelivery'>
>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});

export interface DeliverySummary {
  sent: number;
  failed: number;
}

export async function webhookDeliveryWorkflow(input: WebhookDeliveryInput): Promise<DeliverySummary> {
  let pokes = 0;
  setHandler(webhookPokeSignal, () => {
    pokes += 1;
  });
  const { sendWebhook } = proxyActivities<Pick<WebhookActivities, 'sendWebhook'>>({
    // Every attempt is a POST with its own timeout; the budget runs from the first attempt.
    startToCloseTimeout: input.retry.attemptTimeoutMs + 30_000,
    scheduleToCloseTimeout: input.retry.retryForMs,
    summary: 'POST one signed event to the subscriber',
    retry: {
      initialInterval: input.retry.initialIntervalMs,
      backoffCoefficient: 2,
      maximumInterval: input.retry.maximumIntervalMs,
      nonRetryableErrorTypes: ['QtmWebhookRefused'],
    },
  });
  const summary: DeliverySummary = { sent: 0, failed: 0 };
  for (;;) {
    const seen = pokes;
    const next = await nextWebhookDelivery(input);
    if (!next) {
      // A poke that arrived while looking means a delivery committed after the look: look again.
      if (pokes === seen) return summary;
      continue;
    }
    try {
      await sendWebhook({ deliveryId: next, retry: input.retry });
      summary.sent += 1;
    } catch (error) {
      if (!(error instanceof ActivityFailure)) throw error;
      await giveUpWebhookDelivery({ deliveryId: next, reason: error.cause?.message ?? error.message });
      summary.failed += 1;
    }
    setCurrentDetails(`${summary.sent} sent, ${summary.failed} given up`);
    if (summary.sent + summary.failed >= RUN_LENGTH || workflowInfo().continueAsNewSuggested)
      await continueAsNew<typeof webhookDeliveryWorkflow>(input);
  }
}
