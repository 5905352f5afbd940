/**
 * Which activity makes each accepted change durable, with what input, and how it reads in the
 * Web UI. Pure: the intake workflow runs these as activities, and the bench's database floor
 * calls the same activities directly.
 *
 * Every write is a regular activity, scheduled by the workflow task that accepted the change:
 * the activity exists only once that task's completion (the Update's acceptance with it) is in
 * the history, so a row can never describe a change the workflow did not accept. (A local
 * activity runs inside the workflow task, before its completion is known: when the server
 * discarded such a task, its rows stayed while the workflow decided again, differently.)
 * A retry carries the same input, from the history, so every write is idempotent.
 */
import type { ActivityOptions } from '@temporalio/common';
import type { Activities } from '../activities';
import type { Change } from '../domain/intake-machine';
import type { Phase } from '../domain/schemas';
import type { ActingPrincipal } from '../domain/views';

// Postgres may be away for a while: a write retries with back-off until it is back. A write that
// keeps failing shows as a pending activity with its last failure (and in `npm run reconcile`).
export const WRITE_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '15 seconds',
  retry: {
    initialInterval: '500 milliseconds',
    backoffCoefficient: 2,
    maximumInterval: '30 seconds',
    nonRetryableErrorTypes: ['QtmInvariant'],
  },
};

export interface WriteContext {
  intakeId: string;
  /** The intake's version after this change. */
  version: number;
  phase: Phase;
  /** The Update that asked for the change; null for the system's own (escalations). */
  updateId: string | null;
  by: ActingPrincipal;
}

type ChangeWriter =
  | 'recordTaskDecision'
  | 'createJob'
  | 'recordClaim'
  | 'openServiceEvent'
  | 'recordStage'
  | 'recordEvidence'
  | 'closeServiceEvent'
  | 'recordEscalation';

export type Write = {
  [K in ChangeWriter]: { activity: K; input: Parameters<Activities[K]>[0]; summary: string };
}[ChangeWriter];

export function writeFor(change: Change, context: WriteContext): Write {
  const { by, ...base } = context;
  switch (change.kind) {
    case 'taskDecided':
      return {
        activity: 'recordTaskDecision',
        input: { ...base, task: change.task, decision: change.decision },
        summary: `Record task ${change.decision.kind}`,
      };
    case 'jobCreated':
      return {
        activity: 'createJob',
        input: { ...base, task: change.task, decision: change.decision, job: change.job },
        summary: `Create job for operator ${change.job.operatorId}`,
      };
    case 'jobClaimed':
      return { activity: 'recordClaim', input: { ...base, job: change.job, by }, summary: `Record claim by ${by.sub}` };
    case 'serviceEventOpened':
      return {
        activity: 'openServiceEvent',
        input: { ...base, job: change.job, serviceEvent: change.serviceEvent, by },
        summary: 'Open the service event',
      };
    case 'stageChanged':
      return {
        activity: 'recordStage',
        input: { ...base, serviceEvent: change.serviceEvent, entry: change.entry, by },
        summary: `Record stage ${change.entry.stage}`,
      };
    case 'evidenceAdded':
      return {
        activity: 'recordEvidence',
        input: { ...base, serviceEventId: change.serviceEvent.id, evidence: change.evidence, by },
        summary: `Record ${change.evidence.kind} evidence #${change.evidence.seq}`,
      };
    case 'serviceEventClosed':
      return {
        activity: 'closeServiceEvent',
        input: { ...base, job: change.job, serviceEvent: change.serviceEvent, by },
        summary: `Close the service event: ${change.serviceEvent.outcome}`,
      };
    case 'escalated':
      return {
        activity: 'recordEscalation',
        input: { ...base, task: change.task, escalation: change.escalation },
        summary: `Record escalation to ${change.escalation.toAudience} level ${change.escalation.toLevel}`,
      };
  }
}

/** The ids a sealed Record must hold, in the order the workflow accepted them. */
export function acceptedIds(state: {
  task: { decisions: Array<{ id: string }>; escalations: Array<{ id: string }> };
  serviceEvent: { evidence: Array<{ id: string }> } | null;
}) {
  return {
    decisions: state.task.decisions.map((d) => d.id),
    escalations: state.task.escalations.map((e) => e.id),
    evidence: state.serviceEvent?.evidence.map((e) => e.id) ?? [],
  };
}
