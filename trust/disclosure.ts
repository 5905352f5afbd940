/**
 * Commitments to personal values, as SD-JWT disclosures (RFC 9901 §4.2): a disclosure is the
 * base64url JSON array [salt, claim name, value], its digest is base64url(SHA-256(disclosure)).
 * A sealed document holds only digests, in the `_sd` array of the object the value belongs to;
 * whoever holds a disclosure can show a third party that the document committed to that value
 * (`qtm-verify --disclosure`), and erasing the disclosure leaves the seal intact and the digest
 * unopenable: 128 random bits of salt make guessing the value useless.
 */
import { createHash, randomBytes } from 'node:crypto';
import { unpackSync } from '@sd-jwt/decode';
import type { HasherSync } from '@sd-jwt/types';
import { Disclosure } from '@sd-jwt/utils';
import { digestOfRef, isPersonalRef, refOf } from '../domain/personal';

export const SD_ALG = 'sha-256';

const sha256: HasherSync = (data) => createHash('sha256').update(data).digest();
const hash = { hasher: sha256, alg: SD_ALG };

export interface NewDisclosure {
  /** The reference that stands for the value (`sd:<digest>`). */
  ref: string;
  digest: string;
  claim: string;
  /** The encoded disclosure: what the vault keeps and what a holder hands to a verifier. */
  encoded: string;
}

export function createDisclosure(claim: string, value: unknown): NewDisclosure {
  const disclosure = Disclosure.fromArray([randomBytes(16).toString('base64url'), claim, value]);
  const digest = disclosure.digestSync(hash);
  return { ref: refOf(digest), digest, claim, encoded: disclosure.encode() };
}

/** The claim and value an encoded disclosure holds, or null when it is not one. */
export function openDisclosure(encoded: string): { digest: string; claim: string; value: unknown } | null {
  try {
    const d = Disclosure.fromEncodeSync(encoded, hash);
    if (typeof d.key !== 'string' || typeof d.salt !== 'string') return null;
    return { digest: d.digestSync(hash), claim: d.key, value: d.value };
  } catch {
    return null;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The sealed form of a document whose personal fields hold references: each such field leaves
 * its object and its digest joins the object's `_sd` array (sorted, so the order of fields tells
 * nothing). Everything else is kept as it is.
 */
export function sealedForm<T>(value: T): T {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (!isObject(v)) return v;
    const out: Record<string, unknown> = {};
    const digests: string[] = [];
    for (const [key, item] of Object.entries(v)) {
      if (isPersonalRef(item)) digests.push(digestOfRef(item));
      else out[key] = walk(item);
    }
    if (digests.length > 0) out._sd = digests.sort();
    return out;
  };
  return walk(value) as T;
}

/** Every digest a sealed document commits to. */
export function digestsIn(value: unknown, into: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) digestsIn(item, into);
  else if (isObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      if (key === '_sd' && Array.isArray(item)) into.push(...item.filter((d): d is string => typeof d === 'string'));
      else digestsIn(item, into);
    }
  }
  return into;
}

export interface DisclosedClaim {
  /** Where the value sits in the document (dotted; array items by index). */
  path: string;
  claim: string;
  value: unknown;
}

/**
 * Checks disclosures against a sealed document: each must be well formed and its digest must be
 * one the document commits to. Returns what each one discloses, where, or why it does not.
 */
export function checkDisclosures(
  document: Record<string, unknown>,
  encoded: string[],
): Array<{ encoded: string; ok: true; claim: DisclosedClaim } | { encoded: string; ok: false; reason: string }> {
  const committed = new Set(digestsIn(document));
  const opened = encoded.map((e) => ({ encoded: e, opened: openDisclosure(e) }));
  const valid = opened.filter((o) => o.opened && committed.has(o.opened.digest));
  const { disclosureKeymap } = unpackSync(
    document,
    valid.map((o) => Disclosure.fromEncodeSync(o.encoded, hash)),
    sha256,
  );
  return opened.map(({ encoded: e, opened: o }) => {
    if (!o) return { encoded: e, ok: false, reason: 'not a disclosure (base64url JSON [salt, name, value])' };
    if (!committed.has(o.digest)) return { encoded: e, ok: false, reason: `digest ${o.digest} is not in the document` };
    const path = Object.entries(disclosureKeymap).find(([, digest]) => digest === o.digest)?.[0] ?? o.claim;
    return { encoded: e, ok: true, claim: { path, claim: o.claim, value: o.value } };
  });
}
