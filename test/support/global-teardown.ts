/** Stops the run's Temporal server and drops its database: nothing outlives `npm test`. */
import fs from 'node:fs';
import { dropDatabase } from '../../db';
import { getRunState } from './run-state';

export default async function globalTeardown(): Promise<void> {
  const run = getRunState();
  if (!run) return;
  try {
    process.kill(run.serverPid, 'SIGTERM');
  } catch {
    // already gone
  }
  await dropDatabase(run.databaseUrl);
  fs.rmSync(run.dataDir, { recursive: true, force: true });
}
