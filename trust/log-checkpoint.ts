/**
 * Checkpoints of the Record log as C2SP signed notes (https://c2sp.org/signed-note,
 * https://c2sp.org/tlog-checkpoint), so standard tooling (Go's sumdb/note, witnesses) can read them:
 *
 *   <origin>\n<tree size>\n<base64 root hash>\n
 *   \n
 *   — <key name> <base64(4-byte key id ‖ Ed25519 signature over the text above the blank line)>\n
 *
 * The key id is SHA-256(key name ‖ 0x0A ‖ 0x01 ‖ 32-byte public key)[:4]. Everything is parsed
 * strictly (canonical base64, no stray characters), so that no byte of a note can change unnoticed.
 */
import { createHash, createPublicKey, KeyObject, sign, verify } from 'node:crypto';
import type { JWK } from 'jose';
import type { SigningKey, TrustKeys } from './keys';

export const ED25519_NOTE_ALG = 0x01;
const EM_DASH = '\u2014';

export interface Checkpoint {
  origin: string;
  treeSize: number;
  rootHash: Buffer;
}

export interface NoteSigner {
  name: string;
  publicKey: Buffer;
  privateKey: KeyObject;
}

export interface NoteSignature {
  name: string;
  keyId: Buffer;
  signature: Buffer;
}

export class NoteError extends Error {
  override name = 'NoteError';
}

/** Standard base64 that re-encodes to exactly the same text (rejects the lenient decoder's leftovers). */
export function strictBase64(text: string): Buffer | null {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) return null;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : null;
}

/** Key names may not be empty or contain spaces or '+'. */
export const validKeyName = (name: string): boolean => name.length > 0 && !/[\s+]/u.test(name);

export function noteKeyId(name: string, publicKey: Uint8Array): Buffer {
  return createHash('sha256')
    .update(Buffer.from(name, 'utf8'))
    .update(Buffer.from([0x0a, ED25519_NOTE_ALG]))
    .update(publicKey)
    .digest()
    .subarray(0, 4);
}

/** Note key ids (hex) of every log key, current and retired, under the log's origin. */
export function logKeyIds(keys: TrustKeys, origin: string): string[] {
  return keys.log.published.map((k) => noteKeyId(origin, k.publicKey).toString('hex'));
}

/** The verifier key text (`<name>+<hex key id>+<base64(0x01 ‖ public key)>`) that note tools accept. */
export function verifierKey(name: string, publicKey: Uint8Array): string {
  return `${name}+${noteKeyId(name, publicKey).toString('hex')}+${Buffer.concat([Buffer.from([ED25519_NOTE_ALG]), publicKey]).toString('base64')}`;
}

/** Parses a note verifier key of an Ed25519 signer (`name+id+base64(0x01 ‖ key)`), checking its key id. */
export function parseVerifierKey(vkey: string): { name: string; publicKey: Buffer } {
  const parts = vkey.trim().split('+');
  if (parts.length < 3) throw new NoteError(`"${vkey}" is not a verifier key (name+id+key)`);
  const [name, id] = parts as [string, string];
  const blob = strictBase64(parts.slice(2).join('+'));
  if (!validKeyName(name)) throw new NoteError(`"${name}" is not a key name`);
  if (!blob || blob.length !== 33 || blob[0] !== ED25519_NOTE_ALG)
    throw new NoteError(`the key of "${name}" is not base64 of 0x01 and a 32-byte Ed25519 key`);
  const publicKey = blob.subarray(1);
  if (noteKeyId(name, publicKey).toString('hex') !== id)
    throw new NoteError(`the key id of "${name}" is ${noteKeyId(name, publicKey).toString('hex')}, not ${id}`);
  return { name, publicKey };
}

export const ed25519PublicKeyFromJwk = (jwk: JWK): Buffer | null => {
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') return null;
  const raw = Buffer.from(jwk.x, 'base64url');
  return raw.length === 32 && raw.toString('base64url') === jwk.x ? raw : null;
};

/** The log's key as a note signer, named after the log's origin (C2SP). */
export function noteSignerFromKey(key: SigningKey, name: string): NoteSigner {
  if (!validKeyName(name)) throw new NoteError(`"${name}" cannot name a note key (no spaces or '+')`);
  if (!(key.privateKey instanceof KeyObject)) throw new NoteError('the signing key is not a Node KeyObject');
  const publicKey = ed25519PublicKeyFromJwk(key.publicJwk);
  if (!publicKey) throw new NoteError('the signing key is not Ed25519');
  return { name, publicKey, privateKey: key.privateKey };
}

function assertNoteText(text: string): void {
  if (!text.endsWith('\n')) throw new NoteError('note text must end with a newline');
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x09\x0b-\x1f]/.test(text))
    throw new NoteError('note text may not contain control characters other than newline');
  if (
    text
      .split('\n')
      .slice(0, -1)
      .some((line) => line === '')
  )
    throw new NoteError('note text may not contain blank lines');
}

