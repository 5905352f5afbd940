/** Stops the run's Temporal server and drops its database: nothing outlives `npm test`. */
import fs from 'node:fs';
import pg from 'pg';
import { getRunState } from './run-state';

export default async function globalTeardown(): Promise<void> {
  const run = getRunState();
  if (!run) return;
  try {
    process.kill(run.serverPid, 'SIGTERM');
  } catch {
    // already gone
  }
  const url = new URL(run.databaseUrl);
  const database = url.pathname.slice(1);
  url.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: url.toString() });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(database)} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
  fs.rmSync(run.dataDir, { recursive: true, force: true });
}
