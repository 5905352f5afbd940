/**
 * What a Temporal server needs before QTM OS can use it: the namespace and the custom search
 * attributes. The dev server gets both from its flags; a server `npm start` reuses, or a
 * cluster (docker-compose's `setup` job), gets them from here. Safe to run again.
 */
import { Connection } from '@temporalio/client';
import { SearchAttributeType } from '@temporalio/common';
import { temporalConnectionOptions, type TemporalEndpoint } from '../adapters/temporal-connection';
import { searchAttributes } from '../workflows/messages';

/** temporal.api.enums.v1.IndexedValueType, for the attribute types QTM OS uses. */
const INDEXED_VALUE_TYPE: Partial<Record<SearchAttributeType, number>> = {
  [SearchAttributeType.TEXT]: 1,
  [SearchAttributeType.KEYWORD]: 2,
  [SearchAttributeType.INT]: 3,
  [SearchAttributeType.DOUBLE]: 4,
  [SearchAttributeType.BOOL]: 5,
  [SearchAttributeType.DATETIME]: 6,
  [SearchAttributeType.KEYWORD_LIST]: 7,
};

const RETENTION_SECONDS = 7 * 24 * 3600;

const grpcCode = (error: unknown) => (error as { code?: number }).code;
const NOT_FOUND = 5;
const ALREADY_EXISTS = 6;

/** Connects once the frontend answers (a fresh cluster takes a while). */
export async function connectWhenUp(target: TemporalEndpoint, waitMs = 120_000): Promise<Connection> {
  const deadline = Date.now() + waitMs;
  const address = target.TEMPORAL_ADDRESS;
  for (;;) {
    try {
      const connection = await Connection.connect({ ...temporalConnectionOptions(target), connectTimeout: 2_000 });
      await connection.workflowService.getSystemInfo({});
      return connection;
    } catch (error) {
      if (Date.now() > deadline)
        throw new Error(`Temporal at ${address} is not reachable: ${(error as Error).message}`);
      await new Promise((r) => setTimeout(r, 1_000));
    }
  }
}

export async function ensureTemporalSetup(
  connection: Connection,
  namespace: string,
  log: (line: string) => void,
): Promise<void> {
  try {
    await connection.workflowService.describeNamespace({ namespace });
  } catch (error) {
    if (grpcCode(error) !== NOT_FOUND) throw error;
    try {
      type RegisterRequest = Parameters<Connection['workflowService']['registerNamespace']>[0];
      // protobufjs takes a plain number for an int64 field; its typings only name Long.
      const retention = { seconds: RETENTION_SECONDS } as unknown as NonNullable<
        RegisterRequest['workflowExecutionRetentionPeriod']
      >;
      await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: retention });
      log(`Temporal: namespace ${namespace} created`);
    } catch (registerError) {
      if (grpcCode(registerError) !== ALREADY_EXISTS) throw registerError;
    }
  }

  const wanted = Object.values(searchAttributes).map((key) => ({
    name: key.name,
    type: INDEXED_VALUE_TYPE[key.type]!,
  }));
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      // A new namespace takes a few seconds to reach every service's cache.
      const existing = (await connection.operatorService.listSearchAttributes({ namespace })).customAttributes ?? {};
      const wrongType = wanted.filter((w) => existing[w.name] !== undefined && Number(existing[w.name]) !== w.type);
      if (wrongType.length > 0) {
        throw new Error(
          `search attribute ${wrongType.map((w) => w.name).join(', ')} exists on namespace ${namespace} with another type`,
        );
      }
      const missing = wanted.filter((w) => existing[w.name] === undefined);
      if (missing.length === 0) return;
      await connection.operatorService.addSearchAttributes({
        namespace,
        searchAttributes: Object.fromEntries(missing.map((m) => [m.name, m.type])),
      });
      log(`Temporal: search attributes ${missing.map((m) => m.name).join(', ')} registered on ${namespace}`);
      return;
    } catch (error) {
      const code = grpcCode(error);
      if (code === ALREADY_EXISTS) return;
      if (code !== NOT_FOUND || Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 1_000));
    }
  }
}
