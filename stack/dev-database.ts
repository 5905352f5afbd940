/** Which Postgres database `npm start` uses when DATABASE_URL is unset (stack/dev.ts). */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { databaseNameFile, type Config } from '../config';
import { createDb, databaseExists } from '../db';
import { boundNamespace } from '../db/temporal-binding';

/**
 * With DATABASE_URL unset: the database this data folder's dev server is the read side of, its
 * name kept in data/database (which every tool's configuration reads). A new data folder takes
 * the default (qtm_os) unless the dev server of another checkout, or of an earlier data/, has
 * bound it; then a database of its own, so a fresh clone starts whatever else this machine runs
 * (OPERATIONS.md, "One database, one Temporal").
 */
export async function databaseOfThisDataFolder(
  config: Config,
  newDataFolder: boolean,
  log: (line: string) => void,
): Promise<string> {
  const file = databaseNameFile(config.dataDir);
  // Already chosen: the configuration read it (config/index.ts), as every tool's does.
  if (fs.existsSync(file)) return config.DATABASE_URL;
  const url = new URL(config.DATABASE_URL);
  const name = decodeURIComponent(url.pathname.slice(1));
  // A data folder from before data/database keeps the default it has always used.
  if (newDataFolder && (await isBound(config, url.toString()))) {
    url.pathname = `/${name}_${randomBytes(3).toString('hex')}`;
    log(
      `database ${name} is the read side of another dev server (another checkout, or an earlier data/): ` +
        `this data folder gets ${url.pathname.slice(1)} (kept in ${path.relative(process.cwd(), file) || file})`,
    );
  }
  fs.mkdirSync(config.dataDir, { recursive: true });
  fs.writeFileSync(file, `${decodeURIComponent(url.pathname.slice(1))}\n`);
  return url.toString();
}

/** Whether a database exists and is bound to a Temporal namespace (db/temporal-binding.ts). */
async function isBound(config: Config, databaseUrl: string): Promise<boolean> {
  // Asked first: knex's pool prints a stack trace for a connection to a database that does not exist.
  if (!(await databaseExists(databaseUrl))) return false;
  const db = createDb({ ...config, DATABASE_URL: databaseUrl }, { as: 'owner', poolMax: 1 });
  try {
    return (await boundNamespace(db)) !== null;
  } finally {
    await db.destroy();
  }
}
