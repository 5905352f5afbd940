/**
 * Prints one bearer token that the running configuration accepts, and nothing else:
 *   npm run --silent token -- <requester|operator|admin> <sub> [operatorId]
 */
import { createAuthKeys, issueToken } from '../api/auth';
import { loadConfigOrExit } from '../config';
import { principalSchema } from '../domain/schemas';
import { loadAuthSecret } from '../trust/keys';

async function main(): Promise<void> {
  const [role, sub, operatorId] = process.argv.slice(2);
  const parsed = principalSchema.safeParse({ role, sub, ...(operatorId ? { operatorId } : {}) });
  if (!parsed.success || (parsed.data.role === 'operator') !== Boolean(operatorId)) {
    process.stderr.write(
      'usage: npm run --silent token -- <requester|operator|admin> <sub> [operatorId]   (operatorId for operators only)\n',
    );
    process.exit(2);
  }
  const config = loadConfigOrExit();
  if (config.AUTH_OIDC_ISSUER) {
    process.stderr.write(
      `token: the API accepts tokens from ${config.AUTH_OIDC_ISSUER} only; get one from that provider\n`,
    );
    process.exit(2);
  }
  const secret = await loadAuthSecret(config);
  process.stdout.write(`${await issueToken(createAuthKeys(config, secret), parsed.data)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`token: ${(error as Error).message}\n`);
  process.exit(1);
});
