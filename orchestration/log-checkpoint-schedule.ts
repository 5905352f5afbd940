/**
 * The checkpoint Schedule (visible in the Web UI's Schedules page) and on-demand checkpoints.
 * The worker's start-up calls ensureCheckpointSchedule; it is idempotent and converges an
 * existing Schedule to the configured interval and task queue.
 */
import { randomUUID } from 'node:crypto';
import { ScheduleOverlapPolicy, type Client, type ScheduleHandle } from '@temporalio/client';
import type { CheckpointSummary } from '../activities/log';
import type { Config } from '../config';
import { CHECKPOINT_WORKFLOW_TYPE, type checkpointWorkflow } from '../workflows/log-checkpoint';
import { upsertSchedule, type ScheduleParts } from './schedule-upsert';

export const CHECKPOINT_SCHEDULE_ID = 'qtm-log-checkpoint';

type ScheduleConfig = Pick<Config, 'CHECKPOINT_INTERVAL' | 'TEMPORAL_TASK_QUEUE' | 'LOG_ORIGIN'>;

function scheduleParts(config: ScheduleConfig, scheduleId: string): ScheduleParts<typeof checkpointWorkflow> {
  return {
    spec: { intervals: [{ every: config.CHECKPOINT_INTERVAL }] },
    action: {
      type: 'startWorkflow' as const,
      workflowType: CHECKPOINT_WORKFLOW_TYPE,
      // The Schedule appends the scheduled time, so each run has its own readable id.
      workflowId: `${scheduleId}-run`,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      args: [],
      staticSummary: `Checkpoint of the Record log ${config.LOG_ORIGIN}`,
    },
    // A slow run must not pile up behind itself; a missed run is simply made at the next tick.
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: 60_000 },
  };
}

export function ensureCheckpointSchedule(
  client: Client,
  config: ScheduleConfig,
  options: { scheduleId?: string } = {},
): Promise<ScheduleHandle> {
  const scheduleId = options.scheduleId ?? CHECKPOINT_SCHEDULE_ID;
  return upsertSchedule<typeof checkpointWorkflow>(
    client,
    scheduleId,
    scheduleParts(config, scheduleId),
    `Signs a C2SP checkpoint of ${config.LOG_ORIGIN} every ${config.CHECKPOINT_INTERVAL} ms`,
  );
}

/** An on-demand checkpoint, made by the same workflow the Schedule runs; resolves with its result. */
export async function checkpointNow(
  client: Client,
  config: Pick<Config, 'TEMPORAL_TASK_QUEUE'>,
): Promise<CheckpointSummary | null> {
  return client.workflow.execute<typeof checkpointWorkflow>(CHECKPOINT_WORKFLOW_TYPE, {
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    workflowId: `qtm-log-checkpoint-ondemand-${randomUUID()}`,
    staticSummary: 'On-demand checkpoint of the Record log',
    workflowExecutionTimeout: '2 minutes',
  });
}
