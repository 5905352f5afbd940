/**
 * Webhook events, derived from the per-intake audit trail: which audit action becomes which event,
 * what each event's data holds (the ids that trace it and an absolute link to its resource), and
 * their schemas, which document them (OpenAPI `webhooks`) and let receivers check them. Pure: the
 * dispatcher reads the rows, this shapes them.
 */
import { z } from 'zod';
import { AUDIENCES, ERASURE_REASONS, OUTCOMES, ROLES } from './schemas';

export const WEBHOOK_EVENT_TYPES = [
  'intake.submitted',
  'task.decided',
  'task.escalated',
  'job.created',
  'job.claimed',
  'service_event.completed',
  'record.sealed',
  'signal.emitted',
  'actor.erased',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export const TASK_DECISION_KINDS = ['approve', 'reject', 'assign', 'withdraw'] as const;

/** The audit actions that are events; every other action (stages, evidence, …) is not published. */
export function eventTypeOfAction(action: string): WebhookEventType | null {
  switch (action) {
    case 'intake.created':
      return 'intake.submitted';
    case 'task.approve':
    case 'task.reject':
    case 'task.assign':
    case 'task.withdraw':
      return 'task.decided';
    case 'task.escalated':
    case 'job.created':
    case 'job.claimed':
    case 'service_event.completed':
    case 'record.sealed':
    case 'signal.emitted':
    case 'actor.erased':
      return action;
    default:
      return null;
  }
}

/** One audit_log row, as the dispatcher reads it. */
export interface AuditFact {
  auditId: number;
  intakeId: string;
  entityId: string;
  action: string;
  by: { sub: string; role: string; operatorId: string | null };
  details: Record<string, unknown>;
  at: string;
}

/** The intake's chain as it stands when the dispatcher reads the fact (later links may exist already). */
export interface ChainIds {
  requestId: string;
  /** The operator named at submission: the Task's first audience is `operator` with it, `admin` without. */
  intakeOperatorId: string | null;
  taskId: string;
  jobId: string | null;
  jobOperatorId: string | null;
  serviceEventId: string | null;
}

const principalSchema = z
  .object({ sub: z.string(), role: z.enum([...ROLES, 'system']), operatorId: z.string().nullable() })
  .openapi('WebhookPrincipal');
const link = (what: string) => z.url().openapi({ description: `Absolute URL of the ${what} (PUBLIC_BASE_URL)` });
const traced = {
  intakeId: z.uuid(),
  intakeLink: link('Intake'),
};

export const webhookEventDataSchemas = {
  'intake.submitted': z.object({
    ...traced,
    requestId: z.uuid(),
    taskId: z.uuid(),
    audience: z.enum(AUDIENCES),
    operatorId: z.string().nullable(),
    link: link('Intake'),
  }),
  'task.decided': z.object({
    ...traced,
    taskId: z.uuid(),
    decision: z.enum(TASK_DECISION_KINDS),
    decidedBy: principalSchema,
    details: z.record(z.string(), z.unknown()).openapi({
      description:
        'operatorId as decided; a note or reason only as its reference (sd:…), its value readable through the API by those who may (never personal data in a webhook)',
    }),
    link: link('Task'),
  }),
  'task.escalated': z.object({
    ...traced,
    taskId: z.uuid(),
    from: z.string().openapi({ description: 'audience/level before, e.g. operator/0' }),
    to: z.string().openapi({ description: 'audience/level after, e.g. admin/1' }),
    reason: z.string(),
    link: link('Task'),
  }),
  'job.created': z.object({
    ...traced,
    taskId: z.uuid(),
    jobId: z.uuid(),
    operatorId: z.string(),
    createdBy: principalSchema,
    link: link('Job'),
  }),
  'job.claimed': z.object({
    ...traced,
    taskId: z.uuid(),
    jobId: z.uuid(),
    operatorId: z.string(),
    claimedBy: principalSchema,
    link: link('Job'),
  }),
  'service_event.completed': z.object({
    ...traced,
    taskId: z.uuid(),
    jobId: z.uuid(),
    serviceEventId: z.uuid(),
    outcome: z.enum(OUTCOMES),
    link: link('ServiceEvent'),
  }),
  'record.sealed': z.object({
    ...traced,
    taskId: z.uuid(),
    jobId: z.uuid(),
    serviceEventId: z.uuid(),
    recordId: z.uuid(),
    recordSequence: z.number().int(),
    recordHash: z.string(),
    link: link('Record'),
  }),
  'signal.emitted': z.object({
    ...traced,
    taskId: z.uuid(),
    jobId: z.uuid(),
    serviceEventId: z.uuid(),
    recordId: z.uuid(),
    signalId: z.uuid(),
    link: link('⭐ Signal'),
  }),
  'actor.erased': z.object({
    ...traced,
    actorId: z.uuid(),
    erasedAt: z.iso.datetime({ offset: true }),
    reason: z.enum(ERASURE_REASONS),
    link: link('Intake'),
  }),
} satisfies Record<WebhookEventType, z.ZodType>;

export type WebhookEventData<T extends WebhookEventType = WebhookEventType> = z.infer<
  (typeof webhookEventDataSchemas)[T]
>;

/** The CloudEvents 1.0 envelope (JSON format) of one event type. */
export function cloudEventSchema<T extends WebhookEventType>(type: T) {
  return z
    .object({
      specversion: z.literal('1.0'),
      id: z.uuid().openapi({ description: 'The event id; also the webhook-id header, the same on every attempt' }),
      source: z.url().openapi({ description: 'The Intake the event belongs to' }),
      type: z.literal(type),
      time: z.iso.datetime({ offset: true }),
      subject: z.string().openapi({ description: 'The resource, relative to the API: tasks/<id>, jobs/<id>, …' }),
      datacontenttype: z.literal('application/json'),
      sequence: z
        .string()
        .regex(/^\d{20}$/)
        .openapi({
          description: 'CloudEvents sequence extension: orders the events of one Intake (compare as strings)',
        }),
      data: webhookEventDataSchemas[type],
    })
    .openapi(eventSchemaName(type));
}

/** record.sealed → RecordSealedEvent */
export const eventSchemaName = (type: WebhookEventType) =>
  `${type.replace(/(^|[._])(\w)/g, (_m, _sep: string, c: string) => c.toUpperCase())}Event`;

/** What an event says, before it gets its id: every field of the CloudEvent but `id`. */
export interface WebhookEventDraft {
  type: WebhookEventType;
  source: string;
  subject: string;
  time: string;
  sequence: string;
  data: WebhookEventData;
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/**
 * The event an audit fact stands for, or null for actions that are not published. Ids come from
 * the fact itself where it names them, else from the chain; only links that existed at the fact
 * are named (a `job.created` never carries the Record that may exist by the time it is read).
 */
export function webhookEventOf(fact: AuditFact, chain: ChainIds, baseUrl: string): WebhookEventDraft | null {
  const type = eventTypeOfAction(fact.action);
  if (!type) return null;
  const base = baseUrl.replace(/\/+$/, '');
  const intakeLink = `${base}/v1/intakes/${fact.intakeId}`;
  const traced = { intakeId: fact.intakeId, intakeLink };
  const at = (subject: string, data: WebhookEventData): WebhookEventDraft => ({
    type,
    source: intakeLink,
    subject,
    time: new Date(fact.at).toISOString(),
    sequence: String(fact.auditId).padStart(20, '0'),
    data,
  });
  const by = { sub: fact.by.sub, role: fact.by.role as never, operatorId: fact.by.operatorId };
  const taskId = chain.taskId;
  const jobId = type === 'job.created' || type === 'job.claimed' ? fact.entityId : (chain.jobId ?? '');
  const serviceEventId = type === 'service_event.completed' ? fact.entityId : (chain.serviceEventId ?? '');
  switch (type) {
    case 'intake.submitted':
      return at(`intakes/${fact.intakeId}`, {
        ...traced,
        requestId: chain.requestId,
        taskId,
        audience: chain.intakeOperatorId ? 'operator' : 'admin',
        operatorId: chain.intakeOperatorId,
        link: intakeLink,
      });
    case 'task.decided':
      return at(`tasks/${taskId}`, {
        ...traced,
        taskId,
        decision: fact.action.slice('task.'.length) as (typeof TASK_DECISION_KINDS)[number],
        decidedBy: by,
        details: fact.details,
        link: `${base}/v1/tasks/${taskId}`,
      });
    case 'task.escalated':
      return at(`tasks/${taskId}`, {
        ...traced,
        taskId,
        from: text(fact.details.from),
        to: text(fact.details.to),
        reason: text(fact.details.reason),
        link: `${base}/v1/tasks/${taskId}`,
      });
    case 'job.created':
      return at(`jobs/${jobId}`, {
        ...traced,
        taskId,
        jobId,
        operatorId: text(fact.details.operatorId) || (chain.jobOperatorId ?? ''),
        createdBy: by,
        link: `${base}/v1/jobs/${jobId}`,
      });
    case 'job.claimed':
      return at(`jobs/${jobId}`, {
        ...traced,
        taskId,
        jobId,
        operatorId: chain.jobOperatorId ?? '',
        claimedBy: by,
        link: `${base}/v1/jobs/${jobId}`,
      });
    case 'service_event.completed':
      return at(`service-events/${serviceEventId}`, {
        ...traced,
        taskId,
        jobId,
        serviceEventId,
        outcome: fact.details.outcome as (typeof OUTCOMES)[number],
        link: `${base}/v1/service-events/${serviceEventId}`,
      });
    case 'record.sealed':
      return at(`records/${fact.entityId}`, {
        ...traced,
        taskId,
        jobId,
        serviceEventId,
        recordId: fact.entityId,
        recordSequence: Number(fact.details.sequence),
        recordHash: text(fact.details.hash),
        link: `${base}/v1/records/${fact.entityId}`,
      });
    case 'actor.erased':
      return at(`intakes/${fact.intakeId}`, {
        ...traced,
        actorId: fact.entityId,
        erasedAt: new Date(fact.at).toISOString(),
        reason: fact.details.reason as (typeof ERASURE_REASONS)[number],
        link: intakeLink,
      });
    case 'signal.emitted':
      return at(`signals/${fact.entityId}`, {
        ...traced,
        taskId,
        jobId,
        serviceEventId,
        recordId: text(fact.details.recordId),
        signalId: fact.entityId,
        link: `${base}/v1/signals/${fact.entityId}`,
      });
  }
}

/** The back-off of one delivery: retried from its first attempt for `retryForMs`, then failed. */
export interface WebhookRetry {
  initialIntervalMs: number;
  maximumIntervalMs: number;
  retryForMs: number;
  /** One attempt's whole time (WEBHOOK_TIMEOUT). */
  attemptTimeoutMs: number;
}

export interface WebhookDeliveryInput {
  subscriptionId: string;
  intakeId: string;
  retry: WebhookRetry;
}
