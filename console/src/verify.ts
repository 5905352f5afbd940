/**
 * Verification in the browser, with nothing but the public keys (the Signal keys of
 * GET /.well-known/jwks.json, the log's note verifier keys of GET /v1/log/keys) and WebCrypto — the same checks `qtm-verify` makes offline, so a requester need not trust the API's
 * own "valid":
 *
 * - the Record: SHA-256 over its stored canonical bytes is its hash; the bytes are RFC 8785
 *   canonical JSON of a qtm.record (v2: personal values as commitments; v1) with this Record's id and chain link;
 * - the checkpoint: a C2SP signed note whose Ed25519 signature verifies with one of the log's note
 *   verifier keys (`name+hex key id+base64(0x01 ‖ public key)`; the key id is
 *   SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key)[:4], recomputed here), signed under the log's origin;
 * - the inclusion proof (GET /v1/records/:id/proof): the leaf SHA-256(0x00 ‖ bytes) and the audit
 *   path lead to the checkpoint's root hash (RFC 6962 / RFC 9162 §2.1.3.2), recomputed here;
 * - the ⭐ Signal: its compact JWS (EdDSA, typ vc+jwt) verifies with the JWKS key it names, and it
 *   attests exactly this Record: its hash, ids, operator and log leaf.
 */
import canonicalize from 'canonicalize';
import type { Schemas } from '../../client';

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

interface Jwk {
  kty?: string;
  crv?: string;
  x?: string;
  kid?: string;
}

/** The sealed document's types (trust/record.ts): v2 commits to personal values, v1 held them. */
const RECORD_TYPES = ['qtm.record/v1', 'qtm.record/v2'];
const encoder = new TextEncoder();
const pass = (name: string, detail: string): Check => ({ name, ok: true, detail });
const fail = (name: string, detail: string): Check => ({ name, ok: false, detail });

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
const fromHex = (text: string) => Uint8Array.from(text.match(/../g) ?? [], (h) => parseInt(h, 16));
const fromBase64 = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
const fromBase64Url = (text: string) =>
  fromBase64(
    text
      .replace(/-/g, '+')
      .replace(/_/g, '/')
      .padEnd(Math.ceil(text.length / 4) * 4, '='),
  );
const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};
const equal = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((v, i) => v === b[i]);
const sha256 = async (...parts: Uint8Array[]) =>
  new Uint8Array(await crypto.subtle.digest('SHA-256', concat(...parts)));

const importEd25519 = (jwk: Jwk) =>
  crypto.subtle.importKey('jwk', { kty: 'OKP', crv: 'Ed25519', x: jwk.x }, { name: 'Ed25519' }, false, ['verify']);
const importRawEd25519 = (key: Uint8Array) =>
  crypto.subtle.importKey('raw', key as Uint8Array<ArrayBuffer>, { name: 'Ed25519' }, false, ['verify']);

/** A note verifier key, `<name>+<hex key id>+<base64(0x01 ‖ 32-byte Ed25519 public key)>`, checked. */
export async function parseVerifierKey(
  text: string,
): Promise<{ name: string; keyId: Uint8Array; publicKey: Uint8Array }> {
  // The name and the key id end at the first two '+'; base64 may hold more of them.
  const first = text.indexOf('+');
  const second = first < 0 ? -1 : text.indexOf('+', first + 1);
  const [name, id, blob] =
    second < 0 ? [] : [text.slice(0, first), text.slice(first + 1, second), text.slice(second + 1)];
  const bytes = blob && /^[A-Za-z0-9+/]+=*$/.test(blob) ? fromBase64(blob) : new Uint8Array();
  if (!name || !id || bytes.length !== 33 || bytes[0] !== 0x01)
    throw new Error(`"${text}" is not an Ed25519 note verifier key`);
  const publicKey = bytes.slice(1);
  const keyId = (await sha256(encoder.encode(name), Uint8Array.of(0x0a, 0x01), publicKey)).slice(0, 4);
  if (hex(keyId) !== id) throw new Error(`the key id of "${name}" is ${hex(keyId)}, not ${id}`);
  return { name, keyId, publicKey };
}

const ed25519Keys = (jwks: { keys: Array<Record<string, unknown>> }) =>
  jwks.keys.filter((k) => k.kty === 'OKP' && k.crv === 'Ed25519' && typeof k.x === 'string') as Jwk[];

