/**
 * The query side: Postgres rows shaped into the same views the workflow returns, plus
 * keyset pagination for lists (no OFFSET scans: the cost stays flat as tables grow).
 */
import type { Knex } from 'knex';
import type { Audience, TaskStatus } from '../domain/schemas';
import type { DecisionView, EscalationView, EvidenceView, JobView, ServiceEventView, TaskView } from '../domain/views';
import type { IntakeParties, StoredPrincipal } from '../domain/read-access';
import type { StoredRecord } from '../trust/record';
import { isCanonicalUuid, isKeyTime, microsecondKey } from './keyset';
import { createVault } from './personal-data';
import { iso, isoOf } from './timestamps';

type Row = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const principalOf = (sub: string, role: string, operatorId: string | null = null) => ({
  sub,
  role: role as DecisionView['by']['role'],
  operatorId,
});

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface PageRequest {
  limit: number;
  cursor?: string;
}

/** Opaque cursor: the sort key of the last item seen. */
export function encodeCursor(at: string, id: string): string {
  return Buffer.from(JSON.stringify([at, id])).toString('base64url');
}

/** The cursor's sort key, or null unless it is one this API could have issued (checked before any SQL). */
export function decodeCursor(cursor: string): [string, string] | null {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (
    Array.isArray(value) &&
    value.length === 2 &&
    typeof value[0] === 'string' &&
    isKeyTime(value[0]) &&
    typeof value[1] === 'string' &&
    isCanonicalUuid(value[1])
  ) {
    return [value[0], value[1]];
  }
  return null;
}

/** `map` shapes the whole page at once, so that a page's related rows can be read in one query each. */
async function page<T>(
  db: Knex,
  query: Knex.QueryBuilder,
  atColumn: string,
  idColumn: string,
  req: PageRequest,
  map: (rows: Row[]) => T[] | Promise<T[]>,
): Promise<Page<T>> {
  if (req.cursor) {
    const [at, id] = decodeCursor(req.cursor)!;
    query.whereRaw(`(${atColumn}, ${idColumn}) > (?, ?)`, [at, id]);
  }
  query.select(microsecondKey(db, atColumn, 'page_key'));
  const rows: Row[] = await query.orderBy([{ column: atColumn }, { column: idColumn }]).limit(req.limit + 1);
  const more = rows.length > req.limit;
  const items = rows.slice(0, req.limit);
  const last = items.at(-1);
  return {
    items: await map(items),
    nextCursor: more && last ? encodeCursor(last.page_key, last[idColumn.split('.').pop()!]) : null,
  };
}

export const decisionFromRow = (d: Row): DecisionView => ({
  id: d.id,
  kind: d.kind,
  audience: d.audience,
  by: principalOf(d.principal_sub, d.principal_role, d.principal_operator_id),
  at: isoOf(d.decided_at),
  details: d.details,
});

export const escalationFromRow = (e: Row): EscalationView => ({
  id: e.id,
  fromAudience: e.from_audience,
  toAudience: e.to_audience,
  fromLevel: e.from_level,
  toLevel: e.to_level,
  reason: e.reason,
  at: isoOf(e.escalated_at),
});

export const jobFromRow = (j: Row, serviceEventId: string | null): JobView => ({
  id: j.id,
  taskId: j.task_id,
  intakeId: j.intake_id,
  operatorId: j.operator_id,
  status: j.status,
  createdBy: principalOf(j.created_by_sub, j.created_by_role, j.created_by_operator_id),
  createdAt: isoOf(j.created_at),
  claimedBy: j.claimed_by_sub,
  claimedAt: iso(j.claimed_at),
  startedAt: iso(j.started_at),
  finishedAt: iso(j.finished_at),
  serviceEventId,
});

export const evidenceFromRow = (e: Row): EvidenceView =>
  ({
    id: e.id,
    seq: e.seq,
    kind: e.kind,
    ...(e.description === null ? {} : { description: e.description }),
    ...(e.sha256 === null ? {} : { sha256: e.sha256 }),
    ...(e.uri === null ? {} : { uri: e.uri }),
    ...(e.media_type === null ? {} : { mediaType: e.media_type }),
    ...(e.value === null ? {} : { value: e.value }),
    ...(e.unit === null ? {} : { unit: e.unit }),
    ...(e.captured_at === null ? {} : { capturedAt: isoOf(e.captured_at) }),
    recordedBy: e.recorded_by_sub,
    recordedAt: isoOf(e.recorded_at),
  }) as EvidenceView;

export interface RecordView {
  id: string;
  intakeId: string;
  operatorId: string;
  /** The principal that submitted its Intake (role and sub): the requester who may read it. */
  requester: StoredPrincipal;
  record: unknown;
  hash: string;
  prevHash: string | null;
  sequence: number;
  sealedAt: string;
  canonicalBase64: string;
}

