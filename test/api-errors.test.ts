/**
 * What the problem handler calls an outage (503 with Retry-After) rather than a bug (500 and an
 * error log line), checked on errors the real Postgres raises.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { isDependencyOutage } from '../api/errors';

test('Postgres at its connection limit (53300) is an outage, not a 500', async () => {
  // A role whose limit is 0 gets the same error as a server with no connection slot left.
  const role = `qtm_limit_${randomUUID().slice(0, 8)}`;
  const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE ROLE ${role} LOGIN CONNECTION LIMIT 0`);
    const url = new URL(process.env.DATABASE_URL!);
    url.username = role;
    const limited = new pg.Client({ connectionString: url.toString() });
    const error = await limited.connect().then(
      () => null,
      (e: unknown) => e,
    );
    await limited.end().catch(() => undefined);
    expect(error).toMatchObject({ code: '53300' });
    expect(isDependencyOutage(error)).toBe(true);
  } finally {
    await admin.query(`DROP ROLE IF EXISTS ${role}`);
    await admin.end();
  }
});

test('a query error of the application is not an outage', async () => {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    const error = await client.query("SELECT 'x'::uuid").then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: '22P02' });
    expect(isDependencyOutage(error)).toBe(false);
  } finally {
    await client.end();
  }
});
