/**
 * Signs a checkpoint of the Record log. Started by the checkpoint Schedule (every
 * CHECKPOINT_INTERVAL) and on demand (POST /v1/log/checkpoint); one activity does the work.
 */
import { proxyActivities, setCurrentDetails } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { CheckpointSummary } from '../activities/log';

export const CHECKPOINT_WORKFLOW_TYPE = 'checkpointWorkflow';

const { makeCheckpoint } = proxyActivities<Pick<Activities, 'makeCheckpoint'>>({
  startToCloseTimeout: '1 minute',
  summary: 'Sign a checkpoint of the Record log',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '30 seconds',
    maximumAttempts: 10,
    nonRetryableErrorTypes: ['QtmLogIntegrity'],
  },
});

export async function checkpointWorkflow(): Promise<CheckpointSummary | null> {
  const result = await makeCheckpoint();
  setCurrentDetails(
    result
      ? `${result.created ? 'Signed' : 'Unchanged:'} checkpoint of tree size ${result.treeSize}`
      : 'The log is empty: nothing to sign',
  );
  return result;
}
