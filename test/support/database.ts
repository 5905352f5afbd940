/** A database of a test file's own, for tests that must not disturb the run's shared one. */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { loadConfig } from '../../config';
import { migrate } from '../../db';

export async function freshDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const url = new URL(process.env.DATABASE_URL!);
  const name = `${url.pathname.slice(1)}_${randomUUID().slice(0, 8)}`;
  url.pathname = `/${name}`;
  await migrate(loadConfig({ DATABASE_URL: url.toString() }));
  return {
    url: url.toString(),
    async drop() {
      const admin = new pg.Client({ connectionString: new URL('/postgres', url).toString() });
      await admin.connect();
      try {
        await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
      } finally {
        await admin.end();
      }
    },
  };
}
