/**
 * Evidence files: the bytes of a photo, document or signature, streamed in by the staff member who
 * claimed the Job and stored content-addressed in Postgres as they arrive (db/evidence-files.ts). The
 * server computes the SHA-256 as the bytes arrive; an evidence entry (POST /v1/service-events/:id/evidence)
 * then references that hash, and goes through the workflow like any other evidence. The upload itself
 * is storage, not a change of the Intake: no workflow is involved and nothing is sealed by it.
 *
 * - The body is the file, its media type the Content-Type; no other content coding than identity.
 * - EVIDENCE_FILE_LIMIT bounds it (20 MB by default): a declared Content-Length beyond it is refused
 *   before a byte is read, and a streamed body as soon as it passes the limit (413).
 * - EVIDENCE_UPLOAD_CONCURRENCY bounds the uploads in progress (each holds a database connection
 *   while it streams): beyond it, 503 with Retry-After before a byte is read.
 * - `?sha256=<hex>` optionally names the hash the client computed: bytes that hash otherwise are
 *   refused (400) and nothing is stored.
 * - Each upload keeps its own media type; the answer never says whether the same bytes came before.
 * - Read back by those who may read a ServiceEvent it was uploaded to (404 to anyone else, as for a
 *   hash never stored), with that upload's media type, Content-Length, an ETag (the hash), immutable
 *   private caching, nosniff, a sandboxing CSP and `Content-Disposition: attachment`, so that an
 *   uploaded HTML or SVG file is never rendered in the API's origin.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { fileContent, readableFile, storeUpload } from '../../db/evidence-files';
import { sha256Hex } from '../../domain/schemas';
import { allow, mustExist, type ApiDeps } from '../deps';
import { isOperatorOf } from '../../domain/read-access';
import { badRequest, conflict, HttpError } from '../errors';
import { problemSchema, type ApiRoutes } from '../route';
import { idParams } from '../schemas';

const storedFileSchema = z
  .object({
    sha256: sha256Hex.openapi({ description: 'SHA-256 of the bytes, as the server computed it' }),
    size: z.number().int().openapi({ description: 'Bytes' }),
    mediaType: z.string().openapi({
      description:
        'This upload’s media type: what the file is served as to its uploader and the readers of this upload',
    }),
    serviceEventId: z.uuid(),
    uploadedAt: z.string(),
  })
  .openapi('EvidenceFile');

const problem = (description: string) => ({
  description,
  schema: problemSchema,
  contentType: 'application/problem+json',
});

/** type/subtype (RFC 6838 names) with optional parameters, which are not kept. */
const MEDIA_TYPE = /^([a-z0-9][a-z0-9!#$&^_.+-]{0,126})\/([a-z0-9][a-z0-9!#$&^_.+-]{0,126})\s*(;.*)?$/i;

const EXTENSIONS: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'image/heic': 'heic',
  'application/pdf': 'pdf',
  'text/plain': 'txt',
};

const tooLarge = (limit: number) =>
  // The rest of the body is not read: the connection is closed after the answer.
  new HttpError(
    413,
    'Content Too Large',
    `the file exceeds the limit of ${limit} bytes (EVIDENCE_FILE_LIMIT)`,
    undefined,
    {
      Connection: 'close',
    },
  );

const busy = (cap: number) =>
  // The body is not read: the connection is closed after the answer.
  new HttpError(
    503,
    'Service Unavailable',
    `${cap} uploads are in progress, as many as this server takes at once (EVIDENCE_UPLOAD_CONCURRENCY); retry shortly`,
    undefined,
    { 'Retry-After': '2', Connection: 'close' },
  );

export function evidenceFileRoutes(api: ApiRoutes, deps: ApiDeps): void {
  const limit = deps.config.EVIDENCE_FILE_LIMIT;
  const cap = deps.config.EVIDENCE_UPLOAD_CONCURRENCY;
  let uploading = 0;

  api.add({
    method: 'post',
    path: '/v1/service-events/:id/evidence/files',
    operationId: 'uploadEvidenceFile',
    tag: 'Execution',
    summary: 'Upload an evidence file',
    description:
      'The body is the file, its media type the Content-Type, from the staff member who claimed the Job. The server ' +
      'computes its SHA-256 while storing it as it streams in; reference the hash from an evidence entry ' +
      '(`POST /v1/service-events/{id}/evidence`, kind photo, document or signature). With `?sha256=`, bytes that ' +
      `hash otherwise are refused. At most EVIDENCE_FILE_LIMIT bytes (default 20 MB): 413 as soon as a body passes it; ` +
      'at most EVIDENCE_UPLOAD_CONCURRENCY uploads at once: 503 with Retry-After beyond.',
    auth: ['operator'],
    params: idParams,
    query: z.object({
      sha256: sha256Hex
        .optional()
        .openapi({ description: 'The SHA-256 the client computed; checked against the bytes' }),
    }),
    streamedBody: { description: 'The file’s bytes' },
    responses: {
      201: { description: 'Stored: its hash, size and this upload’s media type', schema: storedFileSchema },
      409: problem('The ServiceEvent is closed: it takes no more evidence'),
      413: problem('The file is larger than EVIDENCE_FILE_LIMIT'),
      415: problem('No media type, or a Content-Encoding other than identity'),
      503: problem('As many uploads as EVIDENCE_UPLOAD_CONCURRENCY are in progress: retry after Retry-After'),
    },
    handler: async ({ params, query, principal, req }) => {
      const se = mustExist(await deps.readModel.serviceEvent(params.id), 'service event');
      const p = principal!;
      allow(isOperatorOf(p, se.operatorId), 'only the operator assigned to this job may add evidence to it');
      // As for the evidence entries themselves: the one who claimed (and so started) the Job.
      allow(se.openedBy === p.sub, 'only the staff member who claimed the job may add evidence to it');
      if (se.status !== 'open') throw conflict('the service event is closed: it takes no more evidence');

      const coding = String(req.headers['content-encoding'] ?? 'identity').toLowerCase();
      if (coding !== 'identity')
        throw new HttpError(
          415,
          'Unsupported Media Type',
          `send the file as it is (Content-Encoding identity, not ${coding})`,
        );
      const match = MEDIA_TYPE.exec(req.headers['content-type'] ?? '');
      if (!match)
        throw new HttpError(
          415,
          'Unsupported Media Type',
          'send the file’s media type as Content-Type (application/octet-stream if unknown)',
        );
      const mediaType = `${match[1]}/${match[2]}`.toLowerCase();
      const declared = req.headers['content-length'];
      if (declared !== undefined && Number(declared) > limit) throw tooLarge(limit);

      if (uploading >= cap) throw busy(cap);
      uploading += 1;
      try {
        const hash = createHash('sha256');
        let size = 0;
        // Counted and hashed on their way to storage, which writes them as they come.
        async function* counted(): AsyncGenerator<Buffer> {
          for await (const chunk of req as AsyncIterable<Buffer>) {
            size += chunk.length;
            if (size > limit) throw tooLarge(limit);
            hash.update(chunk);
            yield chunk;
          }
        }
        const stored = await storeUpload(
          deps.db,
          { mediaType, serviceEventId: se.id, operatorId: se.operatorId, uploadedBy: p.sub },
          counted(),
          () => {
            if (size === 0) throw badRequest('the file is empty', [{ path: 'body', message: 'must not be empty' }]);
            const sha256 = hash.digest('hex');
            if (query.sha256 !== undefined && query.sha256 !== sha256)
              throw badRequest(
                `the bytes hash to ${sha256}, not to the sha256 given (${query.sha256}); nothing was stored`,
                [{ path: 'query.sha256', message: `does not match the bytes (they hash to ${sha256})` }],
              );
            return { sha256, size };
          },
        );
        return {
          status: 201,
          body: { ...stored, serviceEventId: se.id },
          headers: { Location: `/v1/evidence-files/${stored.sha256}` },
        };
      } finally {
        uploading -= 1;
      }
    },
  });

  api.add({
    method: 'get',
    path: '/v1/evidence-files/:sha256',
    operationId: 'getEvidenceFile',
    tag: 'Execution',
    summary: 'Read an evidence file',
    description:
      'The file’s bytes with the media type of its upload, Content-Length and ETag (its hash), cacheable privately ' +
      'for good (the bytes of a hash never change). Readable by admins, by the operator of a ServiceEvent it was ' +
      'uploaded to, and by the requester of that Intake once the ServiceEvent’s evidence references it; 404 to anyone ' +
      'else, as for a hash never stored. Always served as an attachment with nosniff and a sandboxing CSP, so no ' +
      'uploaded HTML or SVG runs in the API’s origin.',
    auth: ['requester', 'operator', 'admin'],
    params: z.object({ sha256: sha256Hex }),
    responses: {
      200: {
        description: 'The bytes',
        schema: z.string().openapi({ format: 'binary' }),
        contentType: 'application/octet-stream',
      },
    },
    handler: async ({ params, principal }) => {
      // The same answer whether the file is not stored or not readable: no oracle for what exists.
      const info = mustExist(await readableFile(deps.db, params.sha256, principal!), 'evidence file');
      const content = mustExist(await fileContent(deps.db, params.sha256), 'evidence file');
      const extension = EXTENSIONS[info.mediaType] ?? 'bin';
      return {
        status: 200,
        raw: { type: info.mediaType, content },
        headers: {
          ETag: `"${info.sha256}"`,
          'Cache-Control': 'private, max-age=31536000, immutable',
          'Content-Disposition': `attachment; filename="${info.sha256}.${extension}"`,
          'Content-Security-Policy': "default-src 'none'; sandbox",
          'Cross-Origin-Resource-Policy': 'same-origin',
          'X-Content-Type-Options': 'nosniff',
        },
      };
    },
  });
}
