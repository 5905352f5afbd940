/** `npm run migrate`: creates the database if missing and applies migrations and grants. */
import { loadConfigOrExit } from '../config';
import { migrate } from '../db';

const config = loadConfigOrExit();
migrate(config).then(
  (applied) => process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'database is up to date\n'),
  (error: unknown) => {
    process.stderr.write(`migration failed: ${(error as Error).message}\n`);
    process.exit(1);
  },
);