export function signNote(text: string, signer: NoteSigner): string {
  assertNoteText(text);
  const signature = sign(null, Buffer.from(text, 'utf8'), signer.privateKey);
  const blob = Buffer.concat([noteKeyId(signer.name, signer.publicKey), signature]).toString('base64');
  return `${text}\n${EM_DASH} ${signer.name} ${blob}\n`;
}

/** Splits a note into its signed text and its signature lines, refusing anything malformed. */
export function parseNote(note: string): { text: string; signatures: NoteSignature[] } {
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x09\x0b-\x1f]/.test(note)) throw new NoteError('the note contains control characters');
  if (note.includes('\ufffd')) throw new NoteError('the note is not valid UTF-8');
  const split = note.lastIndexOf('\n\n');
  if (split < 0) throw new NoteError('the note has no blank line before its signatures');
  const text = note.slice(0, split + 1);
  assertNoteText(text);
  const block = note.slice(split + 2);
  if (!block.endsWith('\n')) throw new NoteError('the signature block must end with a newline');
  const signatures = block
    .slice(0, -1)
    .split('\n')
    .map((line) => {
      const match = new RegExp(`^${EM_DASH} (\\S+) (\\S+)$`, 'u').exec(line);
      if (!match || !validKeyName(match[1]!)) throw new NoteError(`malformed signature line "${line}"`);
      const blob = strictBase64(match[2]!);
      if (!blob || blob.length < 5)
        throw new NoteError(`signature of ${match[1]} is not canonical base64 of a key id and a signature`);
      return { name: match[1]!, keyId: blob.subarray(0, 4), signature: blob.subarray(4) };
    });
  return { text, signatures };
}

export function checkpointText(c: Checkpoint): string {
  if (c.rootHash.length !== 32) throw new NoteError('a root hash is 32 bytes');
  if (!Number.isSafeInteger(c.treeSize) || c.treeSize < 0) throw new NoteError('a tree size is a non-negative integer');
  if (c.origin === '' || c.origin.includes('\n')) throw new NoteError('an origin is one non-empty line');
  return `${c.origin}\n${c.treeSize}\n${c.rootHash.toString('base64')}\n`;
}

export function signCheckpoint(c: Checkpoint, signer: NoteSigner): string {
  return signNote(checkpointText(c), signer);
}

export function parseCheckpointText(text: string): Checkpoint {
  const lines = text.split('\n').slice(0, -1);
  if (lines.length < 3) throw new NoteError('a checkpoint has an origin, a tree size and a root hash line');
  const [origin, size, root] = lines as [string, string, string];
  if (!/^(0|[1-9][0-9]*)$/.test(size) || !Number.isSafeInteger(Number(size)))
    throw new NoteError(`tree size "${size}" is not a decimal number without leading zeros`);
  const rootHash = strictBase64(root);
  if (!rootHash || rootHash.length !== 32)
    throw new NoteError(`root hash "${root}" is not canonical base64 of 32 bytes`);
  return { origin, treeSize: Number(size), rootHash };
}

export interface OpenedCheckpoint {
  checkpoint: Checkpoint;
  keyName: string;
  keyId: string;
}

/**
 * Verifies a checkpoint note with any of the given Ed25519 public keys (a signature line whose
 * key name and id match one of them must verify) and parses its body.
 */
export function openCheckpoint(note: string, publicKeys: Buffer[], expectedOrigin?: string): OpenedCheckpoint {
  const { text, signatures } = parseNote(note);
  for (const sig of signatures) {
    const publicKey = publicKeys.find((key) => noteKeyId(sig.name, key).equals(sig.keyId));
    if (!publicKey) continue;
    const keyObject = createPublicKey({
      key: { kty: 'OKP', crv: 'Ed25519', x: publicKey.toString('base64url') },
      format: 'jwk',
    });
    if (sig.signature.length !== 64 || !verify(null, Buffer.from(text, 'utf8'), keyObject, sig.signature)) {
      throw new NoteError(`the signature of ${sig.name} (key ${sig.keyId.toString('hex')}) does not verify`);
    }
    const checkpoint = parseCheckpointText(text);
    // C2SP: the log's key is named after its origin; a signature by another name is someone else's.
    if (sig.name !== checkpoint.origin)
      throw new NoteError(`signed by key "${sig.name}", but the checkpoint's origin is "${checkpoint.origin}"`);
    if (expectedOrigin !== undefined && checkpoint.origin !== expectedOrigin)
      throw new NoteError(`origin is "${checkpoint.origin}", expected "${expectedOrigin}"`);
    return { checkpoint, keyName: sig.name, keyId: sig.keyId.toString('hex') };
  }
  throw new NoteError(
    `no signature by a known key (signed by ${signatures.map((s) => `${s.name}/${s.keyId.toString('hex')}`).join(', ')})`,
  );
}
