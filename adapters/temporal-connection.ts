/**
 * Temporal connections, one per process, made once the frontend answers. Every connection of
 * the project (client or worker) takes its options from here: the address and namespace of the
 * configuration, and what @temporalio/envconfig resolved beside them (config/index.ts: API key,
 * TLS and client certificates, gRPC metadata), so Temporal Cloud and a secured cluster work.
 * Every client and worker also takes its data converter from here (`temporalDataConverter`):
 * the payload codec that encrypts what the product writes into Temporal.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { toClientOptions } from '@temporalio/envconfig';
import type { NativeConnectionOptions } from '@temporalio/worker';
import type { ClientConfigProfile } from '@temporalio/envconfig';
import { writeOnce } from '../trust/keys';
import { EncryptionCodec, formatPayloadKeys, newPayloadKey, parsePayloadKeys, type PayloadKey } from './payload-codec';
import { tracing } from './telemetry';

/** The payload codec's part of the configuration (handed down by the process that read it). */
export interface PayloadCodecConfig {
  TEMPORAL_PAYLOAD_KEYS?: PayloadKey[] | undefined;
  TEMPORAL_PAYLOAD_CODEC: 'on' | 'off';
  dataDir: string;
}

/** How to reach Temporal beyond its address and namespace: what envconfig resolved (profile, then variables). */
export type TemporalAccess = Pick<ClientConfigProfile, 'apiKey' | 'tls' | 'grpcMeta'>;

/** Where Temporal is and how to reach it. */
export interface TemporalEndpoint {
  TEMPORAL_ADDRESS: string;
  TEMPORAL_NAMESPACE: string;
  temporalAccess: TemporalAccess;
}

/** The endpoint, and the payload codec every client of it uses. */
export type TemporalTarget = TemporalEndpoint & PayloadCodecConfig;

/** Development's ring: made on first start, shared by the API, the worker and the tools of one DATA_DIR. */
export const payloadKeysFile = (config: Pick<PayloadCodecConfig, 'dataDir'>) =>
  path.join(config.dataDir, 'keys', 'temporal-payload-keys');

/** The ring the configuration names: TEMPORAL_PAYLOAD_KEYS, else DATA_DIR's (created if missing; production refuses to start without the variable). */
export function loadPayloadKeys(config: Pick<PayloadCodecConfig, 'TEMPORAL_PAYLOAD_KEYS' | 'dataDir'>): PayloadKey[] {
  if (config.TEMPORAL_PAYLOAD_KEYS) return config.TEMPORAL_PAYLOAD_KEYS;
  const file = payloadKeysFile(config);
  // Linked into place whole: an API and a worker starting at once on one DATA_DIR end up with one ring.
  const text = fs.existsSync(file)
    ? fs.readFileSync(file, 'utf8')
    : writeOnce(file, `${formatPayloadKeys([newPayloadKey()])}\n`);
  try {
    return parsePayloadKeys(text);
  } catch (error) {
    throw new Error(`${file} ${(error as Error).message}`);
  }
}

const codecs = new Map<string, EncryptionCodec>();

/** The codec of a configuration's ring (one per ring and process), or null when TEMPORAL_PAYLOAD_CODEC=off. */
export function payloadCodec(config: PayloadCodecConfig): EncryptionCodec | null {
  if (config.TEMPORAL_PAYLOAD_CODEC === 'off') return null;
  const keys = loadPayloadKeys(config);
  const id = formatPayloadKeys(keys);
  let codec = codecs.get(id);
  if (!codec) codecs.set(id, (codec = new EncryptionCodec(keys)));
  return codec;
}

/** The data converter of every Temporal client, worker and replay of the product. */
export function temporalDataConverter(config: PayloadCodecConfig): DataConverter {
  const codec = payloadCodec(config);
  return codec ? { payloadCodecs: [codec] } : {};
}

export type TemporalConnectionOptions = Pick<NativeConnectionOptions, 'address' | 'apiKey' | 'tls' | 'metadata'>;

/** Options for `Connection.connect` and `NativeConnection.connect` alike (envconfig reads the certificate files). */
export function temporalConnectionOptions(target: TemporalEndpoint): TemporalConnectionOptions {
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
      // With tracing on, starts and Updates carry the caller's trace to the workflow (adapters/telemetry.ts).
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
          dataConverter: temporalDataConverter(config),
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
