/** Execution: operators' queues, Jobs claimed and started, ServiceEvents with stages and evidence. */
import { completeSchema, evidenceInputSchema, stageSchema } from '../../domain/schemas';
import { jobViewSchema, serviceEventViewSchema } from '../../domain/views';
import {
  claimUpdate,
  completeUpdate,
  evidenceUpdate,
  stageUpdate,
  startUpdate,
  type CommandUpdate,
} from '../../workflows/messages';
import { allow, isAdmin, mustExist, sendCommand, type ApiDeps } from '../deps';
import { isOperatorOf } from '../../domain/read-access';
import type { ApiRoutes } from '../route';
import { operatorRoutes } from './operators';
import {
  emptyBody,
  evidenceResultSchema,
  idParams,
  operatorParams,
  pageOf,
  pageQuery,
  startResultSchema,
} from '../schemas';
import { z } from 'zod';

const doneQuery = z.object({ limit: z.coerce.number().int().min(1).max(100).default(20) });
const finishedJobsSchema = z.object({ items: z.array(jobViewSchema) }).openapi('FinishedJobs');

export function executionRoutes(api: ApiRoutes, deps: ApiDeps): void {
  const { readModel } = deps;
  // The directory of operators, beside their queues.
  operatorRoutes(api, deps);

  api.add({
    method: 'get',
    path: '/v1/operators/:operatorId/queue',
    operationId: 'getOperatorQueue',
    tag: 'Execution',
    summary: 'Read an operator’s queue',
    description: 'Its Jobs that are queued, claimed or in progress, oldest first.',
    auth: ['operator', 'admin'],
    params: operatorParams,
    query: pageQuery,
    responses: { 200: { description: 'A page of jobs', schema: pageOf(jobViewSchema, 'JobPage') } },
    handler: async ({ params, query, principal }) => {
      allow(isAdmin(principal!) || isOperatorOf(principal!, params.operatorId), 'operators read their own queue only');
      return { status: 200, body: await readModel.queue(params.operatorId, query) };
    },
  });

  api.add({
    method: 'get',
    path: '/v1/operators/:operatorId/done',
    operationId: 'getOperatorDone',
    tag: 'Execution',
    summary: 'Read an operator’s finished Jobs',
    description: 'Its Jobs that are completed or failed, the most recently finished first (the latest `limit`).',
    auth: ['operator', 'admin'],
    params: operatorParams,
    query: doneQuery,
    responses: { 200: { description: 'The latest finished jobs', schema: finishedJobsSchema } },
    handler: async ({ params, query, principal }) => {
      allow(isAdmin(principal!) || isOperatorOf(principal!, params.operatorId), 'operators read their own jobs only');
      return { status: 200, body: { items: await readModel.finished(params.operatorId, query.limit) } };
    },
  });

  api.add({
    method: 'get',
    path: '/v1/jobs/:id',
    operationId: 'getJob',
    tag: 'Execution',
    summary: 'Read a Job',
    auth: ['operator', 'admin'],
    params: idParams,
    responses: { 200: { description: 'The Job', schema: jobViewSchema } },
    handler: async ({ params, principal }) => {
      const job = mustExist(await readModel.job(params.id), 'job');
      allow(
        isAdmin(principal!) || isOperatorOf(principal!, job.operatorId),
        'only the job’s operator and admins may read it',
      );
      return { status: 200, body: job };
    },
  });

  api.add({
    method: 'get',
    path: '/v1/service-events/:id',
    operationId: 'getServiceEvent',
    tag: 'Execution',
    summary: 'Read a ServiceEvent',
    description: 'Current stage, stage history, evidence and outcome.',
    auth: ['operator', 'admin'],
    params: idParams,
    responses: { 200: { description: 'The ServiceEvent', schema: serviceEventViewSchema } },
    handler: async ({ params, principal }) => {
      const se = mustExist(await readModel.serviceEvent(params.id), 'service event');
      allow(
        isAdmin(principal!) || isOperatorOf(principal!, se.operatorId),
        'only the service event’s operator and admins may read it',
      );
      return { status: 200, body: se };
    },
  });

  type Shape<R> = { status: number; schema: z.ZodType; map: (result: R, id: string) => unknown };
  const jobCommand = <R>(name: string, summary: string, update: CommandUpdate<R, object>, shape: Shape<R>) =>
    api.add({
      method: 'post',
      path: `/v1/jobs/:id/${name}`,
      operationId: `${name}Job`,
      tag: 'Execution',
      summary,
      auth: ['operator'],
      params: idParams,
      body: emptyBody,
      idempotent: true,
      responses: { [shape.status]: { description: summary, schema: shape.schema } },
      handler: async ({ params, principal, idempotencyKey }) => {
        const job = mustExist(await readModel.jobIntake(params.id), 'job');
        allow(isOperatorOf(principal!, job.operatorId), 'only the operator assigned to this job may act on it');
        const result = await sendCommand(deps, {
          intakeId: job.intakeId,
          update,
          arg: { principal: principal! },
          resourceId: params.id,
          idempotencyKey,
        });
        return { status: shape.status, body: shape.map(result, params.id) };
      },
    });

  jobCommand('claim', 'Claim a queued Job', claimUpdate, { status: 200, schema: jobViewSchema, map: (job) => job });
  jobCommand('start', 'Start a claimed Job (opens its one ServiceEvent)', startUpdate, {
    status: 201,
    schema: startResultSchema,
    map: (se) => ({ serviceEventId: se.id, ...se }),
  });

  const serviceEventCommand = <R, B extends z.ZodType, A>(
    [name, operationId]: [string, string],
    summary: string,
    description: string,
    update: CommandUpdate<R, A>,
    body: B,
    toArg: (body: z.infer<B>) => A,
    shape: Shape<R>,
  ) =>
    api.add({
      method: 'post',
      path: `/v1/service-events/:id/${name}`,
      operationId,
      tag: 'Execution',
      summary,
      description,
      auth: ['operator'],
      params: idParams,
      body,
      idempotent: true,
      responses: { [shape.status]: { description: summary, schema: shape.schema } },
      handler: async ({ params, body: parsed, principal, idempotencyKey }) => {
        const se = mustExist(await readModel.serviceEventIntake(params.id), 'service event');
        allow(
          isOperatorOf(principal!, se.operatorId),
          'only the operator assigned to this job may act on its service event',
        );
        const result = await sendCommand(deps, {
          intakeId: se.intakeId,
          update,
          arg: { principal: principal!, ...toArg(parsed) },
          resourceId: params.id,
          idempotencyKey,
        });
        return { status: shape.status, body: shape.map(result, params.id) };
      },
    });

  serviceEventCommand(
    ['stage', 'moveServiceEventStage'],
    'Move the ServiceEvent to a later stage',
    'Stages only move forward: en_route → on_site → in_progress → wrapping_up (skips allowed).',
    stageUpdate,
    stageSchema,
    (b) => ({ stage: b.stage }),
    { status: 200, schema: serviceEventViewSchema, map: (se) => se },
  );
  serviceEventCommand(
    ['evidence', 'addEvidence'],
    'Add evidence to the open ServiceEvent',
    'A file (photo, document, signature or uri) carries its SHA-256, so the file can later be deleted without breaking the seal. 409 after completion.',
    evidenceUpdate,
    evidenceInputSchema,
    (evidence) => ({ evidence }),
    { status: 201, schema: evidenceResultSchema, map: (added, id) => ({ ...added, serviceEventId: id }) },
  );
  serviceEventCommand(
    ['complete', 'completeServiceEvent'],
    'Complete the ServiceEvent with its outcome',
    'Closes the ServiceEvent; the Record is sealed and, for `completed`, the ⭐ Signal emitted shortly after.',
    completeUpdate,
    completeSchema,
    (b) => ({ outcome: b.outcome, summary: b.summary }),
    { status: 202, schema: serviceEventViewSchema, map: (se) => se },
  );
}
