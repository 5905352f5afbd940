/**
 * The Intake's state machine: who may do what, when (docs/ARCHITECTURE.md §1), as plain functions.
 * The workflow holds the state and calls decide(); nothing here does I/O or reads a clock,
 * so it is deterministic and unit-testable. Each accepted command yields the new state
 * and one Change for the activities to persist.
 */
import type { Audience, EvidenceInput, Outcome, Phase, Principal, Stage, SubmitRequestBody } from './schemas';
import type {
  ActingPrincipal,
  DecisionView,
  EscalationView,
  EvidenceView,
  JobView,
  RecordRef,
  ServiceEventView,
  StageEntry,
  TaskView,
} from './views';

// Kept in step with schemas.ts (this module must not load zod at runtime: it runs in workflows).
const STAGE_ORDER: readonly Stage[] = ['en_route', 'on_site', 'in_progress', 'wrapping_up'];

/**
 * What one Record can carry: its public form must fit a transparency-log entry (64 KiB), so the
 * repeatable steps are capped (test/unit/record-size.test.ts seals the largest Record they allow).
 */
export const RECORD_CAPS = { evidence: 50, assignments: 20 } as const;

export interface IntakeIds {
  requestId: string;
  intakeId: string;
  taskId: string;
  actorId: string;
}

export interface IntakeWorkflowInput {
  ids: IntakeIds;
  requester: Principal;
  /** The Request body exactly as received, and the SHA-256 of its canonical form. */
  body: SubmitRequestBody;
  bodySha256: string;
  idempotencyKey: string | null;
  receivedAt: string;
}

/** Fire-and-forget nudge from the escalation sweep; stale or repeated nudges are ignored. */
export interface EscalateSignal {
  expectedAudience: Audience;
  expectedLevel: number;
  maxLevel: number;
  reason: string;
}

export interface IntakeState {
  ids: IntakeIds;
  /** The principal that submitted the Request: its requester (or the admin who entered it). */
  requester: Principal;
  category: string;
  summary: string;
  phase: Phase;
  /**
   * Counts the changes the workflow accepted (1 at the start): every row and audit line is
   * written at the version of the change that made it, so the rows' order is the workflow's.
   */
  version: number;
  /** True once the Request, Intake and Task rows exist in Postgres. */
  persisted: boolean;
  task: TaskView;
  job: JobView | null;
  serviceEvent: ServiceEventView | null;
  record: RecordRef | null;
  signal: { id: string } | null;
}

export type Command =
  | { type: 'approve'; decisionId: string; note?: string }
  | { type: 'reject'; decisionId: string; reason: string }
  | { type: 'assign'; decisionId: string; operatorId: string }
  | { type: 'createJob'; decisionId: string; jobId: string }
  | { type: 'withdraw'; decisionId: string; reason?: string }
  | { type: 'claim' }
  | { type: 'start'; serviceEventId: string }
  | { type: 'stage'; stage: Stage }
  | { type: 'evidence'; evidenceId: string; evidence: EvidenceInput }
  | { type: 'complete'; outcome: Outcome; summary: string };

export type CommandType = Command['type'];

/** What an accepted command changed, for the activities to write. */
export type Change =
  | { kind: 'taskDecided'; task: TaskView; decision: DecisionView; phase: Phase }
  | { kind: 'jobCreated'; task: TaskView; decision: DecisionView; job: JobView }
  | { kind: 'jobClaimed'; job: JobView }
  | { kind: 'serviceEventOpened'; job: JobView; serviceEvent: ServiceEventView }
  | { kind: 'stageChanged'; serviceEvent: ServiceEventView; entry: StageEntry }
  | { kind: 'evidenceAdded'; serviceEvent: ServiceEventView; evidence: EvidenceView }
  | { kind: 'serviceEventClosed'; job: JobView; serviceEvent: ServiceEventView }
  | { kind: 'escalated'; task: TaskView; escalation: EscalationView };

export type Refusal = { ok: false; reason: 'forbidden' | 'conflict'; message: string };
export type Decision = { ok: true; state: IntakeState; change: Change } | Refusal;

export const forbidden = (message: string): Refusal => ({ ok: false, reason: 'forbidden', message });
export const conflict = (message: string): Refusal => ({ ok: false, reason: 'conflict', message });

export interface NewIntake {
  ids: IntakeIds;
  requester: Principal;
  category: string;
  summary: string;
  /** Set when an operator governs its own incoming request (operator audience). */
  operatorId: string | null;
  receivedAt: string;
}

