/**
 * The documents a Signal points to: the issuer's did:web DID document (did:web of
 * PUBLIC_BASE_URL's host) lists the Signal keys, and the credential's second @context URL is
 * served as a JSON-LD context defining every term the credential uses beyond VC 2.0's.
 */
import { SIGNAL_CONTEXT } from '../trust/signal';
import { startTestApi, type TestApi } from './support/api';
import { worldAt } from './support/http-world';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({ PUBLIC_BASE_URL: 'https://trust.example.com:8443/' });
}, 120_000);
afterAll(async () => {
  await api?.stop();
});

/** Every key of an object tree, recursively (the terms a JSON-LD processor must resolve). */
const keysOf = (value: unknown): string[] =>
  value && typeof value === 'object'
    ? Object.entries(value).flatMap(([k, v]) => [...(Array.isArray(value) ? [] : [k]), ...keysOf(v)])
    : [];

test('the DID document is did:web of PUBLIC_BASE_URL and lists the Signal keys for assertions', async () => {
  expect(api.config.SIGNAL_ISSUER).toBe('did:web:trust.example.com%3A8443');
  const res = await api.call('GET', '/.well-known/did.json');
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^application\/did\+json/);
  const did = 'did:web:trust.example.com%3A8443';
  const kid = api.keys.signal.current.kid;
  expect(res.body).toMatchObject({
    id: did,
    verificationMethod: [
      {
        id: `${did}#${kid}`,
        type: 'JsonWebKey2020',
        controller: did,
        publicKeyJwk: { kty: 'OKP', crv: 'Ed25519', kid },
      },
    ],
    assertionMethod: [`${did}#${kid}`],
  });
  // Not the log's key: that one signs checkpoints only.
  expect(JSON.stringify(res.body)).not.toContain(api.keys.log.current.publicJwk.x);

  // A Signal names this issuer, and its key is the DID document's.
  const world = await worldAt(api, 'completed');
  const signal = await api.call('GET', `/v1/signals/${world.signalId}`);
  expect(signal.body.signal.issuer).toBe(did);
  const header = JSON.parse(Buffer.from(signal.body.jws.split('.')[0], 'base64url').toString());
  expect(res.body.assertionMethod).toContain(`${did}#${header.kid}`);
});

test('the credential’s context URL serves a JSON-LD context defining every term the Signal uses', async () => {
  const path = new URL(SIGNAL_CONTEXT[1]).pathname;
  const res = await api.call('GET', path);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^application\/ld\+json/);
  const context = res.body['@context'];
  expect(context).toMatchObject({ '@version': 1.1, '@protected': true });
  const world = await worldAt(api, 'completed');
  const { signal } = (await api.call('GET', `/v1/signals/${world.signalId}`)).body;
  // Terms VC 2.0's own context defines; everything else must be ours.
  const vc2 = new Set(['@context', 'id', 'type', 'issuer', 'validFrom', 'credentialSubject']);
  const ours = new Set([...Object.keys(context), ...Object.keys(context.attribution['@context'])]);
  const undefinedTerms = [...new Set(keysOf(signal))].filter((k) => !vc2.has(k) && !ours.has(k));
  expect(undefinedTerms).toEqual([]);
  expect(ours.has('QtmServiceAttribution')).toBe(true);
});
