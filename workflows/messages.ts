/**
 * Everything the intake workflow and its callers (API, escalation sweep, tests) agree on:
 * message definitions, search-attribute keys, the workflow id scheme and the task queue.
 * Imported by both sides, so it must stay free of Node and database imports.
 */
import { defineSearchAttributeKey, SearchAttributeType, type UpdateDefinition } from '@temporalio/common';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { EscalateSignal, IntakeState } from '../domain/intake-machine';
import type { Audience, EvidenceInput, Outcome, Phase, Principal, Stage } from '../domain/schemas';
import type { JobView, ServiceEventView, TaskView } from '../domain/views';

// Inputs the activities share with the workflows live with the domain (activities sit below workflows).
export type { EscalateSignal, IntakeWorkflowInput } from '../domain/intake-machine';
export type { WebhookDeliveryInput, WebhookRetry } from '../domain/webhook-events';

export const intakeWorkflowId = (intakeId: string) => `intake-${intakeId}`;

/** Custom search attributes, for filtering in the Web UI (registered on the server at start). */
export const searchAttributes = {
  intakeId: defineSearchAttributeKey('QtmIntakeId', SearchAttributeType.KEYWORD),
  phase: defineSearchAttributeKey('QtmPhase', SearchAttributeType.KEYWORD),
  audience: defineSearchAttributeKey('QtmAudience', SearchAttributeType.KEYWORD),
  operatorId: defineSearchAttributeKey('QtmOperatorId', SearchAttributeType.KEYWORD),
  escalationLevel: defineSearchAttributeKey('QtmEscalationLevel', SearchAttributeType.INT),
} as const;

/** `temporal server start-dev --search-attribute` values, derived from the keys above. */
export const searchAttributeRegistrations = Object.values(searchAttributes).map(
  (key) => `${key.name}=${key.type === SearchAttributeType.INT ? 'Int' : 'Keyword'}`,
);

export interface SubmissionResult {
  requestId: string;
  intakeId: string;
  taskId: string;
  workflowId: string;
  phase: Phase;
  task: { id: string; audience: Audience; status: TaskView['status'] };
}

export interface IntakeOutcome {
  intakeId: string;
  phase: Phase;
  recordId: string | null;
  recordHash: string | null;
  signalId: string | null;
}

/**
 * A command as the workflow receives it: who asks, and the SHA-256 of what they asked (the
 * caller's canonical arguments). A retry under the same Update id gets the first answer from
 * the server, so the answer echoes the hash it was given: a caller whose hash differs reused an
 * Idempotency-Key with another body.
 */
export type Cmd<A = object> = A & { principal: Principal; requestSha256: string };

/** What every command Update answers: the contract's view, and the hash of the command it answers. */
export interface Answer<T> {
  value: T;
  requestSha256: string;
}

/** The `details` of a command refused after it was accepted (it waited its turn and the state had moved). */
export interface RefusalDetails {
  requestSha256: string;
}

// The workflow-start update: answers once the Request, Intake and Task are durable in Postgres.
export const submittedUpdate = defineUpdate<SubmissionResult, [{ bodySha256: string }]>('submitted');

// Governance (Task).
export const approveUpdate = defineUpdate<Answer<TaskView>, [Cmd<{ note?: string }>]>('approve');
export const rejectUpdate = defineUpdate<Answer<TaskView>, [Cmd<{ reason: string }>]>('reject');
export const assignUpdate = defineUpdate<Answer<TaskView>, [Cmd<{ operatorId: string }>]>('assign');
export const createJobUpdate = defineUpdate<Answer<JobView>, [Cmd]>('createJob');
export const withdrawUpdate = defineUpdate<Answer<TaskView>, [Cmd<{ reason?: string }>]>('withdraw');

// Execution (Job, ServiceEvent).
export const claimUpdate = defineUpdate<Answer<JobView>, [Cmd]>('claim');
export const startUpdate = defineUpdate<Answer<ServiceEventView>, [Cmd]>('start');
export const stageUpdate = defineUpdate<Answer<ServiceEventView>, [Cmd<{ stage: Stage }>]>('stage');
export const evidenceUpdate = defineUpdate<
  Answer<{ evidenceId: string; seq: number }>,
  [Cmd<{ evidence: EvidenceInput }>]
>('addEvidence');
export const completeUpdate = defineUpdate<Answer<ServiceEventView>, [Cmd<{ outcome: Outcome; summary: string }>]>(
  'complete',
);

/** A command Update's answer and argument types, as callers see them (without the stamp). */
export type CommandUpdate<Ret, Arg> = UpdateDefinition<Answer<Ret>, [Cmd<Arg>]>;

export const escalateSignal = defineSignal<[EscalateSignal]>('escalate');

export const stateQuery = defineQuery<IntakeState>('state');

/** ApplicationFailure types a refused command carries; the API maps them to HTTP codes. */
export const REFUSAL_TYPES = {
  forbidden: 'QtmForbidden',
  conflict: 'QtmConflict',
  idempotencyMismatch: 'QtmIdempotencyMismatch',
} as const;

// Webhooks (workflows/webhooks.ts): one dispatcher per deployment, one delivery workflow per
// subscription and intake, so that an intake's events reach each subscriber one after another.
export const WEBHOOK_DISPATCHER_WORKFLOW_ID = 'webhook-dispatcher';
export const webhookDeliveryWorkflowId = (subscriptionId: string, intakeId: string) =>
  `webhook-${subscriptionId}-${intakeId}`;

/** There are pending deliveries for this (subscription, intake): new events or a redelivery. */
export const webhookPokeSignal = defineSignal('webhookPoke');
