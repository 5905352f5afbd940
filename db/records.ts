/**
 * The chain of sealed Records and their Signals in Postgres: what sealing reads and writes,
 * one sealer at a time (CHAIN_LOCK). The activities (activities/seal.ts) build and sign.
 */
import type { Knex } from 'knex';
import type { RecordRef } from '../domain/views';
import { onceAudit, type AuditEntry } from './audit';
import { atOnce } from './statement';

type Conn = Knex | Knex.Transaction;

/** Serialises appends to the one Record chain across all workers. */
export const CHAIN_LOCK = 0x5154_4d01;

export async function lockChain(trx: Knex.Transaction): Promise<void> {
  await trx.raw('SELECT pg_advisory_xact_lock(?)', [CHAIN_LOCK]);
}

const refOf = (row: { id: string; sequence: number; hash: string }): RecordRef => ({
  id: row.id,
  sequence: row.sequence,
  hash: row.hash,
});

export async function recordRef(
  db: Conn,
  where: { service_event_id: string } | { id: string } | { intake_id: string },
): Promise<RecordRef | null> {
  const row = await db('records').where(where).first('id', 'sequence', 'hash');
  return row ? refOf(row) : null;
}

/** The intake's Record, if it is sealed (one per intake: records.intake_id is unique). */
export const recordOfIntake = (db: Conn, intakeId: string) => recordRef(db, { intake_id: intakeId });

/** The chain's last Record: the next one follows its sequence and hash. */
export async function chainHead(trx: Knex.Transaction): Promise<{ sequence: number; hash: string } | null> {
  return (await trx('records').orderBy('sequence', 'desc').first('sequence', 'hash')) ?? null;
}

/** Everything a Record is sealed from: the chain's rows in one read, its lists in one each. */
export async function rowsToSeal(trx: Knex.Transaction, intakeId: string) {
  const row = await trx('intakes as i')
    .join('requests as r', 'r.id', 'i.request_id')
    .join('tasks as t', 't.intake_id', 'i.id')
    .leftJoin('jobs as j', 'j.task_id', 't.id')
    .leftJoin('service_events as s', 's.job_id', 'j.id')
    .where('i.id', intakeId)
    .first(
      'i.id as intake_id',
      'i.actor_id',
      'r.id as request_id',
      'r.channel',
      'r.received_at',
      'r.submitted_by_sub',
      'r.submitted_by_role',
      'r.payload',
      't.id as task_id',
      'j.id as job_id',
      'j.operator_id as job_operator_id',
      'j.created_at as job_created_at',
      'j.created_by_sub',
      'j.created_by_role',
      'j.created_by_operator_id',
      'j.claimed_by_sub',
      'j.claimed_at',
      's.id as se_id',
      's.status as se_status',
      's.operator_id as se_operator_id',
      's.outcome',
      's.summary',
      's.opened_by_sub',
      's.opened_at',
      's.stage_history',
      's.closed_by_sub',
      's.closed_at',
    );
  const byVersion = [{ column: 'intake_version' }, { column: 'id' }];
  if (!row?.se_id) return { row, decisions: [], escalations: [], evidence: [] };
  const decisions = await trx('task_decisions').where({ task_id: row.task_id }).orderBy(byVersion);
  const escalations = await trx('task_escalations').where({ task_id: row.task_id }).orderBy(byVersion);
  const evidence = await trx('evidence').where({ service_event_id: row.se_id }).orderBy('seq');
  return { row, decisions, escalations, evidence };
}

export interface SealedRecordRow {
  id: string;
  service_event_id: string;
  job_id: string;
  intake_id: string;
  operator_id: string;
  outcome: string;
  sequence: number;
  hash: string;
  prev_hash: string | null;
  canonical: Buffer;
  sealed_at: string;
}

export async function insertSealedRecord(trx: Knex.Transaction, record: SealedRecordRow): Promise<void> {
  await trx('records').insert(record);
}

/** The Record, what its Signal says about it, and a Signal already emitted for it, in one read. */
export async function recordToAttribute(db: Conn, recordId: string) {
  return db('records as r')
    .join('intakes as i', 'i.id', 'r.intake_id')
    .join('service_events as s', 's.id', 'r.service_event_id')
    .leftJoin('signals as g', 'g.record_id', 'r.id')
    .where('r.id', recordId)
    .first(
      'r.id',
      'r.intake_id',
      'r.job_id',
      'r.service_event_id',
      'r.operator_id',
      'r.outcome',
      'r.hash',
      'r.sequence',
      'r.sealed_at',
      'i.category',
      's.closed_at',
      'g.id as signal_id',
    );
}

/** A batch of the chain in order, after `after`, each Record with its leaf index and Signal (for exports). */
export async function recordsForExport(
  db: Conn,
  after: number,
  limit: number,
): Promise<
  Array<{
    id: string;
    sequence: number;
    hash: string;
    prev_hash: string | null;
    canonical: Buffer;
    leaf_index: number | null;
    jws: string | null;
  }>
> {
  return db('records as r')
    .leftJoin('log_leaves as l', 'l.record_id', 'r.id')
    .leftJoin('signals as s', 's.record_id', 'r.id')
    .where('r.sequence', '>', after)
    .orderBy('r.sequence')
    .limit(limit)
    .select('r.id', 'r.sequence', 'r.hash', 'r.prev_hash', 'r.canonical', 'l.leaf_index', 's.jws');
}

export interface SignalRow {
  id: string;
  record_id: string;
  job_id: string;
  service_event_id: string;
  intake_id: string;
  operator_id: string;
  document: string;
  jws: string;
  issued_at: string;
}

/**
 * The Signal and its audit line in one statement; the id inserted, or null when a racing
 * attempt's Signal is there already (its audit line, one per intake, was written with it).
 */
export async function insertSignal(
  db: Knex,
  signal: SignalRow,
  audit: Omit<AuditEntry, 'dedupeKey'>,
): Promise<string | null> {
  const inserted = await atOnce(
    db,
    [db('signals').insert(signal).onConflict('record_id').ignore().returning('id'), onceAudit(db, [audit])],
    0,
  );
  return (inserted[0]?.id as string | undefined) ?? null;
}

export async function signalOfRecord(db: Conn, recordId: string): Promise<string> {
  const stored = await db('signals').where({ record_id: recordId }).first('id');
  return stored.id;
}
