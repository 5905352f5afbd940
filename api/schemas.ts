/** Path, query and response schemas of the HTTP contract (bodies are the domain's schemas). */
import { z } from 'zod';
import { AUDIENCES, operatorIdSchema, PHASES, TASK_STATUSES } from '../domain/schemas';
import { decodeCursor } from '../db/read-model';
import { jobViewSchema, serviceEventViewSchema, taskViewSchema } from '../domain/views';

export const idParams = z.object({ id: z.uuid({ message: 'must be a UUID' }) });
export const operatorParams = z.object({ operatorId: operatorIdSchema });
export const emptyBody = z.object({}).strict();

export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z
    .string()
    .max(500)
    .refine((c) => decodeCursor(c) !== null, { message: 'is not a cursor this API issued' })
    .optional(),
});

export const taskListQuery = pageQuery.extend({
  audience: z.enum(AUDIENCES).optional(),
  status: z.enum(TASK_STATUSES).optional(),
  escalated: z
    .enum(['true', 'false'], { message: 'must be true or false' })
    .optional()
    .openapi({ description: 'Only Tasks that were (true) or were never (false) escalated' }),
});

export const pageOf = <T extends z.ZodType>(item: T, name: string) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() }).openapi(name);

export const submissionResultSchema = z
  .object({
    requestId: z.uuid(),
    intakeId: z.uuid(),
    taskId: z.uuid(),
    workflowId: z.string(),
    phase: z.enum(PHASES),
    task: z.object({ id: z.uuid(), audience: z.enum(AUDIENCES), status: z.enum(TASK_STATUSES) }),
  })
  .openapi('SubmissionResult');

export const startResultSchema = serviceEventViewSchema
  .extend({ serviceEventId: z.uuid() })
  .openapi('StartedServiceEvent');
export const evidenceResultSchema = z
  .object({ evidenceId: z.uuid(), seq: z.number().int(), serviceEventId: z.uuid() })
  .openapi('EvidenceAdded');
export const withdrawResultSchema = z
  .object({ intakeId: z.uuid(), phase: z.enum(PHASES), task: taskViewSchema })
  .openapi('Withdrawn');

export const requestViewSchema = z
  .object({
    id: z.uuid(),
    intakeId: z.uuid().nullable(),
    channel: z.string(),
    actor: z.object({
      id: z.uuid(),
      kind: z.string(),
      name: z.string().nullable().openapi({ description: 'Personal; null once erased' }),
      contact: z
        .record(z.string(), z.unknown())
        .optional()
        .openapi({ description: 'Personal; values null once erased' }),
    }),
    body: z.record(z.string(), z.unknown()).openapi({
      description: 'The request body exactly as received; its personal values null once erased',
    }),
    bodySha256: z.string().openapi({
      description: 'The body’s fingerprint (an HMAC under the intake’s key when it holds personal values)',
    }),
    submittedBy: z.object({ sub: z.string(), role: z.string() }),
    receivedAt: z.string(),
    erasedAt: z.string().nullable().openapi({ description: 'When the Actor’s personal data was erased, if it was' }),
  })
  .openapi('Request');

export const recordResponseSchema = z
  .object({
    record: z
      .record(z.string(), z.unknown())
      .openapi({ description: 'The sealed document: qtm.record/v2 (personal values as commitments) or v1' }),
    hash: z.string(),
    prevHash: z.string().nullable(),
    sequence: z.number().int(),
    sealedAt: z.string(),
    canonicalBase64: z.string().openapi({ description: 'The stored canonical bytes (what the hash covers)' }),
  })
  .openapi('Record');

export const disclosuresResponseSchema = z
  .object({
    recordId: z.uuid(),
    committed: z.number().int().openapi({ description: 'How many values the Record commits to' }),
    disclosures: z.array(
      z.object({
        path: z.string().openapi({ description: 'Where the value sits in the Record', example: 'outcome.summary' }),
        claim: z.string(),
        disclosure: z
          .string()
          .openapi({ description: 'base64url JSON [salt, claim, value] (personal: it holds the value)' }),
      }),
    ),
  })
  .openapi('RecordDisclosures');

export const verifyResponseSchema = z
  .object({
    valid: z.boolean(),
    recordId: z.uuid(),
    checks: z.array(z.object({ name: z.string(), ok: z.boolean(), detail: z.string() })),
  })
  .openapi('RecordVerification');

export const signalResponseSchema = z
  .object({
    id: z.uuid(),
    recordId: z.uuid(),
    operatorId: z.string(),
    issuedAt: z.string(),
    signal: z.record(z.string(), z.unknown()),
    jws: z.string(),
  })
  .openapi('Signal');

const orNull = <T extends z.ZodType>(schema: T) => z.union([schema, z.null()]);

export const intakeChainSchema = z
  .object({
    // A union with null, not .nullable(): that would make the named component itself nullable.
    request: orNull(requestViewSchema),
    intake: z.record(z.string(), z.unknown()),
    task: orNull(taskViewSchema),
    job: orNull(jobViewSchema),
    serviceEvent: orNull(serviceEventViewSchema),
    record: recordResponseSchema.extend({ id: z.uuid(), intakeId: z.uuid(), operatorId: z.string() }).nullable(),
    signal: orNull(signalResponseSchema),
    phase: z.enum(PHASES),
    erasedAt: z.string().nullable().openapi({ description: 'When the Actor’s personal data was erased, if it was' }),
    history: z.array(z.record(z.string(), z.unknown())),
  })
  .openapi('IntakeChain');
