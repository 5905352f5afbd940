/** Sealed Records (and their verification), ⭐ Signals, and the public keys that verify them. */
import { z } from 'zod';
import { logChecksForRecord } from '../../db/log-proofs';
import { checkDisclosures, digestsIn } from '../../trust/disclosure';
import { verifyRecord } from '../../trust/record';
import { didDocument, SERVICE_ATTRIBUTION_CONTEXT, SIGNAL_CONTEXT_PATH } from '../../trust/did';
import { mayReadRecord } from '../../domain/read-access';
import { allow, mustExist, type ApiDeps } from '../deps';
import type { ApiRoutes, RouteSpec } from '../route';
import {
  idParams,
  operatorParams,
  pageOf,
  pageQuery,
  disclosuresResponseSchema,
  recordResponseSchema,
  signalResponseSchema,
  verifyResponseSchema,
} from '../schemas';
import type { Principal } from '../../domain/schemas';

const jwksSchema = z.object({ keys: z.array(z.record(z.string(), z.unknown())) }).openapi('JsonWebKeySet');

/** A JSON document served as-is under its own media type (DID, JSON-LD), cacheable for maxAge seconds. */
function documentReply(
  type: string,
  description: string,
  maxAge: number,
  document: () => unknown,
): Pick<RouteSpec<z.ZodObject, z.ZodObject, z.ZodUndefined>, 'responses' | 'handler'> {
  return {
    responses: { 200: { description, schema: z.record(z.string(), z.unknown()), contentType: type } },
    handler: async () => ({
      status: 200,
      raw: { type, content: JSON.stringify(document()) },
      headers: { 'Cache-Control': `public, max-age=${maxAge}` },
    }),
  };
}

export function trustRoutes(api: ApiRoutes, deps: ApiDeps): void {
  const { readModel } = deps;
  // Read when handling, not when declaring: declaring the routes touches no dependency (client:generate).
  const logPublicKeys = () => deps.keys.log.published.map((k) => k.publicKey);
  const signalKeys = () => deps.keys.signal.published;
  const readableRecord = async (id: string, p: Principal) => {
    const record = mustExist(await readModel.record(id), 'record');
    allow(mayReadRecord(record, p), 'only the requester, the operator and admins may read this record');
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
        ...(await logChecksForRecord(deps.db, stored.record, logPublicKeys())),
      ];
      return { status: 200, body: { valid: checks.every((c) => c.ok), recordId: params.id, checks } };
    },
  });

  api.add({
    method: 'get',
    path: '/v1/records/:id/disclosures',
    operationId: 'getRecordDisclosures',
    tag: 'Trust',
    summary: 'The disclosures that open a Record’s commitments',
    description:
      'A v2 Record commits to each personal value by a salted digest (SD-JWT, RFC 9901). Each disclosure here opens one of them: hand it to a third party with the Record and `qtm-verify --record … --disclosure …` shows that the Record committed to that value, and nothing else. Values erased since (POST /v1/actors/{actorId}/erasure) have no disclosure any more; the Record still verifies.',
    auth: ['requester', 'operator', 'admin'],
    params: idParams,
    responses: { 200: { description: 'What the vault still holds for the Record', schema: disclosuresResponseSchema } },
    handler: async ({ params, principal }) => {
      const r = await readableRecord(params.id, principal!);
      const document = r.record as Record<string, unknown>;
      const kept = await deps.vault.disclosures(r.intakeId, digestsIn(document));
      const disclosed = checkDisclosures(
        document,
        kept.map((k) => k.disclosure),
      ).flatMap((d) => (d.ok ? [{ path: d.claim.path, claim: d.claim.claim, disclosure: d.encoded }] : []));
      return { status: 200, body: { recordId: r.id, committed: digestsIn(document).length, disclosures: disclosed } };
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
    description:
      'Every key that has signed Signals: the current one and the retired ones, each with its validity period as `nbf` / `exp` (NumericDate), so that Signals issued before a rotation still verify offline. Checkpoints are signed by other keys: GET /v1/log/keys.',
    auth: 'public',
    responses: { 200: { description: 'JSON Web Key Set', schema: jwksSchema } },
    handler: async () => ({
      status: 200,
      body: { keys: signalKeys().map((k) => k.publicJwk) },
      headers: { 'Cache-Control': 'public, max-age=300' },
    }),
  });

  api.add({
    method: 'get',
    path: '/.well-known/did.json',
    operationId: 'getDidDocument',
    tag: 'Trust',
    summary: 'DID document of the Signal issuer',
    description:
      'The did:web document of the issuer named in every Signal (did:web of PUBLIC_BASE_URL’s host, or SIGNAL_ISSUER): its Signal keys, current and retired, as JsonWebKey verification methods for assertions.',
    auth: 'public',
    ...documentReply('application/did+json', 'DID document', 300, () =>
      didDocument(deps.config.SIGNAL_ISSUER, signalKeys()),
    ),
  });

  api.add({
    method: 'get',
    path: SIGNAL_CONTEXT_PATH,
    operationId: 'getSignalContext',
    tag: 'Trust',
    summary: 'JSON-LD context of ⭐ Signals',
    description: 'The context document of the credential’s second `@context` URL: the terms of QtmServiceAttribution.',
    auth: 'public',
    ...documentReply('application/ld+json', 'JSON-LD context', 86400, () => SERVICE_ATTRIBUTION_CONTEXT),
  });
}
