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
  WorkflowUpdateRPCTimeoutOrCancelledError,
  type Client,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { IntakeState } from '../domain/intake-machine';
import {
  escalateSignal,
  intakeWorkflowId,
  REFUSAL_TYPES,
  searchAttributes,
  stateQuery,
  submittedUpdate,
  type Answer,
  type Cmd,
  type CommandUpdate,
  type EscalateSignal,
  type IntakeWorkflowInput,
  type RefusalDetails,
  type SubmissionResult,
} from '../workflows/messages';
import type { Principal } from '../domain/schemas';
import { canonicalBytes, sha256Hex } from '../trust/canonical';
import type { intakeWorkflow } from '../workflows/intake';

export type RefusalReason =
  | 'forbidden'
  | 'conflict'
  | 'idempotency_mismatch'
  | 'not_found'
  | 'ended'
  /** Not answered in time, or not taken by the workflow this time: the same Update id may be sent again. */
  | 'unavailable';

export class CommandRefused extends Error {
  override name = 'CommandRefused';
  constructor(
    readonly reason: RefusalReason,
    message: string,
    /** Nothing was applied: the same Update may be sent again as it is. */
    readonly resendable = false,
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

/**
 * The server rejects an Update that a workflow task completed without processing (the worker
 * never saw its request message, e.g. a task lost in a burst). It was not applied and carries
 * no state: sending the same Update id again is safe.
 */
const NOT_PROCESSED = /wasn't processed by worker/i;

/** What Temporal says about a refused or impossible update, as a CommandRefused; null for anything else. */
export function refusalOf(error: unknown, workflowId: string, requestSha256?: string): CommandRefused | null {
  if (error instanceof CommandRefused) return error;
  if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
    const reason = error.cause.type ? REASON_BY_TYPE[error.cause.type] : undefined;
    if (reason) {
      // A retry of a refused command under the same Update id gets the first refusal; its hash says whose.
      const first = (error.cause.details?.[0] as RefusalDetails | undefined)?.requestSha256;
      return requestSha256 && first && first !== requestSha256
        ? mismatch()
        : new CommandRefused(reason, error.cause.message);
    }
    if (NOT_PROCESSED.test(error.cause.message)) return new CommandRefused('unavailable', error.cause.message, true);
  }
  if (error instanceof WorkflowUpdateRPCTimeoutOrCancelledError) {
    return new CommandRefused('unavailable', `${workflowId}: the command was not answered in time`);
  }
  if (error instanceof WorkflowNotFoundError) {
    // Also what the server answers for an update to a workflow that has already finished (an Update
    // it completed before is answered from the history instead), and for one it aborted because the
    // workflow closed while the update was in flight: neither was applied.
    const reason = WORKFLOW_ENDED.test(error.message) ? 'ended' : 'not_found';
    return new CommandRefused(reason, `${workflowId}: ${error.message}`);
  }
  return null;
}

/** Throws what Temporal said as a CommandRefused, or the error itself when it is something else. */
export function asCommandRefused(error: unknown, workflowId: string): never {
  throw refusalOf(error, workflowId) ?? error;
}

const mismatch = () =>
  new CommandRefused('idempotency_mismatch', 'this Idempotency-Key was used with a different request body');

/** How long a command waits for the workflow's answer, and how often an unprocessed one is sent again. */
export interface CommandPolicy {
  answerWithinMs: number;
  resendsWhenUnprocessed: number;
}

const DEFAULT_POLICY: CommandPolicy = { answerWithinMs: 30_000, resendsWhenUnprocessed: 4 };

export class IntakeClient {
  constructor(
    readonly client: Client,
    readonly taskQueue: string,
    readonly policy: CommandPolicy = DEFAULT_POLICY,
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
      // What the Web UI shows to anyone with access to the namespace: no personal value (guardrail 9).
      staticSummary: `${body.request.category} via ${body.channel}`,
      staticDetails: `Request ${input.ids.requestId} from a ${body.actor.kind}; ${body.operatorId ? `operator ${body.operatorId} governs` : 'admin team governs'}.`,
      typedSearchAttributes: [
        { key: searchAttributes.intakeId, value: input.ids.intakeId },
        { key: searchAttributes.phase, value: 'governance' },
        { key: searchAttributes.audience, value: body.operatorId ? 'operator' : 'admin' },
        { key: searchAttributes.operatorId, value: body.operatorId ?? '' },
        { key: searchAttributes.escalationLevel, value: 0 },
      ],
    });
    try {
      return await this.client.withDeadline(Date.now() + this.policy.answerWithinMs, () =>
        this.client.workflow.executeUpdateWithStart(submittedUpdate, {
          args: [{ bodySha256: input.bodySha256 }],
          // Same body, same update: deduplicated. Another body under the same key reaches the validator, which refuses it.
          updateId: `submitted:${input.bodySha256}`,
          startWorkflowOperation: operation,
        }),
      );
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) throw error;
      return asCommandRefused(error, workflowId);
    }
  }

  /**
   * Sends one command and returns the workflow's answer. The same `updateId` twice applies it
   * once and answers the same; under the same `updateId` with other arguments, the answer's
   * hash differs from this call's and the call is refused as an Idempotency-Key mismatch.
   */
  async command<Ret, A>(
    intakeId: string,
    update: CommandUpdate<Ret, A>,
    arg: A & { principal: Principal },
    updateId?: string,
    /** What an Idempotency-Key's retry is compared by (the vault's keyed fingerprint); default the SHA-256 of `arg`. */
    fingerprint: string = sha256Hex(canonicalBytes(arg)),
  ): Promise<Ret> {
    const requestSha256 = fingerprint;
    const workflowId = intakeWorkflowId(intakeId);
    const stamped: Cmd<A> = { ...arg, requestSha256 };
    const send = (): Promise<Answer<Ret>> =>
      this.client.withDeadline(Date.now() + this.policy.answerWithinMs, () =>
        this.handle(intakeId).executeUpdate(update, {
          args: [stamped],
          ...(updateId ? { updateId } : {}),
        }),
      );
    for (let resend = 0; ; resend += 1) {
      let answer: Answer<Ret>;
      try {
        answer = await send();
      } catch (error) {
        const refused = refusalOf(error, workflowId, requestSha256);
        if (!refused?.resendable || resend >= this.policy.resendsWhenUnprocessed) throw refused ?? error;
        await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** resend));
        continue;
      }
      if (answer.requestSha256 !== requestSha256) throw mismatch();
      return answer.value;
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
