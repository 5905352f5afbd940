/**
 * Walks the whole Record chain in sequence order, in batches, re-checking every Record's
 * hash over its stored bytes and its link to the one before. Names each break exactly.
 */
import type { Knex } from 'knex';
import { verifyRecord, type StoredRecord } from '../trust/record';

export interface ChainBreak {
  recordId: string;
  sequence: number;
  check: string;
  detail: string;
}

export interface ChainReport {
  valid: boolean;
  records: number;
  head: { sequence: number; hash: string } | null;
  breaks: ChainBreak[];
}

export async function verifyChain(db: Knex, batchSize = 1_000): Promise<ChainReport> {
  const breaks: ChainBreak[] = [];
  let previous: StoredRecord | null = null;
  let records = 0;
  for (;;) {
    const rows: Array<{ id: string; sequence: number; hash: string; prev_hash: string | null; canonical: Buffer }> =
      await db('records')
        .where('sequence', '>', previous?.sequence ?? 0)
        .orderBy('sequence')
        .limit(batchSize)
        .select('id', 'sequence', 'hash', 'prev_hash', 'canonical');
    if (rows.length === 0) break;
    for (const row of rows) {
      const record: StoredRecord = {
        id: row.id,
        sequence: row.sequence,
        hash: row.hash,
        prevHash: row.prev_hash,
        canonical: row.canonical,
      };
      // A gap in sequence numbers means a record was removed: the link check names it.
      const expectedPrevious = previous && previous.sequence === record.sequence - 1 ? previous : null;
      for (const check of verifyRecord(record, expectedPrevious)) {
        if (!check.ok)
          breaks.push({ recordId: record.id, sequence: record.sequence, check: check.name, detail: check.detail });
      }
      previous = record;
      records += 1;
    }
  }
  return {
    valid: breaks.length === 0,
    records,
    head: previous ? { sequence: previous.sequence, hash: previous.hash } : null,
    breaks,
  };
}
