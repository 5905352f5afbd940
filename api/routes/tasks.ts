/** Governance: Tasks are reviewed, approved or rejected, assigned, and explicitly turned into a Job. */
import { isGovernanceActor } from '../../domain/intake-machine';
import { approveSchema, assignSchema, rejectSchema, type Principal } from '../../domain/schemas';
import { jobViewSchema, taskViewSchema } from '../../domain/views';
import {
  approveUpdate,
  assignUpdate,
  createJobUpdate,
  rejectUpdate,
  type CommandUpdate,
} from '../../workflows/messages';
import { mayReadTask } from '../../domain/read-access';
import { allow, mustExist, sendCommand, type ApiDeps } from '../deps';
import { forbidden } from '../errors';
import { problemSchema, type ApiRoutes } from '../route';
import { mustBeKnownOperator } from './operators';
import { emptyBody, idParams, pageOf, taskListQuery } from '../schemas';

export function taskRoutes(api: ApiRoutes, deps: ApiDeps): void {
  const { readModel } = deps;

  api.add({
    method: 'get',
    path: '/v1/tasks',
    operationId: 'listTasks',
    tag: 'Governance',
    summary: 'List Tasks',
    description:
      'Admins list admin-audience tasks (or, with `audience=operator`, any operator’s); an operator lists its own operator-audience tasks.',
    auth: ['admin', 'operator'],
    query: taskListQuery,
    responses: { 200: { description: 'A page of tasks, oldest first', schema: pageOf(taskViewSchema, 'TaskPage') } },
    handler: async ({ query, principal }) => {
      const p = principal!;
      const audience = query.audience ?? (p.role === 'admin' ? 'admin' : 'operator');
      if (p.role === 'operator' && audience !== 'operator')
        throw forbidden('operators list their own operator-audience tasks only');
      const page = await readModel.tasks(
        {
          audience,
          status: query.status,
          operatorId: p.role === 'operator' ? p.operatorId : undefined,
          ...(query.escalated ? { escalated: query.escalated === 'true' } : {}),
        },
        query,
      );
      return { status: 200, body: page };
    },
  });

  api.add({
    method: 'get',
    path: '/v1/tasks/:id',
    operationId: 'getTask',
    tag: 'Governance',
    summary: 'Read a Task with its decisions and escalations',
    auth: ['admin', 'operator'],
    params: idParams,
    responses: { 200: { description: 'The Task', schema: taskViewSchema } },
    handler: async ({ params, principal }) => {
      const task = mustExist(await readModel.task(params.id), 'task');
      allow(mayReadTask(task, principal!), 'only the task’s governance actors may read it');
      return { status: 200, body: task };
    },
  });

  /**
   * Work is assigned only to a known operator: 422 naming it. Asked only of a principal that
   * governs the Task (as the rows say), so one that may not act still gets the workflow's 403 and
   * learns nothing more.
   */
  const knownAssignee = async (taskId: string, p: Principal, operatorId: string) => {
    const task = await readModel.task(taskId);
    if (task && isGovernanceActor(task, p)) await mustBeKnownOperator(deps, operatorId, 'body.operatorId');
  };

  const governance = <Ret, A extends object>(
    name: string,
    summary: string,
    description: string,
    update: CommandUpdate<Ret, A>,
    spec: {
      body: typeof approveSchema | typeof rejectSchema | typeof assignSchema | typeof emptyBody;
      status: number;
      response: typeof taskViewSchema | typeof jobViewSchema;
      /** Why the body may be refused with 422, beside a reused Idempotency-Key. */
      unprocessable?: string;
    },
  ) =>
    api.add({
      method: 'post',
      path: `/v1/tasks/:id/${name}`,
      operationId: name === 'job' ? 'createJob' : `${name}Task`,
      tag: 'Governance',
      summary,
      description,
      auth: ['admin', 'operator'],
      params: idParams,
      body: spec.body,
      idempotent: true,
      responses: spec.unprocessable
        ? {
            [spec.status]: { description: summary, schema: spec.response },
            422: {
              description: `${spec.unprocessable}, or the Idempotency-Key was used with a different body`,
              schema: problemSchema,
              contentType: 'application/problem+json',
            },
          }
        : { [spec.status]: { description: summary, schema: spec.response } },
      handler: async ({ params, body, principal, idempotencyKey }) => {
        const intakeId = mustExist(await readModel.taskIntakeId(params.id), 'task');
        if (name === 'assign') await knownAssignee(params.id, principal!, (body as { operatorId: string }).operatorId);
        const arg = { principal: principal!, ...(body as A) };
        const result = await sendCommand(deps, { intakeId, update, arg, resourceId: params.id, idempotencyKey });
        return { status: spec.status, body: result };
      },
    });

  governance(
    'approve',
    'Approve a pending Task',
    'Governance actor of the task’s audience; 409 unless pending.',
    approveUpdate,
    {
      body: approveSchema,
      status: 200,
      response: taskViewSchema,
    },
  );
  governance('reject', 'Reject a Task', 'Before any Job exists; ends the Intake as rejected.', rejectUpdate, {
    body: rejectSchema,
    status: 200,
    response: taskViewSchema,
  });
  governance(
    'assign',
    'Assign (or re-assign) a Task to an operator',
    'To a known operator (GET /v1/operators), else 422 naming it. An operator-audience task may only be assigned to its own operator.',
    assignUpdate,
    { body: assignSchema, status: 200, response: taskViewSchema, unprocessable: 'operatorId names no known operator' },
  );
  governance(
    'job',
    'Create the Job (the explicit act)',
    'Approval and assignment never create a Job by themselves: this does, once, for an approved and assigned Task. Retrying with the same Idempotency-Key returns the same Job.',
    createJobUpdate,
    { body: emptyBody, status: 201, response: jobViewSchema },
  );
}
