/** Actors' Requests and the Intakes made from them. */
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { submitRequestSchema, withdrawSchema } from '../../domain/schemas';
import { CommandRefused } from '../../orchestration/intake-client';
import { actorIdForPrincipal, prepareSubmission } from '../../orchestration/submission';
import { intakeWorkflowId, withdrawUpdate, type SubmissionResult } from '../../workflows/messages';
import type { ApiDeps } from '../deps';
import { isSamePrincipal, mayReadIntake } from '../../domain/read-access';
import { allow, isAdmin, mustExist, sendCommand } from '../deps';
import { forbidden, unprocessable } from '../errors';
import { problemSchema, type ApiRoutes } from '../route';
import { mustBeKnownOperator } from './operators';
import {
  idParams,
  intakeChainSchema,
  requestViewSchema,
  submissionResultSchema,
  withdrawResultSchema,
} from '../schemas';

export function requestRoutes(api: ApiRoutes, deps: ApiDeps): void {
  const { readModel } = deps;

  api.add({
    method: 'post',
    path: '/v1/requests',
    operationId: 'submitRequest',
    tag: 'Requests',
    summary: 'Submit an Actor’s Request',
    description:
      'Kept exactly as received and converted into an Intake and its Task (audience `operator` when `operatorId` is given, else `admin`). `operatorId` must name a known operator (GET /v1/operators), else 422. A requester is its own Actor; an admin enters a Request on an Actor’s behalf (phone, email, …).',
    auth: ['requester', 'admin'],
    body: submitRequestSchema,
    idempotent: true,
    responses: {
      201: { description: 'The Intake and Task exist', schema: submissionResultSchema },
      422: {
        description: '`operatorId` names no known operator, or the Idempotency-Key was used with a different body',
        schema: problemSchema,
        contentType: 'application/problem+json',
      },
    },
    handler: async ({ body, principal, idempotencyKey }) => {
      const p = principal!;
      if (p.role === 'requester' && body.actor.id && body.actor.id !== actorIdForPrincipal(p.sub)) {
        throw forbidden('a requester submits requests as itself; actor.id must be omitted or be its own actor id');
      }
      if (body.operatorId !== undefined) await mustBeKnownOperator(deps, body.operatorId, 'body.operatorId');
      const received = prepareSubmission(p, body, idempotencyKey);
      // The workflow gets the body with references in place of the personal values the vault keeps.
      const committed = await deps.vault.commit(received.ids, 'submitRequest', body);
      const input = { ...received, body: committed.body, bodySha256: committed.fingerprint };
      try {
        const result = await deps.intakes.submit(input);
        return { status: 201, body: result, headers: { Location: `/v1/intakes/${result.intakeId}` } };
      } catch (error) {
        if (error instanceof CommandRefused && error.reason !== 'unavailable') await deps.vault.forget(committed.refs);
        // A retry of a submission whose workflow has since ended: answer from the durable rows.
        if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
        const request = await readModel.request(input.ids.requestId);
        if (request && request.bodySha256 !== input.bodySha256) {
          await deps.vault.forget(committed.refs);
          throw unprocessable('this Idempotency-Key was used with a different request body');
        }
        const chain = mustExist(await readModel.intake(input.ids.intakeId), 'intake');
        const result: SubmissionResult = {
          requestId: input.ids.requestId,
          intakeId: input.ids.intakeId,
          taskId: input.ids.taskId,
          workflowId: intakeWorkflowId(input.ids.intakeId),
          phase: chain.phase as SubmissionResult['phase'],
          task: { id: chain.task!.id, audience: chain.task!.audience, status: chain.task!.status },
        };
        return { status: 201, body: result, headers: { Location: `/v1/intakes/${result.intakeId}` } };
      }
    },
  });

  api.add({
    method: 'get',
    path: '/v1/requests/:id',
    operationId: 'getRequest',
    tag: 'Requests',
    summary: 'Read a Request exactly as received',
    auth: ['requester', 'admin', 'operator'],
    params: idParams,
    responses: { 200: { description: 'The Request, its channel, actor and time', schema: requestViewSchema } },
    handler: async ({ params, principal }) => {
      const request = mustExist(await readModel.request(params.id), 'request');
      allow(
        isAdmin(principal!) || isSamePrincipal(principal!, request.submittedBy),
        'only the requester and admins may read a request',
      );
      return { status: 200, body: request };
    },
  });

  api.add({
    method: 'get',
    path: '/v1/intakes/:id',
    operationId: 'getIntake',
    tag: 'Requests',
    summary: 'Read the whole chain of an Intake',
    description:
      '`{request, intake, task, job, serviceEvent, record, signal, phase, history}`; links that do not exist yet are null. ' +
      'Readable by admins, its requester, and the operator the work is with now (once a Job exists, the Job’s operator; ' +
      'before, the operator governing the Task while it is in its audience, and the one it is assigned to); 403 to anyone else.',
    auth: ['requester', 'admin', 'operator'],
    params: idParams,
    responses: { 200: { description: 'The chain so far', schema: intakeChainSchema } },
    handler: async ({ params, principal }) => {
      const parties = mustExist(await readModel.intakeParties(params.id), 'intake');
      allow(
        mayReadIntake(parties, principal!),
        'only the requester, the operator the work is with now and admins may read this intake',
      );
      const chain = mustExist(await readModel.intake(params.id), 'intake');
      return { status: 200, body: chain };
    },
  });

  api.add({
    method: 'post',
    path: '/v1/intakes/:id/withdraw',
    operationId: 'withdrawIntake',
    tag: 'Requests',
    summary: 'Withdraw a Request before a Job exists',
    auth: ['requester', 'admin'],
    params: idParams,
    body: withdrawSchema,
    idempotent: true,
    responses: { 200: { description: 'Withdrawn; the Intake has ended', schema: withdrawResultSchema } },
    handler: async ({ params, body, principal, idempotencyKey }) => {
      mustExist(await readModel.intakeParties(params.id), 'intake');
      const task = await sendCommand(deps, {
        intakeId: params.id,
        update: withdrawUpdate,
        arg: { principal: principal!, ...(body.reason ? { reason: body.reason } : {}) },
        resourceId: params.id,
        idempotencyKey,
      });
      return { status: 200, body: { intakeId: params.id, phase: 'withdrawn', task } };
    },
  });
}
