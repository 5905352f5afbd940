/**
 * `npm run client:generate [-- --check]`: writes the API's OpenAPI document (client/openapi.json)
 * and the typed client's types generated from it (client/openapi.ts, by openapi-typescript).
 * The document comes from the same route declarations that serve and validate every request,
 * built with no connections. `--check` changes nothing and exits 1 when either file is stale:
 * `npm run lint` runs it, so a contract change without a regenerated client fails CI.
 */
import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import openapiTS, { astToString } from 'openapi-typescript';
import { createApp } from '../api/app';
import type { ApiDeps } from '../api/deps';
import { loadConfig } from '../config';

const here = __dirname;
export const documentFile = path.join(here, 'openapi.json');
export const typesFile = path.join(here, 'openapi.ts');

/** The contract as /openapi.json serves it, for a server at the default address. */
export function contractDocument(): Record<string, unknown> {
  // Declaring the routes touches no dependency; only handling a request would.
  const publicJwk = { kty: 'OKP', crv: 'Ed25519', x: 'A'.repeat(43) };
  const signingKey = { kid: 'contract', privateKey: new Uint8Array(), publicJwk };
  // The development contract: it includes POST /v1/dev/tokens, which the console's sign-in calls.
  const config = loadConfig({ NODE_ENV: 'development', DEV_TOKENS: 'on' });
  const deps = { config, log: pino({ level: 'silent' }), signingKey } as unknown as ApiDeps;
  return createApp(deps).openApiDocument();
}

export async function generatedFiles(): Promise<Record<string, string>> {
  const document = contractDocument();
  // enumValues: each enum's values as a constant too, so clients offer exactly the contract's vocabulary.
  const types = astToString(await openapiTS(document as never, { alphabetize: true, enumValues: true }));
  const banner = '// Generated from client/openapi.json by `npm run client:generate`; do not edit.\n';
  return { [documentFile]: `${JSON.stringify(document, null, 2)}\n`, [typesFile]: banner + types };
}

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const stale: string[] = [];
  for (const [file, content] of Object.entries(await generatedFiles())) {
    const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
    if (current === content) continue;
    stale.push(path.relative(process.cwd(), file));
    if (!check) fs.writeFileSync(file, content);
  }
  if (check && stale.length > 0) {
    process.stderr.write(`client:generate --check: stale ${stale.join(', ')}; run npm run client:generate\n`);
    process.exit(1);
  }
  process.stdout.write(stale.length === 0 ? 'client is current\n' : `wrote ${stale.join(', ')}\n`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`client:generate: ${(error as Error).message}\n`);
    process.exit(2);
  });
}
