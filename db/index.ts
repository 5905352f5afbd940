/**
 * Postgres access. Two kinds of connection: the migrator (the DATABASE_URL login, owns the
 * schema) and the application pool, which drops to the restricted app role on connect.
 */
import knex, { type Knex } from 'knex';
import pg from 'pg';
import type { Config } from '../config';
import { ensureAppRole } from './app-role';
import { migrationSource } from './migrations';

// int8 (record sequence numbers, audit ids) fits a JS number for this product's lifetime.
pg.types.setTypeParser(pg.types.builtins.INT8, (text) => Number(text));

export type Db = Knex;

export interface DbOptions {
  /** Run as the restricted application role (default) or as the migrating owner. */
  as?: 'app' | 'owner';
  poolMax?: number;
}

export function createDb(
  config: Pick<Config, 'DATABASE_URL' | 'DATABASE_APP_ROLE' | 'DATABASE_POOL_MAX'>,
  options: DbOptions = {},
): Db {
  const role = options.as === 'owner' ? undefined : config.DATABASE_APP_ROLE;
  return knex({
    client: 'pg',
    connection: { connectionString: config.DATABASE_URL, application_name: 'qtm-os' },
    pool: {
      min: 0,
      max: options.poolMax ?? config.DATABASE_POOL_MAX,
      afterCreate: (conn: pg.Client, done: (err: Error | null, conn: pg.Client) => void) => {
        const setup = `SET TIME ZONE 'UTC'${role ? `; SET ROLE ${role}` : ''}`;
        conn.query(setup).then(
          () => done(null, conn),
          (err: Error) => done(err, conn),
        );
      },
    },
    // Fail fast while Postgres is away: activities retry, the API answers 503.
    acquireConnectionTimeout: 10_000,
  });
}

/** Runs `work` on the server's maintenance database (postgres), for creating and dropping others. */
async function onMaintenanceDb<T>(
  databaseUrl: string,
  work: (admin: pg.Client, database: string) => Promise<T>,
): Promise<T> {
  const url = new URL(databaseUrl);
  const database = decodeURIComponent(url.pathname.slice(1));
  url.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: url.toString() });
  await admin.connect();
  try {
    return await work(admin, database);
  } finally {
    await admin.end();
  }
}

const existsOn = async (admin: pg.Client, database: string): Promise<boolean> =>
  (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database])).rowCount !== 0;

/** Whether the database named in the URL exists, asked of the maintenance database (no failed connect to log). */
export function databaseExists(databaseUrl: string): Promise<boolean> {
  return onMaintenanceDb(databaseUrl, existsOn);
}

/** Creates the database named in the URL when it does not exist yet. */
export function ensureDatabase(databaseUrl: string): Promise<void> {
  return onMaintenanceDb(databaseUrl, async (admin, database) => {
    if (await existsOn(admin, database)) return;
    try {
      await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(database)}`);
    } catch (error) {
      // Another process created it between our check and our create.
      if ((error as { code?: string }).code !== '42P04') throw error;
    }
  });
}

/** Drops the database named in the URL, closing its connections (throwaway databases of tests and scripts). */
export function dropDatabase(databaseUrl: string): Promise<void> {
  return onMaintenanceDb(databaseUrl, async (admin, database) => {
    await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(database)} WITH (FORCE)`);
  });
}

/** Creates the database if needed, applies migrations and the app role's grants. */
export async function migrate(config: Pick<Config, 'DATABASE_URL' | 'DATABASE_APP_ROLE'>): Promise<string[]> {
  await ensureDatabase(config.DATABASE_URL);
  const owner = createDb({ ...config, DATABASE_POOL_MAX: 2 }, { as: 'owner' });
  try {
    const [, applied] = (await owner.migrate.latest({ migrationSource })) as [number, string[]];
    await ensureAppRole(owner, config.DATABASE_APP_ROLE);
    return applied;
  } finally {
    await owner.destroy();
  }
}

/** Cheap liveness probe for /readyz. */
export async function pingDb(db: Db): Promise<void> {
  await db.raw('SELECT 1');
}
