/**
 * Key material: two Ed25519 key rings, one that signs ⭐ Signals and one that signs the log's
 * checkpoints (separate, so that a leak of one cannot forge the other), and the HS256 secret that
 * signs bearer tokens.
 *
 * A ring is its current (signing) key and the public halves of the keys it retired, each with its
 * validity period, so that everything signed before a rotation still verifies from published keys.
 *
 *   development  DATA_DIR/keys/<signal|log>-keys.json, generated on first start and rotated by
 *                `npm run keys -- rotate`; a pre-rotation `signal-ed25519.jwk.json` (which signed
 *                both) becomes the Signal ring's current key and a retired key of the log ring.
 *   production   SIGNAL_SIGNING_KEY / LOG_SIGNING_KEY: the current private JWK (an optional `nbf`
 *                member, NumericDate, says since when); SIGNAL_RETIRED_KEYS / LOG_RETIRED_KEYS: a JSON
 *                array (or {"keys": [...]}) of public JWKs with `nbf` and `exp`. `npm run keys -- rotate
 *                --env` prints the next values of both variables.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK, type KeyLike } from 'jose';

export interface SigningKey {
  kid: string;
  privateKey: KeyLike | Uint8Array;
  publicJwk: JWK;
}

export type KeyPurpose = 'signal' | 'log';

/** A JWK with the validity members this project publishes (NumericDate, as in JWT claims). */
type TimedJwk = JWK & { nbf?: number; exp?: number };

/** A public key of a ring, current or retired, with when it was (or is) in use. */
export interface PublishedKey {
  kid: string;
  /** The public JWK as published: kid, alg, use, and `nbf` / `exp` (NumericDate) where known. */
  publicJwk: JWK;
  /** Raw 32-byte Ed25519 public key. */
  publicKey: Buffer;
  validFrom: string | null;
  /** Null for the current key. */
  validUntil: string | null;
}

export interface KeyRing {
  purpose: KeyPurpose;
  current: SigningKey;
  /** Every key, oldest first, the current one last. */
  published: PublishedKey[];
}

export interface TrustKeys {
  signal: KeyRing;
  log: KeyRing;
}

/** Where the keys are: the variables' rings, else DATA_DIR's (configuration hands this down). */
export interface KeyConfig {
  SIGNAL_SIGNING_KEY?: string | undefined;
  SIGNAL_RETIRED_KEYS?: string | undefined;
  LOG_SIGNING_KEY?: string | undefined;
  LOG_RETIRED_KEYS?: string | undefined;
  dataDir: string;
}
type DataDir = Pick<KeyConfig, 'dataDir'>;

export class KeyError extends Error {
  override name = 'KeyError';
}

const keysDir = (config: DataDir) => path.join(config.dataDir, 'keys');
export const ringFile = (config: DataDir, purpose: KeyPurpose) => path.join(keysDir(config), `${purpose}-keys.json`);
const legacyFile = (config: DataDir) => path.join(keysDir(config), 'signal-ed25519.jwk.json');

const envNames = (purpose: KeyPurpose) =>
  purpose === 'signal'
    ? ({ current: 'SIGNAL_SIGNING_KEY', retired: 'SIGNAL_RETIRED_KEYS' } as const)
    : ({ current: 'LOG_SIGNING_KEY', retired: 'LOG_RETIRED_KEYS' } as const);

/**
 * Writes a file only if it does not exist; if two processes race on first start (a worker and an
 * API on one DATA_DIR), the first one wins for both. The content goes to a file of this process's
 * own and is linked into place, so the name never shows a half-written file to the other reader.
 */
export function writeOnce(file: string, content: string): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const own = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  fs.writeFileSync(own, content, { mode: 0o600 });
  try {
    fs.linkSync(own, file);
    return content;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return fs.readFileSync(file, 'utf8');
    throw error;
  } finally {
    fs.rmSync(own, { force: true });
  }
}

async function readOrCreate(file: string, create: () => Promise<string>): Promise<string> {
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8');
  return writeOnce(file, await create());
}

/** The file form of a ring (development), also what `npm run keys` rewrites. */
export interface RingFile {
  current: { privateJwk: JWK; validFrom: string | null };
  retired: Array<{ publicJwk: JWK; validFrom: string | null; validUntil: string }>;
}

