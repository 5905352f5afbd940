/**
 * A test file's slice of the real stack: its own task queue and worker (on the run's
 * Temporal server), the app-role database pool and an owner pool, the signing key, clients.
 */
import { randomUUID } from 'node:crypto';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { loadConfig, type Config } from '../../config';
import { createDb, type Db } from '../../db';
import { IntakeClient } from '../../orchestration/intake-client';
import { connectTemporal, temporalConnectionOptions } from '../../adapters/temporal-connection';
import type { Checkpointer } from '../../workers/log-checkpointer';
import { logKeyIds } from '../../trust/log-checkpoint';
import { loadTrustKeys, type SigningKey, type TrustKeys } from '../../trust/keys';
import { createWorker, startLogCheckpointer } from '../../workers/worker';
import type { Client } from '@temporalio/client';

export interface TestStack {
  config: Config;
  /** As the application role (what the API and worker use). */
  db: Db;
  /** As the database owner (superuser here): for setting up and for tamper drills. */
  ownerDb: Db;
  client: Client;
  intakes: IntakeClient;
  /** The Signal key (keys.signal.current). */
  signingKey: SigningKey;
  keys: TrustKeys;
  /** The log signer, as the worker process runs it: only with LOG_CHECKPOINTER=on in `env`. */
  checkpointer: Checkpointer | null;
  stop(): Promise<void>;
}

let runtimeInstalled = false;

/** `worker: false` leaves the task queue to a worker the test runs itself (e.g. as a process it kills). */
export async function startTestStack(
  env: Record<string, string> = {},
  options: { worker?: boolean } = {},
): Promise<TestStack> {
  if (!runtimeInstalled) {
    // Worker lifecycle chatter is noise in test output; warnings and errors still show.
    Runtime.install({ logger: new DefaultLogger('WARN') });
    runtimeInstalled = true;
  }
  const config = loadConfig({ ...process.env, TEMPORAL_TASK_QUEUE: `test-${randomUUID()}`, ...env });
  const db = createDb(config);
  const ownerDb = createDb(config, { as: 'owner', poolMax: 2 });
  const keys = await loadTrustKeys(config);
  const signingKey = keys.signal.current;
  const { client, connection } = await connectTemporal(config);
  const intakes = new IntakeClient(client, config.TEMPORAL_TASK_QUEUE);
  const nativeConnection = await NativeConnection.connect(temporalConnectionOptions(config));
  const worker =
    options.worker === false
      ? null
      : (
          await createWorker({
            config,
            db,
            signingKey,
            logKey: keys.log.current,
            logKeyIds: logKeyIds(keys, config.LOG_ORIGIN),
            nudger: intakes,
            connection: nativeConnection,
            workflowBundlePath: process.env.QTM_TEST_WORKFLOW_BUNDLE,
          })
        ).worker;
  const running = worker?.run();
  // Off unless asked for: test files share one database, and most want checkpoints only on demand.
  const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
  const checkpointer = env.LOG_CHECKPOINTER === 'on' ? startLogCheckpointer(config, db, keys, quiet) : null;
  return {
    config,
    db,
    ownerDb,
    client,
    intakes,
    signingKey,
    keys,
    checkpointer,
    async stop() {
      await checkpointer?.stop();
      worker?.shutdown();
      await running;
      await nativeConnection.close();
      await connection.close();
      await Promise.all([db.destroy(), ownerDb.destroy()]);
    },
  };
}
