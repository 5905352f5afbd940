/**
 * The floor workflow's worker as a process of its own, like the product's worker, so that F and L
 * pay the same for the worker being apart from the client. Started by the benchmark; stops on SIGTERM.
 */
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';

async function main(): Promise<void> {
  const { TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, FLOOR_TASK_QUEUE } = process.env;
  if (!TEMPORAL_ADDRESS || !TEMPORAL_NAMESPACE || !FLOOR_TASK_QUEUE)
    throw new Error('floor worker: TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE and FLOOR_TASK_QUEUE are required');
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const workflowBundle = await bundleWorkflowCode({
    workflowsPath: require.resolve('./floor-workflow'),
    logger: new DefaultLogger('ERROR'),
  });
  const connection = await NativeConnection.connect({ address: TEMPORAL_ADDRESS });
  // The product worker's defaults (workers/worker.ts sets only the cache size).
  const worker = await Worker.create({
    connection,
    namespace: TEMPORAL_NAMESPACE,
    taskQueue: FLOOR_TASK_QUEUE,
    workflowBundle,
    activities: { noop: async (step: string) => step },
    maxCachedWorkflows: Number(process.env.WORKER_MAX_CACHED_WORKFLOWS ?? 1000),
  });
  await worker.run();
  await connection.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`floor worker failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
