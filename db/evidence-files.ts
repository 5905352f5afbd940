/**
 * Content-addressed evidence files (migration 008): the bytes stored once per SHA-256, and each
 * upload of them to a ServiceEvent. Who may read a file is decided here from those rows.
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { Principal } from '../domain/schemas';

export interface StoredFile {
  sha256: string;
  size: number;
  mediaType: string;
}

export interface NewUpload extends StoredFile {
  content: Buffer;
  serviceEventId: string;
  operatorId: string;
  uploadedBy: string;
}

/** Stores the bytes unless they are already stored, and the upload; answers what is stored. */
export async function storeUpload(
  db: Knex,
  upload: NewUpload,
): Promise<StoredFile & { deduplicated: boolean; uploadedAt: string }> {
  return db.transaction(async (trx) => {
    const now = new Date();
    const inserted = await trx('evidence_files')
      .insert({
        sha256: upload.sha256,
        size: upload.size,
        media_type: upload.mediaType,
        content: upload.content,
        created_at: now,
      })
      .onConflict('sha256')
      .ignore()
      .returning('sha256');
    const stored = (await trx('evidence_files').where({ sha256: upload.sha256 }).first('size', 'media_type')) as {
      size: number;
      media_type: string;
    };
    await trx('evidence_file_uploads')
      .insert({
        id: randomUUID(),
        sha256: upload.sha256,
        service_event_id: upload.serviceEventId,
        operator_id: upload.operatorId,
        uploaded_by_sub: upload.uploadedBy,
        media_type: upload.mediaType,
        uploaded_at: now,
      })
      .onConflict(['sha256', 'service_event_id'])
      .ignore();
    return {
      sha256: upload.sha256,
      size: Number(stored.size),
      mediaType: stored.media_type,
      deduplicated: inserted.length === 0,
      uploadedAt: now.toISOString(),
    };
  });
}

export async function fileInfo(db: Knex, sha256: string): Promise<StoredFile | null> {
  const row = await db('evidence_files').where({ sha256 }).first('sha256', 'size', 'media_type');
  return row ? { sha256: row.sha256, size: Number(row.size), mediaType: row.media_type } : null;
}

export async function fileContent(db: Knex, sha256: string): Promise<Buffer | null> {
  const row = await db('evidence_files').where({ sha256 }).first('content');
  return row ? (row.content as Buffer) : null;
}

/**
 * Who may read a file: a file is read through a ServiceEvent it was uploaded to. Admins may read
 * every ServiceEvent; that ServiceEvent's operator may read what was uploaded to it (before and
 * after it became evidence); the requester of its Intake, who sees that ServiceEvent's evidence in
 * GET /v1/intakes/:id and the hashes in the Record, may read the files its evidence references.
 * An evidence entry naming a hash does not by itself open the file to anyone: knowing a hash is
 * not a right to the bytes (another operator could otherwise name any hash it learned).
 */
export async function mayReadFile(db: Knex, sha256: string, p: Principal): Promise<boolean> {
  if (p.role === 'admin') return true;
  const uploads = db('evidence_file_uploads as u').where('u.sha256', sha256);
  if (p.role === 'operator') {
    return (await uploads.where('u.operator_id', p.operatorId ?? '').first('u.id')) !== undefined;
  }
  const found = await uploads
    .join('service_events as s', 's.id', 'u.service_event_id')
    .join('intakes as i', 'i.id', 's.intake_id')
    .where({ 'i.requester_sub': p.sub, 'i.requester_role': p.role })
    .whereExists((q) =>
      q.select(db.raw('1')).from('evidence as e').whereRaw('e.service_event_id = u.service_event_id').andWhere({
        'e.sha256': sha256,
      }),
    )
    .first('u.id');
  return found !== undefined;
}
