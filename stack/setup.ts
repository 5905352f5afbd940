/**
 * One-shot set-up for a deployment (docker-compose's `setup` service runs
 * `node dist/stack/setup.js` before the API and worker start): the Postgres database and its
 * migrations, then the Temporal namespace and custom search attributes. Safe to run again.
 */
import { loadConfigOrExit } from '../config';
import { migrate } from '../db';
import { connectWhenUp, ensureTemporalSetup } from './temporal-setup';

const say = (line: string) => process.stdout.write(`setup: ${line}\n`);

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const applied = await migrate(config);
  say(applied.length === 0 ? 'Postgres: database is up to date' : `Postgres: applied ${applied.join(', ')}`);
  const connection = await connectWhenUp(config, 300_000);
  try {
    await ensureTemporalSetup(connection, config.TEMPORAL_NAMESPACE, say);
  } finally {
    await connection.close();
  }
  say(`Temporal: namespace ${config.TEMPORAL_NAMESPACE} ready at ${config.TEMPORAL_ADDRESS}`);
}

main().catch((error: unknown) => {
  process.stderr.write(`setup: ${(error as Error).message}\n`);
  process.exit(1);
});
