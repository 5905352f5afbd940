/**
 * The ⭐ Signal: a W3C Verifiable Credential 2.0 secured as a compact JWS (typ vc+jwt,
 * EdDSA over Ed25519). It attributes recorded, completed work to an operator and says
 * what was done and when. By design it carries no score, rating or rank.
 */
import { compactVerify, CompactSign, createLocalJWKSet, type JSONWebKeySet } from 'jose';
import { publicCategory } from '../domain/schemas';
import { canonicalBytes } from './canonical';
import type { SigningKey } from './keys';

export const SIGNAL_TYPE = ['VerifiableCredential', 'QtmServiceAttribution'] as const;
export const SIGNAL_CONTEXT = [
  'https://www.w3.org/ns/credentials/v2',
  'https://qtm.local/ns/service-attribution/v1',
] as const;

/** The recorded, completed work a Signal attributes: given in its facts, stated in its credential. */
export interface AttributedWork {
  /** One of domain/schemas.ts CATEGORIES in the credential (anything else is stated as `other`). */
  category: string;
  completedAt: string;
  intakeId: string;
  jobId: string;
  serviceEventId: string;
  recordId: string;
  /** Hex in the facts; `sha256:<hex>` in the credential. */
  recordHash: string;
  recordSequence: number;
  /** Index of the Record's leaf in the transparency log, when it has one. */
  logLeafIndex?: number;
}

export interface SignalFacts extends AttributedWork {
  signalId: string;
  issuer: string;
  operatorId: string;
  sealedAt: string;
}

export interface SignalDocument {
  '@context': string[];
  id: string;
  type: string[];
  issuer: string;
  validFrom: string;
  credentialSubject: {
    id: string;
    operatorId: string;
    attribution: AttributedWork & { statement: string; outcome: 'completed' };
  };
}

export function buildSignal(f: SignalFacts): SignalDocument {
  // Public: the category comes from the fixed vocabulary, never as a requester typed it.
  const category = publicCategory(f.category);
  return {
    '@context': [...SIGNAL_CONTEXT],
    id: `urn:uuid:${f.signalId}`,
    type: [...SIGNAL_TYPE],
    issuer: f.issuer,
    validFrom: f.sealedAt,
    credentialSubject: {
      id: `urn:qtm:operator:${f.operatorId}`,
      operatorId: f.operatorId,
      attribution: {
        statement: `Operator ${f.operatorId} completed ${category} service work, sealed as record ${f.recordId}.`,
        category,
        outcome: 'completed',
        completedAt: f.completedAt,
        intakeId: f.intakeId,
        jobId: f.jobId,
        serviceEventId: f.serviceEventId,
        recordId: f.recordId,
        recordHash: `sha256:${f.recordHash}`,
        recordSequence: f.recordSequence,
        ...(f.logLeafIndex === undefined ? {} : { logLeafIndex: f.logLeafIndex }),
      },
    },
  };
}

/** Deterministic: EdDSA signatures and canonical payloads make a retried signing identical. */
export async function signSignal(doc: SignalDocument, key: SigningKey): Promise<string> {
  return new CompactSign(canonicalBytes(doc))
    .setProtectedHeader({ alg: 'EdDSA', typ: 'vc+jwt', cty: 'vc', kid: key.kid })
    .sign(key.privateKey);
}

export interface SignalVerification {
  valid: boolean;
  checks: Array<{ name: string; ok: boolean; detail: string }>;
  document: SignalDocument | null;
}

/** Verifies a Signal offline with nothing but the public key set. */
export async function verifySignal(jws: string, jwks: JSONWebKeySet): Promise<SignalVerification> {
  const checks: SignalVerification['checks'] = [];
  try {
    const { payload, protectedHeader } = await compactVerify(jws, createLocalJWKSet(jwks), { algorithms: ['EdDSA'] });
    checks.push({ name: 'signature', ok: true, detail: `EdDSA signature verifies with key ${protectedHeader.kid}` });
    const typOk = protectedHeader.typ === 'vc+jwt';
    checks.push({ name: 'typ', ok: typOk, detail: `typ is ${String(protectedHeader.typ)}` });
    const document = JSON.parse(new TextDecoder().decode(payload)) as SignalDocument;
    const typeOk = SIGNAL_TYPE.every((t) => document.type?.includes(t));
    checks.push({ name: 'type', ok: typeOk, detail: `type is ${JSON.stringify(document.type)}` });
    return { valid: checks.every((c) => c.ok), checks, document };
  } catch (error) {
    checks.push({ name: 'signature', ok: false, detail: (error as Error).message });
    return { valid: false, checks, document: null };
  }
}
