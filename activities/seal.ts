/**
 * Sealing: the completed ServiceEvent becomes an immutable Record appended to the hash
 * chain, and (for a completed outcome) the Record becomes a signed ⭐ Signal. Both are
 * idempotent: a retry returns what the first attempt committed.
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { Knex } from 'knex';
import type { RecordRef } from '../domain/views';
import { RECORD_TYPE, sealDocument, type RecordDocument } from '../trust/record';
import { buildSignal, signSignal } from '../trust/signal';
import type { SigningKey } from '../trust/keys';
import { SYSTEM, writeAudit } from './audit';

/** Serialises appends to the one Record chain (and its transparency log) across all workers. */
export const CHAIN_LOCK = 0x5154_4d01;

const iso = (value: Date | string | null): string | null => (value === null ? null : new Date(value).toISOString());
const isoOf = (value: Date | string): string => new Date(value).toISOString();

function withoutNulls(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).filter(([, v]) => v !== null && v !== undefined));
}

export interface SealInput {
  intakeId: string;
  recordId: string;
  workflowId: string;
  runId: string;
  version: number;
}

export interface EmitSignalInput {
  intakeId: string;
  recordId: string;
  signalId: string;
}

export interface SealDeps {
  db: Knex;
  signingKey: SigningKey;
  issuer: string;
  /** Called inside the sealing transaction so other logs (e.g. the Merkle log) append in step. */
  onSealed?: (trx: Knex.Transaction, record: { id: string; sequence: number; canonical: Buffer }) => Promise<unknown>;
  /** The Record's leaf index in the transparency log, which the Signal carries. */
  leafIndexOf?: (recordId: string) => Promise<number | null>;
}

export async function recordRef(db: Knex, where: { service_event_id: string } | { id: string }): Promise<RecordRef | null> {
  const row = await db('records').where(where).first('id', 'sequence', 'hash');
  return row ? { id: row.id, sequence: row.sequence, hash: row.hash } : null;
}

/** Assembles the qtm.record/v1 document from the durable rows of the chain. */
async function buildDocument(trx: Knex.Transaction, input: SealInput, sequence: number, prevHash: string | null, sealedAt: string): Promise<{ doc: RecordDocument; serviceEvent: { id: string; job_id: string; operator_id: string; outcome: string } }> {
  const intake = await trx('intakes').where({ id: input.intakeId }).first();
  const request = await trx('requests').where({ id: intake.request_id }).first();
  const task = await trx('tasks').where({ intake_id: input.intakeId }).first();
  const job = await trx('jobs').where({ task_id: task.id }).first();
  const se = await trx('service_events').where({ job_id: job.id }).first();
  if (!se || se.status !== 'closed') {
    throw ApplicationFailure.nonRetryable(`service event of intake ${input.intakeId} is not completed`, 'QtmInvariant');
  }
  const decisions = await trx('task_decisions').where({ task_id: task.id }).orderBy([{ column: 'decided_at' }, { column: 'id' }]);
  const escalations = await trx('task_escalations').where({ task_id: task.id }).orderBy([{ column: 'escalated_at' }, { column: 'id' }]);
  const evidence = await trx('evidence').where({ service_event_id: se.id }).orderBy('seq');

  const governance: RecordDocument['governance'] = [
    ...decisions.map((d) => ({
      kind: d.kind as string,
      audience: d.audience as string,
      by: { sub: d.principal_sub, role: d.principal_role, operatorId: d.principal_operator_id },
      at: isoOf(d.decided_at),
      details: d.details as Record<string, unknown>,
    })),
    ...escalations.map((e) => ({
      kind: 'escalate',
      audience: e.from_audience as string,
      by: { sub: SYSTEM.sub, role: SYSTEM.role, operatorId: null },
      at: isoOf(e.escalated_at),
      details: { fromAudience: e.from_audience, toAudience: e.to_audience, fromLevel: e.from_level, toLevel: e.to_level, reason: e.reason },
    })),
  ].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));

  const doc: RecordDocument = {
    type: RECORD_TYPE,
    recordId: input.recordId,
    sequence,
    prevHash,
    sealedAt,
    chain: { actorId: intake.actor_id, requestId: request.id, intakeId: intake.id, taskId: task.id, jobId: job.id, serviceEventId: se.id },
    workflow: { workflowId: input.workflowId, runId: input.runId },
    request: {
      channel: request.channel,
      receivedAt: isoOf(request.received_at),
      submittedBy: { sub: request.submitted_by_sub, role: request.submitted_by_role },
      payload: request.payload,
      payloadSha256: request.payload_sha256,
    },
    governance,
    job: { operatorId: job.operator_id, createdAt: isoOf(job.created_at), createdBy: { sub: job.created_by_sub, role: job.created_by_role, operatorId: null } },
    claim: { by: job.claimed_by_sub, at: isoOf(job.claimed_at) },
    execution: {
      openedBy: se.opened_by_sub,
      openedAt: isoOf(se.opened_at),
      stages: se.stage_history,
      evidence: evidence.map((e) =>
        withoutNulls({
          id: e.id,
          seq: e.seq,
          kind: e.kind,
          description: e.description,
          sha256: e.sha256,
          uri: e.uri,
          mediaType: e.media_type,
          value: e.value,
          unit: e.unit,
          capturedAt: iso(e.captured_at),
          recordedBy: e.recorded_by_sub,
          recordedAt: isoOf(e.recorded_at),
        }),
      ),
      closedBy: se.closed_by_sub,
      closedAt: isoOf(se.closed_at),
    },
    outcome: { status: se.outcome, summary: se.summary },
  };
  return { doc, serviceEvent: se };
}

