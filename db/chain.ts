/**
 * The writes of the governed chain (the chain activities call them one for one). Each one is a single SQL statement (its writes as
 * writable CTEs: atomic, and one round trip to Postgres), idempotent under retry (inserts keyed
 * by ids the workflow generated; updates guarded by the intake's version, so a late retry can
 * never overwrite a newer state) and writes its audit line.
 */
import type { Knex } from 'knex';
import type { Phase } from '../domain/schemas';
import type {
  DecisionView,
  EscalationView,
  EvidenceView,
  JobView,
  ServiceEventView,
  StageEntry,
  TaskView,
} from '../domain/views';
import type { ActingPrincipal } from '../domain/views';
import type { IntakeWorkflowInput } from '../domain/intake-machine';
import { atOnce } from './statement';
import { changeAudit, onceAudit, SYSTEM, type AuditEntry, type ChangeEntry } from './audit';

export interface Versioned {
  intakeId: string;
  /** The intake workflow's state version after this change; newer always wins. */
  version: number;
  phase: Phase;
  /** The Update that asked for this change, if any. */
  updateId?: string | null;
}

export interface PersistIntakeInput extends Versioned {
  intake: IntakeWorkflowInput;
  workflowId: string;
  runId: string;
  task: TaskView;
}

const taskRow = (task: TaskView, version: number) => ({
  audience: task.audience,
  status: task.status,
  assignee_operator_id: task.assigneeOperatorId,
  escalation_level: task.escalationLevel,
  // The escalation clock restarts at every governance decision and every escalation.
  stale_since: task.updatedAt,
  updated_at: task.updatedAt,
  version,
});

const jobRow = (job: JobView, version: number) => ({
  status: job.status,
  claimed_by_sub: job.claimedBy,
  claimed_at: job.claimedAt,
  started_at: job.startedAt,
  finished_at: job.finishedAt,
  updated_at: job.finishedAt ?? job.startedAt ?? job.claimedAt ?? job.createdAt,
  version,
});

const serviceEventRow = (se: ServiceEventView, version: number) => ({
  status: se.status,
  stage: se.stage,
  stage_history: JSON.stringify(se.stageHistory),
  outcome: se.outcome,
  summary: se.summary,
  closed_at: se.closedAt,
  version,
});

/** The intake row follows the workflow: its phase and the version of its latest change. */
export const advanceIntake = (db: Knex, v: Pick<Versioned, 'intakeId' | 'version' | 'phase'>, at: string) =>
  db('intakes')
    .where({ id: v.intakeId })
    .andWhere('version', '<', v.version)
    .update({ phase: v.phase, version: v.version, updated_at: at });

/** The sealing's closing write: the intake row follows the seal, its audit line records it (once). */
export const sealedInChain = (
  db: Knex,
  v: Pick<Versioned, 'intakeId' | 'version' | 'phase'>,
  at: string,
  entry: Omit<AuditEntry, 'dedupeKey'>,
) => atOnce(db, [advanceIntake(db, v, at), onceAudit(db, [entry])]);

/** What closes the statement of every accepted change: the intake row follows it, its audit line records it. */
const accepted = (db: Knex, v: Versioned, entry: ChangeEntry) => [
  advanceIntake(db, v, entry.at),
  changeAudit(db, v, entry),
];

const updateTask = (db: Knex, task: TaskView, version: number) =>
  db('tasks').where({ id: task.id }).andWhere('version', '<', version).update(taskRow(task, version));

const updateJob = (db: Knex, job: JobView, version: number) =>
  db('jobs').where({ id: job.id }).andWhere('version', '<', version).update(jobRow(job, version));

const updateServiceEvent = (db: Knex, se: ServiceEventView, version: number, closed: { closed_by_sub?: string } = {}) =>
  db('service_events')
    .where({ id: se.id })
    .andWhere('version', '<', version)
    .update({ ...serviceEventRow(se, version), ...closed });

const insertDecision = (db: Knex, task: TaskView, d: DecisionView, version: number) =>
  db('task_decisions')
    .insert({
      id: d.id,
      intake_version: version,
      task_id: task.id,
      intake_id: task.intakeId,
      kind: d.kind,
      audience: d.audience,
      principal_sub: d.by.sub,
      principal_role: d.by.role,
      principal_operator_id: d.by.operatorId,
      details: JSON.stringify(d.details),
      decided_at: d.at,
    })
    .onConflict('id')
    .ignore();

