/** The worker process: `node dist/workers/main.js` in production, run by `npm start` in development. */
import fs from 'node:fs';
import path from 'node:path';
import { loadConfigOrExit } from '../config';
import { startTracing } from '../lib/telemetry';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  // Before pg and knex are loaded (by the modules imported only now): the tracing
  // instrumentations patch them as they are required. Off, this loads nothing.
  const traces = await startTracing(config, 'qtm-worker');
  const [
    { createDb },
    { IntakeClient },
    { createLogger },
    { ensureSchedules },
    { connectTemporal },
    { loadSigningKey },
    { createWorker },
  ] = await Promise.all([
    import('../db'),
    import('../lib/intake-client'),
    import('../lib/logger'),
    import('../lib/schedules'),
    import('../lib/temporal'),
    import('../trust/keys'),
    import('./worker'),
  ]);
  const log = createLogger(config, 'worker');
  const db = createDb(config);
  const signingKey = await loadSigningKey(config);
  // The process's one client connection: the sweep's nudges and the Schedules.
  const temporal = await connectTemporal(config);
  // Production ships dist/workflow-bundle.js next to the compiled code.
  const bundle = config.WORKFLOW_BUNDLE ?? path.resolve(__dirname, '..', 'workflow-bundle.js');
  const { worker, connection } = await createWorker({
    config,
    db,
    signingKey,
    nudger: new IntakeClient(temporal.client, config.TEMPORAL_TASK_QUEUE),
    workflowBundlePath: fs.existsSync(bundle) ? bundle : undefined,
    tuning: { maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS },
  });
  const schedules = await ensureSchedules(temporal.client, config);
  log.info(
    {
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      address: config.TEMPORAL_ADDRESS,
      schedules: schedules.map((s) => s.scheduleId),
      tracing: traces !== null,
    },
    'worker started',
  );
  // Worker.run() stops gracefully on SIGINT/SIGTERM (the SDK's runtime installs the handlers).
  await worker.run();
  await connection.close();
  await temporal.connection.close();
  await db.destroy();
  await traces?.shutdown();
  log.info('worker stopped');
}

main().catch((error: unknown) => {
  process.stderr.write(`worker failed: ${(error as Error).message}\n`);
  process.exit(1);
});
