/**
 * Offline verification of one Record with its ⭐ Signal, inclusion proof and checkpoint, using
 * nothing but the public keys. Every check is reported by name (`record.*`, `signal.*`,
 * `proof.*`, `checkpoint.*`, `log.*`), so a failure says which artifact broke; a check that cannot
 * run because an artifact it depends on is broken is reported as skipped, not as another failure.
 */
import { compactVerify, createLocalJWKSet, type JSONWebKeySet } from 'jose';
import { canonicalBytes, sha256Hex } from './canonical';
import {
  ed25519PublicKeyFromJwk,
  noteKeyId,
  openCheckpoint,
  parseVerifierKey,
  type OpenedCheckpoint,
} from './log-checkpoint';
import { checkWitnessPolicy, type WitnessKey } from './log-cosignature';
import { leafHash, verifyInclusion } from './log-merkle';
import { isRecordType, RECORD_TYPES, type RecordDocument } from './record';
import { SIGNAL_TYPE, type SignalDocument } from './signal';

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
  /** Not evaluated, because something it depends on already failed. */
  skipped?: boolean;
}

const pass = (name: string, detail: string): Check => ({ name, ok: true, detail });
const fail = (name: string, detail: string): Check => ({ name, ok: false, detail });
const skip = (name: string, detail: string): Check => ({ name, ok: false, skipped: true, detail });
const is = (name: string, ok: boolean, good: string, bad: string): Check => (ok ? pass(name, good) : fail(name, bad));

/** Failures that are not mere consequences of other failures. */
export const failures = (checks: Check[]): Check[] => checks.filter((c) => !c.ok && !c.skipped);

/** A key that signs the log's checkpoints, with when it was in use. */
export interface LogKey {
  publicKey: Buffer;
  verifierKey: string;
  validFrom: string | null;
  validUntil: string | null;
}

export interface Keys {
  /** The Signal keys. */
  jwks: JSONWebKeySet;
  /** The checkpoint keys (GET /v1/log/keys, or --log-key). */
  logKeys: LogKey[];
}

export interface WitnessPolicy {
  witnesses: WitnessKey[];
  threshold: number;
}

export function checkJwks(text: string): { checks: Check[]; jwks: JSONWebKeySet | null } {
  try {
    const jwks = JSON.parse(text) as JSONWebKeySet;
    if (!jwks || !Array.isArray(jwks.keys)) throw new Error('no "keys" array');
    const ed25519 = jwks.keys.map(ed25519PublicKeyFromJwk).filter((k): k is Buffer => k !== null);
    if (ed25519.length === 0) throw new Error('no Ed25519 key');
    const retired = jwks.keys.filter((k) => typeof (k as { exp?: unknown }).exp === 'number').length;
    return {
      checks: [
        pass('jwks', `${ed25519.length} Ed25519 Signal key(s)${retired > 0 ? `, ${retired} of them retired` : ''}`),
      ],
      jwks,
    };
  } catch (error) {
    return { checks: [fail('jwks', `not a usable JSON Web Key Set: ${(error as Error).message}`)], jwks: null };
  }
}

/** The log's keys from GET /v1/log/keys (a file) and/or verifier keys given one by one. */
export function checkLogKeys(input: { file?: string; vkeys?: string[] }): {
  checks: Check[];
  logKeys: LogKey[] | null;
} {
  try {
    const keys: LogKey[] = [];
    if (input.file !== undefined) {
      const doc = JSON.parse(input.file) as {
        keys?: Array<{ verifierKey: string; validFrom?: string | null; validUntil?: string | null }>;
      };
      if (!doc || !Array.isArray(doc.keys)) throw new Error('no "keys" array');
      for (const k of doc.keys)
        keys.push({
          publicKey: parseVerifierKey(k.verifierKey).publicKey,
          verifierKey: k.verifierKey,
          validFrom: k.validFrom ?? null,
          validUntil: k.validUntil ?? null,
        });
    }
    for (const vkey of input.vkeys ?? [])
      keys.push({ publicKey: parseVerifierKey(vkey).publicKey, verifierKey: vkey, validFrom: null, validUntil: null });
    if (keys.length === 0) throw new Error('no key');
    const retired = keys.filter((k) => k.validUntil !== null).length;
    return {
      checks: [
        pass('log.keys', `${keys.length} checkpoint key(s)${retired > 0 ? `, ${retired} of them retired` : ''}`),
      ],
      logKeys: keys,
    };
  } catch (error) {
    return { checks: [fail('log.keys', `not usable checkpoint keys: ${(error as Error).message}`)], logKeys: null };
  }
}

