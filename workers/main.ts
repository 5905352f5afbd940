/** The worker process: `node dist/workers/main.js` in production, run by `npm start` in development. */
import fs from 'node:fs';
import path from 'node:path';
import { loadConfigOrExit } from '../config';
import { TemporalBindingMismatch } from '../db/temporal-binding';
import { startTracing } from '../adapters/telemetry';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  // Before pg and knex are loaded (by the modules imported only now): the tracing
  // instrumentations patch them as they are required. Off, this loads nothing.
  const traces = await startTracing(config, 'qtm-worker');
  const [
    { createDb },
    { bindToTemporal },
    { IntakeClient },
    { createLogger },
    { ensureSchedules },
    { connectTemporal },
    { loadTrustKeys, loadAuthSecret },
    { logKeyIds },
    { createWorker, startLogCheckpointer },
    { ensureWebhookDispatcher },
    { createWebhookWorker },
  ] = await Promise.all([
    import('../db'),
    import('../db/temporal-binding'),
    import('../orchestration/intake-client'),
    import('../adapters/logger'),
    import('../orchestration/schedules'),
    import('../adapters/temporal-connection'),
    import('../trust/keys'),
    import('../trust/log-checkpoint'),
    import('./worker'),
    import('../orchestration/webhook-dispatcher'),
    import('./webhooks'),
  ]);
  const log = createLogger(config, 'worker');
  const db = createDb(config);
  const keys = await loadTrustKeys(config);
  // The process's one client connection: the sweep's nudges and the Schedules.
  const temporal = await connectTemporal(config);
  await bindToTemporal(db, temporal.identity);
  // Production ships dist/workflow-bundle.js next to the compiled code.
  const bundle = config.WORKFLOW_BUNDLE ?? path.resolve(__dirname, '..', 'workflow-bundle.js');
  const { worker, connection } = await createWorker({
    config,
    db,
    signingKey: keys.signal.current,
    logKey: keys.log.current,
    logKeyIds: logKeyIds(keys, config.LOG_ORIGIN),
    log,
    nudger: new IntakeClient(temporal.client, config.TEMPORAL_TASK_QUEUE),
    workflowBundlePath: fs.existsSync(bundle) ? bundle : undefined,
    tuning: { maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS },
  });
  // Webhook dispatch and deliveries: the same process and connection, a task queue of their own.
  const webhookWorker = await createWebhookWorker({
    config,
    db,
    client: temporal.client,
    tokenSecret: await loadAuthSecret(config),
    connection,
    workflowBundlePath: fs.existsSync(bundle) ? bundle : undefined,
  });
  const schedules = await ensureSchedules(temporal.client, config);
  const dispatcher = await ensureWebhookDispatcher(temporal.client, config);
  log.info(
    {
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      webhookTaskQueue: config.WEBHOOK_TASK_QUEUE,
      address: config.TEMPORAL_ADDRESS,
      schedules: schedules.map((s) => s.scheduleId),
      webhookDispatcher: dispatcher,
      tracing: traces !== null,
      checkpointer: config.LOG_CHECKPOINTER === 'on' ? `within ${config.LOG_CHECKPOINT_DELAY} ms` : 'off',
      witnesses: config.LOG_WITNESSES.map((w) => w.key.name),
    },
    'worker started',
  );
  // New leaves get a checkpoint within LOG_CHECKPOINT_DELAY (one signer at a time across workers).
  const checkpointer = config.LOG_CHECKPOINTER === 'on' ? startLogCheckpointer(config, db, keys, log) : null;
  // Worker.run() stops gracefully on SIGINT/SIGTERM (the SDK's runtime installs the handlers, for both).
  await Promise.all([worker.run(), webhookWorker.run()]);
  await checkpointer?.stop();
  await connection.close();
  await temporal.connection.close();
  await db.destroy();
  await traces?.shutdown();
  log.info('worker stopped');
}

main().catch((error: unknown) => {
  process.stderr.write(`worker failed: ${(error as Error).message}\n`);
  // Like a configuration error (78): restarting cannot help, the supervisor reports it instead.
  process.exit(error instanceof TemporalBindingMismatch ? 78 : 1);
});
