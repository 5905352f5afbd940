/**
 * One database, one Temporal namespace (db/temporal-binding.ts): the first start binds the
 * database to the namespace it reached; a start against another namespace is refused with one
 * clear line and exit code 78, before it serves or writes anything; the app role cannot rebind.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { databaseNameFile, loadConfig } from '../config';
import { createDb, databaseExists } from '../db';
import { bindingMismatch, bindToTemporal, TemporalBindingMismatch } from '../db/temporal-binding';
import { connectTemporal, type TemporalIdentity } from '../adapters/temporal-connection';
import { databaseOfThisDataFolder } from '../stack/dev-database';
import { freshDatabase } from './support/database';

const root = path.resolve(__dirname, '..');
let database: Awaited<ReturnType<typeof freshDatabase>>;
let db: ReturnType<typeof createDb>;
let here: TemporalIdentity;
const elsewhere = (): TemporalIdentity => ({ ...here, namespaceId: 'd6e1c2a4-0000-4000-8000-000000000000' });

beforeAll(async () => {
  database = await freshDatabase();
  db = createDb(loadConfig({ NODE_ENV: 'test', DATABASE_URL: database.url }));
  const temporal = await connectTemporal(loadConfig());
  here = temporal.identity;
  await temporal.connection.close();
});
afterAll(async () => {
  await db.destroy();
  await database.drop();
});

/** An entry point run as npm start runs it, on the fresh database: its exit code and its stderr. */
function run(entry: string): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: database.url, PORT: '0', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // One that starts anyway would serve for good: stopped after 30 s, and its code is then null.
  const stop = setTimeout(() => child.kill('SIGKILL'), 30_000);
  return new Promise((resolve) =>
    child.once('exit', (code) => {
      clearTimeout(stop);
      resolve({ code, stderr });
    }),
  );
}

test('the first start binds the database to the namespace it reached; the same namespace passes again', async () => {
  expect(here.namespaceId).toMatch(/^[0-9a-f-]{36}$/);
  await bindToTemporal(db, here);
  await bindToTemporal(db, here);
  expect(await db('temporal_binding').select('namespace_id', 'namespace')).toEqual([
    { namespace_id: here.namespaceId, namespace: here.namespace },
  ]);
  expect(await bindingMismatch(db, here)).toBeNull();
});

test('another namespace is refused, naming both, and the binding stays', async () => {
  const refusal = bindToTemporal(db, elsewhere());
  await expect(refusal).rejects.toBeInstanceOf(TemporalBindingMismatch);
  await expect(refusal).rejects.toThrow(`Temporal namespace default (id ${here.namespaceId}`);
  await expect(refusal).rejects.toThrow(`not of default (id ${elsewhere().namespaceId})`);
  expect((await bindingMismatch(db, elsewhere()))?.message).toContain('Point DATABASE_URL at this namespace');
  expect(await db('temporal_binding').pluck('namespace_id')).toEqual([here.namespaceId]);
});

test('the app role may neither change nor remove the binding', async () => {
  await expect(db('temporal_binding').update({ namespace_id: 'x' })).rejects.toThrow(/permission denied/);
  await expect(db('temporal_binding').delete()).rejects.toThrow(/permission denied/);
});

test.each([
  ['the worker', 'workers/main.ts', 'worker failed: database '],
  ['the API', 'api/main.ts', 'api failed to start: database '],
])('%s refuses a database bound to another namespace: exit 78, one line, nothing served', async (_, entry, line) => {
  const owner = createDb(loadConfig({ NODE_ENV: 'test', DATABASE_URL: database.url }), { as: 'owner' });
  try {
    await owner('temporal_binding').update({ namespace_id: elsewhere().namespaceId });
    const { code, stderr } = await run(entry);
    expect(code).toBe(78);
    expect(stderr.trim().split('\n')).toEqual([expect.stringContaining(line)]);
    expect(stderr).toContain(`is the read side of Temporal namespace default (id ${elsewhere().namespaceId}`);
    expect(await owner('temporal_binding').pluck('namespace_id')).toEqual([elsewhere().namespaceId]);
  } finally {
    await owner('temporal_binding').update({ namespace_id: here.namespaceId });
    await owner.destroy();
  }
});

describe('npm start with DATABASE_URL unset: which database a data folder takes (stack/dev-database.ts)', () => {
  let dataDir: string;
  const lines: string[] = [];
  const log = (line: string) => lines.push(line);
  const configFor = (databaseUrl: string) =>
    loadConfig({ NODE_ENV: 'test', DATABASE_URL: databaseUrl, DATA_DIR: dataDir });
  const nameIn = (url: string) => new URL(url).pathname.slice(1);
  const kept = () => fs.readFileSync(databaseNameFile(dataDir), 'utf8').trim();

  beforeEach(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qtm-data-'));
    lines.length = 0;
    await bindToTemporal(db, here);
  });
  afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  test('a new data folder whose default is bound by another dev server gets a database of its own', async () => {
    const url = await databaseOfThisDataFolder(configFor(database.url), true, log);
    expect(nameIn(url)).toMatch(new RegExp(`^${nameIn(database.url)}_[0-9a-f]{6}$`));
    expect(kept()).toBe(nameIn(url));
    expect(lines).toEqual([expect.stringContaining(`database ${nameIn(database.url)} is the read side of another`)]);
  });

  test('a data folder from before data/database keeps the default it has always used', async () => {
    expect(await databaseOfThisDataFolder(configFor(database.url), false, log)).toBe(database.url);
    expect(kept()).toBe(nameIn(database.url));
    expect(lines).toEqual([]);
  });

  test('a default that does not exist yet is taken as it is, quietly: nothing logged, nothing created', async () => {
    const missing = new URL(database.url);
    missing.pathname = `/${nameIn(database.url)}_missing`;
    // knex prints its pool's warnings with console.log.
    const printed = (['log', 'warn', 'error'] as const).map((level) => jest.spyOn(console, level));
    try {
      expect(await databaseOfThisDataFolder(configFor(missing.toString()), true, log)).toBe(missing.toString());
      expect({ printed: printed.flatMap((spy) => spy.mock.calls), lines }).toEqual({ printed: [], lines: [] });
    } finally {
      printed.forEach((spy) => spy.mockRestore());
    }
    expect(kept()).toBe(nameIn(missing.toString()));
    expect(await databaseExists(missing.toString())).toBe(false);
  });

  test('once chosen, the name in data/database is what the configuration reads, and it stays', async () => {
    fs.writeFileSync(databaseNameFile(dataDir), 'qtm_os_chosen\n');
    const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir });
    expect(nameIn(config.DATABASE_URL)).toBe('qtm_os_chosen');
    expect(await databaseOfThisDataFolder(config, true, log)).toBe(config.DATABASE_URL);
    expect(kept()).toBe('qtm_os_chosen');
  });
});