export async function newPrivateJwk(): Promise<JWK> {
  const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const jwk = await exportJWK(privateKey);
  return { kty: jwk.kty, crv: jwk.crv, x: jwk.x, d: jwk.d };
}

const publicPart = (jwk: JWK): JWK => ({ kty: 'OKP', crv: 'Ed25519', x: jwk.x });
const numericDate = (iso: string | null) => (iso === null ? undefined : Math.floor(Date.parse(iso) / 1000));
const isoOfNumericDate = (seconds: unknown): string | null =>
  typeof seconds === 'number' && Number.isFinite(seconds) ? new Date(seconds * 1000).toISOString() : null;

function assertEd25519(jwk: JWK, what: string, needPrivate: boolean): void {
  if (jwk?.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string' || (needPrivate && !jwk.d))
    throw new KeyError(`${what} must be an Ed25519 ${needPrivate ? 'private' : 'public'} JWK`);
  const raw = Buffer.from(jwk.x, 'base64url');
  if (raw.length !== 32 || raw.toString('base64url') !== jwk.x) throw new KeyError(`${what} has a malformed "x"`);
}

async function published(jwk: JWK, validFrom: string | null, validUntil: string | null): Promise<PublishedKey> {
  const pub = publicPart(jwk);
  const kid = await calculateJwkThumbprint(pub);
  const nbf = numericDate(validFrom);
  const exp = numericDate(validUntil);
  return {
    kid,
    publicJwk: {
      ...pub,
      kid,
      alg: 'EdDSA',
      use: 'sig',
      ...(nbf === undefined ? {} : { nbf }),
      ...(exp === undefined ? {} : { exp }),
    },
    publicKey: Buffer.from(jwk.x!, 'base64url'),
    validFrom,
    validUntil,
  };
}

export async function ringFromFile(purpose: KeyPurpose, file: RingFile, where: string): Promise<KeyRing> {
  assertEd25519(file.current?.privateJwk, `the current key in ${where}`, true);
  const retired = await Promise.all(
    (file.retired ?? []).map((r, i) => {
      assertEd25519(r.publicJwk, `retired key ${i + 1} in ${where}`, false);
      return published(r.publicJwk, r.validFrom, r.validUntil);
    }),
  );
  const current = await published(file.current.privateJwk, file.current.validFrom, null);
  const { kid, publicJwk } = current;
  return {
    purpose,
    current: {
      kid,
      privateKey: await importJWK({ ...file.current.privateJwk, alg: 'EdDSA' }, 'EdDSA'),
      // The signing key's own JWK stays as before (no validity members), as Signals name it by kid.
      publicJwk: { kty: 'OKP', crv: 'Ed25519', x: publicJwk.x, kid, alg: 'EdDSA', use: 'sig' },
    },
    published: [...retired.filter((r) => r.kid !== kid), current],
  };
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new KeyError(`${what} is not JSON`);
  }
}

/** The environment form of a ring: the current private JWK and a list of retired public JWKs. */
export function ringFileFromEnv(currentText: string, retiredText: string | undefined, purpose: KeyPurpose): RingFile {
  const names = envNames(purpose);
  const current = parseJson(currentText, names.current) as TimedJwk;
  assertEd25519(current, names.current, true);
  let retired: TimedJwk[] = [];
  if (retiredText !== undefined) {
    const parsed = parseJson(retiredText, names.retired) as TimedJwk[] | { keys: TimedJwk[] };
    retired = Array.isArray(parsed) ? parsed : (parsed?.keys ?? []);
    if (!Array.isArray(retired)) throw new KeyError(`${names.retired} must be a JSON array of public JWKs`);
  }
  return {
    current: { privateJwk: current, validFrom: isoOfNumericDate(current.nbf) },
    retired: retired.map((jwk, i) => {
      assertEd25519(jwk, `${names.retired}[${i}]`, false);
      if (jwk.d) throw new KeyError(`${names.retired}[${i}] holds a private key; retired keys are public only`);
      const validUntil = isoOfNumericDate(jwk.exp);
      if (validUntil === null) throw new KeyError(`${names.retired}[${i}] needs "exp" (when it was retired)`);
      return { publicJwk: publicPart(jwk), validFrom: isoOfNumericDate(jwk.nbf), validUntil };
    }),
  };
}

