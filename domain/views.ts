/**
 * What the API answers and the workflow's query returns: one shape per entity, defined as
 * zod schemas so that OpenAPI documents them. Timestamps are ISO-8601 UTC strings.
 */
import { z } from 'zod';
import {
  AUDIENCES,
  JOB_STATUSES,
  OUTCOMES,
  PHASES,
  ROLES,
  STAGES,
  TASK_STATUSES,
  evidenceInputSchema,
} from './schemas';

const timestamp = z.string().openapi({ format: 'date-time', example: '2026-11-26T09:30:00.000Z' });

export const actingPrincipalSchema = z.object({
  sub: z.string(),
  role: z.union([z.enum(ROLES), z.literal('system')]),
  operatorId: z.string().nullable(),
});

export const decisionViewSchema = z
  .object({
    id: z.uuid(),
    kind: z.enum(['approve', 'reject', 'assign', 'create_job', 'withdraw']),
    audience: z.enum(AUDIENCES),
    by: actingPrincipalSchema,
    at: timestamp,
    details: z.record(z.string(), z.unknown()),
  })
  .openapi('TaskDecision');

export const escalationViewSchema = z
  .object({
    id: z.uuid(),
    fromAudience: z.enum(AUDIENCES),
    toAudience: z.enum(AUDIENCES),
    fromLevel: z.number().int(),
    toLevel: z.number().int(),
    reason: z.string(),
    at: timestamp,
  })
  .openapi('TaskEscalation');

export const taskViewSchema = z
  .object({
    id: z.uuid(),
    intakeId: z.uuid(),
    audience: z.enum(AUDIENCES),
    operatorId: z
      .string()
      .nullable()
      .openapi({ description: 'The operator whose own request this is (operator audience)' }),
    status: z.enum(TASK_STATUSES),
    assigneeOperatorId: z.string().nullable(),
    escalationLevel: z.number().int(),
    jobId: z.uuid().nullable(),
    createdAt: timestamp,
    updatedAt: timestamp,
    decisions: z.array(decisionViewSchema),
    escalations: z.array(escalationViewSchema),
  })
  .openapi('Task');

export const jobViewSchema = z
  .object({
    id: z.uuid(),
    taskId: z.uuid(),
    intakeId: z.uuid(),
    operatorId: z.string(),
    status: z.enum(JOB_STATUSES),
    createdBy: actingPrincipalSchema,
    createdAt: timestamp,
    claimedBy: z.string().nullable(),
    claimedAt: timestamp.nullable(),
    startedAt: timestamp.nullable(),
    finishedAt: timestamp.nullable(),
    serviceEventId: z.uuid().nullable(),
  })
  .openapi('Job');

export const stageEntrySchema = z.object({ stage: z.enum(STAGES), at: timestamp, by: z.string() });

export const evidenceViewSchema = evidenceInputSchema
  .and(z.object({ id: z.uuid(), seq: z.number().int(), recordedBy: z.string(), recordedAt: timestamp }))
  .openapi('Evidence');

export const serviceEventViewSchema = z
  .object({
    id: z.uuid(),
    jobId: z.uuid(),
    intakeId: z.uuid(),
    operatorId: z.string(),
    status: z.enum(['open', 'closed']),
    stage: z.enum(STAGES).nullable(),
    stageHistory: z.array(stageEntrySchema),
    evidence: z.array(evidenceViewSchema),
    outcome: z.enum(OUTCOMES).nullable(),
    summary: z.string().nullable(),
    openedBy: z.string(),
    openedAt: timestamp,
    closedAt: timestamp.nullable(),
  })
  .openapi('ServiceEvent');

export const recordRefSchema = z.object({ id: z.uuid(), sequence: z.number().int(), hash: z.string() });

export const phaseSchema = z.enum(PHASES);

export type ActingPrincipal = z.infer<typeof actingPrincipalSchema>;
export type DecisionView = z.infer<typeof decisionViewSchema>;
export type EscalationView = z.infer<typeof escalationViewSchema>;
export type TaskView = z.infer<typeof taskViewSchema>;
export type JobView = z.infer<typeof jobViewSchema>;
export type StageEntry = z.infer<typeof stageEntrySchema>;
export type EvidenceView = z.infer<typeof evidenceViewSchema>;
export type ServiceEventView = z.infer<typeof serviceEventViewSchema>;
export type RecordRef = z.infer<typeof recordRefSchema>;
