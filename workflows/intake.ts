/**
 * One Intake, from the Request as received to its sealed Record and ⭐ Signal.
 *
 * The story: persist the Request, Intake and Task; let governance actors decide (approve,
 * reject, assign, explicitly create the Job) while the escalation sweep may nudge; let the
 * assigned operator claim, start, record stages and evidence, and complete; then seal the
 * Record and, for completed work, emit the Signal. Rules live in domain/intake-machine.ts and
 * the write of each change in ./writes.ts; this file orders them and makes them durable.
 */
import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  currentUpdateInfo,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import {
  acting,
  check,
  decide,
  describe,
  escalate,
  initialState,
  isEnded,
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
  escalateSignal,
  evidenceUpdate,
  REFUSAL_TYPES,
  rejectUpdate,
  searchAttributes,
  stageUpdate,
  startUpdate,
  stateQuery,
  submittedUpdate,
  withdrawUpdate,
  type Answer,
  type Cmd,
  type IntakeOutcome,
  type IntakeWorkflowInput,
  type RefusalDetails,
} from './messages';
import { acceptedIds, WRITE_OPTIONS, writeFor, type Write } from './writes';

const act = proxyActivities<Activities>(WRITE_OPTIONS);

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

export async function intakeWorkflow(input: IntakeWorkflowInput): Promise<IntakeOutcome> {
  const { ids, body } = input;
  const { workflowId, runId } = workflowInfo();
  let state: IntakeState = initialState({
    ids,
    requester: input.requester,
    category: body.request.category,
    summary: body.request.summary,
    operatorId: body.operatorId ?? null,
    receivedAt: input.receivedAt,
  });

  // One change is made durable at a time, in the order accepted: a command waits its turn here.
  const lane = createLane();

  const publish = () => {
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
  };

  /** Takes an accepted change as the new state and waits until its rows are written. */
  const commit = async (
    next: { state: IntakeState; change: Change },
    by: Principal | null,
    updateId: string | null,
  ) => {
    state = next.state;
    publish();
    const context = { intakeId: ids.intakeId, version: state.version, phase: state.phase, updateId };
    await write(writeFor(next.change, { ...context, by: by ? acting(by) : SYSTEM }));
  };

  /** Re-checks the command in its turn (state may have moved since the validator ran), applies it, persists it. */
  const run = <T>(cmd: Cmd, command: () => Command, answer: (s: IntakeState) => T): Promise<Answer<T>> => {
    const updateId = currentUpdateInfo()?.id ?? null;
    return lane.run(async () => {
      const outcome = decide(state, cmd.principal, command(), now());
      if (!outcome.ok) refuse(outcome, cmd.requestSha256);
      await commit(outcome, cmd.principal, updateId);
      return { value: answer(state), requestSha256: cmd.requestSha256 };
    });
  };

  const validate = (type: Command['type'], cmd: Cmd & Record<string, unknown>) => {
    const refusal = check(state, cmd.principal, { ...cmd, type } as Command);
    if (refusal) refuse(refusal);
  };

  // Queries and updates are registered before the first await, so none is ever missed.
  setHandler(stateQuery, () => state);

  setHandler(
    submittedUpdate,
    async () => {
      await condition(() => state.persisted);
      const { task } = state;
      return {
        requestId: ids.requestId,
        intakeId: ids.intakeId,
        taskId: ids.taskId,
        workflowId,
        phase: state.phase,
        task: { id: task.id, audience: task.audience, status: task.status },
      };
    },
    {
      // The same Idempotency-Key with a different body is a client error, not a retry.
      validator: ({ bodySha256 }) => {
        if (bodySha256 !== input.bodySha256) {
          throw ApplicationFailure.create({
            type: REFUSAL_TYPES.idempotencyMismatch,
            message: 'this Idempotency-Key was used with a different request body',
            nonRetryable: true,
          });
        }
      },
    },
  );

  const task = (s: IntakeState) => s.task;
  setHandler(approveUpdate, (a) => run(a, () => ({ type: 'approve', decisionId: uuid4(), note: a.note }), task), {
    validator: (a) => validate('approve', a),
  });
  setHandler(rejectUpdate, (a) => run(a, () => ({ type: 'reject', decisionId: uuid4(), reason: a.reason }), task), {
    validator: (a) => validate('reject', a),
  });
  setHandler(
    assignUpdate,
    (a) => run(a, () => ({ type: 'assign', decisionId: uuid4(), operatorId: a.operatorId }), task),
    { validator: (a) => validate('assign', a) },
  );
  setHandler(withdrawUpdate, (a) => run(a, () => ({ type: 'withdraw', decisionId: uuid4(), reason: a.reason }), task), {
    validator: (a) => validate('withdraw', a),
  });
  setHandler(
    createJobUpdate,
    (a) =>
      run(
        a,
        () => ({ type: 'createJob', decisionId: uuid4(), jobId: uuid4() }),
        (s) => s.job!,
      ),
    { validator: (a) => validate('createJob', a) },
  );
  setHandler(
    claimUpdate,
    (a) =>
      run(
        a,
        () => ({ type: 'claim' }),
        (s) => s.job!,
      ),
    {
      validator: (a) => validate('claim', a),
    },
  );
  setHandler(
    startUpdate,
    (a) =>
      run(
        a,
        () => ({ type: 'start', serviceEventId: uuid4() }),
        (s) => s.serviceEvent!,
      ),
    {
      validator: (a) => validate('start', a),
    },
  );
  setHandler(
    stageUpdate,
    (a) =>
      run(
        a,
        () => ({ type: 'stage', stage: a.stage }),
        (s) => s.serviceEvent!,
      ),
    {
      validator: (a) => validate('stage', a),
    },
  );
  setHandler(
    evidenceUpdate,
    (a) =>
      run(
        a,
        () => ({ type: 'evidence', evidenceId: uuid4(), evidence: a.evidence }),
        (s) => {
          const added = s.serviceEvent!.evidence.at(-1)!;
          return { evidenceId: added.id, seq: added.seq };
        },
      ),
    { validator: (a) => validate('evidence', a) },
  );
  setHandler(
    completeUpdate,
    (a) =>
      run(
        a,
        () => ({ type: 'complete', outcome: a.outcome, summary: a.summary }),
        (s) => s.serviceEvent!,
      ),
    { validator: (a) => validate('complete', a) },
  );

  setHandler(escalateSignal, (nudge) => {
    void lane.run(async () => {
      const request = { escalationId: uuid4(), ...nudge };
      const outcome = escalate(state, request, { maxLevel: nudge.maxLevel }, now());
      if (outcome) await commit(outcome, null, null);
    });
  });

  // 1. The Request as received, the Intake and its Task become durable.
  await lane.run(async () => {
    await act.persistIntake.executeWithOptions({ ...WRITE_OPTIONS, summary: 'Store the request, intake and task' }, [
      {
        intakeId: ids.intakeId,
        version: state.version,
        phase: state.phase,
        intake: input,
        workflowId,
        runId,
        task: state.task,
      },
    ]);
    state = { ...state, persisted: true };
  });
  publish();

  // 2-4. Governance and execution happen in the update handlers above, one change at a time.
  await condition(() => state.phase === 'sealing' || isEnded(state.phase));
  await lane.drained();

  // 5. Seal the Record from exactly what the workflow accepted; attribute completed work with a Signal.
  if (state.phase === 'sealing') {
    state = { ...state, version: state.version + 1 };
    const record = await act.sealRecord.executeWithOptions(
      { ...WRITE_OPTIONS, summary: 'Seal the record into the chain' },
      [
        {
          intakeId: ids.intakeId,
          recordId: uuid4(),
          workflowId,
          runId,
          version: state.version,
          accepted: acceptedIds(state),
        },
      ],
    );
    state = { ...state, phase: 'sealed', record };
    publish();
    if (state.serviceEvent?.outcome === 'completed') {
      const signal = await act.emitSignal.executeWithOptions({ ...WRITE_OPTIONS, summary: 'Emit the ⭐ Signal' }, [
        { intakeId: ids.intakeId, recordId: record.id, signalId: uuid4() },
      ]);
      state = { ...state, signal };
      setCurrentDetails(describe(state));
    }
  }

  await condition(allHandlersFinished);
  return {
    intakeId: ids.intakeId,
    phase: state.phase,
    recordId: state.record?.id ?? null,
    recordHash: state.record?.hash ?? null,
    signalId: state.signal?.id ?? null,
  };
}
