/**
 * Create-or-converge for the product's Temporal Schedules: creating one that exists (another
 * worker, an earlier start) updates it to this configuration instead, keeping its paused state
 * and note, which belong to ops staff.
 */
import {
  ScheduleAlreadyRunning,
  type Client,
  type ScheduleHandle,
  type ScheduleOptions,
  type ScheduleOptionsStartWorkflowAction,
  type ScheduleSpec,
} from '@temporalio/client';
import type { Workflow } from '@temporalio/common';

export interface ScheduleParts<W extends Workflow> {
  spec: ScheduleSpec;
  action: ScheduleOptionsStartWorkflowAction<W>;
  policies: ScheduleOptions['policies'];
}

export async function upsertSchedule<W extends Workflow>(
  client: Client,
  scheduleId: string,
  parts: ScheduleParts<W>,
  note: string,
): Promise<ScheduleHandle> {
  try {
    return await client.schedule.create<W>({ scheduleId, ...parts, state: { note } });
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    const handle = client.schedule.getHandle(scheduleId);
    await handle.update<W>((previous) => ({ ...previous, ...parts, state: { ...previous.state } }));
    return handle;
  }
}
