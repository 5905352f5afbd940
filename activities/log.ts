/**
 * The transparency log's activities: appending sealed Records (inside the sealing transaction,
 * via the seal hook) and signing checkpoints of the log (periodically and on demand).
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { Knex } from 'knex';
import {
  appendPendingRecords,
  insertCheckpoint,
  latestCheckpoint,
  LogIntegrityError,
  logSize,
  rootAt,
} from '../db/merkle-log';
import { noteKeyId, noteSignerFromKey, signCheckpoint } from '../trust/checkpoint';
import type { SigningKey } from '../trust/keys';
import { CHAIN_LOCK } from './seal';

export interface LogDeps {
  db: Knex;
  signingKey: SigningKey;
  /** The log's origin line (LOG_ORIGIN), also the name of its note key. */
  origin: string;
}

/** What a checkpoint activity returns (JSON, for the workflow history). */
export interface CheckpointSummary {
  treeSize: number;
  rootHash: string;
  note: string;
  createdAt: string;
  /** False when the log had not grown since the latest checkpoint, which is returned instead. */
  created: boolean;
}

/** Seal hook: runs inside the sealing transaction, which holds the chain lock. */
export const appendSealedRecord = (trx: Knex.Transaction): Promise<number> => appendPendingRecords(trx);

export async function leafIndexOfRecord(db: Knex, recordId: string): Promise<number | null> {
  const row = await db('log_leaves').where({ record_id: recordId }).first('leaf_index');
  return row ? Number(row.leaf_index) : null;
}

/**
 * Signs the log's current head, unless it has not grown. Before signing it recomputes the
 * previous checkpoint's root from the stored nodes: if they no longer match what was signed, the
 * log has been tampered with and no new checkpoint must vouch for it.
 */
export async function makeCheckpoint(deps: LogDeps, now: Date = new Date()): Promise<CheckpointSummary | null> {
  const signer = noteSignerFromKey(deps.signingKey, deps.origin);
  return deps.db.transaction(async (trx) => {
    await trx.raw('SELECT pg_advisory_xact_lock(?)', [CHAIN_LOCK]);
    await appendPendingRecords(trx, now);
    const [size, latest] = await Promise.all([logSize(trx), latestCheckpoint(trx)]);
    if (size === 0) return null;
    const summary = (
      c: { treeSize: number; rootHash: Buffer; note: string; createdAt: string },
      created: boolean,
    ): CheckpointSummary => ({
      treeSize: c.treeSize,
      rootHash: c.rootHash.toString('hex'),
      note: c.note,
      createdAt: c.createdAt,
      created,
    });
    if (latest && latest.treeSize === size) return summary(latest, false);
    try {
      if (latest && latest.treeSize > size)
        throw new LogIntegrityError(`the log has ${size} leaves but checkpoint ${latest.treeSize} was signed`);
      if (latest && !(await rootAt(trx, latest.treeSize)).equals(latest.rootHash)) {
        throw new LogIntegrityError(
          `the stored log no longer matches the signed checkpoint of size ${latest.treeSize}`,
        );
      }
      const rootHash = await rootAt(trx, size);
      const note = signCheckpoint({ origin: deps.origin, treeSize: size, rootHash }, signer);
      const stored = await insertCheckpoint(
        trx,
        {
          treeSize: size,
          rootHash,
          origin: deps.origin,
          keyName: signer.name,
          keyId: noteKeyId(signer.name, signer.publicKey).toString('hex'),
          note,
        },
        now,
      );
      return summary(stored, true);
    } catch (error) {
      if (error instanceof LogIntegrityError) throw ApplicationFailure.nonRetryable(error.message, 'QtmLogIntegrity');
      throw error;
    }
  });
}

export function createLogActivities(deps: LogDeps) {
  return {
    async makeCheckpoint(): Promise<CheckpointSummary | null> {
      return makeCheckpoint(deps);
    },
  };
}
