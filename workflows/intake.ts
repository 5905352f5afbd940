/**
 * One Intake, from the Request as received to its sealed Record and ⭐ Signal.
 *
 * The story: persist the Request, Intake and Task; let governance actors decide (approve,
 * reject, assign, explicitly create the Job) while the escalation sweep may nudge; let the
 * assigned operator claim, start, record stages and evidence, and complete; then seal the
 * Record and, for completed work, emit the Signal. Rules live in domain/intake-machine.ts;
 * this file only orders them and makes them durable.
 */
import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  currentUpdateInfo,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
  type ActivityOptions,
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
  type IntakeOutcome,
  type IntakeWorkflowInput,
} from './messages';

// Postgres may be away for a while: activities retry (with back-off) until it is back.
const ACTIVITY_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '15 seconds',
  retry: {
    initialInterval: '500 milliseconds',
    backoffCoefficient: 2,
    maximumInterval: '30 seconds',
    nonRetryableErrorTypes: ['QtmInvariant'],
  },
};
const act = proxyActivities<Activities>(ACTIVITY_OPTIONS);
// The system's own small writes: run inside the workflow task, with no activity task round trip.
const local = proxyLocalActivities<Activities>(ACTIVITY_OPTIONS);

const now = () => new Date(Date.now()).toISOString();