export function createSealActivities(deps: SealDeps) {
  const { db } = deps;
  return {
    async sealRecord(input: SealInput): Promise<RecordRef> {
      return db.transaction(async (trx) => {
        await trx.raw('SELECT pg_advisory_xact_lock(?)', [CHAIN_LOCK]);
        const task = await trx('tasks').where({ intake_id: input.intakeId }).first('id');
        const job = await trx('jobs').where({ task_id: task.id }).first('id');
        const existing = await trx('records').where({ job_id: job.id }).first('id', 'sequence', 'hash');
        if (existing) return { id: existing.id, sequence: existing.sequence, hash: existing.hash };

        const last = await trx('records').orderBy('sequence', 'desc').first('sequence', 'hash');
        const sequence = (last?.sequence ?? 0) + 1;
        const prevHash: string | null = last?.hash ?? null;
        const sealedAt = new Date().toISOString();
        const { doc, serviceEvent } = await buildDocument(trx, input, sequence, prevHash, sealedAt);
        const { canonical, hash } = sealDocument(doc);
        await trx('records').insert({
          id: input.recordId,
          service_event_id: serviceEvent.id,
          job_id: serviceEvent.job_id,
          intake_id: input.intakeId,
          operator_id: serviceEvent.operator_id,
          outcome: serviceEvent.outcome,
          sequence,
          hash,
          prev_hash: prevHash,
          canonical,
          sealed_at: sealedAt,
        });
        await deps.onSealed?.(trx, { id: input.recordId, sequence, canonical });
        await trx('intakes').where({ id: input.intakeId }).andWhere('version', '<', input.version).update({ phase: 'sealed', version: input.version, updated_at: sealedAt });
        await writeAudit(trx, [
          { intakeId: input.intakeId, entity: 'record', entityId: input.recordId, action: 'record.sealed', by: SYSTEM, at: sealedAt, details: { sequence, hash }, dedupeKey: `${input.intakeId}:record.sealed` },
        ]);
        return { id: input.recordId, sequence, hash };
      });
    },

    async emitSignal(input: EmitSignalInput): Promise<{ id: string }> {
      const existing = await db('signals').where({ record_id: input.recordId }).first('id');
      if (existing) return { id: existing.id };
      const record = await db('records').where({ id: input.recordId }).first();
      if (!record) throw ApplicationFailure.nonRetryable(`record ${input.recordId} does not exist`, 'QtmInvariant');
      if (record.outcome !== 'completed') {
        throw ApplicationFailure.nonRetryable(`record ${input.recordId} has outcome ${record.outcome}; only completed work is attributed`, 'QtmInvariant');
      }
      const intake = await db('intakes').where({ id: record.intake_id }).first('category');
      const se = await db('service_events').where({ id: record.service_event_id }).first('closed_at');
      const document = buildSignal({
        signalId: input.signalId,
        issuer: deps.issuer,
        operatorId: record.operator_id,
        intakeId: record.intake_id,
        jobId: record.job_id,
        serviceEventId: record.service_event_id,
        recordId: record.id,
        recordHash: record.hash,
        recordSequence: record.sequence,
        category: intake.category,
        completedAt: isoOf(se.closed_at),
        sealedAt: isoOf(record.sealed_at),
        logLeafIndex: (await deps.leafIndexOf?.(record.id)) ?? undefined,
      });
      const jws = await signSignal(document, deps.signingKey);
      const issuedAt = new Date().toISOString();
      await db.transaction(async (trx) => {
        const inserted = await trx('signals')
          .insert({
            id: input.signalId,
            record_id: record.id,
            job_id: record.job_id,
            service_event_id: record.service_event_id,
            intake_id: record.intake_id,
            operator_id: record.operator_id,
            document: JSON.stringify(document),
            jws,
            issued_at: issuedAt,
          })
          .onConflict('record_id')
          .ignore()
          .returning('id');
        if (inserted.length > 0) {
          await writeAudit(trx, [
            { intakeId: record.intake_id, entity: 'signal', entityId: input.signalId, action: 'signal.emitted', by: SYSTEM, at: issuedAt, details: { recordId: record.id }, dedupeKey: `${record.intake_id}:signal.emitted` },
          ]);
        }
      });
      const stored = await db('signals').where({ record_id: record.id }).first('id');
      return { id: stored.id };
    },
  };
}