export function createChainStore(db: Knex) {
  return {
    /** Stores the Request as received, the Intake made from it and its Task. */
    async persistIntake(input: PersistIntakeInput): Promise<void> {
      const { intake, task } = input;
      const { ids, body, requester, receivedAt } = intake;
      const by = { sub: requester.sub, role: requester.role, operatorId: requester.operatorId ?? null };
      await atOnce(db, [
        db('actors')
          .insert({
            id: ids.actorId,
            kind: body.actor.kind,
            name: body.actor.name,
            contact: body.actor.contact ? JSON.stringify(body.actor.contact) : null,
            // Only a requester asking for itself *is* the actor; admins enter others' requests.
            principal_sub: requester.role === 'requester' && !body.actor.id ? requester.sub : null,
            created_at: receivedAt,
          })
          .onConflict('id')
          .ignore(),
        db('requests')
          .insert({
            id: ids.requestId,
            actor_id: ids.actorId,
            channel: body.channel,
            payload: JSON.stringify(body),
            payload_sha256: intake.bodySha256,
            submitted_by_sub: requester.sub,
            submitted_by_role: requester.role,
            idempotency_key: intake.idempotencyKey,
            received_at: receivedAt,
          })
          .onConflict('id')
          .ignore(),
        db('intakes')
          .insert({
            id: ids.intakeId,
            request_id: ids.requestId,
            actor_id: ids.actorId,
            category: body.request.category,
            summary: body.request.summary,
            details: body.request.details ?? null,
            location: body.request.location === undefined ? null : JSON.stringify(body.request.location),
            preferred_window: body.request.preferredWindow ? JSON.stringify(body.request.preferredWindow) : null,
            operator_id: body.operatorId ?? null,
            requester_sub: requester.sub,
            requester_role: requester.role,
            workflow_id: input.workflowId,
            run_id: input.runId,
            phase: input.phase,
            version: input.version,
            created_at: receivedAt,
            updated_at: receivedAt,
          })
          .onConflict('id')
          .ignore(),
        db('tasks')
          .insert({
            id: task.id,
            intake_id: ids.intakeId,
            audience_operator_id: task.operatorId,
            created_at: task.createdAt,
            ...taskRow(task, input.version),
          })
          .onConflict('id')
          .ignore(),
        onceAudit(db, [
          {
            intakeId: ids.intakeId,
            entity: 'request',
            entityId: ids.requestId,
            action: 'request.received',
            by,
            at: receivedAt,
            details: { channel: body.channel },
          },
          {
            intakeId: ids.intakeId,
            entity: 'intake',
            entityId: ids.intakeId,
            action: 'intake.created',
            by: SYSTEM,
            at: receivedAt,
            details: { workflowId: input.workflowId },
          },
          {
            intakeId: ids.intakeId,
            entity: 'task',
            entityId: task.id,
            action: 'task.created',
            by: SYSTEM,
            at: receivedAt,
            details: { audience: task.audience, operatorId: task.operatorId },
          },
        ]),
      ]);
    },

    /** approve, reject, assign, withdraw. */
    async recordTaskDecision(input: Versioned & { task: TaskView; decision: DecisionView }): Promise<void> {
      const { task, decision } = input;
      await atOnce(db, [
        insertDecision(db, task, decision, input.version),
        updateTask(db, task, input.version),
        ...accepted(db, input, {
          entity: 'task',
          entityId: task.id,
          action: `task.${decision.kind}`,
          by: decision.by,
          at: decision.at,
          details: decision.details,
        }),
      ]);
    },

    /** The explicit act of a governance actor that turns an approved, assigned Task into a Job. */
    async createJob(input: Versioned & { task: TaskView; decision: DecisionView; job: JobView }): Promise<void> {
      const { task, decision, job } = input;
      await atOnce(db, [
        insertDecision(db, task, decision, input.version),
        updateTask(db, task, input.version),
        db('jobs')
          .insert({
            id: job.id,
            task_id: job.taskId,
            intake_id: job.intakeId,
            operator_id: job.operatorId,
            created_by_sub: job.createdBy.sub,
            created_by_role: job.createdBy.role,
            created_by_operator_id: job.createdBy.operatorId,
            created_at: job.createdAt,
            ...jobRow(job, input.version),
          })
          .onConflict('id')
          .ignore(),
        ...accepted(db, input, {
          entity: 'job',
          entityId: job.id,
          action: 'job.created',
          by: decision.by,
          at: job.createdAt,
          details: { taskId: task.id, operatorId: job.operatorId },
        }),
      ]);
    },

    async recordClaim(input: Versioned & { job: JobView; by: ActingPrincipal }): Promise<void> {
      const { job } = input;
      await atOnce(db, [
        updateJob(db, job, input.version),
        ...accepted(db, input, {
          entity: 'job',
          entityId: job.id,
          action: 'job.claimed',
          by: input.by,
          at: job.claimedAt!,
        }),
      ]);
    },

    /** start: opens the one ServiceEvent of the Job. */
    async openServiceEvent(
      input: Versioned & { job: JobView; serviceEvent: ServiceEventView; by: ActingPrincipal },
    ): Promise<void> {
      const { job, serviceEvent: se } = input;
      await atOnce(db, [
        updateJob(db, job, input.version),
        db('service_events')
          .insert({
            id: se.id,
            job_id: se.jobId,
            intake_id: se.intakeId,
            operator_id: se.operatorId,
            opened_by_sub: se.openedBy,
            opened_at: se.openedAt,
            ...serviceEventRow(se, input.version),
          })
          .onConflict('id')
          .ignore(),
        ...accepted(db, input, {
          entity: 'service_event',
          entityId: se.id,
          action: 'service_event.opened',
          by: input.by,
          at: se.openedAt,
          details: { jobId: job.id },
        }),
      ]);
    },

    async recordStage(
      input: Versioned & { serviceEvent: ServiceEventView; entry: StageEntry; by: ActingPrincipal },
    ): Promise<void> {
      const { serviceEvent: se, entry } = input;
      await atOnce(db, [
        updateServiceEvent(db, se, input.version),
        ...accepted(db, input, {
          entity: 'service_event',
          entityId: se.id,
          action: 'service_event.stage',
          by: input.by,
          at: entry.at,
          details: { stage: entry.stage },
        }),
      ]);
    },

    async recordEvidence(
      input: Versioned & { serviceEventId: string; evidence: EvidenceView; by: ActingPrincipal },
    ): Promise<void> {
      const { evidence: e } = input;
      await atOnce(db, [
        db('evidence')
          .insert({
            id: e.id,
            service_event_id: input.serviceEventId,
            seq: e.seq,
            kind: e.kind,
            description: e.description ?? null,
            sha256: e.sha256 ?? null,
            uri: e.uri ?? null,
            media_type: e.mediaType ?? null,
            value: e.value === undefined ? null : JSON.stringify(e.value),
            unit: e.unit ?? null,
            captured_at: e.capturedAt ?? null,
            recorded_by_sub: e.recordedBy,
            recorded_at: e.recordedAt,
          })
          .onConflict('id')
          .ignore(),
        ...accepted(db, input, {
          entity: 'evidence',
          entityId: e.id,
          action: 'evidence.added',
          by: input.by,
          at: e.recordedAt,
          details: { kind: e.kind, seq: e.seq },
        }),
      ]);
    },

    /** complete: closes the ServiceEvent with its outcome; sealing follows in the workflow. */
    async closeServiceEvent(
      input: Versioned & { job: JobView; serviceEvent: ServiceEventView; by: ActingPrincipal },
    ): Promise<void> {
      const { job, serviceEvent: se } = input;
      await atOnce(db, [
        updateServiceEvent(db, se, input.version, { closed_by_sub: input.by.sub }),
        updateJob(db, job, input.version),
        ...accepted(db, input, {
          entity: 'service_event',
          entityId: se.id,
          action: 'service_event.completed',
          by: input.by,
          at: se.closedAt!,
          details: { outcome: se.outcome },
        }),
      ]);
    },

    async recordEscalation(input: Versioned & { task: TaskView; escalation: EscalationView }): Promise<void> {
      const { task, escalation: e } = input;
      await atOnce(db, [
        db('task_escalations')
          .insert({
            id: e.id,
            intake_version: input.version,
            task_id: task.id,
            intake_id: task.intakeId,
            from_audience: e.fromAudience,
            to_audience: e.toAudience,
            from_level: e.fromLevel,
            to_level: e.toLevel,
            reason: e.reason,
            escalated_at: e.at,
          })
          .onConflict('id')
          .ignore(),
        updateTask(db, task, input.version),
        ...accepted(db, input, {
          entity: 'task',
          entityId: task.id,
          action: 'task.escalated',
          by: SYSTEM,
          at: e.at,
          details: { from: `${e.fromAudience}/${e.fromLevel}`, to: `${e.toAudience}/${e.toLevel}`, reason: e.reason },
        }),
      ]);
    },
  };
}
