/** Governance: Tasks are reviewed, approved or rejected, assigned, and explicitly turned into a Job. */
import { approveSchema, assignSchema, rejectSchema, type Principal } from '../../domain/schemas';
import { jobViewSchema, taskViewSchema, type TaskView } from '../../domain/views';
import {
  approveUpdate,
  assignUpdate,
  createJobUpdate,
  rejectUpdate,
  type CommandUpdate,
} from '../../workflows/messages';
import { allow, isAdmin, isOperator, mustExist, sendCommand, type ApiDeps } from '../deps';
import { forbidden } from '../errors';
import type { ApiRoutes } from '../route';
import { emptyBody, idParams, pageOf, taskListQuery } from '../schemas';

/** Admins may always read; an operator reads the tasks of its own requests. */
const mayRead = (task: TaskView, p: Principal) => isAdmin(p) || isOperator(p, task.operatorId);

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
      allow(mayRead(task, principal!), 'only the task’s governance actors may read it');
      return { status: 200, body: task };
    },
  });

  const governance = <Ret, A extends object>(
    name: string,
    summary: string,
    description: string,
    update: CommandUpdate<Ret, A>,
    spec: {
      body: typeof approveSchema | typeof rejectSchema | typeof assignSchema | typeof emptyBody;
      status: number;
      response: typeof taskViewSchema | typeof jobViewSchema;
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
      responses: { [spec.status]: { description: summary, schema: spec.response } },
      handler: async ({ params, body, principal, idempotencyKey }) => {
        const intakeId = mustExist(await readModel.taskIntakeId(params.id), 'task');
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
    'An operator-audience task may only be assigned to its own operator.',
    assignUpdate,
    { body: assignSchema, status: 200, response: taskViewSchema },
  );
  governance(
    'job',
    'Create the Job (the explicit act)',
    'Approval and assignment never create a Job by themselves: this does, once, for an approved and assigned Task. Retrying with the same Idempotency-Key returns the same Job.',
    createJobUpdate,
    { body: emptyBody, status: 201, response: jobViewSchema },
  );
}
