/** Whether a worker process is up: Temporal lists it (identity pid@host) among a task queue's pollers. */
import type { Connection } from '@temporalio/client';

export async function isPolling(
  connection: Connection,
  namespace: string,
  taskQueue: string,
  pid: number | undefined,
): Promise<true | string> {
  const { pollers } = await connection.workflowService.describeTaskQueue({
    namespace,
    taskQueue: { name: taskQueue },
    taskQueueType: 1, // TASK_QUEUE_TYPE_WORKFLOW
  });
  return (
    (pid !== undefined && pollers.some((p) => p.identity?.startsWith(`${pid}@`))) ||
    `no poller from pid ${pid} on ${taskQueue}`
  );
}
