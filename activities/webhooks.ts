/**
 * The webhook worker's activities: the dispatcher's pass over the audit trail (fan-out, then
 * telling delivery workflows), and one delivery's steps (which is next, one attempt, giving up).
 * They run on the webhook task queue (WEBHOOK_TASK_QUEUE), so a slow subscriber holds only the
 * webhook worker's slots, never the intake workflows'.
 */
import { activityInfo, ApplicationFailure, Context, heartbeat } from '@temporalio/activity';
import { ApplicationFailureCategory } from '@temporalio/common';
import type { Knex } from 'knex';
import { fanOut, markNotified, unnotifiedPairs } from '../db/webhook-outbox';
import { cancelDelivery, deliveryToSend, giveUp, nextPendingDelivery, recordAttempt } from '../db/webhook-deliveries';
import type { DeliveryOutcome } from '../db/webhook-subscriptions';
import { postWebhook, webhookHeaders, WebhookTimeout } from '../adapters/webhook-http';
import { WebhookSecretError, type SecretBox } from '../adapters/webhook-secrets';
import { parseWebhookUrl, WebhookUrlRefused, type AddressLookup } from '../adapters/webhook-url';
import type { WebhookDeliveryInput, WebhookRetry } from '../domain/webhook-events';

/** How the dispatcher tells a (subscription, intake) delivery workflow it has work (orchestration/webhook-dispatcher.ts). */
export interface WebhookPoker {
  poke(subscriptionId: string, intakeId: string): Promise<void>;
}

export interface WebhookActivityDeps {
  db: Knex;
  secrets: SecretBox;
  poker: WebhookPoker;
  /** PUBLIC_BASE_URL: events link to their resources with it. */
  baseUrl: string;
  allowedHosts: readonly string[];
  attemptTimeoutMs: number;
  pollIntervalMs: number;
  batchSize: number;
  /** DNS for deliveries; the system resolver unless a test gives another. */
  lookup?: AddressLookup;
}

export interface DispatchPass {
  read: number;
  events: number;
  deliveries: number;
  pokes: number;
}

/** Pokes in flight at once. */
const POKE_CONCURRENCY = 16;

const TLS_CODE = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_MISMATCH)/;

/** A failed attempt as one word of the log's list and our own words for it (the error code, never a message). */
export function classify(error: unknown): { outcome: DeliveryOutcome; words: string } {
  if (error instanceof WebhookTimeout) return { outcome: 'timeout', words: error.message };
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const named = typeof code === 'string' && /^[A-Z0-9_]{1,64}$/.test(code) ? code : null;
  if (named === 'ECONNREFUSED') return { outcome: 'connection_refused', words: 'connection refused (ECONNREFUSED)' };
  if (named === 'ETIMEDOUT') return { outcome: 'timeout', words: 'connection timed out (ETIMEDOUT)' };
  if (named === 'ENOTFOUND' || named === 'EAI_AGAIN')
    return { outcome: 'dns_failed', words: `the host name did not resolve (${named})` };
  if (named && TLS_CODE.test(named)) return { outcome: 'tls_failed', words: `TLS failed (${named})` };
  return { outcome: 'connection_failed', words: `connection failed${named ? ` (${named})` : ''}` };
}

/** A subscriber that fails is expected, and in the delivery log: benign, so the worker logs it at DEBUG, not WARN. */
const subscriberFailure = (message: string) =>
  ApplicationFailure.create({ message, type: 'QtmWebhookFailed', category: ApplicationFailureCategory.BENIGN });

/** When the next attempt will be, or null if the budget ends first (Temporal's own schedule, mirrored for the log). */
export function nextAttemptAt(
  retry: WebhookRetry,
  attempt: number,
  firstScheduledMs: number,
  now: number,
): Date | null {
  const interval = Math.min(retry.initialIntervalMs * 2 ** (attempt - 1), retry.maximumIntervalMs);
  const next = now + interval;
  return next >= firstScheduledMs + retry.retryForMs ? null : new Date(next);
}