export function checkCheckpoint(
  note: string | null,
  logKeys: LogKey[] | null,
  origin?: string,
): { checks: Check[]; opened: OpenedCheckpoint | null } {
  if (note === null)
    return {
      checks: [fail('checkpoint.signature', 'no checkpoint was given (neither a file nor in the proof)')],
      opened: null,
    };
  if (!logKeys) return { checks: [skip('checkpoint.signature', 'no checkpoint keys to verify it with')], opened: null };
  try {
    const opened = openCheckpoint(
      note,
      logKeys.map((k) => k.publicKey),
      origin,
    );
    const c = opened.checkpoint;
    const key = logKeys.find((k) => noteKeyId(opened.keyName, k.publicKey).toString('hex') === opened.keyId);
    const period = key?.validUntil ? ` (a retired key, in use until ${key.validUntil})` : '';
    return {
      checks: [
        pass(
          'checkpoint.signature',
          `${c.origin} at tree size ${c.treeSize}, root ${c.rootHash.toString('hex')}, signed by ${opened.keyName} (key ${opened.keyId})${period}`,
        ),
      ],
      opened,
    };
  } catch (error) {
    return { checks: [fail('checkpoint.signature', (error as Error).message)], opened: null };
  }
}

/** Each given witness's cosignature on the note, then whether k of them cosigned. */
export function checkWitnesses(note: string | null, policy: WitnessPolicy | undefined, prefix = 'checkpoint'): Check[] {
  if (!policy || policy.witnesses.length === 0) return [];
  if (note === null) return [skip(`${prefix}.witness-policy`, 'no checkpoint')];
  let result;
  try {
    result = checkWitnessPolicy(note, policy.witnesses, policy.threshold);
  } catch (error) {
    return [fail(`${prefix}.witness-policy`, `the checkpoint cannot be read: ${(error as Error).message}`)];
  }
  const checks: Check[] = result.checks.map((c) =>
    c.ok || !c.present
      ? { name: `${prefix}.witness ${c.witness}`, ok: c.ok, skipped: !c.ok, detail: c.detail }
      : fail(`${prefix}.witness ${c.witness}`, c.detail),
  );
  checks.push(
    is(
      `${prefix}.witness-policy`,
      result.ok,
      `${result.cosigned} of ${policy.witnesses.length} witnesses cosigned (at least ${policy.threshold} required)`,
      result.checks.some((c) => c.present && !c.ok)
        ? 'a cosignature in a given witness’s name does not verify'
        : `${result.cosigned} of ${policy.witnesses.length} witnesses cosigned; at least ${policy.threshold} required`,
    ),
  );
  return checks;
}

