/**
 * Sealing: the completed ServiceEvent becomes an immutable Record appended to the hash
 * chain, and (for a completed outcome) the Record becomes a signed ⭐ Signal. Both are
 * idempotent: a retry returns what the first attempt committed.
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { Knex } from 'knex';
import type { RecordRef } from '../domain/views';
import { keepDisclosures } from '../db/personal-data';
import { createDisclosure, SD_ALG, sealedForm } from '../trust/disclosure';
import { MAX_RECORD_BYTES, RECORD_TYPE, sealDocument, type RecordDocument } from '../trust/record';
import { buildSignal, signSignal } from '../trust/signal';
import type { SigningKey } from '../trust/keys';
import type { RecordLog } from './log';
import { SYSTEM } from '../db/audit';
import { sealedInChain } from '../db/chain';
import {
  chainHead,
  insertSealedRecord,
  insertSignal,
  lockChain,
  recordOfIntake,
  recordToAttribute,
  rowsToSeal,
  signalOfRecord,
} from '../db/records';
import { iso, isoOf } from '../db/timestamps';

function withoutNulls(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).filter(([, v]) => v !== null && v !== undefined));
}

export interface SealInput {
  intakeId: string;
  recordId: string;
  workflowId: string;
  runId: string;
  version: number;
  /** The ids the workflow accepted, in its order: the Record is sealed only when the rows hold exactly these. */
  accepted: { decisions: string[]; escalations: string[]; evidence: string[] };
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
  /** The transparency log: each sealed Record is handed to it; the Signal carries the Record's leaf index. */
  log?: RecordLog;
}

/** Assembles the qtm.record/v1 document from the durable rows of the chain. */
async function buildDocument(
  trx: Knex.Transaction,
  input: SealInput,
  sequence: number,
  prevHash: string | null,
  sealedAt: string,
): Promise<{
  doc: RecordDocument;
  serviceEvent: { id: string; job_id: string; operator_id: string; outcome: string };
}> {
  const { row, decisions, escalations, evidence } = await rowsToSeal(trx, input.intakeId);
  if (!row?.se_id || row.se_status !== 'closed') {
    throw ApplicationFailure.nonRetryable(`service event of intake ${input.intakeId} is not completed`, 'QtmInvariant');
  }
  const task = { id: row.task_id as string };
  const se = {
    id: row.se_id as string,
    job_id: row.job_id as string,
    operator_id: row.se_operator_id as string,
    outcome: row.outcome as string,
  };
  mustHoldAccepted(input, { decisions, escalations, evidence });

  // Decisions and escalations interleaved as the workflow accepted them.
  const governance: RecordDocument['governance'] = [
    ...decisions.map((d) => ({
      version: d.intake_version as number,
      entry: {
        kind: d.kind as string,
        audience: d.audience as string,
        by: { sub: d.principal_sub, role: d.principal_role, operatorId: d.principal_operator_id },
        at: isoOf(d.decided_at),
        details: d.details as Record<string, unknown>,
      },
    })),
    ...escalations.map((e) => ({
      version: e.intake_version as number,
      entry: {
        kind: 'escalate',
        audience: e.from_audience as string,
        by: { sub: SYSTEM.sub, role: SYSTEM.role, operatorId: null },
        at: isoOf(e.escalated_at),
        details: {
          fromAudience: e.from_audience,
          toAudience: e.to_audience,
          fromLevel: e.from_level,
          toLevel: e.to_level,
          reason: e.reason,
        },
      },
    })),
  ]
    .sort((a, b) => (a.version ?? 0) - (b.version ?? 0))
    .map(({ entry }) => entry);

  // The data subject's own identifiers are committed here, at the seal: the Record is public.
  const subject = { intakeId: row.intake_id as string, actorId: row.actor_id as string };
  const actorRef = createDisclosure('actorId', row.actor_id);
  const requesterRef = row.submitted_by_role === 'requester' ? createDisclosure('sub', row.submitted_by_sub) : null;
  await keepDisclosures(trx, subject, requesterRef ? [actorRef, requesterRef] : [actorRef]);

  const doc: RecordDocument = sealedForm({
    type: RECORD_TYPE,
    _sd_alg: SD_ALG,
    recordId: input.recordId,
    sequence,
    prevHash,
    sealedAt,
    chain: {
      actorId: actorRef.ref,
      requestId: row.request_id,
      intakeId: row.intake_id,
      taskId: task.id,
      jobId: se.job_id,
      serviceEventId: se.id,
    },
    workflow: { workflowId: input.workflowId, runId: input.runId },
    request: {
      channel: row.channel,
      receivedAt: isoOf(row.received_at),
      submittedBy: { sub: requesterRef?.ref ?? row.submitted_by_sub, role: row.submitted_by_role },
      payload: row.payload,
    },
    governance,
    job: {
      operatorId: row.job_operator_id,
      createdAt: isoOf(row.job_created_at),
      createdBy: { sub: row.created_by_sub, role: row.created_by_role, operatorId: row.created_by_operator_id ?? null },
    },
    claim: { by: row.claimed_by_sub, at: isoOf(row.claimed_at) },
    execution: {
      openedBy: row.opened_by_sub,
      openedAt: isoOf(row.opened_at),
      stages: row.stage_history,
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
      closedBy: row.closed_by_sub,
      closedAt: isoOf(row.closed_at),
    },
    outcome: { status: row.outcome, summary: row.summary },
  });
  return { doc, serviceEvent: se };
}