/** The development ring file, created on first use (and carried over from the single pre-rotation key). */
async function devRingFile(config: DataDir, purpose: KeyPurpose): Promise<RingFile> {
  const file = ringFile(config, purpose);
  const text = await readOrCreate(file, async () => {
    const legacy = fs.existsSync(legacyFile(config))
      ? (JSON.parse(fs.readFileSync(legacyFile(config), 'utf8')) as JWK)
      : null;
    const now = new Date().toISOString();
    const ring: RingFile =
      legacy && purpose === 'signal'
        ? { current: { privateJwk: legacy, validFrom: null }, retired: [] }
        : {
            current: { privateJwk: await newPrivateJwk(), validFrom: now },
            // The one key used to sign checkpoints too: it stays a (retired) log key.
            retired: legacy ? [{ publicJwk: publicPart(legacy), validFrom: null, validUntil: now }] : [],
          };
    return `${JSON.stringify(ring, null, 2)}\n`;
  });
  return parseJson(text, file) as RingFile;
}

/** Where a ring comes from: the environment when its current key is set there, else DATA_DIR/keys. */
export const ringSource = (config: KeyConfig, purpose: KeyPurpose): 'environment' | 'data' =>
  config[envNames(purpose).current] ? 'environment' : 'data';

export async function loadKeyRing(config: KeyConfig, purpose: KeyPurpose): Promise<KeyRing> {
  const names = envNames(purpose);
  const fromEnv = config[names.current];
  if (fromEnv) return ringFromFile(purpose, ringFileFromEnv(fromEnv, config[names.retired], purpose), names.current);
  return ringFromFile(purpose, await devRingFile(config, purpose), ringFile(config, purpose));
}

export async function loadTrustKeys(config: KeyConfig): Promise<TrustKeys> {
  const [signal, log] = await Promise.all([loadKeyRing(config, 'signal'), loadKeyRing(config, 'log')]);
  if (signal.current.kid === log.current.kid)
    throw new KeyError('the Signal key and the log key must be different keys (SIGNAL_SIGNING_KEY, LOG_SIGNING_KEY)');
  return { signal, log };
}

/** The current Signal key. */
export async function loadSigningKey(config: KeyConfig): Promise<SigningKey> {
  return (await loadKeyRing(config, 'signal')).current;
}

/** The ring after a rotation: a fresh current key; the old one retired now, public only. */
export async function rotatedRing(file: RingFile, now: Date = new Date()): Promise<RingFile> {
  const at = now.toISOString();
  return {
    current: { privateJwk: await newPrivateJwk(), validFrom: at },
    retired: [
      ...file.retired,
      { publicJwk: publicPart(file.current.privateJwk), validFrom: file.current.validFrom, validUntil: at },
    ],
  };
}

/** Rotates a development ring in DATA_DIR/keys (the file is replaced atomically). */
export async function rotateDevRing(config: DataDir, purpose: KeyPurpose, now = new Date()) {
  const before = await devRingFile(config, purpose);
  const after = await rotatedRing(before, now);
  const file = ringFile(config, purpose);
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, `${JSON.stringify(after, null, 2)}\n`, { mode: 0o600 });
  fs.renameSync(temporary, file);
  return { before, after };
}

/** The environment form of a ring, as `npm run keys -- rotate --env` prints it. */
export function ringToEnv(file: RingFile, purpose: KeyPurpose): Record<string, string> {
  const names = envNames(purpose);
  const nbf = numericDate(file.current.validFrom);
  return {
    [names.current]: JSON.stringify({ ...file.current.privateJwk, ...(nbf === undefined ? {} : { nbf }) }),
    [names.retired]: JSON.stringify(
      file.retired.map((r) => {
        const from = numericDate(r.validFrom);
        return {
          ...publicPart(r.publicJwk),
          ...(from === undefined ? {} : { nbf: from }),
          exp: numericDate(r.validUntil),
        };
      }),
    ),
  };
}

export async function loadAuthSecret(config: DataDir & { AUTH_JWT_SECRET?: string | undefined }): Promise<Uint8Array> {
  const secret =
    config.AUTH_JWT_SECRET ??
    (await readOrCreate(path.join(keysDir(config), 'auth-jwt-secret'), async () =>
      randomBytes(48).toString('base64url'),
    ));
  return new TextEncoder().encode(secret.trim());
}
