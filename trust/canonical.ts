/** RFC 8785 canonical JSON and SHA-256: the byte-level ground truth of sealed Records. */
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

export function canonicalBytes(value: unknown): Buffer {
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError('value cannot be canonicalized');
  return Buffer.from(text, 'utf8');
}

export const sha256Hex = (bytes: Uint8Array | string): string => createHash('sha256').update(bytes).digest('hex');
