/**
 * The transparency log of Records: signed checkpoints, inclusion proofs of Records and
 * consistency proofs between tree sizes.
 *
 * Who may read: checkpoints and consistency proofs are public, because they carry only sizes and
 * hashes and exist so that anyone (auditors, witnesses) can check that the log only grows. An
 * inclusion proof names a Record and its position, so it is readable by exactly those who may read
 * that Record (its requester, its operator, admins): they are the ones holding the Record's bytes.
 */
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import { checkpointAt, consistencyProof, latestCheckpoint, type StoredCheckpoint } from '../../db/merkle-log';
import { isRefusal, proveRecord } from '../../db/log-proofs';
import { checkpointNow } from '../../lib/checkpoint-schedule';
import { ed25519PublicKeyFromJwk, noteKeyId, verifierKey } from '../../trust/checkpoint';
import { allow, isAdmin, isOperator, mustExist, type ApiDeps } from '../deps';
import { badRequest, conflict, HttpError, notFound } from '../errors';
import { problemSchema, type ApiRoutes } from '../route';
import { idParams } from '../schemas';

const treeSizeSchema = z.coerce
  .number({ message: 'must be a number' })
  .int({ message: 'must be a whole number' })
  .min(1, { message: 'must be at least 1' })
  .max(Number.MAX_SAFE_INTEGER, { message: 'is too large' });

const hex32 = z.string().regex(/^[0-9a-f]{64}$/);

const checkpointSchema = z
  .object({
    origin: z.string(),
    treeSize: z.number().int(),
    rootHash: hex32.openapi({ description: 'Root hash, hex (the note carries it in base64)' }),
    note: z.string().openapi({ description: 'The C2SP signed note, exactly as signed' }),
    keyName: z.string(),
    keyId: z.string().openapi({ description: 'Signed-note key id, hex' }),
    verifierKey: z.string().nullable().openapi({
      description:
        'The note verifier key (name+id+base64(0x01 ‖ Ed25519 public key)), the key of /.well-known/jwks.json; null if an earlier key signed this checkpoint',
    }),
    createdAt: z.string(),
  })
  .openapi('LogCheckpoint');

const proofSchema = z
  .object({
    recordId: z.uuid(),
    leafIndex: z.number().int(),
    treeSize: z.number().int(),
    leafHash: hex32.openapi({ description: 'SHA-256(0x00 ‖ the Record’s stored canonical bytes), hex' }),
    rootHash: hex32,
    auditPath: z.array(hex32).openapi({ description: 'RFC 9162 inclusion path, nearest the leaf first' }),
    checkpoint: z.string().openapi({ description: 'The signed checkpoint note of this tree size' }),
  })
  .openapi('RecordInclusionProof');

const problem = (description: string) => ({
  description,
  schema: problemSchema,
  contentType: 'application/problem+json',
});

const consistencySchema = z
  .object({ from: z.number().int(), to: z.number().int(), proof: z.array(hex32) })
  .openapi('LogConsistencyProof');

