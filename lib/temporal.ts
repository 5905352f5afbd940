/** One Temporal client connection per process, made once the frontend answers. */
import { Client, Connection } from '@temporalio/client';
import type { Config } from '../config';
import { tracing } from './telemetry';

export async function connectTemporal(
  config: Pick<Config, 'TEMPORAL_ADDRESS' | 'TEMPORAL_NAMESPACE'>,
  options: { waitMs?: number } = {},
): Promise<{ connection: Connection; client: Client }> {
  const deadline = Date.now() + (options.waitMs ?? 30_000);
  for (;;) {
    try {
      const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS, connectTimeout: 2_000 });
      // The port opens before the namespace is ready on a fresh dev server.
      await connection.workflowService.describeNamespace({ namespace: config.TEMPORAL_NAMESPACE });
      // With tracing on, starts and Updates carry the caller's trace to the workflow (lib/telemetry.ts).
      const interceptors = tracing()?.clientInterceptors;
      return {
        connection,
        client: new Client({
          connection,
          namespace: config.TEMPORAL_NAMESPACE,
          ...(interceptors ? { interceptors } : {}),
        }),
      };
    } catch (error) {
      if (Date.now() > deadline)
        throw new Error(`Temporal at ${config.TEMPORAL_ADDRESS} is not reachable: ${(error as Error).message}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}
