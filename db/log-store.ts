/**
 * The Record log in Postgres: appending leaves (with every perfect subtree they complete), and
 * roots and proofs read from O(log n) stored nodes in one query, at the current size or any
 * earlier one (stored nodes never change, so old trees stay provable).
 */
import type { Knex } from 'knex';
import {
  consistencySpans,
  EMPTY_ROOT,
  Frontier,
  hashSpan,
  inclusionSpans,
  keysFor,
  leafHash,
  nodeId,
  rootSpan,
  type NodeKey,
  type Span,
  type StoredNode,
} from '../trust/log-merkle';

type Conn = Knex | Knex.Transaction;

/** The stored log does not hold a node it must hold: never expected, so never retried away. */
export class LogIntegrityError extends Error {
  override name = 'LogIntegrityError';
}

/** Reads the given nodes in one round trip; the getter throws for a node the log lacks. */
export async function readNodes(db: Conn, keys: NodeKey[]): Promise<(key: NodeKey) => Buffer> {
  const found = new Map<string, Buffer>();
  if (keys.length > 0) {
    const { rows } = await db.raw<{ rows: Array<{ level: number; idx: number; hash: Buffer }> }>(
      'SELECT n.level, n.idx, n.hash FROM unnest(?::smallint[], ?::bigint[]) AS k(level, idx) JOIN log_nodes n USING (level, idx)',
      [keys.map((k) => k.level), keys.map((k) => k.index)],
    );
    for (const row of rows) found.set(nodeId({ level: row.level, index: Number(row.idx) }), row.hash);
  }
  return (key) => {
    const hash = found.get(nodeId(key));
    if (!hash) throw new LogIntegrityError(`log node ${nodeId(key)} is missing`);
    return hash;
  };
}

async function hashSpans(db: Conn, spans: Span[]): Promise<Buffer[]> {
  const get = await readNodes(db, keysFor(spans));
  return spans.map((span) => hashSpan(span, get));
}

/** Number of leaves in the log (the primary key's last entry, not a count). */
export async function logSize(db: Conn): Promise<number> {
  const row = await db('log_leaves').orderBy('leaf_index', 'desc').first('leaf_index');
  return row ? Number(row.leaf_index) + 1 : 0;
}

export async function rootAt(db: Conn, size: number): Promise<Buffer> {
  if (size === 0) return EMPTY_ROOT;
  const [root] = await hashSpans(db, [rootSpan(size)]);
  return root!;
}

export async function inclusionProof(db: Conn, index: number, size: number): Promise<Buffer[]> {
  return hashSpans(db, inclusionSpans(index, size));
}

export async function consistencyProof(db: Conn, from: number, to: number): Promise<Buffer[]> {
  return hashSpans(db, consistencySpans(from, to));
}

export async function leafOfRecord(
  db: Conn,
  recordId: string,
): Promise<{ leafIndex: number; leafHash: Buffer } | null> {
  const row = await db('log_leaves as l')
    .join('log_nodes as n', function () {
      this.on('n.idx', 'l.leaf_index').andOn('n.level', db.raw('0'));
    })
    .where('l.record_id', recordId)
    .first('l.leaf_index', 'n.hash');
  return row ? { leafIndex: Number(row.leaf_index), leafHash: row.hash } : null;
}

export async function insertNodes(db: Conn, nodes: StoredNode[]): Promise<void> {
  // unnest() keeps one statement per batch whatever its size (no bind-parameter limit).
  for (let i = 0; i < nodes.length; i += 10_000) {
    const batch = nodes.slice(i, i + 10_000);
    await db.raw(
      'INSERT INTO log_nodes (level, idx, hash) SELECT * FROM unnest(?::smallint[], ?::bigint[], ?::bytea[])',
      [batch.map((n) => n.level), batch.map((n) => n.index), batch.map((n) => n.hash)],
    );
  }
}

const APPEND_BATCH = 500;

/** Notified (with the new log size) by every transaction that appends leaves; the signers listen. */
export const LOG_APPENDED_CHANNEL = 'qtm_log_appended';

