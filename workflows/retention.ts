/**
 * One run of the retention Schedule: erase the personal data of every Actor whose intakes all
 * ended longer than PERSONAL_DATA_RETENTION ago, a batch at a time. The clock is fixed at the run's
 * start, so a retried batch judges expiry the same way.
 */
import { proxyActivities, setCurrentDetails } from '@temporalio/workflow';
import type { Activities } from '../activities';

export const RETENTION_SWEEP_WORKFLOW_TYPE = 'retentionSweepWorkflow';

export interface RetentionInput {
  retentionMs: number;
  batchSize: number;
}

export interface RetentionSummary {
  asOf: string;
  actorsErased: number;
}

const { eraseExpiredPersonalData } = proxyActivities<Pick<Activities, 'eraseExpiredPersonalData'>>({
  startToCloseTimeout: '5 minutes',
  summary: 'Erase the personal data of Actors whose intakes ended before the retention',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});

export async function retentionSweepWorkflow(input: RetentionInput): Promise<RetentionSummary> {
  const asOf = new Date(Date.now()).toISOString();
  let actorsErased = 0;
  for (;;) {
    const erased = await eraseExpiredPersonalData({ asOf, retentionMs: input.retentionMs, limit: input.batchSize });
    actorsErased += erased;
    setCurrentDetails(`Retention as of ${asOf}: ${actorsErased} Actors' personal data erased`);
    if (erased < input.batchSize) return { asOf, actorsErased };
  }
}
