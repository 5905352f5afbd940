/**
 * The vault: the one place personal values are kept (guardrail 9; the tables of migration 010).
 *
 * commit() takes a body the API received, keeps each personal value as a disclosure and gives
 * back the body with references in their place, which is all the workflow, the rows, the audit
 * trail, webhooks and Records ever see. reveal() puts the values back into an answer for those
 * who may read it. erase() forgets an Actor's values for good.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { auditInsert } from './audit';
import type { ErasureReason } from '../domain/schemas';
import type { ActingPrincipal } from '../domain/views';
import { isoOf } from './timestamps';
import { digestOfRef, personalValuesOf, refsIn, replaceAt, resolveRefs, type PersonalInput } from '../domain/personal';
import { canonicalBytes, sha256Hex } from '../trust/canonical';
import { createDisclosure, openDisclosure, type NewDisclosure } from '../trust/disclosure';

/** Whose values these are: the intake they came with, and its Actor (the data subject). */
export interface Subject {
  intakeId: string;
  actorId: string;
}

export interface Committed<T> {
  body: T;
  /**
   * The body's fingerprint, which an Idempotency-Key's retry is compared by: an HMAC under the
   * intake's key when the body holds personal values (a plain hash could confirm a guess), else
   * its SHA-256.
   */
  fingerprint: string;
  /** The references this call created (to forget if the command is refused). */
  refs: string[];
}

export type Vault = ReturnType<typeof createVault>;

export interface ErasureRequest {
  actorId: string;
  reason: ErasureReason;
  reference?: string;
  by: ActingPrincipal;
  at: string;
}

export interface Erasure {
  actorId: string;
  erasedAt: string;
  valuesErased: number;
  filesErased: number;
  /** Records sealed before commitments (qtm.record/v1) that still hold this Actor's values: they cannot change. */
  recordsKeepingValues: number;
}

/** Keeps new disclosures of a subject's values (inside the caller's transaction, if it has one). */
export async function keepDisclosures(
  db: Knex | Knex.Transaction,
  subject: Subject,
  disclosures: Array<Pick<NewDisclosure, 'digest' | 'claim' | 'encoded'>>,
): Promise<void> {
  if (disclosures.length === 0) return;
  await db('personal_data').insert(
    disclosures.map((d) => ({
      digest: d.digest,
      intake_id: subject.intakeId,
      actor_id: subject.actorId,
      claim: d.claim,
      disclosure: d.encoded,
    })),
  );
}

/**
 * Deletes the evidence files uploaded to these intakes' ServiceEvents, except bytes that another
 * Actor's intake holds too (that upload is theirs). Returns how many files went.
 */
async function eraseFiles(trx: Knex.Transaction, intakeIds: string[]): Promise<number> {
  if (intakeIds.length === 0) return 0;
  const events = trx('service_events').whereIn('intake_id', intakeIds).select('id');
  const hashes: string[] = (await trx('evidence_file_uploads')
    .whereIn('service_event_id', events)
    .distinct()
    .pluck('sha256')) as string[];
  if (hashes.length === 0) return 0;
  await trx('evidence_file_uploads').whereIn('service_event_id', events).delete();
  const gone: Array<{ blob_id: string | null }> = await trx('evidence_files')
    .whereIn('sha256', hashes)
    .whereNotExists(trx('evidence_file_uploads as u').whereRaw('u.sha256 = evidence_files.sha256'))
    .delete()
    .returning('blob_id');
  // Files streamed in (migration 012) keep their bytes in chunks.
  const blobs = gone.map((f) => f.blob_id).filter((id): id is string => id !== null);
  if (blobs.length > 0) await trx('evidence_file_chunks').whereIn('blob_id', blobs).delete();
  return gone.length;
}

