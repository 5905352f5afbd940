/**
 * How every caller (API, escalation sweep, demo, benchmarks, tests) talks to intake
 * workflows: start one with its first update, send a command as an Update (whose id is the
 * idempotency key), read the state. Refusals come back as one typed error.
 */
import {
  WithStartWorkflowOperation,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type Client,
} from '@temporalio/client';
import { ApplicationFailure, type UpdateDefinition } from '@temporalio/common';
import type { IntakeState } from '../domain/intake-machine';
import {
  escalateSignal,
  intakeWorkflowId,
  REFUSAL_TYPES,
  searchAttributes,
  stateQuery,
  submittedUpdate,
  type EscalateSignal,
  type IntakeWorkflowInput,
  type SubmissionResult,
} from '../workflows/messages';
import type { intakeWorkflow } from '../workflows/intake';

export type RefusalReason = 'forbidden' | 'conflict' | 'idempotency_mismatch' | 'not_found' | 'ended';

export class CommandRefused extends Error {
  override name = 'CommandRefused';
  constructor(
    readonly reason: RefusalReason,
    message: string,
  ) {
    super(message);
  }
}

const REASON_BY_TYPE: Record<string, RefusalReason> = {
  [REFUSAL_TYPES.forbidden]: 'forbidden',
  [REFUSAL_TYPES.conflict]: 'conflict',
  [REFUSAL_TYPES.idempotencyMismatch]: 'idempotency_mismatch',
};

/** The server's NOT_FOUND messages for a workflow that exists but has ended: "workflow execution already completed", "workflow update was aborted by closing workflow". */
const WORKFLOW_ENDED = /completed|aborted by closing workflow/i;

/** Turns what Temporal says about a refused or impossible update into a CommandRefused. */
export function asCommandRefused(error: unknown, workflowId: string): never {
  if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
    const reason = error.cause.type ? REASON_BY_TYPE[error.cause.type] : undefined;
    if (reason) throw new CommandRefused(reason, error.cause.message);
  }
  if (error instanceof WorkflowNotFoundError) {
    // Also what the server answers for an update to a workflow that has already finished, and for
    // one it aborted because the workflow closed while the update was in flight.
    throw new CommandRefused(
      WORKFLOW_ENDED.test(error.message) ? 'ended' : 'not_found',
      `${workflowId}: ${error.message}`,
    );
  }
  throw error;
}

export class IntakeClient {
  constructor(
    readonly client: Client,
    readonly taskQueue: string,
  ) {}

  handle(intakeId: string) {
    return this.client.workflow.getHandle<typeof intakeWorkflow>(intakeWorkflowId(intakeId));
  }

  /**
   * Starts the intake workflow and waits until the Request, Intake and Task are durable.
   * A retry with the same ids attaches to the running workflow instead of starting another;
   * one for a workflow that has already ended raises `WorkflowExecutionAlreadyStartedError`.
   */
  async submit(input: IntakeWorkflowInput): Promise<SubmissionResult> {
    const workflowId = intakeWorkflowId(input.ids.intakeId);
    const { body } = input;
    const operation = new WithStartWorkflowOperation<typeof intakeWorkflow>('intakeWorkflow', {
      workflowId,
      taskQueue: this.taskQueue,
      args: [input],
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      staticSummary: `${body.request.category}: ${body.request.summary.slice(0, 100)}`,
      staticDetails: `Request ${input.ids.requestId} via ${body.channel} from ${body.actor.kind} "${body.actor.name}"; ${body.operatorId ? `operator ${body.operatorId} governs` : 'admin team governs'}.`,
      typedSearchAttributes: [
        { key: searchAttributes.intakeId, value: input.ids.intakeId },
        { key: searchAttributes.phase, value: 'governance' },
        { key: searchAttributes.audience, value: body.operatorId ? 'operator' : 'admin' },
        { key: searchAttributes.operatorId, value: body.operatorId ?? '' },
        { key: searchAttributes.escalationLevel, value: 0 },
      ],
    });
    try {
      return await this.client.workflow.executeUpdateWithStart(submittedUpdate, {
        args: [{ bodySha256: input.bodySha256 }],
        // Same body, same update: deduplicated. Another body under the same key reaches the validator, which refuses it.
        updateId: `submitted:${input.bodySha256}`,
        startWorkflowOperation: operation,
      });
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) throw error;
      return asCommandRefused(error, workflowId);
    }
  }

  /** Sends one command. The same `updateId` twice applies it once and answers the same. */
  async command<Ret, Arg>(
    intakeId: string,
    update: UpdateDefinition<Ret, [Arg]>,
    arg: Arg,
    updateId?: string,
  ): Promise<Ret> {
    try {
      return await this.handle(intakeId).executeUpdate(update, { args: [arg], ...(updateId ? { updateId } : {}) });
    } catch (error) {
      return asCommandRefused(error, intakeWorkflowId(intakeId));
    }
  }

  async state(intakeId: string): Promise<IntakeState> {
    try {
      return await this.handle(intakeId).query(stateQuery);
    } catch (error) {
      return asCommandRefused(error, intakeWorkflowId(intakeId));
    }
  }

  async escalate(intakeId: string, nudge: EscalateSignal): Promise<void> {
    await this.handle(intakeId).signal(escalateSignal, nudge);
  }
}
