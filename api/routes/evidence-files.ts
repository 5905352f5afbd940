/**
 * Evidence files: the bytes of a photo, document or signature, streamed in by the ServiceEvent's
 * operator and stored content-addressed in Postgres (db/evidence-files.ts). The server computes
 * the SHA-256 as the bytes arrive; an evidence entry (POST /v1/service-events/:id/evidence) then
 * references that hash, and goes through the workflow like any other evidence. The upload itself
 * is storage, not a change of the Intake: no workflow is involved and nothing is sealed by it.
 *
 * - The body is the file, its media type the Content-Type; no other content coding than identity.
 * - EVIDENCE_FILE_LIMIT bounds it (20 MB by default): a declared Content-Length beyond it is refused
 *   before a byte is read, and a streamed body as soon as it passes the limit (413).
 * - `?sha256=<hex>` optionally names the hash the client computed: bytes that hash otherwise are
 *   refused (400) and nothing is stored.
 * - Served back with its media type, Content-Length, an ETag (the hash), immutable private caching,
 *   nosniff, a sandboxing CSP and `Content-Disposition: attachment`, so that an uploaded HTML or SVG
 *   file is never rendered in the API's origin.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { fileContent, fileInfo, mayReadFile, storeUpload } from '../../db/evidence-files';
import { sha256Hex } from '../../domain/schemas';
import { allow, isOperator, mustExist, type ApiDeps } from '../deps';
import { badRequest, conflict, forbidden, HttpError } from '../errors';
import { problemSchema, type ApiRoutes } from '../route';
import { idParams } from '../schemas';

const storedFileSchema = z
  .object({
    sha256: sha256Hex.openapi({ description: 'SHA-256 of the bytes, as the server computed it' }),
    size: z.number().int().openapi({ description: 'Bytes' }),
    mediaType: z.string().openapi({
      description: 'The media type it is served as (that of its first upload, when the same bytes came before)',
    }),
    deduplicated: z.boolean().openapi({ description: 'The same bytes were already stored; they are stored once' }),
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

export function evidenceFileRoutes(api: ApiRoutes, deps: ApiDeps): void {
  const limit = deps.config.EVIDENCE_FILE_LIMIT;

  api.add({
    method: 'post',
    path: '/v1/service-events/:id/evidence/files',
    operationId: 'uploadEvidenceFile',
    tag: 'Execution',
    summary: 'Upload an evidence file',
    description:
      'The body is the file, its media type the Content-Type. The server computes its SHA-256 while storing it ' +
      'content-addressed (the same bytes are stored once); reference the hash from an evidence entry ' +
      '(`POST /v1/service-events/{id}/evidence`, kind photo, document or signature). With `?sha256=`, bytes that ' +
      `hash otherwise are refused. At most EVIDENCE_FILE_LIMIT bytes (default 20 MB): 413 as soon as a body passes it.`,
    auth: ['operator'],
    params: idParams,
    query: z.object({
      sha256: sha256Hex
        .optional()
        .openapi({ description: 'The SHA-256 the client computed; checked against the bytes' }),
    }),
    streamedBody: { description: 'The file’s bytes' },
    responses: {
      201: { description: 'Stored (or already stored): its hash, size and media type', schema: storedFileSchema },
      409: problem('The ServiceEvent is closed: it takes no more evidence'),
      413: problem('The file is larger than EVIDENCE_FILE_LIMIT'),
      415: problem('No media type, or a Content-Encoding other than identity'),
    },
    handler: async ({ params, query, principal, req }) => {
      const se = mustExist(await deps.readModel.serviceEvent(params.id), 'service event');
      allow(
        isOperator(principal!, se.operatorId),
        `only operator ${se.operatorId} may add evidence to this service event`,
      );
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

      const hash = createHash('sha256');
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of req as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > limit) throw tooLarge(limit);
        hash.update(chunk);
        chunks.push(chunk);
      }
      if (size === 0) throw badRequest('the file is empty', [{ path: 'body', message: 'must not be empty' }]);
      const sha256 = hash.digest('hex');
      if (query.sha256 !== undefined && query.sha256 !== sha256)
        throw badRequest(`the bytes hash to ${sha256}, not to the sha256 given (${query.sha256}); nothing was stored`, [
          { path: 'query.sha256', message: `does not match the bytes (they hash to ${sha256})` },
        ]);

      const stored = await storeUpload(deps.db, {
        sha256,
        size,
        mediaType,
        content: Buffer.concat(chunks, size),
        serviceEventId: se.id,
        operatorId: se.operatorId,
        uploadedBy: principal!.sub,
      });
      return {
        status: 201,
        body: { ...stored, serviceEventId: se.id },
        headers: { Location: `/v1/evidence-files/${sha256}` },
      };
    },
  });

  api.add({
    method: 'get',
    path: '/v1/evidence-files/:sha256',
    operationId: 'getEvidenceFile',
    tag: 'Execution',
    summary: 'Read an evidence file',
    description:
      'The file’s bytes with its media type, Content-Length and ETag (its hash), cacheable privately for good (the ' +
      'bytes of a hash never change). Readable by admins, by the operator of a ServiceEvent it was uploaded to, and ' +
      'by the requester of that Intake once the ServiceEvent’s evidence references it. Always served as an ' +
      'attachment with nosniff and a sandboxing CSP, so no uploaded HTML or SVG runs in the API’s origin.',
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
      const info = mustExist(await fileInfo(deps.db, params.sha256), 'evidence file');
      if (!(await mayReadFile(deps.db, params.sha256, principal!)))
        throw forbidden(
          'only admins, the operator it was uploaded for and the requester whose evidence it is may read this file',
        );
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
