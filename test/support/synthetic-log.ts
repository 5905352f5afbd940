/**
 * Records in bulk without lifecycles, for log tests that need hundreds of leaves (tiles) or a
 * second, forked history: synthetic Record rows (no parent rows, so foreign-key triggers are off,
 * as the proofs bench does) appended to the log by the real appendPendingRecords.
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { CHAIN_LOCK } from '../../db/records';
import { appendPendingRecords } from '../../db/log-store';
import { canonicalBytes, sha256Hex } from '../../trust/canonical';

/** `type`: the public form by default; `qtm.record/v1` makes Records sealed before commitments. */
export async function appendSyntheticRecords(
  ownerDb: Knex,
  count: number,
  label: string,
  type = 'qtm.record/v2',
): Promise<Buffer[]> {
  const canonicals: Buffer[] = [];
  await ownerDb.transaction(async (trx) => {
    await trx.raw('SELECT pg_advisory_xact_lock(?)', [CHAIN_LOCK]);
    await trx.raw('SET LOCAL session_replication_role = replica');
    const last = await trx('records').orderBy('sequence', 'desc').first('sequence', 'hash');
    let sequence = Number(last?.sequence ?? 0);
    let prevHash: string | null = last?.hash ?? null;
    const rows = [];
    for (let i = 0; i < count; i += 1) {
      const id = randomUUID();
      sequence += 1;
      const canonical = canonicalBytes({ type, recordId: id, sequence, prevHash, label, i });
      const hash = sha256Hex(canonical);
      rows.push({
        id,
        service_event_id: randomUUID(),
        job_id: randomUUID(),
        intake_id: randomUUID(),
        operator_id: 'op-synthetic',
        outcome: 'completed',
        sequence,
        hash,
        prev_hash: prevHash,
        canonical,
        sealed_at: new Date().toISOString(),
      });
      canonicals.push(canonical);
      prevHash = hash;
    }
    for (let i = 0; i < rows.length; i += 500) await trx('records').insert(rows.slice(i, i + 500));
    await appendPendingRecords(trx);
  });
  return canonicals;
}
