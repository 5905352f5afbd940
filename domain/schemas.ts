/**
 * The domain's shapes, defined once as zod schemas. The API validates with them and
 * documents them (OpenAPI), activities use them, and workflows import their types only.
 */
import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

extendZodWithOpenApi(z);

export const ROLES = ['requester', 'operator', 'admin'] as const;
export const CHANNELS = ['web', 'email', 'phone', 'api', 'sms', 'in_person', 'partner'] as const;
export const AUDIENCES = ['operator', 'admin'] as const;
export const TASK_STATUSES = ['pending', 'approved', 'rejected', 'withdrawn', 'job_created'] as const;
export const JOB_STATUSES = ['queued', 'claimed', 'in_progress', 'completed', 'failed'] as const;
/** Stages only move forward, in this order (skips allowed). */
export const STAGES = ['en_route', 'on_site', 'in_progress', 'wrapping_up'] as const;
export const OUTCOMES = ['completed', 'failed'] as const;
export const EVIDENCE_KINDS = ['note', 'photo', 'document', 'measurement', 'checklist', 'signature'] as const;
/**
 * The kinds of work a Request asks for and an operator does: a fixed vocabulary, because the
 * category is stated in public Signals and must never carry what someone typed.
 */
export const CATEGORIES = [
  'plumbing',
  'electrical',
  'heating',
  'cooling',
  'roofing',
  'carpentry',
  'painting',
  'cleaning',
  'locksmith',
  'appliance_repair',
  'gardening',
  'pest_control',
  'maintenance',
  'other',
] as const;
export const PHASES = [
  'governance',
  'queued',
  'claimed',
  'executing',
  'sealing',
  'sealed',
  'rejected',
  'withdrawn',
] as const;

/** Operator identifiers: a short slug or a UUID. */
export const operatorIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, { message: 'must be 1-64 letters, digits, ".", "_" or "-"' })
  .openapi({ example: 'op-northside-plumbing' });

export const principalSchema = z.object({
  // Written to Postgres text columns: no control characters (NUL cannot be stored) and no lone surrogates.
  sub: z
    .string()
    .min(1)
    .max(200)
    .regex(/^[^\p{Cc}\p{Cs}]+$/u, { message: 'must be text without control characters' }),
  role: z.enum(ROLES),
  operatorId: operatorIdSchema.optional(),
});

const text = (max: number) => z.string().trim().min(1, { message: 'must not be empty' }).max(max);

export const categorySchema = z
  .enum(CATEGORIES, { message: `must be one of ${CATEGORIES.join(', ')}` })
  .openapi('Category', { description: 'The kind of work, from a fixed vocabulary (stated in public Signals)' });

/** A category as a public Signal may state it: one of the vocabulary, else `other` (Intakes from before it). */
export const publicCategory = (category: string): Category =>
  (CATEGORIES as readonly string[]).includes(category) ? (category as Category) : 'other';

