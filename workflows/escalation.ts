/**
 * One sweep of the escalation Schedule: walk every stale Task page by page, nudging each
 * intake workflow to escalate. The sweep's clock is fixed at its start, so a page retried or
 * a sweep continued-as-new judges staleness the same way throughout.
 */
import { continueAsNew, proxyActivities, setCurrentDetails, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { StaleCursor } from '../db/stale-tasks';
import type { EscalationPolicy } from '../domain/intake-machine';

export const ESCALATION_SWEEP_WORKFLOW_TYPE = 'escalationSweepWorkflow';

export interface SweepInput {
  policy: EscalationPolicy;
  /** Tasks read, then nudged, per page. */
  pageSize: number;
  /** Signals in flight at once within a page. */
  concurrency: number;
  /** Set when a long sweep continues as a new run. */
  resume?: { asOf: string; after: StaleCursor; totals: SweepTotals };
}

export interface SweepTotals {
  pages: number;
  found: number;
  nudged: number;
  ended: number;
}

export interface SweepSummary extends SweepTotals {
  asOf: string;
}

/** How long one activity walks pages before handing the cursor back to the workflow. */
const ACTIVITY_BUDGET_MS = 60_000;

const { escalateStaleTasks } = proxyActivities<Pick<Activities, 'escalateStaleTasks'>>({
  // The budget plus one slow page; heartbeats show it is alive in between.
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '30 seconds',
  summary: 'Nudge stale tasks, page by page',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});

export async function escalationSweepWorkflow(input: SweepInput): Promise<SweepSummary> {
  const asOf = input.resume?.asOf ?? new Date(Date.now()).toISOString();
  const totals: SweepTotals = { ...(input.resume?.totals ?? { pages: 0, found: 0, nudged: 0, ended: 0 }) };
  let after: StaleCursor | null = input.resume?.after ?? null;

  do {
    const walked = await escalateStaleTasks({
      asOf,
      policy: input.policy,
      after,
      pageSize: input.pageSize,
      concurrency: input.concurrency,
      budgetMs: ACTIVITY_BUDGET_MS,
    });
    totals.pages += walked.pages;
    totals.found += walked.found;
    totals.nudged += walked.nudged;
    totals.ended += walked.ended;
    after = walked.next;
    setCurrentDetails(
      `Sweep as of ${asOf}: ${totals.nudged} stale tasks nudged over ${totals.pages} pages${after ? ', continuing' : ''}`,
    );
    // A sweep over a very large backlog keeps its history short.
    if (after && workflowInfo().continueAsNewSuggested) {
      await continueAsNew<typeof escalationSweepWorkflow>({ ...input, resume: { asOf, after, totals } });
    }
  } while (after);

  return { asOf, ...totals };
}
