/**
 * A migrated database of a test file's own, beside the run's shared one: for tests that must know
 * every row of the Record log (exact tree sizes) or that tamper with it as a superuser, which must
 * not disturb other test files sharing the run's database.
 */
import pg from 'pg';
import { loadConfig } from '../../config';
import { migrate } from '../../db';

export interface IsolatedDatabase {
  url: string;
  drop(): Promise<void>;
}

export async function isolatedDatabase(suffix: string): Promise<IsolatedDatabase> {
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `${url.pathname}_${suffix}`;
  await migrate(loadConfig({ ...process.env, DATABASE_URL: url.toString() }));
  return {
    url: url.toString(),
    async drop() {
      const admin = new URL(url);
      admin.pathname = '/postgres';
      const client = new pg.Client({ connectionString: admin.toString() });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(url.pathname.slice(1))} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
