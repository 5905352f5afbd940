/**
 * The steps of one Intake's lifecycle as Updates sent straight to its workflow (no HTTP), each by
 * the person whose step it is: the governor decides, the staff of the assigned operator executes.
 * Named as client/lifecycle.ts names the HTTP commands, so what drives Intakes directly (the
 * workflow tests, the direct benchmark) sends each step from this one place.
 */
import type { EvidenceInput, Outcome, Principal, Stage } from '../domain/schemas';
import {
  approveUpdate,
  assignUpdate,
  claimUpdate,
  completeUpdate,
  createJobUpdate,
  evidenceUpdate,
  stageUpdate,
  startUpdate,
} from '../workflows/messages';
import type { IntakeClient } from '../orchestration/intake-client';

export interface StepActors {
  governor: Principal;
  staff: Principal;
  /** The operator the Task is assigned to. */
  operatorId: string;
}

export function intakeSteps(intakes: IntakeClient, intakeId: string, { governor, staff, operatorId }: StepActors) {
  return {
    approve: (details: { note?: string } = {}) =>
      intakes.command(intakeId, approveUpdate, { principal: governor, ...details }),
    assign: () => intakes.command(intakeId, assignUpdate, { principal: governor, operatorId }),
    createJob: () => intakes.command(intakeId, createJobUpdate, { principal: governor }),
    claim: () => intakes.command(intakeId, claimUpdate, { principal: staff }),
    start: () => intakes.command(intakeId, startUpdate, { principal: staff }),
    stage: (stage: Stage) => intakes.command(intakeId, stageUpdate, { principal: staff, stage }),
    evidence: (evidence: EvidenceInput) => intakes.command(intakeId, evidenceUpdate, { principal: staff, evidence }),
    complete: (outcome: Outcome, summary: string) =>
      intakes.command(intakeId, completeUpdate, { principal: staff, outcome, summary }),
  };
}