export function createWebhookActivities(deps: WebhookActivityDeps) {
  const { db } = deps;

  /** Tells every delivery workflow with unannounced deliveries; marks only those it told. */
  async function pokeWaiting(): Promise<number> {
    const pairs = await unnotifiedPairs(db, 1000);
    let told = 0;
    for (let i = 0; i < pairs.length; i += POKE_CONCURRENCY) {
      const batch = pairs.slice(i, i + POKE_CONCURRENCY);
      const results = await Promise.allSettled(batch.map((p) => deps.poker.poke(p.subscriptionId, p.intakeId)));
      const done = batch.filter((_, j) => results[j]!.status === 'fulfilled');
      await markNotified(
        db,
        done.flatMap((p) => p.deliveryIds),
      );
      told += done.length;
      const failed = results.find((r) => r.status === 'rejected');
      // Temporal unreachable: the activity retries; the rest stay unannounced until then.
      if (failed) throw (failed as PromiseRejectedResult).reason;
    }
    return told;
  }

  return {
    /** Passes until the budget is spent: fan out what committed, then tell the delivery workflows. */
    async dispatchWebhookEvents(input: { budgetMs: number }): Promise<DispatchPass> {
      const started = Date.now();
      const totals: DispatchPass = { read: 0, events: 0, deliveries: 0, pokes: 0 };
      for (;;) {
        let pass;
        do {
          pass = await fanOut(db, { baseUrl: deps.baseUrl, batchSize: deps.batchSize });
          totals.read += pass.read;
          totals.events += pass.events;
          totals.deliveries += pass.deliveries;
          heartbeat(totals);
        } while (pass.read === deps.batchSize);
        totals.pokes += await pokeWaiting();
        heartbeat(totals);
        if (Date.now() - started + deps.pollIntervalMs >= input.budgetMs) return totals;
        // Cancelled (worker shutting down, or the heartbeat lost): ends the activity, which Temporal retries.
        await Context.current().sleep(deps.pollIntervalMs);
      }
    },

    async nextWebhookDelivery(
      input: Pick<WebhookDeliveryInput, 'subscriptionId' | 'intakeId'>,
    ): Promise<string | null> {
      return nextPendingDelivery(db, input.subscriptionId, input.intakeId);
    },

    /**
     * One attempt. A 2xx marks the delivery succeeded; anything else is recorded (status, error, the
     * next attempt's time) and thrown, for Temporal to retry with back-off. An SSRF refusal is not
     * retried. Timestamp and signatures are made afresh for each attempt; id and body never change.
     */
    async sendWebhook(input: { deliveryId: string; retry: WebhookRetry }): Promise<{ status: string }> {
      const d = await deliveryToSend(db, input.deliveryId);
      if (!d || d.status !== 'pending') return { status: d?.status ?? 'missing' };
      if (d.deleted) {
        await cancelDelivery(db, d.id, 'subscription deleted');
        return { status: 'cancelled' };
      }
      const info = activityInfo();
      const started = performance.now();
      const failed = async (status: number | null, outcome: DeliveryOutcome, error: string) => {
        const next = nextAttemptAt(input.retry, info.attempt, info.scheduledTimestampMs, Date.now());
        await recordAttempt(db, d.id, {
          ok: false,
          status,
          outcome,
          error,
          durationMs: performance.now() - started,
          nextAttemptAt: next,
        });
      };
      const refusedForGood = async (outcome: DeliveryOutcome, error: string): Promise<never> => {
        await recordAttempt(db, d.id, {
          ok: false,
          status: null,
          outcome,
          error,
          durationMs: performance.now() - started,
          nextAttemptAt: null,
        });
        throw ApplicationFailure.nonRetryable(error, 'QtmWebhookRefused');
      };
      let result;
      try {
        const secrets = [deps.secrets.open(d.secretSealed, d.subscriptionId)];
        if (d.previousSecretSealed && d.previousSecretExpiresAt && d.previousSecretExpiresAt > new Date())
          secrets.push(deps.secrets.open(d.previousSecretSealed, d.subscriptionId));
        const url = parseWebhookUrl(d.url);
        result = await postWebhook(url, webhookHeaders(d.eventId, d.body, secrets, new Date()), d.body, {
          timeoutMs: deps.attemptTimeoutMs,
          allowedHosts: deps.allowedHosts,
          lookup: deps.lookup,
        });
      } catch (error) {
        // Another WEBHOOK_SECRETS_KEY than the one that sealed it: no retry can help.
        if (error instanceof WebhookSecretError) await refusedForGood('not_signed', `not signed: ${error.message}`);
        if (error instanceof WebhookUrlRefused) await refusedForGood('address_refused', `refused: ${error.message}`);
        const { outcome, words } = classify(error);
        await failed(null, outcome, words);
        throw subscriberFailure(`delivery failed: ${words}`);
      }
      if (result.status >= 200 && result.status < 300) {
        await recordAttempt(db, d.id, {
          ok: true,
          status: result.status,
          outcome: 'delivered',
          error: null,
          durationMs: performance.now() - started,
          nextAttemptAt: null,
        });
        return { status: 'succeeded' };
      }
      // The status only: whatever the subscriber wrote in its answer is not ours to keep.
      await failed(result.status, 'http_error', `HTTP ${result.status}`);
      throw subscriberFailure(`subscriber answered ${result.status}`);
    },

    async giveUpWebhookDelivery(input: { deliveryId: string; reason: string }): Promise<{ failed: number }> {
      return giveUp(db, input.deliveryId, input.reason);
    },
  };
}

export type WebhookActivities = ReturnType<typeof createWebhookActivities>;
