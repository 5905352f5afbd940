/** Sealed Records (and their verification), ⭐ Signals, and the public keys that verify them. */
import { z } from 'zod';
import { logChecksForRecord } from '../../db/log-proofs';
import { ed25519PublicKeyFromJwk } from '../../trust/checkpoint';
import { verifyRecord } from '../../trust/record';
import { allow, isAdmin, isOperator, mustExist, type ApiDeps } from '../deps';
import type { ApiRoutes } from '../route';
import {
  idParams,
  operatorParams,
  pageOf,
  pageQuery,
  recordResponseSchema,
  signalResponseSchema,
  verifyResponseSchema,
} from '../schemas';
import type { Principal } from '../../domain/schemas';
import type { RecordView } from '../../db/read-model';

const jwksSchema = z.object({ keys: z.array(z.record(z.string(), z.unknown())) }).openapi('JsonWebKeySet');

export function trustRoutes(api: ApiRoutes, deps: ApiDeps): void {
  const { readModel } = deps;
  const logPublicKey = ed25519PublicKeyFromJwk(deps.signingKey.publicJwk)!;
  const mayRead = (record: RecordView, p: Principal) =>
    isAdmin(p) || isOperator(p, record.operatorId) || (p.role === 'requester' && p.sub === record.requesterSub);
  const readableRecord = async (id: string, p: Principal) => {
    const record = mustExist(await readModel.record(id), 'record');
    allow(mayRead(record, p), 'only the requester, the operator and admins may read this record');
    return record;
  };

  api.add({
    method: 'get',
    path: '/v1/records/:id',
    operationId: 'getRecord',
    tag: 'Trust',
    summary: 'Read a sealed Record',
    auth: ['requester', 'operator', 'admin'],
    params: idParams,
    responses: {
      200: {
        description: 'The qtm.record/v1 document, its hash, chain link and sequence',
        schema: recordResponseSchema,
      },
    },
    handler: async ({ params, principal }) => {
      const r = await readableRecord(params.id, principal!);
      return {
        status: 200,
        body: {
          id: r.id,
          record: r.record,
          hash: r.hash,
          prevHash: r.prevHash,
          sequence: r.sequence,
          sealedAt: r.sealedAt,
          canonicalBase64: r.canonicalBase64,
        },
      };
    },
  });

  api.add({
    method: 'get',
    path: '/v1/records/:id/verify',
    operationId: 'verifyRecord',
    tag: 'Trust',
    summary: 'Verify a Record’s hash and chain link',
    description:
      'Recomputes SHA-256 over the stored canonical bytes and checks the link to the previous Record, then that the bytes are still the leaf appended to the transparency log and included in its latest signed checkpoint.',
    auth: ['requester', 'operator', 'admin'],
    params: idParams,
    responses: { 200: { description: 'Each check and the verdict', schema: verifyResponseSchema } },
    handler: async ({ params, principal }) => {
      await readableRecord(params.id, principal!);
      const stored = mustExist(await readModel.storedRecordWithPrevious(params.id), 'record');
      const checks = [
        ...verifyRecord(stored.record, stored.previous),
        ...(await logChecksForRecord(deps.db, stored.record, logPublicKey)),
      ];
      return { status: 200, body: { valid: checks.every((c) => c.ok), recordId: params.id, checks } };
    },
  });

  api.add({
    method: 'get',
    path: '/v1/signals/:id',
    operationId: 'getSignal',
    tag: 'Trust',
    summary: 'Read a ⭐ Signal',
    description:
      'The decoded Verifiable Credential and its signed compact JWS (typ vc+jwt, EdDSA). Advisory attribution, never a score.',
    auth: 'public',
    params: idParams,
    responses: { 200: { description: 'The Signal', schema: signalResponseSchema } },
    handler: async ({ params }) => ({ status: 200, body: mustExist(await readModel.signal(params.id), 'signal') }),
  });

  api.add({
    method: 'get',
    path: '/v1/operators/:operatorId/signals',
    operationId: 'listOperatorSignals',
    tag: 'Trust',
    summary: 'List an operator’s ⭐ Signals',
    auth: 'public',
    params: operatorParams,
    query: pageQuery,
    responses: {
      200: { description: 'A page of signals, oldest first', schema: pageOf(signalResponseSchema, 'SignalPage') },
    },
    handler: async ({ params, query }) => ({ status: 200, body: await readModel.signals(params.operatorId, query) }),
  });

  api.add({
    method: 'get',
    path: '/.well-known/jwks.json',
    operationId: 'getJwks',
    tag: 'Trust',
    summary: 'Public keys that verify Signals',
    auth: 'public',
    responses: { 200: { description: 'JSON Web Key Set', schema: jwksSchema } },
    handler: async () => ({
      status: 200,
      body: { keys: [deps.signingKey.publicJwk] },
      headers: { 'Cache-Control': 'public, max-age=300' },
    }),
  });
}