function refuse(refusal: Refusal): never {
  throw ApplicationFailure.create({
    type: REFUSAL_TYPES[refusal.reason],
    message: refusal.message,
    nonRetryable: true,
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
  /** Bumped on every change; the activities' writes are guarded by it. */
  let version = 1;

  // One change is persisted at a time, in order: a command's handler waits its turn here.
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
    if (patched('search-attributes-on-change')) {
      const known = workflowInfo().typedSearchAttributes;
      // An empty keyword given at start does not come back in the workflow's info.
      const changed = current.filter(({ key, value }) => (known.get(key) ?? (value === '' ? '' : undefined)) !== value);
      if (changed.length > 0) upsertSearchAttributes(changed);
    } else {
      upsertSearchAttributes(current);
    }
    setCurrentDetails(describe(state));
  };

  // Histories from before the patch replay with the writes as activities; new runs write locally.
  const localWrites = () => patched('command-writes-local-activity');

  const persist = async (change: Change, by: Principal | null, updateId: string | null): Promise<void> => {
    const base = { intakeId: ids.intakeId, version, phase: state.phase, updateId };
    const principal = by ? acting(by) : { sub: 'system', role: 'system' as const, operatorId: null };
    const summary = (text: string) => ({ ...ACTIVITY_OPTIONS, summary: text });
    // A command's write is one short statement: as a local activity it runs inside the workflow task
    // that accepted the Update, instead of an activity task and a second workflow task (half the history).
    // Escalations have a patch of their own (below); asking this one for them would add its marker.
    const writes = change.kind === 'escalated' ? act : localWrites() ? local : act;
    switch (change.kind) {
      case 'taskDecided':
        return writes.recordTaskDecision.executeWithOptions(summary(`Record task ${change.decision.kind}`), [
          { ...base, task: change.task, decision: change.decision },
        ]);
      case 'jobCreated':
        return writes.createJob.executeWithOptions(summary(`Create job for operator ${change.job.operatorId}`), [
          { ...base, task: change.task, decision: change.decision, job: change.job },
        ]);
      case 'jobClaimed':
        return writes.recordClaim.executeWithOptions(summary(`Record claim by ${principal.sub}`), [
          { ...base, job: change.job, by: principal },
        ]);
      case 'serviceEventOpened':
        return writes.openServiceEvent.executeWithOptions(summary('Open the service event'), [
          { ...base, job: change.job, serviceEvent: change.serviceEvent, by: principal },
        ]);
      case 'stageChanged':
        return writes.recordStage.executeWithOptions(summary(`Record stage ${change.entry.stage}`), [
          { ...base, serviceEvent: change.serviceEvent, entry: change.entry, by: principal },
        ]);
      case 'evidenceAdded':
        return writes.recordEvidence.executeWithOptions(
          summary(`Record ${change.evidence.kind} evidence #${change.evidence.seq}`),
          [{ ...base, serviceEventId: change.serviceEvent.id, evidence: change.evidence, by: principal }],
        );
      case 'serviceEventClosed':
        return writes.closeServiceEvent.executeWithOptions(
          summary(`Close the service event: ${change.serviceEvent.outcome}`),
          [{ ...base, job: change.job, serviceEvent: change.serviceEvent, by: principal }],
        );
      case 'escalated': {
        const args: Parameters<Activities['recordEscalation']> = [
          { ...base, task: change.task, escalation: change.escalation },
        ];
        const options = summary(
          `Record escalation to ${change.escalation.toAudience} level ${change.escalation.toLevel}`,
        );
        // A sweep wakes thousands of intakes at once; a local activity halves what each wake-up costs the server.
        return patched('escalation-local-activity')
          ? local.recordEscalation.executeWithOptions(options, args)
          : act.recordEscalation.executeWithOptions(options, args);
      }
    }
  };

  /** Re-checks the command in its turn (state may have moved since the validator ran), applies it, persists it. */
  const run = <T>(principal: Principal, command: () => Command, answer: (s: IntakeState) => T): Promise<T> => {
    const updateId = currentUpdateInfo()?.id ?? null;
    return lane.run(async () => {
      const outcome = decide(state, principal, command(), now());
      if (!outcome.ok) refuse(outcome);
      state = outcome.state;
      version += 1;
      publish();
      await persist(outcome.change, principal, updateId);
      return answer(state);
    });
  };

  const validate = (type: Command['type'], args: { principal: Principal } & Record<string, unknown>) => {
    const refusal = check(state, args.principal, { type, ...args } as Command);
    if (refusal) refuse(refusal);
  };

  // Queries and updates are registered before the first await, so none is ever missed.
  setHandler(stateQuery, () => state);

  setHandler(
    submittedUpdate,
    async () => {
      await condition(() => state.persisted);
      return {
        requestId: ids.requestId,
        intakeId: ids.intakeId,
        taskId: ids.taskId,
        workflowId,
        phase: state.phase,
        task: { id: state.task.id, audience: state.task.audience, status: state.task.status },
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

  setHandler(
    approveUpdate,
    (a) =>
      run(
        a.principal,
        () => ({ type: 'approve', decisionId: uuid4(), note: a.note }),
        (s) => s.task,
      ),
    { validator: (a) => validate('approve', a) },
  );
  setHandler(
    rejectUpdate,
    (a) =>
      run(
        a.principal,
        () => ({ type: 'reject', decisionId: uuid4(), reason: a.reason }),
        (s) => s.task,
      ),
    { validator: (a) => validate('reject', a) },
  );
  setHandler(
    assignUpdate,
    (a) =>
      run(
        a.principal,
        () => ({ type: 'assign', decisionId: uuid4(), operatorId: a.operatorId }),
        (s) => s.task,
      ),
    { validator: (a) => validate('assign', a) },
  );
  setHandler(
    withdrawUpdate,
    (a) =>
      run(
        a.principal,
        () => ({ type: 'withdraw', decisionId: uuid4(), reason: a.reason }),
        (s) => s.task,
      ),
    { validator: (a) => validate('withdraw', a) },
  );
  setHandler(
    createJobUpdate,
    (a) =>
      run(
        a.principal,
        () => ({ type: 'createJob', decisionId: uuid4(), jobId: uuid4() }),
        (s) => s.job!,
      ),
    { validator: (a) => validate('createJob', a) },
  );
  setHandler(
    claimUpdate,
    (a) =>
      run(
        a.principal,
        () => ({ type: 'claim' }),
        (s) => s.job!,
      ),
    { validator: (a) => validate('claim', a) },
  );
  setHandler(
    startUpdate,
    (a) =>
      run(
        a.principal,
        () => ({ type: 'start', serviceEventId: uuid4() }),
        (s) => s.serviceEvent!,
      ),
    { validator: (a) => validate('start', a) },
  );
  setHandler(
    stageUpdate,
    (a) =>
      run(
        a.principal,
        () => ({ type: 'stage', stage: a.stage }),
        (s) => s.serviceEvent!,
      ),
    { validator: (a) => validate('stage', a) },
  );
  setHandler(
    evidenceUpdate,
    (a) =>
      run(
        a.principal,
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
        a.principal,
        () => ({ type: 'complete', outcome: a.outcome, summary: a.summary }),
        (s) => s.serviceEvent!,
      ),
    {
      validator: (a) => validate('complete', a),
    },
  );

  setHandler(escalateSignal, (nudge) => {
    void lane.run(async () => {
      const outcome = escalate(
        state,
        {
          escalationId: uuid4(),
          expectedAudience: nudge.expectedAudience,
          expectedLevel: nudge.expectedLevel,
          reason: nudge.reason,
        },
        { maxLevel: nudge.maxLevel },
        now(),
      );
      if (!outcome) return;
      state = outcome.state;
      version += 1;
      publish();
      await persist(outcome.change, null, null);
    });
  });

  // 1. The Request as received, the Intake and its Task become durable.
  await lane.run(async () => {
    await (localWrites() ? local : act).persistIntake.executeWithOptions(
      { ...ACTIVITY_OPTIONS, summary: 'Store the request, intake and task' },
      [{ intakeId: ids.intakeId, version, phase: state.phase, intake: input, workflowId, runId, task: state.task }],
    );
    state = { ...state, persisted: true };
  });
  publish();

  // 2-4. Governance and execution happen in the update handlers above.
  await condition(() => state.phase === 'sealing' || isEnded(state.phase));
  await lane.drained();

  // 5. Seal the Record; attribute completed work with a Signal.
  if (state.phase === 'sealing') {
    version += 1;
    const record = await act.sealRecord.executeWithOptions(
      { ...ACTIVITY_OPTIONS, summary: 'Seal the record into the chain' },
      [{ intakeId: ids.intakeId, recordId: uuid4(), workflowId, runId, version }],
    );
    state = { ...state, phase: 'sealed', record };
    publish();
    if (state.serviceEvent?.outcome === 'completed') {
      const signal = await act.emitSignal.executeWithOptions({ ...ACTIVITY_OPTIONS, summary: 'Emit the ⭐ Signal' }, [
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
