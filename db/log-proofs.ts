/**
 * Inclusion proofs of Records against signed checkpoints, shaped as the API serves them and the
 * offline verifier reads them. Four indexed reads, whatever the size of the log.
 */
import type { Knex } from 'knex';
import { openCheckpoint } from '../trust/checkpoint';
import { leafHash, verifyInclusion } from '../trust/merkle';
import { inclusionProof, latestCheckpoint, leafOfRecord } from './merkle-log';

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

/**
 * The proof that a Record is in the latest checkpoint (or the checkpoint of `treeSize`). Two round
 * trips: the leaf with its checkpoint, then the O(log n) nodes of the path.
 */
export async function proveRecord(db: Knex, recordId: string, treeSize?: number): Promise<RecordProof | ProofRefusal> {
  const { rows } = await db.raw<{ rows: Array<{ leaf_index: number; leaf_hash: Buffer; tree_size: number | null; root_hash: Buffer | null; note: string | null }> }>(
    `SELECT l.leaf_index, n.hash AS leaf_hash, c.tree_size, c.root_hash, c.note
       FROM log_leaves l
       JOIN log_nodes n ON n.level = 0 AND n.idx = l.leaf_index
       LEFT JOIN LATERAL (
         SELECT tree_size, root_hash, note FROM log_checkpoints
          WHERE ?::bigint IS NULL OR tree_size = ?::bigint
          ORDER BY tree_size DESC LIMIT 1
       ) c ON true
      WHERE l.record_id = ?`,
    [treeSize ?? null, treeSize ?? null, recordId],
  );
  const row = rows[0];
  if (!row) return { reason: 'not_logged', detail: `record ${recordId} has not been appended to the log yet` };
  const leafIndex = Number(row.leaf_index);
  if (row.tree_size === null) {
    return treeSize === undefined
      ? { reason: 'no_checkpoint', detail: `no checkpoint has been made yet; record ${recordId} is leaf ${leafIndex}` }
      : { reason: 'unknown_checkpoint', detail: `there is no checkpoint of tree size ${treeSize}` };
  }
  const size = Number(row.tree_size);
  if (leafIndex >= size) {
    return { reason: 'not_in_checkpoint', detail: `record ${recordId} is leaf ${leafIndex}, not yet in the checkpoint of tree size ${size}` };
  }
  const path = await inclusionProof(db, leafIndex, size);
  return {
    recordId,
    leafIndex,
    treeSize: size,
    leafHash: row.leaf_hash.toString('hex'),
    rootHash: row.root_hash!.toString('hex'),
    auditPath: path.map((h) => h.toString('hex')),
    checkpoint: row.note!,
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
