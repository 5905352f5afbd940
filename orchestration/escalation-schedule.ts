/**
 * The escalation Schedule (the Web UI's Schedules page): every ESCALATION_INTERVAL it runs one
 * sweep with the configured policy. Created idempotently by the worker at start and by
 * `npm run schedules`; an existing one converges to the configuration.
 */
import { randomUUID } from 'node:crypto';
import { ScheduleOverlapPolicy, type Client, type ScheduleHandle } from '@temporalio/client';
import type { Config } from '../config';
import {
  ESCALATION_SWEEP_WORKFLOW_TYPE,
  type escalationSweepWorkflow,
  type SweepInput,
  type SweepSummary,
} from '../workflows/escalation';
import { upsertSchedule, type ScheduleParts } from './schedule-upsert';

export const ESCALATION_SCHEDULE_ID = 'qtm-escalation-sweep';

/**
 * Signals in flight at once. The intakes woken by the first signals compete with the rest for
 * the server; on the 2-core dev server a 10,000-task sweep took 384 s with 32 in flight and
 * 129 s with 128 (npm run bench:escalation -- --signals N).
 */
const SIGNAL_CONCURRENCY = 128;

export type EscalationConfig = Pick<
  Config,
  | 'ESCALATION_INTERVAL'
  | 'ESCALATION_OPERATOR_THRESHOLD'
  | 'ESCALATION_ADMIN_THRESHOLD'
  | 'ESCALATION_MAX_LEVEL'
  | 'ESCALATION_BATCH_SIZE'
  | 'TEMPORAL_TASK_QUEUE'
>;

export function sweepInput(config: EscalationConfig): SweepInput {
  return {
    policy: {
      operatorThresholdMs: config.ESCALATION_OPERATOR_THRESHOLD,
      adminThresholdMs: config.ESCALATION_ADMIN_THRESHOLD,
      maxLevel: config.ESCALATION_MAX_LEVEL,
    },
    pageSize: config.ESCALATION_BATCH_SIZE,
    concurrency: SIGNAL_CONCURRENCY,
  };
}

const seconds = (ms: number) => `${Math.round(ms / 1000)}s`;

function scheduleParts(config: EscalationConfig, scheduleId: string): ScheduleParts<typeof escalationSweepWorkflow> {
  return {
    spec: { intervals: [{ every: config.ESCALATION_INTERVAL }] },
    action: {
      type: 'startWorkflow',
      workflowType: ESCALATION_SWEEP_WORKFLOW_TYPE,
      // The Schedule appends the scheduled time: each sweep has its own readable id.
      workflowId: `${scheduleId}-run`,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      args: [sweepInput(config)],
      staticSummary: `Escalate tasks with no decision for ${seconds(config.ESCALATION_OPERATOR_THRESHOLD)} (operator) / ${seconds(config.ESCALATION_ADMIN_THRESHOLD)} (admin, up to level ${config.ESCALATION_MAX_LEVEL})`,
      // Sweeps never overlap, so a stuck one would hold back the next: after two intervals
      // (at least a minute) it is ended and the Schedule's next run starts afresh.
      workflowExecutionTimeout: Math.max(2 * config.ESCALATION_INTERVAL, 60_000),
    },
    // Sweeps never overlap; one missed while the server was down runs once when it is back.
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: config.ESCALATION_INTERVAL },
  };
}

export function ensureEscalationSchedule(
  client: Client,
  config: EscalationConfig,
  options: { scheduleId?: string } = {},
): Promise<ScheduleHandle> {
  const scheduleId = options.scheduleId ?? ESCALATION_SCHEDULE_ID;
  return upsertSchedule<typeof escalationSweepWorkflow>(
    client,
    scheduleId,
    scheduleParts(config, scheduleId),
    `Escalates stale governance tasks every ${seconds(config.ESCALATION_INTERVAL)}; see OPERATIONS.md`,
  );
}

/** One sweep now, outside the Schedule (tests, scripts); resolves with its summary. */
export function sweepNow(
  client: Client,
  config: EscalationConfig,
  input: SweepInput = sweepInput(config),
): Promise<SweepSummary> {
  return client.workflow.execute<typeof escalationSweepWorkflow>(ESCALATION_SWEEP_WORKFLOW_TYPE, {
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    workflowId: `qtm-escalation-sweep-ondemand-${randomUUID()}`,
    args: [input],
    staticSummary: 'On-demand escalation sweep',
  });
}
