/**
 * Temporal connections, one per process, made once the frontend answers. Every connection of
 * the project (client or worker) takes its options from here: the address and namespace of the
 * configuration, and what @temporalio/envconfig resolved beside them (config/index.ts: API key,
 * TLS and client certificates, gRPC metadata), so Temporal Cloud and a secured cluster work.
 */
import { Client, Connection } from '@temporalio/client';
import { toClientOptions } from '@temporalio/envconfig';
import type { NativeConnectionOptions } from '@temporalio/worker';
import type { Config } from '../config';
import { tracing } from './telemetry';

export type TemporalTarget = Pick<Config, 'TEMPORAL_ADDRESS' | 'TEMPORAL_NAMESPACE' | 'temporalAccess'>;

export type TemporalConnectionOptions = Pick<NativeConnectionOptions, 'address' | 'apiKey' | 'tls' | 'metadata'>;

/** Options for `Connection.connect` and `NativeConnection.connect` alike (envconfig reads the certificate files). */
export function temporalConnectionOptions(target: TemporalTarget): TemporalConnectionOptions {
  const { connectionOptions } = toClientOptions({
    ...target.temporalAccess,
    address: target.TEMPORAL_ADDRESS,
    namespace: target.TEMPORAL_NAMESPACE,
  });
  const { address, apiKey, tls, metadata } = connectionOptions;
  // Without these keys, not with them set to undefined: the SDK treats a present `tls` key as configured.
  return {
    address,
    ...(apiKey !== undefined ? { apiKey } : {}),
    ...(tls !== undefined ? { tls } : {}),
    ...(metadata !== undefined ? { metadata } : {}),
  };
}

/** Which namespace a connection reached: its id survives restarts and renames, not a fresh server. */
export interface TemporalIdentity {
  namespaceId: string;
  namespace: string;
  address: string;
}

export async function connectTemporal(
  config: TemporalTarget,
  options: { waitMs?: number } = {},
): Promise<{ connection: Connection; client: Client; identity: TemporalIdentity }> {
  const deadline = Date.now() + (options.waitMs ?? 30_000);
  const connectionOptions = temporalConnectionOptions(config);
  for (;;) {
    try {
      const connection = await Connection.connect({ ...connectionOptions, connectTimeout: 2_000 });
      // The port opens before the namespace is ready on a fresh dev server.
      const described = await connection.workflowService.describeNamespace({ namespace: config.TEMPORAL_NAMESPACE });
      // With tracing on, starts and Updates carry the caller's trace to the workflow (lib/telemetry.ts).
      const interceptors = tracing()?.clientInterceptors;
      return {
        connection,
        identity: {
          namespaceId: described.namespaceInfo?.id ?? '',
          namespace: config.TEMPORAL_NAMESPACE,
          address: config.TEMPORAL_ADDRESS,
        },
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
