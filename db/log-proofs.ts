/**
 * Inclusion proofs of Records against signed checkpoints, shaped as the API serves them and the
 * offline verifier reads them. Four indexed reads, whatever the size of the log.
 */
import type { Knex } from 'knex';
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
