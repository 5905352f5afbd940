/**
 * The escalation sweep's one activity: read a page of stale Tasks from Postgres and nudge
 * each intake workflow with the `escalate` signal. Nudges carry the audience and level the
 * sweep saw, so the workflow ignores a nudge that no longer applies: a retried page, an
 * overlapping sweep or a lagging read model escalate nothing twice.
 */
import { heartbeat } from '@temporalio/activity';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { Knex } from 'knex';
import { findStaleTasks, type EscalationPolicy, type StaleCursor, type StaleTask } from '../db/stale-tasks';
import type { EscalateSignal } from '../workflows/messages';

/** How the activity reaches intake workflows (an IntakeClient in the worker). */
export interface EscalationNudger {
  escalate(intakeId: string, nudge: EscalateSignal): Promise<void>;
}

export interface EscalationDeps {
  db: Knex;
  nudger: EscalationNudger;
}

export interface EscalatePageInput {
  /** The sweep's clock (workflow time), the same for every page of one sweep. */
  asOf: string;
  policy: EscalationPolicy;
  after: StaleCursor | null;
  limit: number;
  /** Signals in flight at once. */
  concurrency: number;
}

export interface EscalatePageResult {
  found: number;
  nudged: number;
  /** Workflows that ended between the read and the signal (nothing to escalate). */
  ended: number;
  next: StaleCursor | null;
}

const formatDuration = (ms: number) => (ms % 3_600_000 === 0 ? `${ms / 3_600_000}h` : ms % 60_000 === 0 ? `${ms / 60_000}m` : `${ms / 1000}s`);

export function nudgeFor(task: StaleTask, policy: EscalationPolicy): EscalateSignal {
  const threshold = task.audience === 'operator' ? policy.operatorThresholdMs : policy.adminThresholdMs;
  return {
    expectedAudience: task.audience,
    expectedLevel: task.escalationLevel,
    maxLevel: policy.maxLevel,
    reason: `no governance decision for ${formatDuration(threshold)} (${task.audience} audience, level ${task.escalationLevel}) since ${task.staleSince}`,
  };
}

export function createEscalationActivities({ db, nudger }: EscalationDeps) {
  return {
    async escalateStalePage(input: EscalatePageInput): Promise<EscalatePageResult> {
      const page = await findStaleTasks(db, input);
      let nudged = 0;
      let ended = 0;
      for (let i = 0; i < page.items.length; i += input.concurrency) {
        const batch = page.items.slice(i, i + input.concurrency);
        const sent = await Promise.allSettled(batch.map((task) => nudger.escalate(task.intakeId, nudgeFor(task, input.policy))));
        for (const result of sent) {
          if (result.status === 'fulfilled') nudged += 1;
          else if (result.reason instanceof WorkflowNotFoundError) ended += 1;
          else throw result.reason; // Temporal unreachable: the activity retries the page.
        }
        heartbeat({ sent: i + batch.length });
      }
      return { found: page.items.length, nudged, ended, next: page.next };
    },
  };
}