/** Subscribes a dedicated connection (outside the pool) to the appends' notifications. */
export async function listenToAppends(client: { query(sql: string): Promise<unknown> }): Promise<void> {
  await client.query(`LISTEN ${LOG_APPENDED_CHANNEL}`);
}

/**
 * The log's own lock, held (transaction-scoped) by whoever appends leaves, so that leaves go in
 * one writer at a time and in Record order. Sealing holds the chain's lock while it hands its
 * Record over; a backfill holds only this one (a Record not yet committed is not pending for it).
 */
export const LOG_APPEND_LOCK = 0x5154_4d03;

/** A sealed Record as the log takes it: its place in the chain and its canonical bytes (the leaf). */
export interface SealedEntry {
  id: string;
  sequence: number;
  canonical: Buffer;
}

/**
 * Appends, in chain order, every sealed Record that is not in the log yet and then `sealed`, the
 * Record its caller has just sealed in this transaction, from the bytes handed over. Without
 * `sealed` it only backfills (Records sealed before the log existed, or by a seal that ran
 * without the log). Takes the log's lock.
 */
export async function appendToLog(
  trx: Knex.Transaction,
  sealed: SealedEntry | null,
  now: Date = new Date(),
): Promise<number> {
  await trx.raw('SELECT pg_advisory_xact_lock(?)', [LOG_APPEND_LOCK]);
  const last = await trx('log_leaves').orderBy('leaf_index', 'desc').first('leaf_index', 'record_sequence');
  let size = last ? Number(last.leaf_index) + 1 : 0;
  let lastSequence = last ? Number(last.record_sequence) : 0;
  let frontier: Frontier | null = null;
  let appended = 0;

  const append = async (entries: SealedEntry[]) => {
    if (!frontier) {
      const keys = Frontier.keys(size);
      const get = await readNodes(trx, keys);
      frontier = Frontier.resume(size, keys.map(get));
    }
    const nodes: StoredNode[] = [];
    const leaves = entries.map((record) => {
      nodes.push(...frontier!.append(leafHash(record.canonical)));
      return {
        leaf_index: size++,
        record_id: record.id,
        record_sequence: record.sequence,
        appended_at: now.toISOString(),
      };
    });
    await trx('log_leaves').insert(leaves);
    await insertNodes(trx, nodes);
    appended += entries.length;
    lastSequence = Number(entries[entries.length - 1]!.sequence);
    // Delivered when (and only if) the transaction commits.
    await trx.raw('SELECT pg_notify(?, ?)', [LOG_APPENDED_CHANNEL, String(size)]);
  };

  for (;;) {
    const query = trx('records').where('sequence', '>', lastSequence);
    if (sealed) query.andWhere('sequence', '<', sealed.sequence);
    const pending: SealedEntry[] = await query
      .orderBy('sequence')
      .limit(APPEND_BATCH)
      .select('id', 'sequence', 'canonical');
    if (pending.length === 0) break;
    await append(pending);
  }
  if (sealed && sealed.sequence > lastSequence) await append([sealed]);
  return appended;
}

/** Appends every sealed Record that is not in the log yet (see appendToLog). */
export const appendPendingRecords = (trx: Knex.Transaction, now: Date = new Date()): Promise<number> =>
  appendToLog(trx, null, now);

/** The leaf index of a Record, or null while it is not in the log. */
export async function leafIndexOfRecord(db: Conn, recordId: string): Promise<number | null> {
  const row = await db('log_leaves').where({ record_id: recordId }).first('leaf_index');
  return row ? Number(row.leaf_index) : null;
}

/** Held (transaction-scoped) by whoever signs a checkpoint: signing never waits on appending, nor appending on it. */
export const SIGNER_LOCK = 0x5154_4d02;

/** Takes the signer's lock: waiting for it, or (`wait: false`) false at once when another signer holds it. */
export async function lockSigner(trx: Knex.Transaction, wait: boolean): Promise<boolean> {
  if (wait) {
    await trx.raw('SELECT pg_advisory_xact_lock(?)', [SIGNER_LOCK]);
    return true;
  }
  const { rows } = await trx.raw<{ rows: Array<{ locked: boolean }> }>(
    'SELECT pg_try_advisory_xact_lock(?) AS locked',
    [SIGNER_LOCK],
  );
  return rows[0]!.locked;
}

