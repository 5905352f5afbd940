/**
 * Inclusion proofs of Records against signed checkpoints, shaped as the API serves them and the
 * offline verifier reads them. Four indexed reads, whatever the size of the log.
 */
import type { Knex } from 'knex';
import { openCheckpoint } from '../trust/checkpoint';
import { leafHash, verifyInclusion } from '../trust/merkle';
import { checkpointAt, inclusionProof, latestCheckpoint, leafOfRecord } from './merkle-log';

export interface RecordProof {
  recordId: string;
  leafIndex: number;
  treeSize: number;
  leafHash: string;
  rootHash: string;
  auditPath: string[];
  /** The signed checkpoint note whose root the path leads to. */
  checkpoint: string;
}

export type ProofRefusal =
  | { reason: 'not_logged'; detail: string }
  | { reason: 'no_checkpoint'; detail: string }
  | { reason: 'unknown_checkpoint'; detail: string }
  | { reason: 'not_in_checkpoint'; detail: string };

/** The proof that a Record is in the latest checkpoint (or the checkpoint of `treeSize`). */
export async function proveRecord(db: Knex, recordId: string, treeSize?: number): Promise<RecordProof | ProofRefusal> {
  const [leaf, checkpoint] = await Promise.all([leafOfRecord(db, recordId), treeSize === undefined ? latestCheckpoint(db) : checkpointAt(db, treeSize)]);
  if (!leaf) return { reason: 'not_logged', detail: `record ${recordId} has not been appended to the log yet` };
  if (!checkpoint) {
    return treeSize === undefined
      ? { reason: 'no_checkpoint', detail: `no checkpoint has been made yet; record ${recordId} is leaf ${leaf.leafIndex}` }
      : { reason: 'unknown_checkpoint', detail: `there is no checkpoint of tree size ${treeSize}` };
  }
  if (leaf.leafIndex >= checkpoint.treeSize) {
    return { reason: 'not_in_checkpoint', detail: `record ${recordId} is leaf ${leaf.leafIndex}, not yet in the checkpoint of tree size ${checkpoint.treeSize}` };
  }
  const path = await inclusionProof(db, leaf.leafIndex, checkpoint.treeSize);
  return {
    recordId,
    leafIndex: leaf.leafIndex,
    treeSize: checkpoint.treeSize,
    leafHash: leaf.leafHash.toString('hex'),
    rootHash: checkpoint.rootHash.toString('hex'),
    auditPath: path.map((h) => h.toString('hex')),
    checkpoint: checkpoint.note,
  };
}

export const isRefusal = (r: RecordProof | ProofRefusal): r is ProofRefusal => 'reason' in r;

export interface LogCheck {
  name: string;
  ok: boolean;
  detail: string;
}

/**
 * The log's view of a stored Record (for GET /v1/records/:id/verify): its bytes must still be the
 * leaf that was appended, and that leaf must lead to the latest signed root. This catches a Record
 * rewritten together with its chain hash, which the chain checks alone cannot.
 */
export async function logChecksForRecord(db: Knex, record: { id: string; canonical: Buffer }, publicKey: Buffer): Promise<LogCheck[]> {
  const leaf = await leafOfRecord(db, record.id);
  if (!leaf) return [{ name: 'log.leaf', ok: false, detail: 'the record is not in the transparency log' }];
  const actual = leafHash(record.canonical);
  const checks: LogCheck[] = [
    actual.equals(leaf.leafHash)
      ? { name: 'log.leaf', ok: true, detail: `the stored bytes are leaf ${leaf.leafIndex} of the log` }
      : { name: 'log.leaf', ok: false, detail: `the stored bytes give leaf hash ${actual.toString('hex')}, but leaf ${leaf.leafIndex} of the log is ${leaf.leafHash.toString('hex')}` },
  ];
  const checkpoint = await latestCheckpoint(db);
  if (!checkpoint || leaf.leafIndex >= checkpoint.treeSize) {
    checks.push({ name: 'log.checkpoint', ok: true, detail: `leaf ${leaf.leafIndex} is not yet in a signed checkpoint` });
    return checks;
  }
  let root: Buffer;
  try {
    root = openCheckpoint(checkpoint.note, [publicKey]).checkpoint.rootHash;
  } catch (error) {
    checks.push({ name: 'log.checkpoint', ok: false, detail: `the latest checkpoint does not verify: ${(error as Error).message}` });
    return checks;
  }
  const path = await inclusionProof(db, leaf.leafIndex, checkpoint.treeSize);
  checks.push(
    verifyInclusion(leaf.leafIndex, checkpoint.treeSize, actual, path, root)
      ? { name: 'log.checkpoint', ok: true, detail: `the stored bytes are included in the signed checkpoint of tree size ${checkpoint.treeSize}` }
      : { name: 'log.checkpoint', ok: false, detail: `the stored bytes are not what the signed checkpoint of tree size ${checkpoint.treeSize} includes at leaf ${leaf.leafIndex}` },
  );
  return checks;
}