export function createVault(db: Knex) {
  /** The intake's key, made on first use; `actorId` is needed only before the intake row exists. */
  async function intakeKey(subject: Subject | { intakeId: string }): Promise<{ key: Buffer; actorId: string }> {
    const source =
      'actorId' in subject
        ? db.raw('SELECT ?::uuid, ?::uuid, ?::bytea', [subject.intakeId, subject.actorId, randomBytes(32)])
        : db.raw('SELECT id, actor_id, ?::bytea FROM intakes WHERE id = ?', [randomBytes(32), subject.intakeId]);
    // The new key, or the one there first. A racing insert that commits after this statement began is
    // invisible to its SELECT: the second attempt sees it.
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const { rows } = await db.raw(
        `WITH made AS (INSERT INTO intake_keys (intake_id, actor_id, key) ? ON CONFLICT (intake_id) DO NOTHING RETURNING key, actor_id)
         SELECT key, actor_id FROM made UNION ALL SELECT key, actor_id FROM intake_keys WHERE intake_id = ?`,
        [source, subject.intakeId],
      );
      if (rows[0]) return { key: rows[0].key as Buffer, actorId: rows[0].actor_id as string };
    }
    throw new Error(`intake ${subject.intakeId} does not exist`);
  }

  /** Looks the references up, each only among its own intake's values. */
  async function lookup(items: Array<{ intakeId: string; value: unknown }>): Promise<Map<string, unknown>> {
    const digests = [...new Set(items.flatMap(({ value }) => refsIn(value).map(digestOfRef)))];
    if (digests.length === 0) return new Map();
    const rows = await db('personal_data').whereIn('digest', digests).select('digest', 'intake_id', 'disclosure');
    const values = new Map<string, unknown>();
    for (const row of rows) {
      const opened = openDisclosure(row.disclosure);
      if (opened) values.set(`${row.intake_id}:${row.digest}`, opened.value);
    }
    return values;
  }

  return {
    intakeKey,

    /**
     * Forgets everything the system holds of an Actor's personal data, in one transaction: the
     * vault's values and its intakes' keys, and the evidence files of its intakes (the Records keep
     * their hashes). The audit trail of each intake records who erased, when and why, which also
     * sends `actor.erased` to webhook subscribers. Idempotent: when nothing is left to erase, the
     * latest erasure is the answer. Null for an unknown Actor.
     */
    async erase(request: ErasureRequest): Promise<Erasure | null> {
      return db.transaction(async (trx) => {
        const actor = await trx('actors').where({ id: request.actorId }).first('id');
        if (!actor) return null;
        // Erasures of one Actor one at a time, so a repeat sees the first's result.
        await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [`erasure:${request.actorId}`]);
        const intakeIds: string[] = (await trx('intakes').where({ actor_id: request.actorId }).pluck('id')) as string[];
        const values = await trx('personal_data').where({ actor_id: request.actorId }).delete();
        const keys = await trx('intake_keys').where({ actor_id: request.actorId }).delete();
        const files = await eraseFiles(trx, intakeIds);
        const legacy = await trx('records')
          .whereIn('intake_id', intakeIds)
          .andWhereRaw(`convert_from(canonical, 'UTF8')::jsonb->>'type' = 'qtm.record/v1'`)
          .count<{ n: string }[]>({ n: '*' });
        const recordsKeepingValues = Number(legacy[0]?.n ?? 0);
        if (values + keys + files === 0) {
          const last = await trx('erasures').where({ actor_id: request.actorId }).orderBy('id', 'desc').first();
          if (last) {
            return {
              actorId: request.actorId,
              erasedAt: isoOf(last.erased_at),
              valuesErased: 0,
              filesErased: 0,
              recordsKeepingValues,
            };
          }
        }
        const [erasure] = await trx('erasures')
          .insert({
            actor_id: request.actorId,
            reason: request.reason,
            reference: request.reference ?? null,
            by_sub: request.by.sub,
            by_role: request.by.role,
            values_erased: values,
            files_erased: files,
            erased_at: request.at,
          })
          .returning('id');
        await auditInsert(
          trx,
          intakeIds.map((intakeId) => ({
            intakeId,
            entity: 'actor' as const,
            entityId: request.actorId,
            action: 'actor.erased',
            by: request.by,
            at: request.at,
            details: { reason: request.reason, ...(request.reference ? { reference: request.reference } : {}) },
            dedupeKey: `${intakeId}:actor.erased:${erasure.id}`,
          })),
        );
        return {
          actorId: request.actorId,
          erasedAt: request.at,
          valuesErased: values,
          filesErased: files,
          recordsKeepingValues,
        };
      });
    },

    async commit<T>(subject: Subject | { intakeId: string }, input: PersonalInput, body: T): Promise<Committed<T>> {
      const values = personalValuesOf(input, body);
      if (values.length === 0) return { body, fingerprint: sha256Hex(canonicalBytes(body)), refs: [] };
      const { key, actorId } = await intakeKey(subject);
      const fingerprint = createHmac('sha256', key).update(canonicalBytes(body)).digest('hex');
      const disclosures = values.map((v) => ({ path: v.path, ...createDisclosure(v.claim, v.value) }));
      await keepDisclosures(db, { intakeId: subject.intakeId, actorId }, disclosures);
      return {
        body: replaceAt(body, new Map(disclosures.map((d) => [d.path, d.ref]))),
        fingerprint,
        refs: disclosures.map((d) => d.ref),
      };
    },

    /**
     * Actors with personal data still kept whose intakes all ended (sealed, rejected, withdrawn)
     * before `cutoff`: what the retention Schedule erases.
     */
    async expiredActors(cutoff: string, limit: number): Promise<string[]> {
      const { rows } = await db.raw(
        `SELECT a.id FROM actors a
          WHERE (EXISTS (SELECT 1 FROM personal_data p WHERE p.actor_id = a.id)
                 OR EXISTS (SELECT 1 FROM intake_keys k WHERE k.actor_id = a.id))
            AND NOT EXISTS (SELECT 1 FROM intakes i WHERE i.actor_id = a.id
                             AND (i.phase NOT IN ('sealed', 'rejected', 'withdrawn') OR i.updated_at > ?))
          ORDER BY a.id LIMIT ?`,
        [cutoff, limit],
      );
      return rows.map((r: { id: string }) => r.id);
    },

    /** Deletes values a refused command brought (nothing refers to them). */
    async forget(refs: string[]): Promise<void> {
      if (refs.length > 0) await db('personal_data').whereIn('digest', refs.map(digestOfRef)).delete();
    },

    /** `value` with the intake's references replaced by their values (null once erased). */
    async reveal<T>(intakeId: string, value: T): Promise<T> {
      const values = await lookup([{ intakeId, value }]);
      return resolveRefs(value, (ref) => values.get(`${intakeId}:${digestOfRef(ref)}`));
    },

    /** reveal() for a list of items of several intakes, in one query. */
    async revealEach<T>(items: T[], intakeIdOf: (item: T) => string): Promise<T[]> {
      const values = await lookup(items.map((value) => ({ intakeId: intakeIdOf(value), value })));
      return items.map((item) => resolveRefs(item, (ref) => values.get(`${intakeIdOf(item)}:${digestOfRef(ref)}`)));
    },

    /** The disclosures an intake's vault still holds for these digests (a sealed Record's). */
    async disclosures(intakeId: string, digests: string[]): Promise<Array<{ digest: string; disclosure: string }>> {
      if (digests.length === 0) return [];
      return db('personal_data')
        .where({ intake_id: intakeId })
        .whereIn('digest', digests)
        .orderBy('digest')
        .select('digest', 'disclosure');
    },
  };
}