export interface StoredCosignature {
  witness: string;
  keyId: string;
  /** The signature line as the witness returned it (`— <name> <base64>\n`). */
  line: string;
  cosignedAt: string;
}

export interface StoredCheckpoint {
  treeSize: number;
  rootHash: Buffer;
  origin: string;
  keyName: string;
  keyId: string;
  /** The note as the log signed it. */
  note: string;
  /** Whether its witness policy held when it was signed. */
  witnessed: boolean;
  cosignatures: StoredCosignature[];
  createdAt: string;
}

/** The note as served: the log's signed note with the witnesses' cosignature lines after its own. */
export const cosignedNote = (c: Pick<StoredCheckpoint, 'note' | 'cosignatures'>): string =>
  c.note + c.cosignatures.map((s) => s.line).join('');

const CHECKPOINT_COLUMNS = `c.*, coalesce((
    SELECT json_agg(json_build_object('witness', s.witness, 'keyId', s.key_id, 'line', s.line, 'cosignedAt', s.cosigned_at)
                    ORDER BY s.witness, s.key_id)
      FROM log_cosignatures s WHERE s.tree_size = c.tree_size), '[]'::json) AS cosignatures`;

const checkpointFromRow = (row: Record<string, unknown>): StoredCheckpoint => ({
  treeSize: Number(row.tree_size),
  rootHash: row.root_hash as Buffer,
  origin: row.origin as string,
  keyName: row.key_name as string,
  keyId: row.key_id as string,
  note: row.note as string,
  witnessed: row.witnessed as boolean,
  cosignatures: (row.cosignatures as StoredCosignature[]).map((c) => ({
    ...c,
    cosignedAt: new Date(c.cosignedAt).toISOString(),
  })),
  createdAt: new Date(row.created_at as string).toISOString(),
});

async function selectCheckpoints(db: Conn, where: string, bindings: unknown[], tail: string) {
  const { rows } = await db.raw<{ rows: Array<Record<string, unknown>> }>(
    `SELECT ${CHECKPOINT_COLUMNS} FROM log_checkpoints c ${where} ${tail}`,
    bindings as Knex.RawBinding[],
  );
  return rows.map(checkpointFromRow);
}

/** The latest checkpoint, or the latest one whose witness policy held. */
export async function latestCheckpoint(
  db: Conn,
  options: { witnessed?: boolean } = {},
): Promise<StoredCheckpoint | null> {
  const [row] = await selectCheckpoints(
    db,
    options.witnessed ? 'WHERE c.witnessed' : '',
    [],
    'ORDER BY c.tree_size DESC LIMIT 1',
  );
  return row ?? null;
}

/** Size of the latest checkpoint (0 when none): one index lookup, for the signers' idle checks. */
export async function latestCheckpointSize(db: Conn): Promise<number> {
  const row = await db('log_checkpoints').orderBy('tree_size', 'desc').first('tree_size');
  return row ? Number(row.tree_size) : 0;
}

export async function checkpointAt(db: Conn, treeSize: number): Promise<StoredCheckpoint | null> {
  const [row] = await selectCheckpoints(db, 'WHERE c.tree_size = ?', [treeSize], '');
  return row ?? null;
}

export async function allCheckpoints(db: Conn): Promise<StoredCheckpoint[]> {
  return selectCheckpoints(db, '', [], 'ORDER BY c.tree_size');
}

/**
 * Stores a checkpoint with its cosignatures; a second one for the same size keeps the first (they
 * sign the same root), and its cosignatures are added to it.
 */
