/** A database of a test file's own, for tests that must not disturb the run's shared one. */
import { randomUUID } from 'node:crypto';
import { loadConfig } from '../../config';
import { dropDatabase, migrate } from '../../db';

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
