/** F, F0 and Fmin: the floor workflow driven by the Temporal client, on a worker process of its own. */
import { WithStartWorkflowOperation, type Client, type Connection } from '@temporalio/client';
import { NodeService } from '../../stack/processes';
import { isPolling } from '../../stack/worker-ready';
import { record, type Latencies } from './lifecycle';
import { floorCommand, floorSubmitted, type floorWorkflow } from './floor-workflow';
import { sleep, timed } from './stats';

/** The intake lifecycle's Updates after the start: approve, assign, job, claim, start, 2 stages, 3 evidence, complete. */
export const FLOOR_COMMANDS = [
  'approve',
  'assign',
  'createJob',
  'claim',
  'start',
  'stage',
  'stage',
  'evidence',
  'evidence',
  'evidence',
  'complete',
];

export interface FloorWorker {
  taskQueue: string;
  pid: () => number | undefined;
  stop(): Promise<void>;
}

/** Starts the floor worker process and waits until Temporal lists it among the task queue's pollers. */
export async function startFloorWorker(options: {
  address: string;
  namespace: string;
  taskQueue: string;
  logFile: string;
  connection: Connection;
}): Promise<FloorWorker> {
  const service = new NodeService(
    'floor-worker',
    'measure/bench/floor-worker.ts',
    { TEMPORAL_ADDRESS: options.address, TEMPORAL_NAMESPACE: options.namespace, FLOOR_TASK_QUEUE: options.taskQueue },
    options.logFile,
  );
  service.start();
  for (
    const deadline = Date.now() + 120_000;
    (await isPolling(options.connection, options.namespace, options.taskQueue, service.pid)) !== true;
  ) {
    if (Date.now() > deadline) throw new Error(`the floor worker did not start polling (see ${options.logFile})`);
    await sleep(250);
  }
  return { taskQueue: options.taskQueue, pid: () => service.pid, stop: () => service.stop() };
}

export async function floorLifecycle(
  client: Client,
  taskQueue: string,
  id: string,
  latencies: Latencies,
  localWrites: boolean,
  minimal = false,
): Promise<void> {
  const workflowId = `floor-${id}`;
  const startWorkflowOperation = new WithStartWorkflowOperation<typeof floorWorkflow>('floorWorkflow', {
    workflowId,
    taskQueue,
    args: [{ commands: FLOOR_COMMANDS.length, localWrites, minimal }],
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
  await timed(record(latencies, 'submit'), () =>
    client.workflow.executeUpdateWithStart(floorSubmitted, { startWorkflowOperation }),
  );
  const handle = client.workflow.getHandle<typeof floorWorkflow>(workflowId);
  for (const step of FLOOR_COMMANDS)
    await timed(record(latencies, step), () => handle.executeUpdate(floorCommand, { args: [step] }));
  await handle.result();
}
