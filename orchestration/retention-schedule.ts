/**
 * The retention Schedule (the Web UI's Schedules page): with PERSONAL_DATA_RETENTION set, every
 * PERSONAL_DATA_RETENTION_INTERVAL it erases the personal data of Actors whose intakes all ended
 * longer ago than that. Off by default; turning it off deletes the Schedule.
 */
import { randomUUID } from 'node:crypto';
import { ScheduleNotFoundError, ScheduleOverlapPolicy, type Client, type ScheduleHandle } from '@temporalio/client';
import type { Config } from '../config';
import {
  RETENTION_SWEEP_WORKFLOW_TYPE,
  type RetentionInput,
  type RetentionSummary,
  type retentionSweepWorkflow,
} from '../workflows/retention';
import { upsertSchedule } from './schedule-upsert';

export const RETENTION_SCHEDULE_ID = 'qtm-personal-data-retention';

export type RetentionConfig = Pick<
  Config,
  'PERSONAL_DATA_RETENTION' | 'PERSONAL_DATA_RETENTION_INTERVAL' | 'TEMPORAL_TASK_QUEUE'
>;

const BATCH_SIZE = 100;

export const retentionInput = (retentionMs: number): RetentionInput => ({ retentionMs, batchSize: BATCH_SIZE });

/** The Schedule when retention is on; null (and no Schedule left behind) when it is off. */
export async function ensureRetentionSchedule(
  client: Client,
  config: RetentionConfig,
  options: { scheduleId?: string } = {},
): Promise<ScheduleHandle | null> {
  const scheduleId = options.scheduleId ?? RETENTION_SCHEDULE_ID;
  const retention = config.PERSONAL_DATA_RETENTION;
  if (!retention) {
    await client.schedule
      .getHandle(scheduleId)
      .delete()
      .catch((error: unknown) => {
        if (!(error instanceof ScheduleNotFoundError)) throw error;
      });
    return null;
  }
  const every = config.PERSONAL_DATA_RETENTION_INTERVAL;
  return upsertSchedule<typeof retentionSweepWorkflow>(
    client,
    scheduleId,
    {
      spec: { intervals: [{ every }] },
      action: {
        type: 'startWorkflow',
        workflowType: RETENTION_SWEEP_WORKFLOW_TYPE,
        workflowId: `${scheduleId}-run`,
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        args: [retentionInput(retention.ms)],
        staticSummary: `Erase personal data of Actors whose intakes ended more than ${retention.text} ago`,
        workflowExecutionTimeout: Math.max(2 * every, 60_000),
      },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: every },
    },
    `Erases expired personal data (PERSONAL_DATA_RETENTION ${retention.text}); see OPERATIONS.md`,
  );
}

/** One run now, outside the Schedule (tests, scripts). */
export function retentionNow(client: Client, config: RetentionConfig, retentionMs: number): Promise<RetentionSummary> {
  return client.workflow.execute<typeof retentionSweepWorkflow>(RETENTION_SWEEP_WORKFLOW_TYPE, {
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    workflowId: `${RETENTION_SCHEDULE_ID}-ondemand-${randomUUID()}`,
    args: [retentionInput(retentionMs)],
    staticSummary: 'On-demand retention run',
  });
}
