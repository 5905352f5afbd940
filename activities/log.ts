/**
 * The transparency log's activities: appending each sealed Record (the seal hands it over inside
 * its sealing transaction) and signing checkpoints of the log, each sent to the configured
 * witnesses for their cosignatures. Two callers sign: the worker's checkpointer (workers/log-checkpointer.ts, within
 * LOG_CHECKPOINT_DELAY of new leaves) and the checkpoint workflow (the Schedule's safety net and
 * POST /v1/log/checkpoint). One signer at a time, cluster-wide: SIGNER_LOCK.
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { Knex } from 'knex';
import {
  appendPendingRecords,
  appendToLog,
  consistencyProof,
  cosignedSize,
  insertCheckpoint,
  insertWitnessRefusal,
  latestCheckpoint,
  leafIndexOfRecord,
  lockSigner,
  LogIntegrityError,
  logSize,
  rootAt,
  type SealedEntry,
  type StoredCheckpoint,
} from '../db/log-store';
import { noteKeyId, noteSignerFromKey, signCheckpoint } from '../trust/log-checkpoint';
import type { SigningKey } from '../trust/keys';
import { submitToWitness, type WitnessEndpoint, type WitnessOutcome } from '../adapters/log-witness-client';

export interface LogLogger {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface LogDeps {
  db: Knex;
  /** The log's current key (not the Signals' key). */
  logKey: SigningKey;
  /** Key ids (hex, of the note key) of every log key this process knows: a checkpoint by another is by a newer key. */
  knownKeyIds?: string[];
  /** The log's origin line (LOG_ORIGIN), also the name of its note key. */
  origin: string;
  witnesses?: WitnessEndpoint[];
  /** Cosignatures a checkpoint needs to count as witnessed (default: all witnesses'). */
  witnessThreshold?: number;
  witnessTimeoutMs?: number;
  log?: LogLogger;
}

/** What a checkpoint activity returns (JSON, for the workflow history). */
export interface CheckpointSummary {
  treeSize: number;
  rootHash: string;
  note: string;
  createdAt: string;
  /** False when the log had not grown since the latest checkpoint, which is returned instead. */
  created: boolean;
  witnessed: boolean;
  cosignedBy: string[];
}

/** What the seal sees of the log: where it hands each sealed Record, and where the Signal finds its leaf. */
export interface RecordLog {
  /** Runs inside the sealing transaction: the Record joins the log in the same commit, or neither does. */
  append(trx: Knex.Transaction, record: SealedEntry): Promise<number>;
  leafIndexOf(recordId: string): Promise<number | null>;
}

export function recordLog(db: Knex): RecordLog {
  return {
    append: (trx, record) => appendToLog(trx, record),
    leafIndexOf: (recordId) => leafIndexOfRecord(db, recordId),
  };
}

const summaryOf = (c: StoredCheckpoint, created: boolean): CheckpointSummary => ({
  treeSize: c.treeSize,
  rootHash: c.rootHash.toString('hex'),
  note: c.note,
  createdAt: c.createdAt,
  created,
  witnessed: c.witnessed,
  cosignedBy: c.cosignatures.map((s) => s.witness),
});

/** Warnings about one witness at most once a minute per process, whatever the checkpoint rate. */
const lastWarned = new Map<string, number>();
function warnOnce(deps: LogDeps, key: string, obj: object, msg: string): void {
  const now = Date.now();
  if ((lastWarned.get(key) ?? 0) > now - 60_000) return;
  lastWarned.set(key, now);
  deps.log?.warn(obj, msg);
}

async function gatherCosignatures(
  deps: LogDeps,
  trx: Knex.Transaction,
  note: string,
  treeSize: number,
): Promise<WitnessOutcome[]> {
  const witnesses = deps.witnesses ?? [];
  return Promise.all(
    witnesses.map(async (w) =>
      submitToWitness(
        w,
        {
          note,
          treeSize,
          knownSize: await cosignedSize(trx, w.key.name, w.key.keyId.toString('hex')),
          proofFrom: (from) => consistencyProof(trx, from, treeSize),
        },
        deps.witnessTimeoutMs ?? 1_000,
      ),
    ),
  );
}

export type SignResult =
  | { kind: 'busy' }
  | { kind: 'empty' }
  /** The latest checkpoint is by a key this process does not know (a rotation it has not picked up): it leaves signing to those that have. */
  | { kind: 'superseded'; keyId: string; summary: CheckpointSummary }
  | { kind: 'signed' | 'unchanged'; summary: CheckpointSummary };

