/** Every Schedule QTM OS runs, ensured together (worker start-up, `npm run schedules`). */
import type { Client, ScheduleHandle } from '@temporalio/client';
import type { Config } from '../config';
import { ensureCheckpointSchedule } from './log-checkpoint-schedule';
import { ensureEscalationSchedule } from './escalation-schedule';
import { ensureRetentionSchedule } from './retention-schedule';

export async function ensureSchedules(client: Client, config: Config): Promise<ScheduleHandle[]> {
  const retention = await ensureRetentionSchedule(client, config);
  return [
    await ensureEscalationSchedule(client, config),
    await ensureCheckpointSchedule(client, config),
    ...(retention ? [retention] : []),
  ];
}
