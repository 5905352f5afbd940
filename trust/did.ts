/**
 * The Signal issuer's did:web DID document, and the JSON-LD context of the Signal credential's
 * own terms (its second `@context` URL), both served by the API.
 */
import type { PublishedKey } from './keys';
import { SIGNAL_CONTEXT } from './signal';

/** Where the API serves the context of SIGNAL_CONTEXT[1] (https://qtm.local/ns/service-attribution/v1). */
export const SIGNAL_CONTEXT_PATH = new URL(SIGNAL_CONTEXT[1]).pathname;

const VOCAB = 'https://qtm.local/ns/service-attribution#';

/** Every term a Signal uses beyond the VC 2.0 context, protected so no later context can redefine it. */
export const SERVICE_ATTRIBUTION_CONTEXT = {
  '@context': {
    '@version': 1.1,
    '@protected': true,
    QtmServiceAttribution: `${VOCAB}QtmServiceAttribution`,
    operatorId: `${VOCAB}operatorId`,
    attribution: {
      '@id': `${VOCAB}attribution`,
      '@context': {
        '@version': 1.1,
        '@protected': true,
        statement: `${VOCAB}statement`,
        category: `${VOCAB}category`,
        outcome: `${VOCAB}outcome`,
        completedAt: { '@id': `${VOCAB}completedAt`, '@type': 'http://www.w3.org/2001/XMLSchema#dateTime' },
        intakeId: `${VOCAB}intakeId`,
        jobId: `${VOCAB}jobId`,
        serviceEventId: `${VOCAB}serviceEventId`,
        recordId: `${VOCAB}recordId`,
        recordHash: `${VOCAB}recordHash`,
        recordSequence: { '@id': `${VOCAB}recordSequence`, '@type': 'http://www.w3.org/2001/XMLSchema#integer' },
        logLeafIndex: { '@id': `${VOCAB}logLeafIndex`, '@type': 'http://www.w3.org/2001/XMLSchema#integer' },
      },
    },
  },
} as const;

/** Every Signal key, current and retired, verifies assertions: a retired key's Signals stay valid. */
export function didDocument(did: string, keys: PublishedKey[]) {
  const methods = keys.map((k) => ({
    id: `${did}#${k.kid}`,
    type: 'JsonWebKey2020',
    controller: did,
    publicKeyJwk: { kty: k.publicJwk.kty, crv: k.publicJwk.crv, x: k.publicJwk.x, kid: k.kid, alg: 'EdDSA' },
  }));
  return {
    '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/suites/jws-2020/v1'],
    id: did,
    verificationMethod: methods,
    assertionMethod: methods.map((m) => m.id),
  };
}