/**
 * Signs the log's current head unless it has not grown, and has the witnesses cosign it. Before
 * signing it recomputes the previous checkpoint's root from the stored nodes: if they no longer
 * match what was signed, the log has been tampered with and no new checkpoint must vouch for it.
 *
 * Reads need no chain lock: a leaf and all the nodes it completes commit together, so every node
 * below the size read is there. `wait: false` gives up at once when another signer holds the lock.
 */
export async function signLogHead(
  deps: LogDeps,
  options: { wait: boolean },
  now: () => Date = () => new Date(),
): Promise<SignResult> {
  const signer = noteSignerFromKey(deps.logKey, deps.origin);
  return deps.db.transaction(async (trx) => {
    if (!(await lockSigner(trx, options.wait))) return { kind: 'busy' as const };
    const [size, latest] = await Promise.all([logSize(trx), latestCheckpoint(trx)]);
    if (size === 0) return { kind: 'empty' as const };
    if (latest && latest.treeSize === size) return { kind: 'unchanged' as const, summary: summaryOf(latest, false) };
    const ownKeyId = noteKeyId(signer.name, signer.publicKey).toString('hex');
    const known = new Set([ownKeyId, ...(deps.knownKeyIds ?? [])]);
    // Keys follow each other in tree order: once a newer key has signed, an older one never signs again.
    if (latest && !known.has(latest.keyId))
      return { kind: 'superseded' as const, keyId: latest.keyId, summary: summaryOf(latest, false) };
    if (latest && latest.treeSize > size)
      throw new LogIntegrityError(`the log has ${size} leaves but checkpoint ${latest.treeSize} was signed`);
    if (latest && !(await rootAt(trx, latest.treeSize)).equals(latest.rootHash))
      throw new LogIntegrityError(`the stored log no longer matches the signed checkpoint of size ${latest.treeSize}`);
    const rootHash = await rootAt(trx, size);
    const note = signCheckpoint({ origin: deps.origin, treeSize: size, rootHash }, signer);

    const outcomes = await gatherCosignatures(deps, trx, note, size);
    const cosigned = outcomes.flatMap((o) => (o.kind === 'cosigned' ? [o] : []));
    const threshold = deps.witnessThreshold ?? (deps.witnesses ?? []).length;
    for (const o of outcomes) {
      if (o.kind === 'refused') {
        await insertWitnessRefusal(trx, { treeSize: size, witness: o.witness, status: o.status, detail: o.detail });
        warnOnce(
          deps,
          `${o.witness}:refused:${o.status}`,
          { witness: o.witness, status: o.status, detail: o.detail, treeSize: size },
          'witness refused to cosign the checkpoint: it is not published as witnessed',
        );
      } else if (o.kind === 'unavailable') {
        warnOnce(
          deps,
          `${o.witness}:unavailable`,
          { witness: o.witness, detail: o.detail, treeSize: size },
          'witness unavailable: checkpoint stored without its cosignature',
        );
      }
    }
    const stored = await insertCheckpoint(
      trx,
      {
        treeSize: size,
        rootHash,
        origin: deps.origin,
        keyName: signer.name,
        keyId: noteKeyId(signer.name, signer.publicKey).toString('hex'),
        note,
        witnessed: cosigned.length >= threshold,
        cosignatures: cosigned.map((c) => ({
          witness: c.witness,
          keyId: c.keyId,
          line: c.line,
          cosignedAt: c.cosignedAt,
        })),
      },
      now(),
    );
    return { kind: 'signed' as const, summary: summaryOf(stored, true) };
  });
}

/**
 * The workflow's activity: appends any Record sealed before the log existed (under the log's
 * lock, in its own short transaction), then signs (waiting for a signer that holds the lock).
 */
export async function makeCheckpoint(deps: LogDeps): Promise<CheckpointSummary | null> {
  try {
    await deps.db.transaction((trx) => appendPendingRecords(trx));
    const result = await signLogHead(deps, { wait: true });
    return result.kind === 'signed' || result.kind === 'unchanged' || result.kind === 'superseded'
      ? result.summary
      : null;
  } catch (error) {
    if (error instanceof LogIntegrityError) throw ApplicationFailure.nonRetryable(error.message, 'QtmLogIntegrity');
    throw error;
  }
}

export function createLogActivities(deps: LogDeps) {
  return {
    async makeCheckpoint(): Promise<CheckpointSummary | null> {
      return makeCheckpoint(deps);
    },
  };
}
