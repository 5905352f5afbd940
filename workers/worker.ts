/**
 * Builds the worker that hosts the intake workflow and its activities. Production passes
 * the prebuilt workflow bundle; development and tests may bundle from source.
 */
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { Knex } from 'knex';
import { createActivities } from '../activities';
import type { Config } from '../config';
import { temporalConnectionOptions } from '../lib/temporal';
import type { EscalationNudger } from '../activities/escalation';
import { tracing } from '../lib/telemetry';
import type { LogLogger } from '../activities/log';
import type { SigningKey } from '../trust/keys';

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
  >;
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