export function initialState(input: NewIntake): IntakeState {
  return {
    ids: input.ids,
    requester: input.requester,
    category: input.category,
    summary: input.summary,
    phase: 'governance',
    version: 1,
    persisted: false,
    task: {
      id: input.ids.taskId,
      intakeId: input.ids.intakeId,
      audience: input.operatorId ? 'operator' : 'admin',
      operatorId: input.operatorId,
      status: 'pending',
      assigneeOperatorId: null,
      escalationLevel: 0,
      jobId: null,
      createdAt: input.receivedAt,
      updatedAt: input.receivedAt,
      decisions: [],
      escalations: [],
    },
    job: null,
    serviceEvent: null,
    record: null,
    signal: null,
  };
}

export const acting = (p: Principal): ActingPrincipal => ({
  sub: p.sub,
  role: p.role,
  operatorId: p.operatorId ?? null,
});

/** Who makes the system's own changes (escalations, sealing, Signals) in the audit trail and the Record. */
export const SYSTEM: ActingPrincipal = { sub: 'system', role: 'system', operatorId: null };

/** Governance actors of a Task: its own operator (operator audience) or any admin (admin audience). */
export function isGovernanceActor(task: TaskView, p: Principal): boolean {
  if (task.audience === 'operator') return p.role === 'operator' && p.operatorId === task.operatorId;
  return p.role === 'admin';
}

export function isRequester(state: IntakeState, p: Principal): boolean {
  return p.sub === state.requester.sub && p.role === state.requester.role;
}

export const isOperatorOf = (operatorId: string, p: Principal): boolean =>
  p.role === 'operator' && p.operatorId === operatorId;

/** The staff member who claimed the Job: its operator's principal with the claiming sub (the whole principal). */
export const isClaimant = (job: JobView, p: Principal): boolean =>
  isOperatorOf(job.operatorId, p) && job.claimedBy !== null && job.claimedBy === p.sub;

const governanceOpen = (task: TaskView) => task.status === 'pending' || task.status === 'approved';

/**
 * Whether `principal` may issue `command` now. Authorization is checked before state, so a
 * principal that may never act gets 403 whatever the state; a permitted one gets 409 when the
 * state does not allow the step.
 */
export function check(
  state: IntakeState,
  p: Principal,
  command: Pick<Command, 'type'> & Partial<Command>,
): Refusal | null {
  const { task, job, serviceEvent } = state;
  switch (command.type) {
    case 'approve':
    case 'reject':
    case 'assign':
    case 'createJob': {
      // Refusals name no other principal: the owning operator's id is not the caller's to learn.
      if (!isGovernanceActor(task, p)) {
        return forbidden(
          task.audience === 'operator'
            ? 'only the operator this request was addressed to governs this task'
            : p.role === 'operator' && p.operatorId === task.operatorId
              ? 'this task was escalated to the admin team; its operator can no longer act alone'
              : 'only an admin governs this task',
        );
      }
      if (command.type === 'approve' && task.status !== 'pending')
        return conflict(`task is ${task.status}, not pending`);
      if (command.type === 'createJob') {
        if (task.jobId || task.status === 'job_created') return conflict('a job already exists for this task');
        if (task.status !== 'approved') return conflict(`task is ${task.status}; a job needs an approved task`);
        if (!task.assigneeOperatorId) return conflict('task has no assignee; assign an operator first');
        return null;
      }
      if (!governanceOpen(task)) return conflict(`task is ${task.status}`);
      if (
        command.type === 'assign' &&
        task.decisions.filter((d) => d.kind === 'assign').length >= RECORD_CAPS.assignments
      ) {
        return conflict(`the task has been assigned ${RECORD_CAPS.assignments} times, the most its Record can hold`);
      }
      if (
        command.type === 'assign' &&
        task.audience === 'operator' &&
        'operatorId' in command &&
        command.operatorId !== task.operatorId
      ) {
        return conflict(`an operator-audience task may only be assigned to its own operator (${task.operatorId})`);
      }
      return null;
    }
    case 'withdraw':
      if (!isRequester(state, p)) return forbidden('only the requester may withdraw this request');
      if (job) return conflict('a job already exists; the request can no longer be withdrawn');
      if (!governanceOpen(task)) return conflict(`task is ${task.status}`);
      return null;
    case 'claim':
      if (!job) return conflict('there is no job to claim');
      if (!isOperatorOf(job.operatorId, p)) return forbidden('only the operator assigned to this job may claim it');
      if (job.status !== 'queued')
        return conflict(`job is ${job.status}${job.claimedBy ? ` (claimed by ${job.claimedBy})` : ''}`);
      return null;
    case 'start':
      if (!job) return conflict('there is no job to start');
      if (!isOperatorOf(job.operatorId, p)) return forbidden('only the operator assigned to this job may start it');
      if (job.status !== 'claimed') return conflict(`job is ${job.status}, not claimed`);
      if (!isClaimant(job, p)) return forbidden('only the staff member who claimed the job may start it');
      return null;
    case 'stage':
    case 'evidence':
    case 'complete': {
      if (!job || !serviceEvent) return conflict('the service event has not been started');
      if (!isOperatorOf(job.operatorId, p))
        return forbidden('only the operator assigned to this job may act on its service event');
      // The one who claimed the Job answers for its evidence and outcome: a colleague may read, not act.
      if (!isClaimant(job, p))
        return forbidden('only the staff member who claimed the job may act on its service event');
      if (serviceEvent.status !== 'open') return conflict('the service event is already completed');
      if (command.type === 'evidence' && serviceEvent.evidence.length >= RECORD_CAPS.evidence) {
        return conflict(
          `the service event holds ${RECORD_CAPS.evidence} evidence entries, the most its Record can hold`,
        );
      }
      if (command.type === 'stage' && 'stage' in command && command.stage) {
        const current = serviceEvent.stage ? STAGE_ORDER.indexOf(serviceEvent.stage) : -1;
        if (STAGE_ORDER.indexOf(command.stage) <= current) {
          return conflict(`stage ${command.stage} is not after the current stage ${serviceEvent.stage}`);
        }
      }
      return null;
    }
  }
}

