/**
 * Everything the intake workflow and its callers (API, escalation sweep, tests) agree on:
 * message definitions, search-attribute keys, the workflow id scheme and the task queue.
 * Imported by both sides, so it must stay free of Node and database imports.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { IntakeIds, IntakeState } from '../domain/intake-machine';
import type { Audience, EvidenceInput, Outcome, Phase, Principal, Stage, SubmitRequestBody } from '../domain/schemas';
import type { JobView, ServiceEventView, TaskView } from '../domain/views';

export const DEFAULT_TASK_QUEUE = 'qtm-intake';

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

export interface IntakeWorkflowInput {
  ids: IntakeIds;
  requester: Principal;
  /** The Request body exactly as received, and the SHA-256 of its canonical form. */
  body: SubmitRequestBody;
  bodySha256: string;
  idempotencyKey: string | null;
  receivedAt: string;
}

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

type By = { principal: Principal };

// The workflow-start update: answers once the Request, Intake and Task are durable in Postgres.
export const submittedUpdate = defineUpdate<SubmissionResult, [{ bodySha256: string }]>('submitted');

// Governance (Task).
export const approveUpdate = defineUpdate<TaskView, [By & { note?: string }]>('approve');
export const rejectUpdate = defineUpdate<TaskView, [By & { reason: string }]>('reject');
export const assignUpdate = defineUpdate<TaskView, [By & { operatorId: string }]>('assign');
export const createJobUpdate = defineUpdate<JobView, [By]>('createJob');
export const withdrawUpdate = defineUpdate<TaskView, [By & { reason?: string }]>('withdraw');

// Execution (Job, ServiceEvent).
export const claimUpdate = defineUpdate<JobView, [By]>('claim');
export const startUpdate = defineUpdate<ServiceEventView, [By]>('start');
export const stageUpdate = defineUpdate<ServiceEventView, [By & { stage: Stage }]>('stage');
export const evidenceUpdate = defineUpdate<{ evidenceId: string; seq: number }, [By & { evidence: EvidenceInput }]>(
  'addEvidence',
);
export const completeUpdate = defineUpdate<ServiceEventView, [By & { outcome: Outcome; summary: string }]>('complete');

/** Fire-and-forget nudge from the escalation sweep; stale or repeated nudges are ignored. */
export interface EscalateSignal {
  expectedAudience: Audience;
  expectedLevel: number;
  maxLevel: number;
  reason: string;
}
export const escalateSignal = defineSignal<[EscalateSignal]>('escalate');

export const stateQuery = defineQuery<IntakeState>('state');

/** ApplicationFailure types a refused command carries; the API maps them to HTTP codes. */
export const REFUSAL_TYPES = {
  forbidden: 'QtmForbidden',
  conflict: 'QtmConflict',
  idempotencyMismatch: 'QtmIdempotencyMismatch',
} as const;