/** Which intake (and operator) a task, job or service event belongs to is fixed at creation. */
export interface Owner {
  intakeId: string;
  operatorId: string;
}

/**
 * A bounded memo of those fixed facts: every command first finds its intake from the resource
 * id, and a lifecycle sends up to six commands to the same resource. Only found rows are kept.
 */
function ownerMemo(limit = 20_000) {
  const known = new Map<string, Owner>();
  return async (key: string, read: () => Promise<Owner | null>): Promise<Owner | null> => {
    const hit = known.get(key);
    if (hit) return hit;
    const found = await read();
    if (found) {
      if (known.size >= limit) known.delete(known.keys().next().value!);
      known.set(key, found);
    }
    return found;
  };
}

/**
 * `personal: 'revealed'` (answers): references to personal values become the values (null once
 * erased). `'references'`: the rows as stored, what the reconciler compares with the workflow.
 */
export function createReadModel(db: Knex, options: { personal: 'revealed' | 'references' } = { personal: 'revealed' }) {
  const owner = ownerMemo();
  const vault =
    options.personal === 'revealed'
      ? createVault(db)
      : { reveal: async <T>(_intakeId: string, value: T) => value, revealEach: async <T>(items: T[]) => items };

  /** Tasks with their decisions, escalations and job: three queries for any number of tasks. */
  async function taskViews(tasks: Row[]): Promise<TaskView[]> {
    if (tasks.length === 0) return [];
    const ids = tasks.map((t) => t.id as string);
    const [decisions, escalations, jobs] = await Promise.all([
      // In the order the workflow accepted them (their timestamps tie within one workflow task).
      db('task_decisions')
        .whereIn('task_id', ids)
        .orderBy([{ column: 'intake_version' }, { column: 'decided_at' }, { column: 'id' }]),
      db('task_escalations')
        .whereIn('task_id', ids)
        .orderBy([{ column: 'intake_version' }, { column: 'escalated_at' }, { column: 'id' }]),
      db('jobs').whereIn('task_id', ids).select('id', 'task_id'),
    ]);
    const of = (rows: Row[], id: string) => rows.filter((r) => r.task_id === id);
    return tasks.map((t) => ({
      id: t.id,
      intakeId: t.intake_id,
      audience: t.audience,
      operatorId: t.audience_operator_id,
      status: t.status,
      assigneeOperatorId: t.assignee_operator_id,
      escalationLevel: t.escalation_level,
      jobId: jobs.find((j) => j.task_id === t.id)?.id ?? null,
      createdAt: isoOf(t.created_at),
      updatedAt: isoOf(t.updated_at),
      decisions: of(decisions, t.id).map(decisionFromRow),
      escalations: of(escalations, t.id).map(escalationFromRow),
    }));
  }

  const taskView = async (t: Row): Promise<TaskView> => (await taskViews([t]))[0]!;

  async function serviceEventView(s: Row): Promise<ServiceEventView> {
    const evidence = await db('evidence').where({ service_event_id: s.id }).orderBy('seq');
    return {
      id: s.id,
      jobId: s.job_id,
      intakeId: s.intake_id,
      operatorId: s.operator_id,
      status: s.status,
      stage: s.stage,
      stageHistory: s.stage_history,
      evidence: evidence.map(evidenceFromRow),
      outcome: s.outcome,
      summary: s.summary,
      openedBy: s.opened_by_sub,
      openedAt: isoOf(s.opened_at),
      closedAt: iso(s.closed_at),
    };
  }

  const recordFromRow = (r: Row, requester: StoredPrincipal): RecordView => ({
    id: r.id,
    intakeId: r.intake_id,
    operatorId: r.operator_id,
    requester,
    record: JSON.parse((r.canonical as Buffer).toString('utf8')),
    hash: r.hash,
    prevHash: r.prev_hash,
    sequence: r.sequence,
    sealedAt: isoOf(r.sealed_at),
    canonicalBase64: (r.canonical as Buffer).toString('base64'),
  });

  /** The Record as the chain shows it: who may read it is decided before, and not repeated in the answer. */
  const recordInChain = (r: Row) => {
    const { requester: _requester, ...shown } = recordFromRow(r, { sub: '', role: '' });
    return shown;
  };

  const signalFromRow = (s: Row) => ({
    id: s.id,
    recordId: s.record_id,
    operatorId: s.operator_id,
    issuedAt: isoOf(s.issued_at),
    signal: s.document,
    jws: s.jws,
  });

  /** The Request as stored: its personal values still references. */
  async function storedRequest(id: string) {
    const r = await db('requests').where({ id }).first();
    if (!r) return null;
    const [actor, intake, erasure] = await Promise.all([
      db('actors').where({ id: r.actor_id }).first(),
      db('intakes').where({ request_id: id }).first('id'),
      db('erasures').where({ actor_id: r.actor_id }).max('erased_at as at').first(),
    ]);
    return {
      id: r.id,
      intakeId: intake?.id ?? null,
      channel: r.channel,
      // The Actor as this Request describes it: its values are this intake's (an Actor's row is its first Request's).
      actor: {
        id: actor.id,
        kind: actor.kind,
        name: r.payload.actor?.name ?? actor.name,
        ...(r.payload.actor?.contact
          ? { contact: r.payload.actor.contact }
          : actor.contact
            ? { contact: actor.contact }
            : {}),
      },
      body: r.payload,
      bodySha256: r.payload_sha256,
      submittedBy: { sub: r.submitted_by_sub, role: r.submitted_by_role },
      receivedAt: isoOf(r.received_at),
      /** When the Actor's personal data was last erased: its values read as null since. */
      erasedAt: iso(erasure?.at ?? null),
    };
  }

  return {
    async request(id: string) {
      const request = await storedRequest(id);
      return request?.intakeId ? vault.reveal(request.intakeId, request) : request;
    },

    /** Who an Intake concerns now (its requester, its Task's operators, its Job's), for authorization of reads. */
    async intakeParties(intakeId: string): Promise<IntakeParties | null> {
      const row = await db('intakes as i')
        .join('tasks as t', 't.intake_id', 'i.id')
        .leftJoin('jobs as j', 'j.task_id', 't.id')
        .where('i.id', intakeId)
        .first(
          'i.requester_sub',
          'i.requester_role',
          't.audience',
          't.audience_operator_id',
          't.assignee_operator_id',
          'j.operator_id as job_operator_id',
        );
      if (!row) return null;
      return {
        requester: { sub: row.requester_sub, role: row.requester_role },
        task: {
          audience: row.audience,
          operatorId: row.audience_operator_id,
          assigneeOperatorId: row.assignee_operator_id,
        },
        jobOperatorId: row.job_operator_id ?? null,
      };
    },

    async intake(id: string) {
      const i = await db('intakes').where({ id }).first();
      if (!i) return null;
      const [request, taskRow, history] = await Promise.all([
        storedRequest(i.request_id),
        db('tasks').where({ intake_id: id }).first(),
        db('audit_log').where({ intake_id: id }).orderBy('id'),
      ]);
      const task = taskRow ? await taskView(taskRow) : null;
      const jobRow = task?.jobId ? await db('jobs').where({ id: task.jobId }).first() : null;
      const seRow = jobRow ? await db('service_events').where({ job_id: jobRow.id }).first() : null;
      const recordRow = seRow ? await db('records').where({ service_event_id: seRow.id }).first() : null;
      const signalRow = recordRow ? await db('signals').where({ record_id: recordRow.id }).first() : null;
      return vault.reveal(id, {
        request,
        intake: {
          id: i.id,
          requestId: i.request_id,
          actorId: i.actor_id,
          category: i.category,
          summary: i.summary,
          details: i.details,
          location: i.location,
          preferredWindow: i.preferred_window,
          operatorId: i.operator_id,
          workflowId: i.workflow_id,
          runId: i.run_id,
          phase: i.phase,
          createdAt: isoOf(i.created_at),
          updatedAt: isoOf(i.updated_at),
        },
        task,
        job: jobRow ? jobFromRow(jobRow, seRow?.id ?? null) : null,
        serviceEvent: seRow ? await serviceEventView(seRow) : null,
        record: recordRow ? recordInChain(recordRow) : null,
        signal: signalRow ? signalFromRow(signalRow) : null,
        phase: i.phase as string,
        erasedAt: request?.erasedAt ?? null,
        history: history.map((a) => ({
          at: isoOf(a.at),
          action: a.action,
          entity: a.entity,
          entityId: a.entity_id,
          by: principalOf(a.principal_sub, a.principal_role, a.principal_operator_id),
          details: a.details,
        })),
      });
    },

    async task(id: string): Promise<TaskView | null> {
      const t = await db('tasks').where({ id }).first();
      return t ? vault.reveal(t.intake_id, await taskView(t)) : null;
    },

    async taskIntakeId(id: string): Promise<string | null> {
      const found = await owner(`task:${id}`, async () => {
        const t = await db('tasks').where({ id }).first('intake_id');
        return t ? { intakeId: t.intake_id, operatorId: '' } : null;
      });
      return found?.intakeId ?? null;
    },

    async tasks(
      filter: { audience: Audience; status?: TaskStatus; operatorId?: string; escalated?: boolean },
      req: PageRequest,
    ): Promise<Page<TaskView>> {
      const query = db('tasks').where({ audience: filter.audience });
      if (filter.status) query.andWhere({ status: filter.status });
      if (filter.escalated !== undefined) query.andWhere('escalation_level', filter.escalated ? '>' : '=', 0);
      if (filter.operatorId) query.andWhere({ audience_operator_id: filter.operatorId });
      return page(db, query.select('*'), 'created_at', 'id', req, async (rows) =>
        vault.revealEach(await taskViews(rows), (t) => t.intakeId),
      );
    },

    async job(id: string): Promise<JobView | null> {
      const j = await db('jobs').where({ id }).first();
      if (!j) return null;
      const se = await db('service_events').where({ job_id: id }).first('id');
      return jobFromRow(j, se?.id ?? null);
    },

    async queue(operatorId: string, req: PageRequest): Promise<Page<JobView>> {
      const query = db('jobs as j')
        .leftJoin('service_events as s', 's.job_id', 'j.id')
        .where('j.operator_id', operatorId)
        .whereIn('j.status', ['queued', 'claimed', 'in_progress'])
        .select('j.*', 's.id as service_event_id');
      return page(db, query, 'j.created_at', 'j.id', req, (rows) =>
        rows.map((row) => jobFromRow(row, row.service_event_id)),
      );
    },

    /** An operator's finished Jobs (completed or failed), the most recently finished first. */
    async finished(operatorId: string, limit: number): Promise<JobView[]> {
      const rows: Row[] = await db('jobs as j')
        .leftJoin('service_events as s', 's.job_id', 'j.id')
        .where('j.operator_id', operatorId)
        .whereIn('j.status', ['completed', 'failed'])
        .select('j.*', 's.id as service_event_id')
        .orderBy([{ column: 'j.finished_at', order: 'desc', nulls: 'last' }, { column: 'j.id' }])
        .limit(limit);
      return rows.map((row) => jobFromRow(row, row.service_event_id));
    },

    async serviceEvent(id: string): Promise<ServiceEventView | null> {
      const s = await db('service_events').where({ id }).first();
      return s ? vault.reveal(s.intake_id, await serviceEventView(s)) : null;
    },

    async serviceEventIntake(id: string): Promise<Owner | null> {
      return owner(`service_event:${id}`, async () => {
        const s = await db('service_events').where({ id }).first('intake_id', 'operator_id');
        return s ? { intakeId: s.intake_id, operatorId: s.operator_id } : null;
      });
    },

    /** A job's intake and operator, for routing a command (one indexed read, then memoized). */
    async jobIntake(id: string): Promise<Owner | null> {
      return owner(`job:${id}`, async () => {
        const j = await db('jobs').where({ id }).first('intake_id', 'operator_id');
        return j ? { intakeId: j.intake_id, operatorId: j.operator_id } : null;
      });
    },

    async record(id: string): Promise<RecordView | null> {
      const r = await db('records as r')
        .join('intakes as i', 'i.id', 'r.intake_id')
        .where('r.id', id)
        .first('r.*', 'i.requester_sub', 'i.requester_role');
      return r ? recordFromRow(r, { sub: r.requester_sub, role: r.requester_role }) : null;
    },

    /** The record as stored and the one it links to, for verification. */
    async storedRecordWithPrevious(
      id: string,
    ): Promise<{ record: StoredRecord; previous: StoredRecord | null } | null> {
      const r = await db('records').where({ id }).first('id', 'sequence', 'hash', 'prev_hash', 'canonical');
      if (!r) return null;
      const p =
        r.sequence > 1
          ? await db('records')
              .where({ sequence: r.sequence - 1 })
              .first('id', 'sequence', 'hash', 'prev_hash', 'canonical')
          : null;
      const stored = (x: Row): StoredRecord => ({
        id: x.id,
        sequence: x.sequence,
        hash: x.hash,
        prevHash: x.prev_hash,
        canonical: x.canonical,
      });
      return { record: stored(r), previous: p ? stored(p) : null };
    },

    async signal(id: string) {
      const s = await db('signals').where({ id }).first();
      return s ? signalFromRow(s) : null;
    },

    async signals(operatorId: string, req: PageRequest) {
      return page(db, db('signals').where({ operator_id: operatorId }).select('*'), 'issued_at', 'id', req, (rows) =>
        rows.map(signalFromRow),
      );
    },

    /** What an applied Update wrote to the audit trail, or null if it was never applied. */
    async intakePhase(intakeId: string): Promise<string | null> {
      const row = await db('intakes').where({ id: intakeId }).first('phase');
      return row?.phase ?? null;
    },
  };
}

export type ReadModel = ReturnType<typeof createReadModel>;
