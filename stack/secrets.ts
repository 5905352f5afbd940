/**
 * Prints a fresh .env for docker-compose.yml: `npm run --silent secrets > .env`.
 * POSTGRES_PASSWORD (URL-safe: it goes into DATABASE_URL), AUTH_JWT_SECRET (HS256 secret for
 * bearer tokens), SIGNAL_SIGNING_KEY (Ed25519 private JWK that signs Signals) and LOG_SIGNING_KEY
 * (another Ed25519 private JWK, that signs the log's checkpoints), WEBHOOK_SECRETS_KEY (32 bytes
 * that seal webhook secrets at rest) and TEMPORAL_PAYLOAD_KEYS (the ring of one AES-256 key that
 * encrypts every Temporal payload). Keep the
 * file private and out of version control (.env is git- and docker-ignored).
 */
import { randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair } from 'jose';
import { formatPayloadKeys, newPayloadKey } from '../adapters/payload-codec';

export interface Secrets {
  POSTGRES_PASSWORD: string;
  AUTH_JWT_SECRET: string;
  SIGNAL_SIGNING_KEY: string;
  LOG_SIGNING_KEY: string;
  WEBHOOK_SECRETS_KEY: string;
  TEMPORAL_PAYLOAD_KEYS: string;
}

export async function generateSecrets(): Promise<Secrets> {
  const key = async () =>
    JSON.stringify(await exportJWK((await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true })).privateKey));
  return {
    POSTGRES_PASSWORD: randomBytes(24).toString('base64url'),
    AUTH_JWT_SECRET: randomBytes(48).toString('base64url'),
    SIGNAL_SIGNING_KEY: await key(),
    LOG_SIGNING_KEY: await key(),
    WEBHOOK_SECRETS_KEY: randomBytes(32).toString('base64'),
    TEMPORAL_PAYLOAD_KEYS: formatPayloadKeys([newPayloadKey()]),
  };
}

/** .env lines; the JWK is single-quoted, which compose reads literally. */
export function toDotEnv(secrets: Secrets): string {
  return [
    `# QTM OS secrets for docker compose, generated ${new Date().toISOString()}. Keep private; never commit.`,
    `POSTGRES_PASSWORD=${secrets.POSTGRES_PASSWORD}`,
    `AUTH_JWT_SECRET=${secrets.AUTH_JWT_SECRET}`,
    `SIGNAL_SIGNING_KEY='${secrets.SIGNAL_SIGNING_KEY}'`,
    `LOG_SIGNING_KEY='${secrets.LOG_SIGNING_KEY}'`,
    `WEBHOOK_SECRETS_KEY=${secrets.WEBHOOK_SECRETS_KEY}`,
    `TEMPORAL_PAYLOAD_KEYS=${secrets.TEMPORAL_PAYLOAD_KEYS}`,
    '',
  ].join('\n');
}

if (require.main === module) {
  generateSecrets().then(
    (secrets) => process.stdout.write(toDotEnv(secrets)),
    (error: unknown) => {
      process.stderr.write(`secrets: ${(error as Error).message}\n`);
      process.exit(1);
    },
  );
}
