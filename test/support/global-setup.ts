/**
 * Starts what every test needs, once per run: a real Temporal dev server (pinned CLI, on
 * free ports, in memory), a fresh Postgres database (migrated, dropped in teardown), a data
 * folder for generated keys, and the workflow bundle. Test files read them from the env.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../config';
import { dropDatabase, migrate } from '../../db';
import { bundleWorkflows } from '../../stack/bundle-workflows';
import { ensureTemporalCli, freePort, startDevServer } from '../../stack/temporal-cli';
import { ensureWitnessTools } from '../../stack/witness';
import { searchAttributeRegistrations } from '../../workflows/messages';
import { setRunState } from './run-state';

export default async function globalSetup(): Promise<void> {
  const runId = `${Date.now().toString(36)}_${process.pid}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qtm-test-'));
  const baseUrl = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  baseUrl.pathname = `/qtm_test_${runId}`;

  const binary = await ensureTemporalCli();
  // Built once here (seconds from Go's caches), so that test files starting witnesses never race to build it.
  await ensureWitnessTools();
  const port = await freePort();
  const [started, migrated] = await Promise.allSettled([
    startDevServer({
      binary,
      port,
      uiPort: null,
      searchAttributes: searchAttributeRegistrations,
      logFile: path.join(dataDir, 'temporal.log'),
    }),
    migrate(loadConfig({ NODE_ENV: 'test', DATABASE_URL: baseUrl.toString() })),
  ]);
  // Jest runs no teardown when the setup throws: a server already started must not outlive it.
  const server = started.status === 'fulfilled' ? started.value : null;
  const bundlePath = path.join(dataDir, 'workflow-bundle.js');
  try {
    if (!server) throw (started as PromiseRejectedResult).reason;
    if (migrated.status === 'rejected') throw migrated.reason;
    await bundleWorkflows(bundlePath);
  } catch (error) {
    await Promise.all([server?.stop(), dropDatabase(baseUrl.toString()).catch(() => undefined)]);
    throw error;
  }
  const applied = (migrated as PromiseFulfilledResult<string[]>).value;

  Object.assign(process.env, {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    DATABASE_URL: baseUrl.toString(),
    TEMPORAL_ADDRESS: server.address,
    DATA_DIR: dataDir,
    QTM_TEST_WORKFLOW_BUNDLE: bundlePath,
  });
  // Teardown stops it; the handle must not keep jest's parent process alive.
  server.process.unref();
  setRunState({ serverPid: server.process.pid!, databaseUrl: baseUrl.toString(), dataDir, migrations: applied.length });
}
