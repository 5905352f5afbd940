/** History events of one workflow: how many, their size as JSON, and by kind (named after the attributes each event carries). */
import type { Client } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';

export async function historyEvents(
  client: Client,
  workflowId: string,
): Promise<{ total: number; bytes: number; byType: Record<string, number> }> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const byType: Record<string, number> = {};
  for (const event of history.events ?? []) {
    const key = Object.keys(event).find((k) => k.endsWith('EventAttributes') && (event as Record<string, unknown>)[k]);
    let name = key ? key.replace(/EventAttributes$/, '') : `type${String(event.eventType)}`;
    // Local activities and patches are both markers; tell them apart.
    if (name === 'markerRecorded')
      name = event.markerRecordedEventAttributes?.markerName === 'core_local_activity' ? 'localActivity' : 'marker';
    byType[name] = (byType[name] ?? 0) + 1;
  }
  return { total: history.events?.length ?? 0, bytes: Buffer.byteLength(historyToJSON(history)), byType };
}
