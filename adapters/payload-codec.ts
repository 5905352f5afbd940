/**
 * Every Temporal payload the product writes (workflow inputs, Update arguments and results,
 * activity inputs and results, memos, summaries) is encrypted before it leaves the process, so a
 * history read from the server, its database or a backup shows only ciphertext. Temporal's own
 * pattern: a PayloadCodec between the payload converter and the wire (samples-typescript
 * `encryption`); the Web UI and the CLI read payloads through the API's codec endpoint
 * (api/routes/codec.ts), which decodes for authorized ops staff only.
 *
 * AES-256-GCM (node:crypto). The whole serialized payload, its metadata included, is the
 * plaintext, so not even the encoding of a value shows. The key ring: the first key encrypts,
 * every key decrypts (a rotation prepends a new key and keeps the old ones for the histories they
 * wrote). The key id travels in the payload's metadata (`encryption-key-id`) and is the
 * authenticated data, so a payload cannot be made to name another key. A payload without the
 * `binary/encrypted` encoding passes through decode unchanged: histories written before the codec
 * still replay, and search attributes (indexed, so never encoded) stay readable to visibility.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { METADATA_ENCODING_KEY, ValueError, type Payload, type PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';

const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;

export interface PayloadKey {
  id: string;
  /** 32 bytes: AES-256. */
  key: Buffer;
}

export class PayloadKeyError extends Error {
  override name = 'PayloadKeyError';
}

/**
 * A key ring as configured: `id:base64key` entries separated by commas or white space, or a JSON
 * array of `{"id", "key"}` (the key in base64). The first entry is the current key. Messages
 * never quote a key.
 */
export function parsePayloadKeys(text: string): PayloadKey[] {
  const trimmed = text.trim();
  let entries: Array<{ id: unknown; key: unknown }>;
  if (trimmed.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      throw new PayloadKeyError('is not a JSON array of {"id", "key"}');
    }
    if (!Array.isArray(parsed)) throw new PayloadKeyError('is not a JSON array of {"id", "key"}');
    entries = parsed.map((entry: unknown) =>
      entry && typeof entry === 'object' ? entry : { id: null, key: null },
    ) as Array<{ id: unknown; key: unknown }>;
  } else {
    entries = trimmed
      .split(/[\s,]+/)
      .filter(Boolean)
      .map((entry) => {
        const colon = entry.indexOf(':');
        return colon < 0 ? { id: entry, key: null } : { id: entry.slice(0, colon), key: entry.slice(colon + 1) };
      });
  }
  if (entries.length === 0) throw new PayloadKeyError('holds no key');
  const keys = entries.map(({ id, key }, i) => {
    if (typeof id !== 'string' || !KEY_ID.test(id))
      throw new PayloadKeyError(`entry ${i + 1}: the key id must be 1-64 letters, digits, ".", "_" or "-"`);
    const bytes = typeof key === 'string' && /^[A-Za-z0-9+/]+={0,2}$/.test(key) ? Buffer.from(key, 'base64') : null;
    if (bytes?.length !== KEY_BYTES)
      throw new PayloadKeyError(`key ${id} must be ${KEY_BYTES} bytes, base64-encoded (id:base64key)`);
    return { id, key: bytes };
  });
  const ids = keys.map((k) => k.id);
  const repeated = ids.find((id, i) => ids.indexOf(id) !== i);
  if (repeated) throw new PayloadKeyError(`names key ${repeated} twice`);
  return keys;
}

/** The variable's form of a ring (`id:base64key,…`, the current key first). */
export const formatPayloadKeys = (keys: PayloadKey[]): string =>
  keys.map((k) => `${k.id}:${k.key.toString('base64')}`).join(',');

/** A fresh key, its id the day it was made and a random suffix (ids only need to be unique in a ring). */
export function newPayloadKey(now = new Date()): PayloadKey {
  return { id: `${now.toISOString().slice(0, 10)}-${randomBytes(3).toString('hex')}`, key: randomBytes(KEY_BYTES) };
}

/** The ring after a rotation: a fresh current key in front, every old key kept for decoding. */
export const rotatedPayloadKeys = (keys: PayloadKey[], now = new Date()): PayloadKey[] => [newPayloadKey(now), ...keys];

const utf8 = (bytes: Uint8Array | null | undefined) => (bytes ? Buffer.from(bytes).toString('utf8') : undefined);

export class EncryptionCodec implements PayloadCodec {
  private readonly keys: Map<string, Buffer>;
  readonly currentKeyId: string;

  constructor(ring: PayloadKey[]) {
    if (ring.length === 0) throw new PayloadKeyError('holds no key');
    this.keys = new Map(ring.map((k) => [k.id, k.key]));
    this.currentKeyId = ring[0]!.id;
  }

  get keyIds(): string[] {
    return [...this.keys.keys()];
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => this.encrypt(payload));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => this.decrypt(payload));
  }

  private encrypt(payload: Payload): Payload {
    const id = this.currentKeyId;
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(id)!, nonce);
    cipher.setAAD(Buffer.from(id, 'utf8'));
    const plaintext = temporal.api.common.v1.Payload.encode(payload).finish();
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return {
      metadata: {
        [METADATA_ENCODING_KEY]: Buffer.from(ENCRYPTED_ENCODING),
        [KEY_ID_METADATA]: Buffer.from(id),
      },
      data: Buffer.concat([nonce, ciphertext, cipher.getAuthTag()]),
    };
  }

  private decrypt(payload: Payload): Payload {
    if (utf8(payload.metadata?.[METADATA_ENCODING_KEY]) !== ENCRYPTED_ENCODING) return payload;
    const id = utf8(payload.metadata?.[KEY_ID_METADATA]);
    if (!id) throw new ValueError(`an encrypted payload names no ${KEY_ID_METADATA}`);
    const key = this.keys.get(id);
    if (!key)
      throw new ValueError(`a payload is encrypted under key ${id}, which the key ring (TEMPORAL_PAYLOAD_KEYS) lacks`);
    const data = Buffer.from(payload.data ?? []);
    if (data.length < NONCE_BYTES + TAG_BYTES) throw new ValueError(`an encrypted payload (key ${id}) is truncated`);
    const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, NONCE_BYTES));
    decipher.setAAD(Buffer.from(id, 'utf8'));
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    let plaintext: Buffer;
    try {
      plaintext = Buffer.concat([
        decipher.update(data.subarray(NONCE_BYTES, data.length - TAG_BYTES)),
        decipher.final(),
      ]);
    } catch {
      throw new ValueError(`an encrypted payload (key ${id}) does not authenticate: altered, or another key's`);
    }
    const decoded = temporal.api.common.v1.Payload.decode(plaintext);
    return { metadata: decoded.metadata, data: decoded.data };
  }
}