/** RFC 9162 §2.1.3.2: the root an inclusion proof leads to, or null if the path does not fit the tree. */
export async function rootFromInclusionProof(
  leafIndex: number,
  treeSize: number,
  leaf: Uint8Array,
  path: Uint8Array[],
): Promise<Uint8Array | null> {
  if (leafIndex >= treeSize) return null;
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r = leaf;
  for (const p of path) {
    if (sn === 0) return null;
    if (fn % 2 === 1 || fn === sn) {
      r = await sha256(Uint8Array.of(1), p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = await sha256(Uint8Array.of(1), r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r : null;
}

interface OpenedCheckpoint {
  origin: string;
  treeSize: number;
  rootHash: Uint8Array;
  keyName: string;
}

/** A C2SP signed note of a tlog checkpoint, verified with the log's note verifier keys. */
export async function openCheckpoint(note: string, verifierKeys: string[]): Promise<OpenedCheckpoint> {
  const keys = await Promise.all(verifierKeys.map(parseVerifierKey));
  const split = note.lastIndexOf('\n\n');
  if (split < 0 || !note.endsWith('\n')) throw new Error('not a signed note (no blank line before its signatures)');
  const text = note.slice(0, split + 1);
  const lines = note.slice(split + 2, -1).split('\n');
  for (const line of lines) {
    const match = /^\u2014 (\S+) ([A-Za-z0-9+/=]+)$/u.exec(line);
    if (!match) throw new Error(`malformed signature line "${line}"`);
    const [, name, blob] = match as unknown as [string, string, string];
    const bytes = fromBase64(blob);
    // Cosignatures of witnesses (other names, other key types) are lines like these: skipped here.
    for (const key of keys) {
      if (key.name !== name || !equal(key.keyId, bytes.slice(0, 4))) continue;
      const keyId = key.keyId;
      const ok = await crypto.subtle.verify(
        'Ed25519',
        await importRawEd25519(key.publicKey),
        bytes.slice(4),
        encoder.encode(text),
      );
      if (!ok) throw new Error(`the signature of ${name} (key ${hex(keyId)}) does not verify`);
      const [origin, size, root] = text.split('\n') as [string, string, string];
      if (!/^(0|[1-9][0-9]*)$/.test(size)) throw new Error(`tree size "${size}" is not a number`);
      if (name !== origin) throw new Error(`signed by "${name}", but the checkpoint's origin is "${origin}"`);
      return { origin, treeSize: Number(size), rootHash: fromBase64(root), keyName: name };
    }
  }
  throw new Error('no signature by a key of the log (GET /v1/log/keys)');
}

export interface Verification {
  valid: boolean;
  checks: Check[];
}

export async function verifyInBrowser(input: {
  record: Schemas['Record'] & { id: string };
  proof: Schemas['RecordInclusionProof'] | null;
  proofProblem?: string;
  signal: Schemas['Signal'] | null;
  jwks: { keys: Array<Record<string, unknown>> };
  logKeys: string[];
}): Promise<Verification> {
  const checks: Check[] = [];
  const keys = ed25519Keys(input.jwks);
  checks.push(
    keys.length > 0 && input.logKeys.length > 0
      ? pass(
          'Public keys',
          `${keys.length} Signal key(s) from /.well-known/jwks.json, ${input.logKeys.length} log key(s) from /v1/log/keys`,
        )
      : fail('Public keys', 'no Ed25519 Signal key, or no log key'),
  );

  // The Record: its bytes, their hash, their form.
  const bytes = fromBase64(input.record.canonicalBase64);
  const hash = hex(await sha256(bytes));
  checks.push(
    hash === input.record.hash
      ? pass('Record hash', `SHA-256 of the record's ${bytes.length} canonical bytes is ${hash}`)
      : fail('Record hash', `the bytes hash to ${hash}, not to the stated ${input.record.hash}`),
  );
  let doc: {
    type?: string;
    recordId?: string;
    prevHash?: string | null;
    chain?: Record<string, string>;
    job?: { operatorId?: string };
  } | null = null;
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    doc = JSON.parse(text);
    checks.push(
      canonicalize(doc) === text
        ? pass('Record form', 'the bytes are RFC 8785 canonical JSON')
        : fail('Record form', 'the bytes are not RFC 8785 canonical JSON'),
    );
  } catch {
    checks.push(fail('Record form', 'the bytes are not UTF-8 JSON'));
  }
  checks.push(
    RECORD_TYPES.includes(String(doc?.type)) &&
      doc!.recordId === input.record.id &&
      (doc!.prevHash ?? null) === input.record.prevHash
      ? pass(
          'Record document',
          `${doc!.type} of record ${doc!.recordId}, chained to ${doc!.prevHash ?? 'nothing (the first record)'}`,
        )
      : fail('Record document', 'not the qtm.record document of this record and its chain link'),
  );

  // The checkpoint and the inclusion proof.
  let leafIndex: number | null = null;
  if (!input.proof) {
    checks.push(fail('Inclusion proof', input.proofProblem ?? 'no inclusion proof yet'));
  } else {
    const proof = input.proof;
    leafIndex = proof.leafIndex;
    const leaf = await sha256(Uint8Array.of(0), bytes);
    checks.push(
      hex(leaf) === proof.leafHash
        ? pass('Log leaf', `SHA-256(0x00 ‖ record bytes) is leaf ${proof.leafIndex}'s hash`)
        : fail('Log leaf', `the record's leaf hash is ${hex(leaf)}, the proof's ${proof.leafHash}`),
    );
    let checkpoint: OpenedCheckpoint | null = null;
    try {
      checkpoint = await openCheckpoint(proof.checkpoint, input.logKeys);
      checks.push(
        pass(
          'Checkpoint signature',
          `${checkpoint.origin} at tree size ${checkpoint.treeSize}, Ed25519 signature by ${checkpoint.keyName} verifies`,
        ),
      );
    } catch (error) {
      checks.push(fail('Checkpoint signature', (error as Error).message));
    }
    if (checkpoint) {
      const root = await rootFromInclusionProof(
        proof.leafIndex,
        checkpoint.treeSize,
        leaf,
        proof.auditPath.map(fromHex),
      );
      checks.push(
        root && equal(root, checkpoint.rootHash)
          ? pass(
              'Inclusion',
              `leaf ${proof.leafIndex} and the ${proof.auditPath.length}-hash audit path lead to the signed root ${hex(checkpoint.rootHash).slice(0, 16)}… (RFC 6962)`,
            )
          : fail('Inclusion', `the audit path does not lead to the signed root of tree size ${checkpoint.treeSize}`),
      );
    }
  }

  // The Signal.
  if (input.signal) {
    const [h = '', p = '', s = ''] = input.signal.jws.split('.');
    try {
      const header = JSON.parse(new TextDecoder().decode(fromBase64Url(h))) as {
        alg?: string;
        typ?: string;
        kid?: string;
      };
      const key = keys.find((k) => k.kid === header.kid);
      if (header.alg !== 'EdDSA' || header.typ !== 'vc+jwt')
        throw new Error(`alg ${header.alg}, typ ${header.typ}: not an EdDSA vc+jwt`);
      if (!key) throw new Error(`no key ${header.kid} in /.well-known/jwks.json`);
      const ok = await crypto.subtle.verify(
        'Ed25519',
        await importEd25519(key),
        fromBase64Url(s),
        encoder.encode(`${h}.${p}`),
      );
      if (!ok) throw new Error('the Ed25519 signature does not verify');
      checks.push(pass('Signal signature', `EdDSA (Ed25519) signature verifies with key ${header.kid}`));
      const vc = JSON.parse(new TextDecoder().decode(fromBase64Url(p))) as {
        type?: string[];
        credentialSubject?: { operatorId?: string; attribution?: Record<string, unknown> };
      };
      const a = vc.credentialSubject?.attribution ?? {};
      const mismatches = [
        ['record hash', a.recordHash, `sha256:${hash}`],
        ['record id', a.recordId, input.record.id],
        ['intake', a.intakeId, doc?.chain?.intakeId],
        ['job', a.jobId, doc?.chain?.jobId],
        ['service event', a.serviceEventId, doc?.chain?.serviceEventId],
        ['operator', vc.credentialSubject?.operatorId, doc?.job?.operatorId],
        ...(leafIndex === null ? [] : [['log leaf', a.logLeafIndex, leafIndex]]),
      ].filter(([, theirs, mine]) => theirs !== mine);
      checks.push(
        vc.type?.includes('QtmServiceAttribution') && mismatches.length === 0
          ? pass(
              'Signal attests this Record',
              `a QtmServiceAttribution of record ${input.record.id} (sha256:${hash.slice(0, 16)}…) to operator ${vc.credentialSubject?.operatorId}`,
            )
          : fail(
              'Signal attests this Record',
              `the Signal and the Record disagree on ${mismatches.map(([f]) => f).join(', ') || 'its type'}`,
            ),
      );
    } catch (error) {
      checks.push(fail('Signal signature', (error as Error).message));
    }
  }
  return { valid: checks.every((c) => c.ok), checks };
}
