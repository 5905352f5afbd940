/**
 * Content-addressed evidence files (migrations 008 and 012): the bytes stored once per SHA-256, as
 * chunks written while they stream in, and each upload of them to a ServiceEvent with its own
 * media type. Who may read a file, and as what, is decided here from those rows.
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { Principal } from '../domain/schemas';
import { isoOf } from './timestamps';

/** Bytes gathered before one chunk row is written: few round trips, little held in memory. */
const CHUNK_BYTES = 256 * 1024;

export interface StoredFile {
  sha256: string;
  size: number;
  /** The media type of the upload this answer is about (each upload keeps its own). */
  mediaType: string;
}

export interface UploadTarget {
  mediaType: string;
  serviceEventId: string;
  operatorId: string;
  uploadedBy: string;
}

/**
 * Streams `bytes` into storage in one transaction and records the upload. `seal` is called once
 * the bytes have ended: it answers their hash and size, or throws (a hash other than the client
 * named, an empty file), and so does `bytes` (too large): either way the transaction is rolled
 * back and nothing is stored. Bytes already stored are kept once (this copy is dropped), which the
 * answer does not tell: whether someone else sent the same bytes is not the uploader's to know.
 */
export async function storeUpload(
  db: Knex,
  upload: UploadTarget,
  bytes: AsyncIterable<Buffer>,
  seal: () => { sha256: string; size: number },
): Promise<StoredFile & { uploadedAt: string }> {
  return db.transaction(async (trx) => {
    const blobId = randomUUID();
    await trx.raw('SAVEPOINT stored_content');
    let seq = 0;
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    const flush = async () => {
      if (pendingBytes === 0) return;
      await trx('evidence_file_chunks').insert({ blob_id: blobId, seq: seq++, data: Buffer.concat(pending) });
      pending = [];
      pendingBytes = 0;
    };
    for await (const chunk of bytes) {
      pending.push(chunk);
      pendingBytes += chunk.length;
      if (pendingBytes >= CHUNK_BYTES) await flush();
    }
    await flush();
    const { sha256, size } = seal();
    const now = new Date();
    const inserted = await trx('evidence_files')
      .insert({ sha256, size, blob_id: blobId, content: null, created_at: now })
      .onConflict('sha256')
      .ignore()
      .returning('sha256');
    if (inserted.length === 0) await trx.raw('ROLLBACK TO SAVEPOINT stored_content');
    await trx('evidence_file_uploads')
      .insert({
        id: randomUUID(),
        sha256,
        service_event_id: upload.serviceEventId,
        operator_id: upload.operatorId,
        uploaded_by_sub: upload.uploadedBy,
        media_type: upload.mediaType,
        uploaded_at: now,
      })
      // A retried upload of the same bytes to the same ServiceEvent is the same upload.
      .onConflict(['sha256', 'service_event_id'])
      .ignore();
    const row = await trx('evidence_file_uploads')
      .where({ sha256, service_event_id: upload.serviceEventId })
      .first('media_type', 'uploaded_at');
    return { sha256, size, mediaType: row.media_type, uploadedAt: isoOf(row.uploaded_at) };
  });
}

export async function fileContent(db: Knex, sha256: string): Promise<Buffer | null> {
  const row = await db('evidence_files').where({ sha256 }).first('content', 'blob_id');
  if (!row) return null;
  if (row.content) return row.content as Buffer;
  const chunks = await db('evidence_file_chunks').where({ blob_id: row.blob_id }).orderBy('seq').pluck('data');
  return Buffer.concat(chunks as Buffer[]);
}

/**
 * The file as `p` may read it, or null: a file is read through a ServiceEvent it was uploaded to,
 * with that upload's media type (the earliest such upload when there are several). Admins may read
 * every ServiceEvent; that ServiceEvent's operator may read what was uploaded to it (before and
 * after it became evidence); the requester of its Intake, who sees that ServiceEvent's evidence in
 * GET /v1/intakes/:id and the hashes in the Record, may read the files its evidence references.
 * An evidence entry naming a hash does not by itself open the file to anyone: knowing a hash is
 * not a right to the bytes (another operator could otherwise name any hash it learned).
 */
export async function readableFile(db: Knex, sha256: string, p: Principal): Promise<StoredFile | null> {
  const uploads = db('evidence_file_uploads as u')
    .join('evidence_files as f', 'f.sha256', 'u.sha256')
    .where('u.sha256', sha256)
    .orderBy([{ column: 'u.uploaded_at' }, { column: 'u.id' }]);
  if (p.role === 'operator') uploads.where('u.operator_id', p.operatorId ?? '');
  else if (p.role !== 'admin')
    uploads
      .join('service_events as s', 's.id', 'u.service_event_id')
      .join('intakes as i', 'i.id', 's.intake_id')
      .where({ 'i.requester_sub': p.sub, 'i.requester_role': p.role })
      .whereExists((q) =>
        q.select(db.raw('1')).from('evidence as e').whereRaw('e.service_event_id = u.service_event_id').andWhere({
          'e.sha256': sha256,
        }),
      );
  const row = await uploads.first('f.size', 'u.media_type');
  return row ? { sha256, size: Number(row.size), mediaType: row.media_type } : null;
}
