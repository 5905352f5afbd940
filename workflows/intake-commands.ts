/**
 * What the intake workflow's handlers delegate to: the table of command Updates, and the Intake
 * that holds the workflow's state and runs each accepted change through its one lane.
 *
 * A command is checked twice: by its validator when it arrives (a refused one never enters the
 * history), and again in its turn, since the state may have moved while it waited. Ids are drawn
 * (uuid4) only in the turn, so they follow the order the changes were accepted in.
 */
import {
  ApplicationFailure,
  condition,
  currentUpdateInfo,
  proxyActivities,
  setCurrentDetails,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import type { Activities } from '../activities';
import {
  acting,
  check,
  decide,
  describe,
  escalate,
  initialState,
  SYSTEM,
  type Change,
  type Command,
  type IntakeState,
  type Refusal,
} from '../domain/intake-machine';
import type { Principal } from '../domain/schemas';
import { createLane } from './lane';
import {
  approveUpdate,
  assignUpdate,
  claimUpdate,
  completeUpdate,
  createJobUpdate,
  evidenceUpdate,
  REFUSAL_TYPES,
  rejectUpdate,
  searchAttributes,
  stageUpdate,
  startUpdate,
  withdrawUpdate,
  type Answer,
  type Cmd,
  type EscalateSignal,
  type IntakeWorkflowInput,
  type RefusalDetails,
  type SubmissionResult,
} from './messages';
import { WRITE_OPTIONS, writeFor, type Write } from './writes';

export const act = proxyActivities<Activities>(WRITE_OPTIONS);

/** Runs a change's write as the activity writeFor() names. */
const write = ({ activity, input, summary }: Write): Promise<void> =>
  (act[activity].executeWithOptions as (options: object, args: [typeof input]) => Promise<void>)(
    { ...WRITE_OPTIONS, summary },
    [input],
  );

const now = () => new Date(Date.now()).toISOString();

function refuse(refusal: Refusal, requestSha256?: string): never {
  const details: RefusalDetails[] = requestSha256 ? [{ requestSha256 }] : [];
  throw ApplicationFailure.create({
    type: REFUSAL_TYPES[refusal.reason],
    message: refusal.message,
    nonRetryable: true,
    details,
  });
}

/** One command Update: the machine's command it asks for (made in its turn) and the view it answers. */
export interface CommandEntry<Arg = never, Ret = unknown> {
  type: Command['type'];
  update: UpdateDefinition<Answer<Ret>, [Cmd<Arg>]>;
  command: (arg: Cmd<Arg>) => Command;
  answer: (state: IntakeState) => Ret;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyCommandUpdate = UpdateDefinition<Answer<any>, [Cmd<any>]>;
type ArgOf<U> = U extends UpdateDefinition<unknown, [infer A]> ? A : never;
type RetOf<U> = U extends UpdateDefinition<Answer<infer R>, infer _Args> ? R : never;

const entry = <U extends AnyCommandUpdate>(
  type: Command['type'],
  update: U,
  command: (arg: ArgOf<U>) => Command,
  answer: (state: IntakeState) => RetOf<U>,
) => ({ type, update, command, answer }) as unknown as CommandEntry;

const task = (s: IntakeState) => s.task;
const job = (s: IntakeState) => s.job!;
const serviceEvent = (s: IntakeState) => s.serviceEvent!;
const lastEvidence = (s: IntakeState) => {
  const added = s.serviceEvent!.evidence.at(-1)!;
  return { evidenceId: added.id, seq: added.seq };
};

/** Every command Update, in the order the workflow registers them. */
export const COMMANDS: CommandEntry[] = [
  // Governance (Task).
  entry('approve', approveUpdate, (a) => ({ type: 'approve', decisionId: uuid4(), note: a.note }), task),
  entry('reject', rejectUpdate, (a) => ({ type: 'reject', decisionId: uuid4(), reason: a.reason }), task),
  entry('assign', assignUpdate, (a) => ({ type: 'assign', decisionId: uuid4(), operatorId: a.operatorId }), task),
  entry('withdraw', withdrawUpdate, (a) => ({ type: 'withdraw', decisionId: uuid4(), reason: a.reason }), task),
  entry('createJob', createJobUpdate, () => ({ type: 'createJob', decisionId: uuid4(), jobId: uuid4() }), job),
  // Execution (Job, ServiceEvent).
  entry('claim', claimUpdate, () => ({ type: 'claim' }), job),
  entry('start', startUpdate, () => ({ type: 'start', serviceEventId: uuid4() }), serviceEvent),
  entry('stage', stageUpdate, (a) => ({ type: 'stage', stage: a.stage }), serviceEvent),
  entry(
    'evidence',
    evidenceUpdate,
    (a) => ({ type: 'evidence', evidenceId: uuid4(), evidence: a.evidence }),
    lastEvidence,
  ),
  entry(
    'complete',
    completeUpdate,
    (a) => ({ type: 'complete', outcome: a.outcome, summary: a.summary }),
    serviceEvent,
  ),
];

/** One intake's state, and the only ways it changes: a command in its turn, a nudge, the story's own steps. */
export class Intake {
  state: IntakeState;
  /** One change is made durable at a time, in the order accepted: a command waits its turn here. */
  readonly lane = createLane();

  constructor(readonly input: IntakeWorkflowInput) {
    const { ids, body } = input;
    this.state = initialState({
      ids,
      requester: input.requester,
      category: body.request.category,
      summary: body.request.summary,
      operatorId: body.operatorId ?? null,
      receivedAt: input.receivedAt,
    });
  }

  /** The search attributes and the Web UI's details follow the state. */
  publish(): void {
    const { state } = this;
    const current = [
      { key: searchAttributes.phase, value: state.phase },
      { key: searchAttributes.audience, value: state.task.audience },
      {
        key: searchAttributes.operatorId,
        value: state.job?.operatorId ?? state.task.assigneeOperatorId ?? state.task.operatorId ?? '',
      },
      { key: searchAttributes.escalationLevel, value: state.task.escalationLevel },
    ];
    // Each upsert is a history event and a visibility write: send only what changed (most commands change none).
    const known = workflowInfo().typedSearchAttributes;
    // An empty keyword given at start does not come back in the workflow's info.
    const changed = current.filter(({ key, value }) => (known.get(key) ?? (value === '' ? '' : undefined)) !== value);
    if (changed.length > 0) upsertSearchAttributes(changed);
    setCurrentDetails(describe(state));
  }

  /** Takes an accepted change as the new state and waits until its rows are written. */
  private async commit(next: { state: IntakeState; change: Change }, by: Principal | null, updateId: string | null) {
    this.state = next.state;
    this.publish();
    const { state } = this;
    const context = { intakeId: state.ids.intakeId, version: state.version, phase: state.phase, updateId };
    await write(writeFor(next.change, { ...context, by: by ? acting(by) : SYSTEM }));
  }

  /** A command's validator: refuses what the current state already rules out. */
  validate(entry: CommandEntry, cmd: Cmd): void {
    const refusal = check(this.state, cmd.principal, { ...cmd, type: entry.type } as Command);
    if (refusal) refuse(refusal);
  }

  /** Re-checks the command in its turn (state may have moved since the validator ran), applies it, persists it. */
  run(entry: CommandEntry, cmd: Cmd): Promise<Answer<unknown>> {
    const updateId = currentUpdateInfo()?.id ?? null;
    return this.lane.run(async () => {
      const outcome = decide(this.state, cmd.principal, entry.command(cmd as never), now());
      if (!outcome.ok) refuse(outcome, cmd.requestSha256);
      await this.commit(outcome, cmd.principal, updateId);
      return { value: entry.answer(this.state), requestSha256: cmd.requestSha256 };
    });
  }

  /** The escalation sweep's nudge: stale or repeated nudges change nothing. */
  escalate(nudge: EscalateSignal): void {
    void this.lane.run(async () => {
      const request = { escalationId: uuid4(), ...nudge };
      const outcome = escalate(this.state, request, { maxLevel: nudge.maxLevel }, now());
      if (outcome) await this.commit(outcome, null, null);
    });
  }

  /** The same Idempotency-Key with a different body is a client error, not a retry. */
  sameBody({ bodySha256 }: { bodySha256: string }): void {
    if (bodySha256 !== this.input.bodySha256) {
      throw ApplicationFailure.create({
        type: REFUSAL_TYPES.idempotencyMismatch,
        message: 'this Idempotency-Key was used with a different request body',
        nonRetryable: true,
      });
    }
  }

  /** The workflow-start Update's answer, once the Request, Intake and Task are durable. */
  async submitted(): Promise<SubmissionResult> {
    await condition(() => this.state.persisted);
    const { ids } = this.input;
    const { task, phase } = this.state;
    return {
      requestId: ids.requestId,
      intakeId: ids.intakeId,
      taskId: ids.taskId,
      workflowId: workflowInfo().workflowId,
      phase,
      task: { id: task.id, audience: task.audience, status: task.status },
    };
  }
}
