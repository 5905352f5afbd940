/**
 * Webhook signing secrets: generated in the Standard Webhooks form (`whsec_` + base64 of 32 random
 * bytes), shown once, and kept at rest only encrypted. HMAC signing needs the secret itself, so
 * it cannot be hashed like a password: it is sealed with AES-256-GCM under WEBHOOK_SECRETS_KEY,
 * bound to its subscription's id (a sealed secret copied onto another subscription does not open).
 * Without WEBHOOK_SECRETS_KEY the key is derived (HKDF-SHA256) from the bearer-token secret, which
 * every API and worker process already shares; production should set its own key.
 */
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';

export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

export class WebhookSecretError extends Error {
  override name = 'WebhookSecretError';
}

export interface SecretBox {
  seal(secret: string, subscriptionId: string): string;
  open(sealed: string, subscriptionId: string): string;
}

const VERSION = 'v1';

export function createSecretBox(
  config: { WEBHOOK_SECRETS_KEY?: string | undefined },
  tokenSecret: Uint8Array,
): SecretBox {
  const key = config.WEBHOOK_SECRETS_KEY
    ? Buffer.from(config.WEBHOOK_SECRETS_KEY, 'base64')
    : Buffer.from(hkdfSync('sha256', tokenSecret, Buffer.alloc(0), 'qtm-os webhook secrets v1', 32));
  // Names the key in each sealed value, so a wrong key is reported as such, not as tampering.
  const keyId = createHash('sha256').update(key).digest('hex').slice(0, 8);
  const aad = (subscriptionId: string) => Buffer.from(`qtm-webhook-secret:${subscriptionId}`);
  return {
    seal(secret, subscriptionId) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(aad(subscriptionId));
      const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
      return [VERSION, keyId, iv, ciphertext, cipher.getAuthTag()]
        .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
        .join('.');
    },
    open(sealed, subscriptionId) {
      const [version, sealedKeyId, iv, ciphertext, tag] = sealed.split('.');
      if (version !== VERSION || !iv || !ciphertext || !tag)
        throw new WebhookSecretError('not a sealed webhook secret');
      if (sealedKeyId !== keyId)
        throw new WebhookSecretError(`sealed under key ${sealedKeyId}, not this process's key ${keyId}`);
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
        decipher.setAAD(aad(subscriptionId));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString(
          'utf8',
        );
      } catch {
        throw new WebhookSecretError('the sealed secret does not open: altered, or not this subscription’s');
      }
    },
  };
}
