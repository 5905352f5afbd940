/**
 * Personal data by design (guardrail 9): which values are personal, and the reference that
 * stands for one everywhere but the vault (db/personal-data.ts).
 *
 * A personal value is kept once, in the vault, as an SD-JWT disclosure (RFC 9901: a random salt,
 * the field's name and the value). Everything else the system holds (workflow inputs, Update
 * arguments and answers, rows, the audit trail, webhook events, sealed Records) carries only the
 * reference `sd:<digest>`, the disclosure's SHA-256. A digest cannot be confirmed by guessing the
 * value (the salt is unknown), and erasing the disclosure forgets the value while every seal
 * that committed to its digest still verifies.
 *
 * Personal: an Actor's name and contact, places, and every free text (summaries, details, notes,
 * reasons, evidence descriptions, values, units and links, outcome summaries). Not personal: ids, staff
 * identities (pseudonymous subs and operator ids), categories and channels (fixed vocabularies),
 * kinds, stages, outcomes, times, file hashes and media types.
 */

/** `sd:` and the disclosure's SHA-256 in base64url (43 characters). */
const REF = /^sd:[A-Za-z0-9_-]{43}$/;

export const refOf = (digest: string): string => `sd:${digest}`;
export const digestOfRef = (ref: string): string => ref.slice(3);
export const isPersonalRef = (value: unknown): value is string => typeof value === 'string' && REF.test(value);

/**
 * The personal fields of what the API takes, as dotted paths into each body. A field's last
 * path segment is the claim name its disclosure carries.
 */
export const PERSONAL_FIELDS = {
  submitRequest: [
    'actor.name',
    'actor.contact.email',
    'actor.contact.phone',
    'actor.contact.address',
    'request.summary',
    'request.details',
    'request.location',
    'request.preferredWindow',
  ],
  approve: ['note'],
  reject: ['reason'],
  withdraw: ['reason'],
  addEvidence: ['evidence.description', 'evidence.value', 'evidence.unit', 'evidence.uri'],
  complete: ['summary'],
} as const satisfies Record<string, readonly string[]>;

export type PersonalInput = keyof typeof PERSONAL_FIELDS;

export const hasPersonalFields = (name: string): name is PersonalInput => name in PERSONAL_FIELDS;

/** A personal value found in a body: where it is, its claim name, and the value itself. */
export interface PersonalValue {
  path: string;
  claim: string;
  value: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The personal values present in `body` (absent optional fields are skipped). */
export function personalValuesOf(input: PersonalInput, body: unknown): PersonalValue[] {
  const found: PersonalValue[] = [];
  for (const path of PERSONAL_FIELDS[input]) {
    const keys = path.split('.');
    let at: unknown = body;
    for (const key of keys) at = isObject(at) ? at[key] : undefined;
    if (at !== undefined && at !== null && !isPersonalRef(at)) found.push({ path, claim: keys.at(-1)!, value: at });
  }
  return found;
}

/** A copy of `body` with the value at each path replaced (paths that do not exist are left alone). */
export function replaceAt<T>(body: T, replacements: ReadonlyMap<string, unknown>): T {
  const copy = structuredClone(body) as unknown;
  for (const [path, value] of replacements) {
    const keys = path.split('.');
    let parent: unknown = copy;
    for (const key of keys.slice(0, -1)) parent = isObject(parent) ? parent[key] : undefined;
    if (isObject(parent) && keys.at(-1)! in parent) parent[keys.at(-1)!] = value;
  }
  return copy as T;
}

/** Every reference inside a JSON value (rows, views, answers), in the order met. */
export function refsIn(value: unknown, into: string[] = []): string[] {
  if (isPersonalRef(value)) into.push(value);
  else if (Array.isArray(value)) for (const item of value) refsIn(item, into);
  else if (isObject(value)) for (const item of Object.values(value)) refsIn(item, into);
  return into;
}

/**
 * A copy of `value` with each reference replaced by what `resolve` gives for it; `undefined`
 * (erased, or not this intake's) becomes null, so an erased field reads as null everywhere.
 */
export function resolveRefs<T>(value: T, resolve: (ref: string) => unknown): T {
  const walk = (v: unknown): unknown => {
    if (isPersonalRef(v)) return resolve(v) ?? null;
    if (Array.isArray(v)) return v.map(walk);
    if (isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, item]) => [k, walk(item)]));
    return v;
  };
  return walk(value) as T;
}