export function checkRecordBytes(bytes: Uint8Array): { checks: Check[]; doc: RecordDocument | null } {
  let doc: RecordDocument;
  try {
    doc = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as RecordDocument;
  } catch {
    return {
      checks: [fail('record.document', 'the record bytes are not UTF-8 JSON'), skip('record.canonical', 'not JSON')],
      doc: null,
    };
  }
  const shaped =
    doc !== null &&
    typeof doc === 'object' &&
    isRecordType(doc.type) &&
    typeof doc.recordId === 'string' &&
    Number.isSafeInteger(doc.sequence);
  const canonical = Buffer.from(canonicalBytes(doc)).equals(Buffer.from(bytes));
  return {
    checks: [
      is(
        'record.document',
        shaped,
        `${doc?.type} document of record ${doc?.recordId}, sequence ${doc?.sequence}`,
        `not a ${RECORD_TYPES.join(' or ')} document`,
      ),
      is(
        'record.canonical',
        canonical,
        'the bytes are RFC 8785 canonical JSON',
        'the bytes are not in RFC 8785 canonical form',
      ),
    ],
    doc: shaped ? doc : null,
  };
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** Verifies the Signal and that it attributes exactly this Record (by its hash and ids). */
export async function checkSignal(
  jws: string,
  jwks: JSONWebKeySet | null,
  record: { bytes: Uint8Array; doc: RecordDocument | null },
): Promise<{ checks: Check[]; signal: SignalDocument | null }> {
  const dependent = ['record.hash', 'record.matches-signal'];
  if (!jwks)
    return {
      checks: [skip('signal.signature', 'no public keys'), ...dependent.map((n) => skip(n, 'no verified Signal'))],
      signal: null,
    };
  // jose tolerates non-canonical base64url (e.g. stray bits in the last character); a verifier must not.
  const segments = jws.split('.');
  const canonical =
    segments.length === 3 &&
    segments.every((s) => BASE64URL.test(s) && Buffer.from(s, 'base64url').toString('base64url') === s);
  if (!canonical)
    return {
      checks: [
        fail('signal.signature', 'the JWS is not three canonical base64url segments'),
        ...dependent.map((n) => skip(n, 'no verified Signal')),
      ],
      signal: null,
    };
  let signal: SignalDocument;
  let header: { kid?: string; typ?: string };
  try {
    const verified = await compactVerify(jws, createLocalJWKSet(jwks), { algorithms: ['EdDSA'] });
    signal = JSON.parse(new TextDecoder().decode(verified.payload)) as SignalDocument;
    header = verified.protectedHeader;
  } catch (error) {
    return {
      checks: [
        fail('signal.signature', `the Signal does not verify: ${(error as Error).message}`),
        ...dependent.map((n) => skip(n, 'no verified Signal')),
      ],
      signal: null,
    };
  }
  const a = signal.credentialSubject?.attribution;
  // Which key, and its validity period: information, not a verdict. A worker that has not yet been
  // restarted after a rotation still signs with the retired key, so a Signal may postdate it.
  const jwk = jwks.keys.find((k) => k.kid === header.kid) as { exp?: number; nbf?: number } | undefined;
  const checks: Check[] = [
    pass('signal.signature', `EdDSA signature verifies with key ${header.kid}`),
    pass(
      'signal.key',
      jwk?.exp !== undefined
        ? `a retired key, in use ${jwk.nbf === undefined ? '' : `from ${new Date(jwk.nbf * 1000).toISOString()} `}until ${new Date(jwk.exp * 1000).toISOString()}`
        : 'the current key',
    ),
    is(
      'signal.type',
      header.typ === 'vc+jwt' && SIGNAL_TYPE.every((t) => signal.type?.includes(t)) && a !== undefined,
      `a ${SIGNAL_TYPE.join(' / ')} credential (vc+jwt)`,
      `typ ${header.typ}, type ${JSON.stringify(signal.type)}: not a QTM service attribution`,
    ),
  ];
  if (!a)
    return { checks: [...checks, ...dependent.map((n) => skip(n, 'the Signal has no attribution'))], signal: null };
  const actual = sha256Hex(record.bytes);
  checks.push(
    is(
      'record.hash',
      a.recordHash === `sha256:${actual}`,
      `sha256 of the record bytes is ${actual}, as the Signal attests`,
      `the record bytes hash to ${actual}, but the Signal attests ${a.recordHash}`,
    ),
  );
  const doc = record.doc;
  if (!doc) {
    checks.push(skip('record.matches-signal', 'the record is not a readable document'));
  } else {
    const mismatches = [
      ['recordId', doc.recordId, a.recordId],
      ['sequence', doc.sequence, a.recordSequence],
      ['intakeId', doc.chain?.intakeId, a.intakeId],
      ['jobId', doc.chain?.jobId, a.jobId],
      ['serviceEventId', doc.chain?.serviceEventId, a.serviceEventId],
      ['operatorId', doc.job?.operatorId, signal.credentialSubject.operatorId],
      ['outcome', doc.outcome?.status, a.outcome],
    ].filter(([, mine, theirs]) => mine !== theirs);
    checks.push(
      is(
        'record.matches-signal',
        mismatches.length === 0,
        `the Signal attributes record ${doc.recordId} (sequence ${doc.sequence}) to operator ${signal.credentialSubject.operatorId}`,
        `record and Signal disagree on ${mismatches.map(([f, mine, theirs]) => `${f} (${String(mine)} vs ${String(theirs)})`).join(', ')}`,
      ),
    );
  }
  return { checks, signal };
}

/** An inclusion proof of a Record, as the API serves it and an export stores it. */
export interface ProofFile {
  recordId: string;
  leafIndex: number;
  treeSize: number;
  leafHash: string;
  rootHash: string;
  auditPath: string[];
  checkpoint?: string;
}

const HEX32 = /^[0-9a-f]{64}$/;
const PROOF_FIELDS = ['recordId', 'leafIndex', 'treeSize', 'leafHash', 'rootHash', 'auditPath', 'checkpoint'];

/** Strict: every field is known and well-formed, so no byte of a proof file goes unchecked. */
export function parseProof(text: string): ProofFile {
  const p = JSON.parse(text) as Record<string, unknown>;
  if (!p || typeof p !== 'object' || Array.isArray(p)) throw new Error('not a JSON object');
  const unknown = Object.keys(p).filter((k) => !PROOF_FIELDS.includes(k));
  if (unknown.length > 0) throw new Error(`unknown field(s) ${unknown.join(', ')}`);
  if (typeof p.recordId !== 'string') throw new Error('recordId is missing');
  if (!Number.isSafeInteger(p.leafIndex) || (p.leafIndex as number) < 0)
    throw new Error('leafIndex is not a non-negative integer');
  if (!Number.isSafeInteger(p.treeSize) || (p.treeSize as number) < 1)
    throw new Error('treeSize is not a positive integer');
  if (typeof p.leafHash !== 'string' || !HEX32.test(p.leafHash))
    throw new Error('leafHash is not 64 lower-case hex digits');
  if (typeof p.rootHash !== 'string' || !HEX32.test(p.rootHash))
    throw new Error('rootHash is not 64 lower-case hex digits');
  if (!Array.isArray(p.auditPath) || !p.auditPath.every((h) => typeof h === 'string' && HEX32.test(h)))
    throw new Error('auditPath is not a list of 64-digit lower-case hex hashes');
  if (p.checkpoint !== undefined && typeof p.checkpoint !== 'string')
    throw new Error('checkpoint is not a signed note');
  return p as unknown as ProofFile;
}

/** The proof belongs to this Record and leads from its bytes to the signed checkpoint's root. */
export function checkProof(
  proof: ProofFile,
  record: { bytes: Uint8Array; doc: RecordDocument | null },
  opened: OpenedCheckpoint | null,
  signal: SignalDocument | null,
  checkpointNote: string | null,
): Check[] {
  const checks: Check[] = [];
  const leaf = leafHash(record.bytes);
  checks.push(
    record.doc
      ? is(
          'proof.record',
          proof.recordId === record.doc.recordId,
          `a proof for record ${proof.recordId}`,
          `a proof for record ${proof.recordId}, but the record is ${record.doc.recordId}`,
        )
      : skip('proof.record', 'the record is not a readable document'),
  );
  checks.push(
    is(
      'proof.leafHash',
      proof.leafHash === leaf.toString('hex'),
      `leaf hash ${proof.leafHash} is SHA-256(0x00 ‖ record bytes)`,
      `the proof is for leaf hash ${proof.leafHash}, but the record bytes give ${leaf.toString('hex')}`,
    ),
  );
  const attested = signal?.credentialSubject.attribution.logLeafIndex;
  checks.push(
    signal
      ? is(
          'proof.leafIndex',
          attested === proof.leafIndex,
          `leaf index ${proof.leafIndex}, as the Signal attests`,
          `the proof is for leaf index ${proof.leafIndex}, but the Signal attests ${attested === undefined ? 'no leaf index' : attested}`,
        )
      : skip('proof.leafIndex', 'no verified Signal to compare the leaf index with'),
  );
  if (proof.checkpoint !== undefined && checkpointNote !== null && proof.checkpoint !== checkpointNote) {
    checks.push(fail('proof.checkpoint', 'the checkpoint inside the proof differs from the checkpoint given'));
  }
  if (!opened) {
    checks.push(
      skip('proof.checkpointHead', 'no verified checkpoint'),
      skip('proof.inclusion', 'no verified checkpoint'),
    );
    return checks;
  }
  const c = opened.checkpoint;
  checks.push(
    is(
      'proof.checkpointHead',
      proof.treeSize === c.treeSize && proof.rootHash === c.rootHash.toString('hex'),
      `tree size ${c.treeSize} and root ${proof.rootHash} are the checkpoint's`,
      `the proof says tree size ${proof.treeSize}, root ${proof.rootHash}; the checkpoint says ${c.treeSize}, ${c.rootHash.toString('hex')}`,
    ),
  );
  const included = verifyInclusion(
    proof.leafIndex,
    c.treeSize,
    leaf,
    proof.auditPath.map((h) => Buffer.from(h, 'hex')),
    c.rootHash,
  );
  checks.push(
    is(
      'proof.inclusion',
      included,
      `the record's leaf ${proof.leafIndex} and the ${proof.auditPath.length}-hash audit path lead to the signed root of tree size ${c.treeSize} (RFC 9162)`,
      `the record's leaf hash, leaf index ${proof.leafIndex} and audit path do not lead to the signed root of tree size ${c.treeSize}`,
    ),
  );
  return checks;
}

export interface BundleInput {
  /** GET /v1/log/keys, as text. */
  logKeys?: string;
  /** Checkpoint verifier keys given one by one. */
  logVerifierKeys?: string[];
  witnessPolicy?: WitnessPolicy;
  record: Uint8Array;
  /** Compact JWS; optional because failed work is sealed without a Signal. */
  jws?: string;
  proof: string;
  /** Signed note; defaults to the one inside the proof. */
  checkpoint?: string;
  jwks: string;
  origin?: string;
}

export async function verifyBundle(input: BundleInput): Promise<Check[]> {
  const { checks: keyChecks, jwks } = checkJwks(input.jwks);
  const { checks: logKeyChecks, logKeys } = checkLogKeys({ file: input.logKeys, vkeys: input.logVerifierKeys });
  const { checks: recordChecks, doc } = checkRecordBytes(input.record);
  const record = { bytes: input.record, doc };
  const signal = input.jws === undefined ? { checks: [], signal: null } : await checkSignal(input.jws, jwks, record);
  let proof: ProofFile | null = null;
  let proofFormat: Check;
  try {
    proof = parseProof(input.proof);
    proofFormat = pass('proof.format', `inclusion proof of leaf ${proof.leafIndex} in tree size ${proof.treeSize}`);
  } catch (error) {
    proofFormat = fail('proof.format', `not an inclusion proof: ${(error as Error).message}`);
  }
  const note = input.checkpoint ?? proof?.checkpoint ?? null;
  const checkpoint = checkCheckpoint(note, logKeys, input.origin);
  const witnessChecks = checkpoint.opened ? checkWitnesses(note, input.witnessPolicy) : [];
  const proofChecks = proof
    ? checkProof(proof, record, checkpoint.opened, signal.signal, input.checkpoint ?? null)
    : [skip('proof.inclusion', 'no readable proof')];
  return [
    ...keyChecks,
    ...logKeyChecks,
    ...recordChecks,
    ...signal.checks,
    ...checkpoint.checks,
    ...witnessChecks,
    proofFormat,
    ...proofChecks,
  ];
}