const decision = (
  state: IntakeState,
  p: Principal,
  id: string,
  kind: DecisionView['kind'],
  at: string,
  details: Record<string, unknown>,
): DecisionView => ({
  id,
  kind,
  audience: state.task.audience,
  by: acting(p),
  at,
  details,
});

/** Applies a command issued by `p` at `at` (ISO time), or says why it is refused. */
export function decide(state: IntakeState, p: Principal, command: Command, at: string): Decision {
  const refusal = check(state, p, command);
  if (refusal) return refusal;
  const { state: next, change } = apply({ ...state, version: state.version + 1 }, p, command, at);
  return { ok: true, state: next, change };
}

function apply(state: IntakeState, p: Principal, command: Command, at: string): { state: IntakeState; change: Change } {
  const { task } = state;

  switch (command.type) {
    case 'approve':
    case 'reject':
    case 'assign':
    case 'withdraw': {
      const details =
        command.type === 'approve'
          ? { ...(command.note ? { note: command.note } : {}) }
          : command.type === 'reject'
            ? { reason: command.reason }
            : command.type === 'assign'
              ? { operatorId: command.operatorId, previousOperatorId: task.assigneeOperatorId }
              : { ...(command.reason ? { reason: command.reason } : {}) };
      const d = decision(state, p, command.decisionId, command.type, at, details);
      const nextTask: TaskView = {
        ...task,
        status:
          command.type === 'approve'
            ? 'approved'
            : command.type === 'reject'
              ? 'rejected'
              : command.type === 'withdraw'
                ? 'withdrawn'
                : task.status,
        assigneeOperatorId: command.type === 'assign' ? command.operatorId : task.assigneeOperatorId,
        updatedAt: at,
        decisions: [...task.decisions, d],
      };
      const phase: Phase =
        command.type === 'reject' ? 'rejected' : command.type === 'withdraw' ? 'withdrawn' : state.phase;
      return {
        state: { ...state, phase, task: nextTask },
        change: { kind: 'taskDecided', task: nextTask, decision: d, phase },
      };
    }
    case 'createJob': {
      const operatorId = task.assigneeOperatorId!;
      const d = decision(state, p, command.decisionId, 'create_job', at, { jobId: command.jobId, operatorId });
      const nextTask: TaskView = {
        ...task,
        status: 'job_created',
        jobId: command.jobId,
        updatedAt: at,
        decisions: [...task.decisions, d],
      };
      const job: JobView = {
        id: command.jobId,
        taskId: task.id,
        intakeId: task.intakeId,
        operatorId,
        status: 'queued',
        createdBy: acting(p),
        createdAt: at,
        claimedBy: null,
        claimedAt: null,
        startedAt: null,
        finishedAt: null,
        serviceEventId: null,
      };
      return {
        state: { ...state, phase: 'queued', task: nextTask, job },
        change: { kind: 'jobCreated', task: nextTask, decision: d, job },
      };
    }
    case 'claim': {
      const job: JobView = { ...state.job!, status: 'claimed', claimedBy: p.sub, claimedAt: at };
      return { state: { ...state, phase: 'claimed', job }, change: { kind: 'jobClaimed', job } };
    }
    case 'start': {
      const job: JobView = {
        ...state.job!,
        status: 'in_progress',
        startedAt: at,
        serviceEventId: command.serviceEventId,
      };
      const serviceEvent: ServiceEventView = {
        id: command.serviceEventId,
        jobId: job.id,
        intakeId: job.intakeId,
        operatorId: job.operatorId,
        status: 'open',
        stage: null,
        stageHistory: [],
        evidence: [],
        outcome: null,
        summary: null,
        openedBy: p.sub,
        openedAt: at,
        closedAt: null,
      };
      return {
        state: { ...state, phase: 'executing', job, serviceEvent },
        change: { kind: 'serviceEventOpened', job, serviceEvent },
      };
    }
    case 'stage': {
      const entry: StageEntry = { stage: command.stage, at, by: p.sub };
      const se = state.serviceEvent!;
      const serviceEvent: ServiceEventView = { ...se, stage: command.stage, stageHistory: [...se.stageHistory, entry] };
      return { state: { ...state, serviceEvent }, change: { kind: 'stageChanged', serviceEvent, entry } };
    }
    case 'evidence': {
      const se = state.serviceEvent!;
      const evidence: EvidenceView = {
        ...command.evidence,
        id: command.evidenceId,
        seq: se.evidence.length + 1,
        recordedBy: p.sub,
        recordedAt: at,
      };
      const serviceEvent: ServiceEventView = { ...se, evidence: [...se.evidence, evidence] };
      return { state: { ...state, serviceEvent }, change: { kind: 'evidenceAdded', serviceEvent, evidence } };
    }
    case 'complete': {
      const serviceEvent: ServiceEventView = {
        ...state.serviceEvent!,
        status: 'closed',
        outcome: command.outcome,
        summary: command.summary,
        closedAt: at,
      };
      const job: JobView = {
        ...state.job!,
        status: command.outcome === 'completed' ? 'completed' : 'failed',
        finishedAt: at,
      };
      return {
        state: { ...state, phase: 'sealing', job, serviceEvent },
        change: { kind: 'serviceEventClosed', job, serviceEvent },
      };
    }
  }
}

