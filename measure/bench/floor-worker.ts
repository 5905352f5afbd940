/**
 * The floor workflow's worker as a process of its own, like the product's worker, so that F and L
 * pay the same for the worker being apart from the client. Started by the benchmark; stops on SIGTERM.
 */
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { loadConfigOrExit } from '../../config';
import { temporalConnectionOptions } from '../../adapters/temporal-connection';

async function main(): Promise<void> {
  // The product's configuration (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TLS) and the floor's own task queue.
  const config = loadConfigOrExit();
  const { FLOOR_TASK_QUEUE } = process.env;
  if (!FLOOR_TASK_QUEUE) throw new Error('floor worker: FLOOR_TASK_QUEUE is required');
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const workflowBundle = await bundleWorkflowCode({
    workflowsPath: require.resolve('./floor-workflow'),
    logger: new DefaultLogger('ERROR'),
  });
  const connection = await NativeConnection.connect(temporalConnectionOptions(config));
  // The product worker's defaults (workers/worker.ts sets only the cache size).
  const worker = await Worker.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: FLOOR_TASK_QUEUE,
    workflowBundle,
    activities: { noop: async (step: string) => step },
    maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS,
  });
  await worker.run();
  await connection.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`floor worker failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
