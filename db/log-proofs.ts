/**
 * Inclusion proofs of Records against signed checkpoints, shaped as the API serves them and the
 * offline verifier reads them: one query of O(log n) indexed reads, whatever the size of the log.
 */
import type { Knex } from 'knex';
import { openCheckpoint } from '../trust/log-checkpoint';
import type { ProofFile } from '../trust/verify-bundle';
import { hashSpan, inclusionSpans, leafHash, nodeId, verifyInclusion, type NodeKey } from '../trust/log-merkle';
import { inclusionProof, latestCheckpoint, leafOfRecord, LogIntegrityError } from './log-store';

/** The proof file qtm-verify reads, always with the signed checkpoint note (and its witnesses' cosignatures) its root is in. */
export type RecordProof = ProofFile & { checkpoint: string };

export type ProofRefusal =
  | { reason: 'not_logged'; detail: string }
  | { reason: 'no_checkpoint'; detail: string }
  | { reason: 'unknown_checkpoint'; detail: string }
  | { reason: 'not_in_checkpoint'; detail: string };

/**
 * The stored nodes an inclusion proof of leaf i in a tree of size n can need, in SQL: the leaf, the
 * sibling of each of its ancestors, and the perfect subtrees along the right edge of the tree (a
 * right-edge sibling is made of those). A superset of the path's O(log n) nodes, so the leaf, the
 * checkpoint and the nodes come back in one round trip.
 */
const PROOF_SQL = `
  WITH leaf AS (
    SELECT leaf_index AS i FROM log_leaves WHERE record_id = ?
  ), cp AS (
    SELECT c.tree_size AS n, c.root_hash, c.note || coalesce((
             SELECT string_agg(s.line, '' ORDER BY s.witness, s.key_id) FROM log_cosignatures s WHERE s.tree_size = c.tree_size
           ), '') AS note
      FROM log_checkpoints c
     WHERE ?::bigint IS NULL OR c.tree_size = ?::bigint
     ORDER BY c.tree_size DESC LIMIT 1
  ), wanted AS (
    SELECT 0 AS level, leaf.i AS idx FROM leaf
    UNION
    SELECT g, (leaf.i >> g) # 1 FROM leaf, cp, generate_series(0, 62) AS g WHERE (1::bigint << g) < cp.n
    UNION
    SELECT g, (cp.n >> g) - 1 FROM cp, generate_series(0, 62) AS g WHERE (cp.n >> g) & 1 = 1
  )
  SELECT leaf.i AS leaf_index, cp.n AS tree_size, cp.root_hash, cp.note, w.level, w.idx, node.hash
    FROM leaf
    LEFT JOIN cp ON true
    LEFT JOIN wanted w ON true
    LEFT JOIN log_nodes node ON node.level = w.level AND node.idx = w.idx`;

interface ProofRow {
  leaf_index: number;
  tree_size: number | null;
  root_hash: Buffer | null;
  note: string | null;
  level: number | null;
  idx: number | null;
  hash: Buffer | null;
}

/** The proof that a Record is in the latest checkpoint (or the checkpoint of `treeSize`): one query. */
export async function proveRecord(db: Knex, recordId: string, treeSize?: number): Promise<RecordProof | ProofRefusal> {
  const { rows } = await db.raw<{ rows: ProofRow[] }>(PROOF_SQL, [recordId, treeSize ?? null, treeSize ?? null]);
  const first = rows[0];
  if (!first) return { reason: 'not_logged', detail: `record ${recordId} has not been appended to the log yet` };
  const leafIndex = Number(first.leaf_index);
  if (first.tree_size === null) {
    return treeSize === undefined
      ? { reason: 'no_checkpoint', detail: `no checkpoint has been made yet; record ${recordId} is leaf ${leafIndex}` }
      : { reason: 'unknown_checkpoint', detail: `there is no checkpoint of tree size ${treeSize}` };
  }
  const size = Number(first.tree_size);
  if (leafIndex >= size) {
    return {
      reason: 'not_in_checkpoint',
      detail: `record ${recordId} is leaf ${leafIndex}, not yet in the checkpoint of tree size ${size}`,
    };
  }
  const nodes = new Map<string, Buffer>();
  for (const row of rows)
    if (row.hash !== null) nodes.set(nodeId({ level: row.level!, index: Number(row.idx) }), row.hash);
  const get = (key: NodeKey): Buffer => {
    const hash = nodes.get(nodeId(key));
    if (!hash) throw new LogIntegrityError(`log node ${nodeId(key)} is missing`);
    return hash;
  };
  return {
    recordId,
    leafIndex,
    treeSize: size,
    leafHash: get({ level: 0, index: leafIndex }).toString('hex'),
    rootHash: first.root_hash!.toString('hex'),
    auditPath: inclusionSpans(leafIndex, size).map((span) => hashSpan(span, get).toString('hex')),
    checkpoint: first.note!,
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
export async function logChecksForRecord(
  db: Knex,
  record: { id: string; canonical: Buffer },
  logPublicKeys: Buffer[],
): Promise<LogCheck[]> {
  const leaf = await leafOfRecord(db, record.id);
  if (!leaf) return [{ name: 'log.leaf', ok: false, detail: 'the record is not in the transparency log' }];
  const actual = leafHash(record.canonical);
  const checks: LogCheck[] = [
    actual.equals(leaf.leafHash)
      ? { name: 'log.leaf', ok: true, detail: `the stored bytes are leaf ${leaf.leafIndex} of the log` }
      : {
          name: 'log.leaf',
          ok: false,
          detail: `the stored bytes give leaf hash ${actual.toString('hex')}, but leaf ${leaf.leafIndex} of the log is ${leaf.leafHash.toString('hex')}`,
        },
  ];
  const checkpoint = await latestCheckpoint(db);
  if (!checkpoint || leaf.leafIndex >= checkpoint.treeSize) {
    checks.push({
      name: 'log.checkpoint',
      ok: true,
      detail: `leaf ${leaf.leafIndex} is not yet in a signed checkpoint`,
    });
    return checks;
  }
  let root: Buffer;
  try {
    root = openCheckpoint(checkpoint.note, logPublicKeys).checkpoint.rootHash;
  } catch (error) {
    checks.push({
      name: 'log.checkpoint',
      ok: false,
      detail: `the latest checkpoint does not verify: ${(error as Error).message}`,
    });
    return checks;
  }
  const path = await inclusionProof(db, leaf.leafIndex, checkpoint.treeSize);
  checks.push(
    verifyInclusion(leaf.leafIndex, checkpoint.treeSize, actual, path, root)
      ? {
          name: 'log.checkpoint',
          ok: true,
          detail: `the stored bytes are included in the signed checkpoint of tree size ${checkpoint.treeSize}`,
        }
      : {
          name: 'log.checkpoint',
          ok: false,
          detail: `the stored bytes are not what the signed checkpoint of tree size ${checkpoint.treeSize} includes at leaf ${leaf.leafIndex}`,
        },
  );
  return checks;
}
