/**
 * Key material: the Ed25519 key that signs Signals and the HS256 secret that signs bearer
 * tokens. Production passes both in the environment; development generates them once into
 * DATA_DIR/keys so that restarts keep verifying earlier tokens and Signals.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK, type KeyLike } from 'jose';
import type { Config } from '../config';

export interface SigningKey {
  kid: string;
  privateKey: KeyLike | Uint8Array;
  publicJwk: JWK;
}

const keysDir = (config: Pick<Config, 'dataDir'>) => path.join(config.dataDir, 'keys');

function readOrCreate(file: string, create: () => Promise<string>): Promise<string> {
  if (fs.existsSync(file)) return Promise.resolve(fs.readFileSync(file, 'utf8'));
  return create().then((content) => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    try {
      // 'wx': if two processes race on first start, the first file written wins for both.
      fs.writeFileSync(file, content, { mode: 0o600, flag: 'wx' });
      return content;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return fs.readFileSync(file, 'utf8');
      throw error;
    }
  });
}

export async function loadSigningKey(config: Pick<Config, 'SIGNAL_SIGNING_KEY' | 'dataDir'>): Promise<SigningKey> {
  const text =
    config.SIGNAL_SIGNING_KEY ??
    (await readOrCreate(path.join(keysDir(config), 'signal-ed25519.jwk.json'), async () => {
      const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
      return JSON.stringify(await exportJWK(privateKey));
    }));
  let jwk: JWK;
  try {
    jwk = JSON.parse(text) as JWK;
  } catch {
    throw new Error('SIGNAL_SIGNING_KEY is not a JSON Web Key');
  }
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || !jwk.d || !jwk.x)
    throw new Error('SIGNAL_SIGNING_KEY must be an Ed25519 private JWK');
  const publicJwk: JWK = { kty: 'OKP', crv: 'Ed25519', x: jwk.x };
  const kid = await calculateJwkThumbprint(publicJwk);
  return { kid, privateKey: await importJWK(jwk, 'EdDSA'), publicJwk: { ...publicJwk, kid, alg: 'EdDSA', use: 'sig' } };
}

export async function loadAuthSecret(config: Pick<Config, 'AUTH_JWT_SECRET' | 'dataDir'>): Promise<Uint8Array> {
  const secret =
    config.AUTH_JWT_SECRET ??
    (await readOrCreate(path.join(keysDir(config), 'auth-jwt-secret'), async () =>
      randomBytes(48).toString('base64url'),
    ));
  return new TextEncoder().encode(secret.trim());
}