export function logRoutes(api: ApiRoutes, deps: ApiDeps): void {
  const publicKey = ed25519PublicKeyFromJwk(deps.signingKey.publicJwk)!;
  const view = (c: StoredCheckpoint) => ({
    // Only vouch for the current key when it is the one that signed.
    verifierKey: noteKeyId(c.keyName, publicKey).toString('hex') === c.keyId ? verifierKey(c.keyName, publicKey) : null,
    origin: c.origin,
    treeSize: c.treeSize,
    rootHash: c.rootHash.toString('hex'),
    note: c.note,
    keyName: c.keyName,
    keyId: c.keyId,
    createdAt: c.createdAt,
  });

  api.add({
    method: 'get',
    path: '/v1/log/checkpoint',
    operationId: 'getLogCheckpoint',
    tag: 'Transparency log',
    summary: 'The latest signed checkpoint of the Record log',
    description:
      'A C2SP tlog-checkpoint signed note (text/plain) by default, as transparency-log tools expect. ' +
      'With `?format=json` or `Accept: application/json`: the same note with its parsed fields and the verifier key.',
    auth: 'public',
    query: z.object({ format: z.enum(['note', 'json']).optional() }),
    responses: {
      200: { description: 'The signed note', schema: z.string(), contentType: 'text/plain' },
      404: problem('No checkpoint has been made yet'),
    },
    handler: async ({ query, req }) => {
      const latest = await latestCheckpoint(deps.db);
      if (!latest) throw notFound('no checkpoint has been made yet');
      const json =
        query.format === 'json' ||
        (query.format === undefined && req.accepts(['text/plain', 'application/json']) === 'application/json');
      const headers = { 'Cache-Control': 'no-cache', Vary: 'Accept' };
      return json
        ? { status: 200, body: view(latest), headers }
        : { status: 200, raw: { type: 'text/plain; charset=utf-8', content: latest.note }, headers };
    },
  });

  api.add({
    method: 'post',
    path: '/v1/log/checkpoint',
    operationId: 'signLogCheckpoint',
    tag: 'Transparency log',
    summary: 'Sign a checkpoint now',
    description:
      'Runs the checkpoint workflow (the one the Schedule runs) and answers with its result. 201 when a new checkpoint was signed, 200 when the log had not grown since the latest one.',
    auth: ['admin'],
    responses: {
      201: { description: 'A new checkpoint', schema: checkpointSchema },
      200: { description: 'The log had not grown: the latest checkpoint', schema: checkpointSchema },
    },
    handler: async () => {
      const made = await checkpointNow(deps.temporal, deps.config).catch((error: unknown) => {
        // The workflow refuses to sign over a log that no longer matches its last checkpoint.
        const cause = error instanceof WorkflowFailedError ? error.cause?.cause : undefined;
        if (cause instanceof ApplicationFailure && cause.type === 'QtmLogIntegrity')
          throw new HttpError(500, 'Log Integrity Failure', cause.message);
        throw error;
      });
      if (!made) throw conflict('the log is empty: there is nothing to checkpoint yet');
      const stored = mustExist(await checkpointAt(deps.db, made.treeSize), 'checkpoint');
      return { status: made.created ? 201 : 200, body: view(stored) };
    },
  });

  api.add({
    method: 'get',
    path: '/v1/records/:id/proof',
    operationId: 'getRecordProof',
    tag: 'Transparency log',
    summary: 'Inclusion proof of a Record',
    description:
      'Proves the Record’s leaf is in the latest checkpoint, or in the checkpoint of `treeSize`. 409 while the Record is not yet in that checkpoint.',
    auth: ['requester', 'operator', 'admin'],
    params: idParams,
    query: z.object({ treeSize: treeSizeSchema.optional() }),
    responses: {
      200: { description: 'The proof and the checkpoint it leads to', schema: proofSchema },
      404: problem('Unknown record, or no checkpoint of that tree size'),
      409: problem('The Record is not yet in a checkpoint (of that size)'),
    },
    handler: async ({ params, query, principal }) => {
      // The same rule as GET /v1/records/:id.
      const record = mustExist(await deps.readModel.record(params.id), 'record');
      const p = principal!;
      allow(
        isAdmin(p) || isOperator(p, record.operatorId) || (p.role === 'requester' && p.sub === record.requesterSub),
        'only the requester, the operator and admins may read this record',
      );
      const proof = await proveRecord(deps.db, params.id, query.treeSize);
      if (!isRefusal(proof)) return { status: 200, body: proof };
      throw proof.reason === 'unknown_checkpoint' ? notFound(proof.detail) : conflict(proof.detail);
    },
  });

  api.add({
    method: 'get',
    path: '/v1/log/consistency',
    operationId: 'getLogConsistencyProof',
    tag: 'Transparency log',
    summary: 'Consistency proof between two tree sizes',
    description:
      'RFC 9162 proof that the tree of size `to` extends the tree of size `from`. Both sizes must be within the latest checkpoint.',
    auth: 'public',
    query: z.object({ from: treeSizeSchema, to: treeSizeSchema }),
    responses: {
      200: { description: 'The proof (empty when from = to)', schema: consistencySchema },
      409: problem('`to` is beyond the latest checkpoint'),
    },
    handler: async ({ query }) => {
      if (query.from > query.to)
        throw badRequest('from must not exceed to', [
          { path: 'query.from', message: `must be at most to (${query.to})` },
        ]);
      const latest = await latestCheckpoint(deps.db);
      if (!latest || query.to > latest.treeSize)
        throw conflict(
          `tree size ${query.to} is not yet in a checkpoint (latest checkpoint: ${latest ? latest.treeSize : 'none'})`,
        );
      const proof = await consistencyProof(deps.db, query.from, query.to);
      return { status: 200, body: { from: query.from, to: query.to, proof: proof.map((h) => h.toString('hex')) } };
    },
  });
}