/**
 * A Record says forever what was decided and done: it is sealed only when the rows are exactly
 * what the workflow accepted, in its order. Otherwise the seal waits (retrying, visible as a
 * failing activity and in `npm run reconcile`) until the rows are repaired.
 */
function mustHoldAccepted(input: SealInput, rows: Record<keyof SealInput['accepted'], Array<{ id: string }>>): void {
  const differs = (Object.keys(input.accepted) as Array<keyof SealInput['accepted']>).filter(
    (kind) => rows[kind].map((r) => r.id).join() !== input.accepted[kind].join(),
  );
  if (differs.length > 0) {
    throw ApplicationFailure.retryable(
      `intake ${input.intakeId}: the rows of its ${differs.join(', ')} differ from what the workflow accepted; not sealing`,
      'QtmRowsDisagree',
    );
  }
}

export function createSealActivities(deps: SealDeps) {
  const { db } = deps;
  return {
    async sealRecord(input: SealInput): Promise<RecordRef> {
      return db.transaction(async (trx) => {
        await lockChain(trx);
        // One Record per intake (records.intake_id is unique): a retry finds the first attempt's.
        const existing = await recordOfIntake(trx, input.intakeId);
        if (existing) return existing;

        const last = await chainHead(trx);
        const sequence = (last?.sequence ?? 0) + 1;
        const prevHash: string | null = last?.hash ?? null;
        const sealedAt = new Date().toISOString();
        const { doc, serviceEvent } = await buildDocument(trx, input, sequence, prevHash, sealedAt);
        const { canonical, hash } = sealDocument(doc);
        if (canonical.length > MAX_RECORD_BYTES) {
          // The domain's caps make this unreachable; sealing it would break the log's entry bundles for good.
          throw ApplicationFailure.retryable(
            `intake ${input.intakeId}: its Record would be ${canonical.length} bytes, more than a log entry holds (${MAX_RECORD_BYTES})`,
            'QtmRecordTooLarge',
          );
        }
        await insertSealedRecord(trx, {
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
        await deps.log?.append(trx, { id: input.recordId, sequence, canonical });
        await sealedInChain(trx, { ...input, phase: 'sealed' }, sealedAt, {
          intakeId: input.intakeId,
          entity: 'record',
          entityId: input.recordId,
          action: 'record.sealed',
          by: SYSTEM,
          at: sealedAt,
          details: { sequence, hash },
        });
        return { id: input.recordId, sequence, hash };
      });
    },

    async emitSignal(input: EmitSignalInput): Promise<{ id: string }> {
      // The Record, what the Signal says about it, and a Signal already emitted for it, in one read.
      const record = await recordToAttribute(db, input.recordId);
      if (!record) throw ApplicationFailure.nonRetryable(`record ${input.recordId} does not exist`, 'QtmInvariant');
      if (record.signal_id) return { id: record.signal_id };
      if (record.outcome !== 'completed') {
        throw ApplicationFailure.nonRetryable(
          `record ${input.recordId} has outcome ${record.outcome}; only completed work is attributed`,
          'QtmInvariant',
        );
      }
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
        category: record.category,
        completedAt: isoOf(record.closed_at),
        sealedAt: isoOf(record.sealed_at),
        logLeafIndex: (await deps.log?.leafIndexOf(record.id)) ?? undefined,
      });
      const jws = await signSignal(document, deps.signingKey);
      const issuedAt = new Date().toISOString();
      // The Signal and its audit line in one statement. A racing attempt's Signal wins the insert; its
      // audit line (one per intake) was written with it, so this one's is ignored too.
      const inserted = await insertSignal(
        db,
        {
          id: input.signalId,
          record_id: record.id,
          job_id: record.job_id,
          service_event_id: record.service_event_id,
          intake_id: record.intake_id,
          operator_id: record.operator_id,
          document: JSON.stringify(document),
          jws,
          issued_at: issuedAt,
        },
        {
          intakeId: record.intake_id,
          entity: 'signal',
          entityId: input.signalId,
          action: 'signal.emitted',
          by: SYSTEM,
          at: issuedAt,
          details: { recordId: record.id },
        },
      );
      return { id: inserted ?? (await signalOfRecord(db, record.id)) };
    },
  };
}
