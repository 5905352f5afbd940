/**
 * Builds the worker that hosts the intake workflow and its activities, and the log signer that
 * runs beside it. Production passes the prebuilt workflow bundle; development and tests may
 * bundle from source.
 */
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { Knex } from 'knex';
import { createActivities } from '../activities';
import type { Config } from '../config';
import {
  temporalConnectionOptions,
  temporalDataConverter,
  type PayloadCodecConfig,
} from '../adapters/temporal-connection';
import type { EscalationNudger } from '../activities/escalation';
import { tracing } from '../adapters/telemetry';
import { startCheckpointer, type Checkpointer, type CheckpointerOptions } from './log-checkpointer';
import type { LogLogger } from '../activities/log';
import { logKeyIds } from '../trust/log-checkpoint';
import type { SigningKey, TrustKeys } from '../trust/keys';

export interface WorkerDeps {
  config: Pick<
    Config,
    | 'TEMPORAL_ADDRESS'
    | 'TEMPORAL_NAMESPACE'
    | 'temporalAccess'
    | 'TEMPORAL_TASK_QUEUE'
    | 'SIGNAL_ISSUER'
    | 'LOG_ORIGIN'
    | 'LOG_WITNESSES'
    | 'LOG_WITNESS_THRESHOLD'
    | 'LOG_WITNESS_TIMEOUT'
  > &
    PayloadCodecConfig;
  db: Knex;
  /** The Signal key. */
  signingKey: SigningKey;
  /** The log's checkpoint key. */
  logKey: SigningKey;
  /** Note key ids of every log key this process knows. */
  logKeyIds?: string[];
  log?: LogLogger;
  /** How the escalation sweep signals intake workflows (an IntakeClient on the process's client). */
  nudger: EscalationNudger;
  connection?: NativeConnection;
  /** Path of a bundle made by stack/bundle-workflows.ts; bundles from source when absent. */
  workflowBundlePath?: string;
  tuning?: Partial<
    Pick<
      WorkerOptions,
      'maxConcurrentActivityTaskExecutions' | 'maxConcurrentWorkflowTaskExecutions' | 'maxCachedWorkflows'
    >
  >;
}

export const workflowsPath = require.resolve('../workflows');

export async function createWorker(deps: WorkerDeps): Promise<{ worker: Worker; connection: NativeConnection }> {
  const connection = deps.connection ?? (await NativeConnection.connect(temporalConnectionOptions(deps.config)));
  // Tracing adds workflow interceptors, which live in the workflow bundle: the prebuilt one has
  // none, so a traced worker bundles from source at start (about a second) with them included.
  const traced = tracing()?.worker;
  const bundle =
    deps.workflowBundlePath && !traced ? { workflowBundle: { codePath: deps.workflowBundlePath } } : { workflowsPath };
  const worker = await Worker.create({
    connection,
    namespace: deps.config.TEMPORAL_NAMESPACE,
    taskQueue: deps.config.TEMPORAL_TASK_QUEUE,
    dataConverter: temporalDataConverter(deps.config),
    activities: createActivities({
      db: deps.db,
      signingKey: deps.signingKey,
      logKey: deps.logKey,
      logKeyIds: deps.logKeyIds,
      issuer: deps.config.SIGNAL_ISSUER,
      logOrigin: deps.config.LOG_ORIGIN,
      nudger: deps.nudger,
      witnesses: deps.config.LOG_WITNESSES,
      witnessThreshold: deps.config.LOG_WITNESS_THRESHOLD,
      witnessTimeoutMs: deps.config.LOG_WITNESS_TIMEOUT,
      log: deps.log,
    }),
    ...bundle,
    ...(traced ? { interceptors: traced.interceptors, sinks: traced.sinks } : {}),
    ...deps.tuning,
  });
  return { worker, connection };
}

/** The log signer of a worker process (workers/log-checkpointer.ts): the current log key, the witnesses and delay configured. */
export function startLogCheckpointer(
  config: Pick<
    Config,
    | 'LOG_ORIGIN'
    | 'LOG_WITNESSES'
    | 'LOG_WITNESS_THRESHOLD'
    | 'LOG_WITNESS_TIMEOUT'
    | 'LOG_CHECKPOINT_DELAY'
    | 'DATABASE_URL'
  >,
  db: Knex,
  keys: TrustKeys,
  log: CheckpointerOptions['deps']['log'],
): Checkpointer {
  return startCheckpointer({
    deps: {
      db,
      logKey: keys.log.current,
      knownKeyIds: logKeyIds(keys, config.LOG_ORIGIN),
      origin: config.LOG_ORIGIN,
      witnesses: config.LOG_WITNESSES,
      witnessThreshold: config.LOG_WITNESS_THRESHOLD,
      witnessTimeoutMs: config.LOG_WITNESS_TIMEOUT,
      log,
    },
    databaseUrl: config.DATABASE_URL,
    delayMs: config.LOG_CHECKPOINT_DELAY,
  });
}
