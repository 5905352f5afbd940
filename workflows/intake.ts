/**
 * One Intake, from the Request as received to its sealed Record and ⭐ Signal.
 *
 * The story: persist the Request, Intake and Task; let governance actors decide (approve,
 * reject, assign, explicitly create the Job) while the escalation sweep may nudge; let the
 * assigned operator claim, start, record stages and evidence, and complete; then seal the
 * Record and, for completed work, emit the Signal. Rules live in domain/intake-machine.ts, the
 * command Updates and the state they change in ./intake-commands.ts, the write of each change in
 * ./writes.ts; this file orders them and makes them durable.
 */
import {
  allHandlersFinished,
  condition,
  setCurrentDetails,
  setHandler,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import { describe, isEnded } from '../domain/intake-machine';
import { act, COMMANDS, Intake } from './intake-commands';
import { escalateSignal, stateQuery, submittedUpdate, type IntakeOutcome, type IntakeWorkflowInput } from './messages';
import { acceptedIds, WRITE_OPTIONS } from './writes';

export async function intakeWorkflow(input: IntakeWorkflowInput): Promise<IntakeOutcome> {
  const { ids } = input;
  const { workflowId, runId } = workflowInfo();
  const intake = new Intake(input);

  // Queries and updates are registered before the first await, so none is ever missed; each
  // handler delegates in one line.
  setHandler(stateQuery, () => intake.state);
  setHandler(submittedUpdate, () => intake.submitted(), { validator: (a) => intake.sameBody(a) });
  for (const command of COMMANDS) {
    setHandler(command.update, (a) => intake.run(command, a), { validator: (a) => intake.validate(command, a) });
  }
  setHandler(escalateSignal, (nudge) => intake.escalate(nudge));

  // 1. The Request as received, the Intake and its Task become durable.
  await intake.lane.run(async () => {
    await act.persistIntake.executeWithOptions({ ...WRITE_OPTIONS, summary: 'Store the request, intake and task' }, [
      {
        intakeId: ids.intakeId,
        version: intake.state.version,
        phase: intake.state.phase,
        intake: input,
        workflowId,
        runId,
        task: intake.state.task,
      },
    ]);
    intake.state = { ...intake.state, persisted: true };
  });
  intake.publish();

  // 2-4. Governance and execution happen in the command handlers, one change at a time.
  await condition(() => intake.state.phase === 'sealing' || isEnded(intake.state.phase));
  await intake.lane.drained();

  // 5. Seal the Record from exactly what the workflow accepted; attribute completed work with a Signal.
  if (intake.state.phase === 'sealing') {
    intake.state = { ...intake.state, version: intake.state.version + 1 };
    const record = await act.sealRecord.executeWithOptions(
      { ...WRITE_OPTIONS, summary: 'Seal the record into the chain' },
      [
        {
          intakeId: ids.intakeId,
          recordId: uuid4(),
          workflowId,
          runId,
          version: intake.state.version,
          accepted: acceptedIds(intake.state),
        },
      ],
    );
    intake.state = { ...intake.state, phase: 'sealed', record };
    intake.publish();
    if (intake.state.serviceEvent?.outcome === 'completed') {
      const signal = await act.emitSignal.executeWithOptions({ ...WRITE_OPTIONS, summary: 'Emit the ⭐ Signal' }, [
        { intakeId: ids.intakeId, recordId: record.id, signalId: uuid4() },
      ]);
      intake.state = { ...intake.state, signal };
      setCurrentDetails(describe(intake.state));
    }
  }

  await condition(allHandlersFinished);
  const { phase, record, signal } = intake.state;
  return {
    intakeId: ids.intakeId,
    phase,
    recordId: record?.id ?? null,
    recordHash: record?.hash ?? null,
    signalId: signal?.id ?? null,
  };
}
