/**
 * Witness cosignatures (https://c2sp.org/tlog-cosignature) on checkpoints, and the witness policy a
 * verifier applies (k of n given witness keys).
 *
 *   witness verifier key   <name>+<hex key id>+base64(0x04 ‖ 32-byte Ed25519 public key)
 *   key id                 SHA-256(name ‖ 0x0A ‖ 0x04 ‖ public key)[:4]
 *   signature line         — <name> base64(key id ‖ 8-byte big-endian UNIX time ‖ Ed25519 signature)
 *   signed message         "cosignature/v1\ntime <time>\n" ‖ the checkpoint text (the note above its blank line)
 */
import { createHash, createPublicKey, verify } from 'node:crypto';
import { parseCheckpointText, parseNote, strictBase64, validKeyName, type NoteSignature } from './log-checkpoint';

export const COSIGNATURE_ALG = 0x04;

export interface WitnessKey {
  name: string;
  keyId: Buffer;
  publicKey: Buffer;
  /** The verifier key text it was parsed from. */
  vkey: string;
}

export class WitnessKeyError extends Error {
  override name = 'WitnessKeyError';
}

export function cosignatureKeyId(name: string, publicKey: Uint8Array): Buffer {
  return createHash('sha256')
    .update(Buffer.from(name, 'utf8'))
    .update(Buffer.from([0x0a, COSIGNATURE_ALG]))
    .update(publicKey)
    .digest()
    .subarray(0, 4);
}

export function witnessVerifierKey(name: string, publicKey: Uint8Array): string {
  return `${name}+${cosignatureKeyId(name, publicKey).toString('hex')}+${Buffer.concat([Buffer.from([COSIGNATURE_ALG]), publicKey]).toString('base64')}`;
}

/** Parses a witness's verifier key strictly: the key id must be the one its name and key give. */
export function parseWitnessKey(vkey: string): WitnessKey {
  const parts = vkey.split('+');
  // The base64 part may itself contain '+': name and id are the first two fields.
  if (parts.length < 3) throw new WitnessKeyError(`"${vkey}" is not a verifier key (name+id+key)`);
  const [name, id] = parts as [string, string];
  const blob = strictBase64(parts.slice(2).join('+'));
  if (!validKeyName(name)) throw new WitnessKeyError(`"${name}" is not a key name`);
  if (!/^[0-9a-f]{8}$/.test(id)) throw new WitnessKeyError(`key id "${id}" is not 8 hex digits`);
  if (!blob || blob.length !== 33) throw new WitnessKeyError(`the key of "${name}" is not base64 of 33 bytes`);
  if (blob[0] !== COSIGNATURE_ALG)
    throw new WitnessKeyError(
      `the key of "${name}" is not a cosignature/v1 (0x04) key (type 0x${blob[0]!.toString(16)})`,
    );
  const publicKey = blob.subarray(1);
  const keyId = cosignatureKeyId(name, publicKey);
  if (keyId.toString('hex') !== id)
    throw new WitnessKeyError(`the key id of "${name}" is ${keyId.toString('hex')}, not ${id}`);
  return { name, keyId, publicKey, vkey };
}

export const cosignedMessage = (checkpointText: string, timestamp: bigint): Buffer =>
  Buffer.from(`cosignature/v1\ntime ${timestamp}\n${checkpointText}`, 'utf8');

export interface CosignatureCheck {
  witness: string;
  ok: boolean;
  /** The note carries a signature line in this witness's name and key id. */
  present: boolean;
  /** UNIX seconds, when the signature line is well formed. */
  timestamp: number | null;
  detail: string;
}

/** Verifies one signature line of a note as a cosignature by `key` over the note's checkpoint text. */
export function verifyCosignature(text: string, signature: NoteSignature, key: WitnessKey): CosignatureCheck {
  const fail = (detail: string, timestamp: number | null = null): CosignatureCheck => ({
    witness: key.name,
    ok: false,
    present: true,
    timestamp,
    detail,
  });
  if (signature.signature.length !== 8 + 64) return fail('the cosignature is not a timestamp and an Ed25519 signature');
  const timestamp = signature.signature.readBigUInt64BE(0);
  const seconds = timestamp <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(timestamp) : null;
  const publicKey = createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: key.publicKey.toString('base64url') },
    format: 'jwk',
  });
  const ok = verify(null, cosignedMessage(text, timestamp), publicKey, signature.signature.subarray(8));
  if (!ok) return fail(`the cosignature of ${key.name} (key ${key.keyId.toString('hex')}) does not verify`, seconds);
  return {
    witness: key.name,
    ok: true,
    present: true,
    timestamp: seconds,
    detail: `cosigned by ${key.name} at ${seconds === null ? timestamp : new Date(seconds * 1000).toISOString()}`,
  };
}

export interface WitnessPolicyResult {
  ok: boolean;
  /** One entry per given witness key: its cosignature's verdict, or that it has none. */
  checks: CosignatureCheck[];
  cosigned: number;
  threshold: number;
}

/**
 * The witness policy: at least `threshold` of the given witnesses cosigned this checkpoint. A
 * signature line that claims to be a given witness (its name and key id) but does not verify is a
 * failure in itself, whatever the count.
 */
export function checkWitnessPolicy(note: string, witnesses: WitnessKey[], threshold: number): WitnessPolicyResult {
  const { text, signatures } = parseNote(note);
  parseCheckpointText(text);
  const checks = witnesses.map((key): CosignatureCheck => {
    const claimed = signatures.filter((s) => s.name === key.name && s.keyId.equals(key.keyId));
    if (claimed.length === 0)
      return { witness: key.name, ok: false, present: false, timestamp: null, detail: `no cosignature by ${key.name}` };
    const results = claimed.map((s) => verifyCosignature(text, s, key));
    return results.find((r) => !r.ok) ?? results[0]!;
  });
  const cosigned = checks.filter((c) => c.ok).length;
  const forged = checks.some((c) => c.present && !c.ok);
  return { ok: cosigned >= threshold && !forged, checks, cosigned, threshold };
}