export async function insertCheckpoint(
  db: Conn,
  c: Omit<StoredCheckpoint, 'createdAt' | 'cosignatures' | 'witnessed'> & {
    witnessed?: boolean;
    cosignatures?: StoredCosignature[];
  },
  now: Date = new Date(),
): Promise<StoredCheckpoint> {
  await db('log_checkpoints')
    .insert({
      tree_size: c.treeSize,
      root_hash: c.rootHash,
      origin: c.origin,
      key_name: c.keyName,
      key_id: c.keyId,
      note: c.note,
      witnessed: c.witnessed ?? true,
      created_at: now.toISOString(),
    })
    .onConflict('tree_size')
    .ignore();
  if (c.cosignatures && c.cosignatures.length > 0)
    await db('log_cosignatures')
      .insert(
        c.cosignatures.map((s) => ({
          tree_size: c.treeSize,
          witness: s.witness,
          key_id: s.keyId,
          line: s.line,
          cosigned_at: s.cosignedAt,
        })),
      )
      .onConflict(['tree_size', 'witness', 'key_id'])
      .ignore();
  return (await checkpointAt(db, c.treeSize))!;
}

/** The largest tree size each witness has cosigned, as this log knows it (where to start its consistency proof). */
export async function cosignedSize(db: Conn, witness: string, keyId: string): Promise<number> {
  const row = await db('log_cosignatures')
    .where({ witness, key_id: keyId })
    .orderBy('tree_size', 'desc')
    .first('tree_size');
  return row ? Number(row.tree_size) : 0;
}

export async function insertWitnessRefusal(
  db: Conn,
  r: { treeSize: number; witness: string; status: number; detail: string },
  now: Date = new Date(),
): Promise<void> {
  await db('log_witness_refusals').insert({
    tree_size: r.treeSize,
    witness: r.witness,
    status: r.status,
    detail: r.detail.slice(0, 2000),
    refused_at: now.toISOString(),
  });
}

/** Refusals by witness and HTTP status, for the metrics. */
export async function witnessRefusalCounts(
  db: Conn,
): Promise<Array<{ witness: string; status: number; count: number }>> {
  const rows: Array<{ witness: string; status: number; n: string }> = await db('log_witness_refusals')
    .select('witness', 'status')
    .count({ n: '*' })
    .groupBy('witness', 'status');
  return rows.map((r) => ({ witness: String(r.witness), status: Number(r.status), count: Number(r.n) }));
}

/** When the latest checkpoint was signed, and whether it met its witness policy (null before the first). */
export async function latestCheckpointStatus(db: Conn): Promise<{ createdAt: Date; witnessed: boolean } | null> {
  const row = await db('log_checkpoints').orderBy('tree_size', 'desc').first('created_at', 'witnessed');
  return row ? { createdAt: new Date(row.created_at), witnessed: Boolean(row.witnessed) } : null;
}

/** The stored hashes of one level's nodes [start, start + width), in order (a tlog-tiles hash tile). */
/** Every stored node of one level below index `below`: for exports, which hold the whole tree in memory. */
export async function nodesOfLevel(
  db: Conn,
  level: number,
  below: number,
): Promise<Array<{ index: number; hash: Buffer }>> {
  const rows: Array<{ idx: number; hash: Buffer }> = await db('log_nodes')
    .where({ level })
    .andWhere('idx', '<', below)
    .select('idx', 'hash');
  return rows.map((row) => ({ index: Number(row.idx), hash: row.hash }));
}

export async function nodeHashes(db: Conn, level: number, start: number, width: number): Promise<Buffer[]> {
  const rows: Array<{ hash: Buffer }> = await db('log_nodes')
    .where({ level })
    .andWhere('idx', '>=', start)
    .andWhere('idx', '<', start + width)
    .orderBy('idx')
    .select('hash');
  if (rows.length !== width)
    throw new LogIntegrityError(`log level ${level} lacks nodes in [${start}, ${start + width})`);
  return rows.map((r) => r.hash);
}

/** The canonical bytes of the Records at leaves [start, start + width), in order (a tlog-tiles entry bundle). */
export async function leafEntries(db: Conn, start: number, width: number): Promise<Buffer[]> {
  const rows: Array<{ canonical: Buffer }> = await db('log_leaves as l')
    .join('records as r', 'r.id', 'l.record_id')
    .where('l.leaf_index', '>=', start)
    .andWhere('l.leaf_index', '<', start + width)
    .orderBy('l.leaf_index')
    .select('r.canonical');
  if (rows.length !== width) throw new LogIntegrityError(`log leaves lack records in [${start}, ${start + width})`);
  return rows.map((r) => r.canonical);
}
