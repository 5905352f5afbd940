/**
 * The escalation sweep's activity: read stale Tasks from Postgres page by page and nudge each
 * intake workflow with the `escalate` signal, in bounded batches. Nudges carry the audience and
 * level the sweep saw, so the workflow ignores a nudge that no longer applies: a retried batch,
 * an overlapping sweep or a lagging read model escalate nothing twice.
 *
 * One activity walks many pages (up to a time budget) rather than one page each: on a busy task
 * queue every workflow task between pages waits behind the intake workflows the sweep is waking.
 * Progress is heartbeated, so a retry resumes after the last page it finished.
 */
import { activityInfo, heartbeat } from '@temporalio/activity';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { Knex } from 'knex';
import { findStaleTasks, type StaleCursor, type StaleTask } from '../db/stale-tasks';
import type { EscalationPolicy } from '../domain/intake-machine';
import type { EscalateSignal } from '../domain/intake-machine';

/** How the activity reaches intake workflows (an IntakeClient in the worker). */
export interface EscalationNudger {
  escalate(intakeId: string, nudge: EscalateSignal): Promise<void>;
}

export interface EscalationDeps {
  db: Knex;
  nudger: EscalationNudger;
}

export interface EscalateStaleInput {
  /** The sweep's clock (workflow time), the same for every page of one sweep. */
  asOf: string;
  policy: EscalationPolicy;
  after: StaleCursor | null;
  pageSize: number;
  /** Signals in flight at once. */
  concurrency: number;
  /** Stop after the page that crosses this much time, and hand the cursor back. */
  budgetMs: number;
}

export interface EscalateStaleResult {
  pages: number;
  found: number;
  nudged: number;
  /** Workflows that ended between the read and the signal (nothing to escalate). */
  ended: number;
  /** Where the next activity goes on; null when the walk is done. */
  next: StaleCursor | null;
}

const formatDuration = (ms: number) =>
  ms % 3_600_000 === 0 ? `${ms / 3_600_000}h` : ms % 60_000 === 0 ? `${ms / 60_000}m` : `${ms / 1000}s`;

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
  /** Signals one page's Tasks, `concurrency` at a time; counts those whose workflow has ended. */
  async function nudgePage(
    tasks: StaleTask[],
    input: EscalateStaleInput,
    alive: () => void,
  ): Promise<{ nudged: number; ended: number }> {
    let nudged = 0;
    let ended = 0;
    for (let i = 0; i < tasks.length; i += input.concurrency) {
      const sent = await Promise.allSettled(
        tasks
          .slice(i, i + input.concurrency)
          .map((task) => nudger.escalate(task.intakeId, nudgeFor(task, input.policy))),
      );
      for (const result of sent) {
        if (result.status === 'fulfilled') nudged += 1;
        else if (result.reason instanceof WorkflowNotFoundError) ended += 1;
        else throw result.reason; // Temporal unreachable: the activity retries from its last heartbeat.
      }
      alive();
    }
    return { nudged, ended };
  }

  return {
    async escalateStaleTasks(input: EscalateStaleInput): Promise<EscalateStaleResult> {
      const started = Date.now();
      // A retry picks up after the last page the previous attempt finished.
      const resumed = activityInfo().heartbeatDetails as EscalateStaleResult | undefined;
      const progress: EscalateStaleResult = resumed ?? { pages: 0, found: 0, nudged: 0, ended: 0, next: input.after };
      do {
        const page = await findStaleTasks(db, {
          asOf: input.asOf,
          policy: input.policy,
          after: progress.next,
          limit: input.pageSize,
        });
        // Mid-page heartbeats carry the page's start: a retry redoes the page, which is harmless.
        const { nudged, ended } = await nudgePage(page.items, input, () => heartbeat(progress));
        progress.pages += 1;
        progress.found += page.items.length;
        progress.nudged += nudged;
        progress.ended += ended;
        progress.next = page.next;
        heartbeat(progress);
      } while (progress.next && Date.now() - started < input.budgetMs);
      return progress;
    },
  };
}
