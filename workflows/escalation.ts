/**
 * One sweep of the escalation Schedule: walk every stale Task page by page, nudging each
 * intake workflow to escalate. The sweep's clock is fixed at its start, so a page retried or
 * a sweep continued-as-new judges staleness the same way throughout.
 */
import { continueAsNew, proxyActivities, setCurrentDetails, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { EscalationPolicy, StaleCursor } from '../db/stale-tasks';

export const ESCALATION_SWEEP_WORKFLOW_TYPE = 'escalationSweepWorkflow';

export interface SweepInput {
  policy: EscalationPolicy;
  /** Tasks read and nudged per activity. */
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

const { escalateStalePage } = proxyActivities<Pick<Activities, 'escalateStalePage'>>({
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '30 seconds',
  summary: 'Nudge a page of stale tasks',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});

export async function escalationSweepWorkflow(input: SweepInput): Promise<SweepSummary> {
  const asOf = input.resume?.asOf ?? new Date(Date.now()).toISOString();
  const totals: SweepTotals = { ...(input.resume?.totals ?? { pages: 0, found: 0, nudged: 0, ended: 0 }) };
  let after: StaleCursor | null = input.resume?.after ?? null;

  do {
    const page = await escalateStalePage({ asOf, policy: input.policy, after, limit: input.pageSize, concurrency: input.concurrency });
    totals.pages += 1;
    totals.found += page.found;
    totals.nudged += page.nudged;
    totals.ended += page.ended;
    after = page.next;
    setCurrentDetails(`Sweep as of ${asOf}: ${totals.nudged} stale tasks nudged over ${totals.pages} pages${after ? ', continuing' : ''}`);
    // A sweep over a very large backlog keeps its history short.
    if (after && workflowInfo().continueAsNewSuggested) {
      await continueAsNew<typeof escalationSweepWorkflow>({ ...input, resume: { asOf, after, totals } });
    }
  } while (after);

  return { asOf, ...totals };
}
