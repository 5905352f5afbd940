/** A database of a test file's own, for tests that must not disturb the run's shared one. */
import { randomUUID } from 'node:crypto';
import { loadConfig } from '../../config';
import { createDb, dropDatabase, ensureDatabase, migrate } from '../../db';
import { migrationSource } from '../../db/migrations';

export async function freshDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const url = new URL(process.env.DATABASE_URL!);
  const name = `${url.pathname.slice(1)}_${randomUUID().slice(0, 8)}`;
  url.pathname = `/${name}`;
  await migrate(loadConfig({ NODE_ENV: 'test', DATABASE_URL: url.toString() }));
  return {
    url: url.toString(),
    drop: () => dropDatabase(url.toString()),
  };
}

/**
 * A database of its own migrated only up to `last`, to write rows as an earlier version did and
 * then see what the later migrations make of them (`rest()` applies them).
 */
export async function databaseAt(last: string) {
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `${url.pathname}_at_${randomUUID().slice(0, 8)}`;
  const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: url.toString() });
  await ensureDatabase(config.DATABASE_URL);
  const owner = createDb(config, { as: 'owner', poolMax: 2 });
  const all = await migrationSource.getMigrations([]);
  const before = all.slice(0, all.indexOf(last) + 1);
  await owner.migrate.latest({ migrationSource: { ...migrationSource, getMigrations: async () => before } });
  return {
    owner,
    /** Writes rows without the rows they refer to (foreign-key triggers off for the transaction). */
    insertBare: (table: string, rows: object[]) =>
      owner.transaction(async (trx) => {
        await trx.raw('SET LOCAL session_replication_role = replica');
        await trx(table).insert(rows);
      }),
    rest: () => owner.migrate.latest({ migrationSource }),
    drop: async () => {
      await owner.destroy();
      await dropDatabase(config.DATABASE_URL);
    },
  };
}
