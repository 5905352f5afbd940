/**
 * Builds the worker that hosts the intake workflow and its activities. Production passes
 * the prebuilt workflow bundle; development and tests may bundle from source.
 */
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { Knex } from 'knex';
import { createActivities } from '../activities';
import type { Config } from '../config';
import type { EscalationNudger } from '../activities/escalation';
import { tracing } from '../lib/telemetry';
import type { SigningKey } from '../trust/keys';

export interface WorkerDeps {
  config: Pick<
    Config,
    'TEMPORAL_ADDRESS' | 'TEMPORAL_NAMESPACE' | 'TEMPORAL_TASK_QUEUE' | 'SIGNAL_ISSUER' | 'LOG_ORIGIN'
  >;
  db: Knex;
  signingKey: SigningKey;
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
  const connection = deps.connection ?? (await NativeConnection.connect({ address: deps.config.TEMPORAL_ADDRESS }));
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
      issuer: deps.config.SIGNAL_ISSUER,
      logOrigin: deps.config.LOG_ORIGIN,
      nudger: deps.nudger,
    }),
    ...bundle,
    ...(traced ? { interceptors: traced.interceptors, sinks: traced.sinks } : {}),
    ...deps.tuning,
  });
  return { worker, connection };
}
