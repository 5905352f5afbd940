/** F: the floor workflow driven by the Temporal client, on a worker inside this process. */
import { WithStartWorkflowOperation, type Client } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { record, type Latencies } from './lifecycle';
import { floorCommand, floorSubmitted, type floorWorkflow } from './floor-workflow';
import { timed } from './stats';

/** The intake lifecycle's Updates after the start: approve, assign, job, claim, start, 2 stages, 3 evidence, complete. */
export const FLOOR_COMMANDS = ['approve', 'assign', 'createJob', 'claim', 'start', 'stage', 'stage', 'evidence', 'evidence', 'evidence', 'complete'];

export interface FloorWorker {
  taskQueue: string;
  /** Runs `work` while the floor worker polls, then shuts the worker down. */
  during<T>(work: () => Promise<T>): Promise<T>;
}

export async function createFloorWorker(address: string, namespace: string, taskQueue: string): Promise<FloorWorker> {
  // Quiet: the worker's state changes would interleave with the figures.
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const workflowBundle = await bundleWorkflowCode({ workflowsPath: require.resolve('./floor-workflow'), logger: new DefaultLogger('WARN') });
  const connection = await NativeConnection.connect({ address });
  const worker = await Worker.create({
    connection,
    namespace,
    taskQueue,
    workflowBundle,
    activities: { noop: async (step: string) => step },
  });
  return {
    taskQueue,
    async during(work) {
      try {
        return await worker.runUntil(work);
      } finally {
        await connection.close();
      }
    },
  };
}

export async function floorLifecycle(client: Client, taskQueue: string, id: string, latencies: Latencies): Promise<void> {
  const workflowId = `floor-${id}`;
  const startWorkflowOperation = new WithStartWorkflowOperation<typeof floorWorkflow>('floorWorkflow', {
    workflowId,
    taskQueue,
    args: [FLOOR_COMMANDS.length],
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
  await timed(record(latencies, 'submit'), () => client.workflow.executeUpdateWithStart(floorSubmitted, { startWorkflowOperation }));
  const handle = client.workflow.getHandle<typeof floorWorkflow>(workflowId);
  for (const step of FLOOR_COMMANDS) await timed(record(latencies, step), () => handle.executeUpdate(floorCommand, { args: [step] }));
  await handle.result();
}