/** When Tasks count as stale, per audience, and how high an admin Task climbs. */
export interface EscalationPolicy {
  operatorThresholdMs: number;
  adminThresholdMs: number;
  /** The highest escalation level an admin-audience Task reaches. */
  maxLevel: number;
}

/** What the escalation sweep saw when it judged the task stale; stale nudges are ignored. */
export interface EscalationRequest {
  escalationId: string;
  expectedAudience: Audience;
  expectedLevel: number;
  reason: string;
}

/**
 * A stale operator-audience Task moves to the admin audience (level 1); a stale admin Task
 * rises one level up to the ceiling. Returns null when the nudge no longer applies (the task
 * was decided, already escalated past what the sweep saw, or is at the ceiling), which is
 * what makes a repeated sweep harmless.
 */
export function escalate(
  state: IntakeState,
  request: EscalationRequest,
  policy: Pick<EscalationPolicy, 'maxLevel'>,
  at: string,
): { state: IntakeState; change: Change } | null {
  const { task } = state;
  if (state.job || !governanceOpen(task)) return null;
  if (task.audience !== request.expectedAudience || task.escalationLevel !== request.expectedLevel) return null;
  const toAudience: Audience = 'admin';
  const toLevel = task.escalationLevel + 1;
  if (task.audience === 'admin' && toLevel > policy.maxLevel) return null;
  const escalation: EscalationView = {
    id: request.escalationId,
    fromAudience: task.audience,
    toAudience,
    fromLevel: task.escalationLevel,
    toLevel,
    reason: request.reason,
    at,
  };
  const nextTask: TaskView = {
    ...task,
    audience: toAudience,
    escalationLevel: toLevel,
    updatedAt: at,
    escalations: [...task.escalations, escalation],
  };
  return {
    state: { ...state, version: state.version + 1, task: nextTask },
    change: { kind: 'escalated', task: nextTask, escalation },
  };
}

export const isGovernancePhase = (phase: Phase) => phase === 'governance';
export const isEnded = (phase: Phase) => phase === 'sealed' || phase === 'rejected' || phase === 'withdrawn';

/** One line for the Web UI's workflow list: no personal value (the summary is the requester's free text). */
export function describe(state: IntakeState): string {
  const t = state.task;
  const who = state.job
    ? `operator ${state.job.operatorId}`
    : t.audience === 'operator'
      ? `operator ${t.operatorId}`
      : 'admin team';
  const level = t.escalationLevel > 0 ? `, escalation level ${t.escalationLevel}` : '';
  return `${state.phase}: ${state.category} (${who}${level})`;
}