export const actorInputSchema = z
  .object({
    id: z.uuid().optional(),
    kind: z.enum(['person', 'business']),
    name: text(200),
    contact: z
      .object({
        email: z.email().max(320).optional(),
        phone: z
          .string()
          .regex(/^[0-9+()\-. ]{3,40}$/, { message: 'must be a phone number' })
          .optional(),
        address: text(500).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export const requestDetailsSchema = z
  .object({
    category: categorySchema,
    summary: text(500),
    details: z.string().max(10_000).optional(),
    location: z
      .union([
        text(500),
        z
          .object({
            address: text(500).optional(),
            lat: z.number().min(-90).max(90).optional(),
            lng: z.number().min(-180).max(180).optional(),
          })
          .strict(),
      ])
      .optional(),
    preferredWindow: z
      .object({ start: z.iso.datetime({ offset: true }), end: z.iso.datetime({ offset: true }) })
      .strict()
      .refine((w) => Date.parse(w.start) < Date.parse(w.end), { message: 'start must be before end', path: ['end'] })
      .optional(),
  })
  .strict();

export const submitRequestSchema = z
  .object({
    channel: z.enum(CHANNELS),
    actor: actorInputSchema,
    request: requestDetailsSchema,
    operatorId: operatorIdSchema.optional(),
  })
  .strict()
  .openapi('SubmitRequest');

export const approveSchema = z
  .object({ note: z.string().max(2_000).optional() })
  .strict()
  .openapi('ApproveTask');
export const rejectSchema = z
  .object({ reason: text(2_000) })
  .strict()
  .openapi('RejectTask');
export const assignSchema = z.object({ operatorId: operatorIdSchema }).strict().openapi('AssignTask');
export const withdrawSchema = z
  .object({ reason: z.string().max(2_000).optional() })
  .strict()
  .openapi('WithdrawIntake');
export const stageSchema = z
  .object({ stage: z.enum(STAGES) })
  .strict()
  .openapi('StageChange');
export const completeSchema = z
  .object({ outcome: z.enum(OUTCOMES), summary: text(5_000) })
  .strict()
  .openapi('CompleteServiceEvent');

export const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, { message: 'must be 64 lower-case hex characters' });
const FILE_KINDS: ReadonlySet<string> = new Set(['photo', 'document', 'signature']);

export const evidenceInputSchema = z
  .object({
    kind: z.enum(EVIDENCE_KINDS),
    description: z.string().max(5_000).optional(),
    sha256: sha256Hex.optional(),
    uri: z.url().max(2_000).optional(),
    mediaType: z
      .string()
      .max(100)
      .regex(/^[\w.+-]+\/[\w.+-]+$/, { message: 'must be a media type like image/jpeg' })
      .optional(),
    value: z
      .union([
        z.string().max(5_000),
        z.number(),
        z.boolean(),
        z.record(z.string(), z.union([z.string().max(1_000), z.number(), z.boolean()])),
      ])
      .optional(),
    unit: z.string().max(50).optional(),
    capturedAt: z.iso.datetime({ offset: true }).optional(),
  })
  .strict()
  // A file may later be deleted; its SHA-256 is what keeps the seal verifiable.
  .refine((e) => !(FILE_KINDS.has(e.kind) || e.uri) || e.sha256 !== undefined, {
    message: 'a file (photo, document, signature or uri) needs its sha256',
    path: ['sha256'],
  })
  .refine((e) => e.kind !== 'measurement' || typeof e.value === 'number', {
    message: 'a measurement needs a numeric value',
    path: ['value'],
  })
  .refine((e) => e.kind !== 'note' || (e.description !== undefined && e.description.trim() !== ''), {
    message: 'a note needs a description',
    path: ['description'],
  })
  .openapi('EvidenceInput');

/** Why an Actor's personal data was erased: a code, never free text (the reason is kept for good). */
export const ERASURE_REASONS = [
  'data_subject_request',
  'consent_withdrawn',
  'legal_obligation',
  'retention_expired',
] as const;

export const erasureSchema = z
  .object({
    reason: z.enum(ERASURE_REASONS),
    reference: z
      .string()
      .regex(/^[A-Za-z0-9._:#-]{1,64}$/, {
        message: 'must be a ticket or case reference: 1-64 letters, digits and ._:#-',
      })
      .optional()
      .openapi({
        description: 'Your ticket or case number for the request (not personal data)',
        example: 'DSR-2026-0412',
      }),
  })
  .strict()
  .openapi('ActorErasure');

export type Role = (typeof ROLES)[number];
export type ErasureReason = (typeof ERASURE_REASONS)[number];
export type Channel = (typeof CHANNELS)[number];
export type Category = (typeof CATEGORIES)[number];
export type Audience = (typeof AUDIENCES)[number];
export type TaskStatus = (typeof TASK_STATUSES)[number];
export type JobStatus = (typeof JOB_STATUSES)[number];
export type Stage = (typeof STAGES)[number];
export type Outcome = (typeof OUTCOMES)[number];
export type Phase = (typeof PHASES)[number];
export type Principal = z.infer<typeof principalSchema>;
export type ActorInput = z.infer<typeof actorInputSchema>;
export type SubmitRequestBody = z.infer<typeof submitRequestSchema>;
export type EvidenceInput = z.infer<typeof evidenceInputSchema>;
