/**
 * The operator directory: the operators a requester may address at submission and an admin may
 * assign work to. Admins register them; every signed-in principal may list them (an operator is a
 * business, named by its business name, so the directory holds no personal data). An operator id
 * that is not registered is refused where it would create work: 422 naming it.
 */
import { z } from 'zod';
import { createOperatorStore, decodeOperatorCursor } from '../../db/operators';
import { CATEGORIES, categorySchema, operatorIdSchema } from '../../domain/schemas';
import { mustExist, type ApiDeps } from '../deps';
import { HttpError } from '../errors';
import type { ApiRoutes } from '../route';
import { operatorParams, pageOf } from '../schemas';

const displayName = z.string().trim().min(1, { message: 'must not be empty' }).max(200).openapi({
  description:
    'The name of the business, as requesters and admins see it (never a person’s name: the directory is readable by every signed-in principal)',
  example: 'Northside Plumbing',
});

const categories = z
  .array(categorySchema)
  .min(1, { message: 'must name at least one kind of work' })
  .max(CATEGORIES.length)
  .refine((list) => new Set(list).size === list.length, { message: 'must not repeat a category' })
  .openapi({ description: 'What the operator does: kinds of work from the fixed vocabulary' });

export const operatorInputSchema = z.object({ displayName, categories }).strict().openapi('OperatorRegistration');

export const operatorViewSchema = z
  .object({
    id: operatorIdSchema,
    displayName: z.string().openapi({ description: 'The business’s name (not a person’s)' }),
    categories: z.array(categorySchema).openapi({
      description: 'What it does; empty for an operator registered from earlier work and not yet described',
    }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Operator');

const operatorListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z
    .string()
    .max(200)
    .refine((c) => decodeOperatorCursor(c) !== null, { message: 'is not a cursor this API issued' })
    .optional(),
  category: categorySchema.optional().openapi({ description: 'Only operators that do this kind of work' }),
});

/** 422 naming the operator id(s) no one registered, at the field that named them. */
export const unknownOperator = (id: string, path: string) =>
  new HttpError(
    422,
    'Unprocessable Content',
    `${id} is not a known operator (GET /v1/operators lists them; an admin registers one with PUT /v1/operators/${id})`,
    [{ path, message: `${id} is not a known operator` }],
  );

/** Refuses work for an operator the directory does not know. */
export async function mustBeKnownOperator(deps: ApiDeps, id: string, path: string): Promise<void> {
  const unknown = await createOperatorStore(deps.db).unknown([id]);
  if (unknown.length > 0) throw unknownOperator(id, path);
}

export function operatorRoutes(api: ApiRoutes, deps: ApiDeps): void {
  const store = createOperatorStore(deps.db);

  api.add({
    method: 'put',
    path: '/v1/operators/:operatorId',
    operationId: 'putOperator',
    tag: 'Operators',
    summary: 'Register an operator, or update it',
    description:
      'The operator’s business name and what it does. Only a registered operator may be addressed at submission or assigned a Task. 201 when new, 200 when updated.',
    auth: ['admin'],
    params: operatorParams,
    body: operatorInputSchema,
    responses: {
      200: { description: 'Updated', schema: operatorViewSchema },
      201: { description: 'Registered', schema: operatorViewSchema },
    },
    handler: async ({ params, body, principal }) => {
      const { operator, created } = await store.put(params.operatorId, body, principal!.sub);
      return {
        status: created ? 201 : 200,
        body: operator,
        ...(created ? { headers: { Location: `/v1/operators/${operator.id}` } } : {}),
      };
    },
  });

  api.add({
    method: 'get',
    path: '/v1/operators',
    operationId: 'listOperators',
    tag: 'Operators',
    summary: 'List the known operators',
    description:
      'The operators requesters may address and admins may assign, in id order; `category` filters by what they do.',
    auth: ['requester', 'operator', 'admin'],
    query: operatorListQuery,
    responses: { 200: { description: 'A page of operators', schema: pageOf(operatorViewSchema, 'OperatorPage') } },
    handler: async ({ query }) => ({
      status: 200,
      body: await store.list({ ...(query.category ? { category: query.category } : {}) }, query),
    }),
  });

  api.add({
    method: 'get',
    path: '/v1/operators/:operatorId',
    operationId: 'getOperator',
    tag: 'Operators',
    summary: 'Read a known operator',
    auth: ['requester', 'operator', 'admin'],
    params: operatorParams,
    responses: { 200: { description: 'The operator', schema: operatorViewSchema } },
    handler: async ({ params }) => ({ status: 200, body: mustExist(await store.get(params.operatorId), 'operator') }),
  });
}
