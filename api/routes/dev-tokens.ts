/**
 * Development sign-in: `POST /v1/dev/tokens` mints a bearer token for any principal, as
 * `npm run token` does from the same dev secret, so that the console's sign-in page can pick a role
 * and an identity. It exists only with DEV_TOKENS=on (npm start turns it on; production refuses
 * it): createApp does not declare it otherwise, so it is an unknown path (404) and absent from
 * /openapi.json. Even then it answers loopback clients only (the socket's peer address, never a
 * header): an API listening on every interface on purpose (HOST=0.0.0.0) still hands no token to
 * another machine.
 */
import { z } from 'zod';
import { principalSchema } from '../../domain/schemas';
import { issueToken } from '../auth';
import type { ApiDeps } from '../deps';
import { isLoopbackClient } from '../client-address';
import { badRequest, forbidden } from '../errors';
import { problemSchema, type ApiRoutes } from '../route';
import { principalViewSchema } from './auth';

const DEV_TOKEN_LIFETIME_SECONDS = 12 * 60 * 60;

const devTokenRequestSchema = principalSchema.strict().openapi('DevTokenRequest');

const devTokenSchema = z
  .object({
    token: z.string().openapi({ description: 'A bearer token (HS256, the development secret)' }),
    tokenType: z.literal('Bearer'),
    expiresAt: z.string(),
    principal: principalViewSchema,
  })
  .openapi('DevToken');

export function devTokenRoutes(api: ApiRoutes, deps: ApiDeps): void {
  api.add({
    method: 'post',
    path: '/v1/dev/tokens',
    operationId: 'createDevToken',
    tag: 'Development',
    summary: 'Mint a development token',
    description:
      'Development only (DEV_TOKENS=on, which production refuses): a client on the same machine (loopback) may get ' +
      'a token for any principal, as `npm run token` prints; any other client gets 403. ' +
      'With DEV_TOKENS off the path does not exist (404).',
    auth: 'public',
    body: devTokenRequestSchema,
    responses: {
      201: { description: 'The token', schema: devTokenSchema },
      403: {
        description: 'The client is not on this machine (not a loopback address)',
        schema: problemSchema,
        contentType: 'application/problem+json',
      },
    },
    handler: async ({ body, req }) => {
      if (!isLoopbackClient(req))
        throw forbidden('development tokens are given only to clients on the same machine as the API (loopback)');
      if (body.role === 'operator' && !body.operatorId)
        throw badRequest('an operator token needs an operatorId', [
          { path: 'body.operatorId', message: 'is required' },
        ]);
      if (body.role !== 'operator' && body.operatorId)
        throw badRequest(`a ${body.role} token carries no operatorId`, [
          { path: 'body.operatorId', message: 'only operators have one' },
        ]);
      const token = await issueToken(deps.authKeys, body, `${DEV_TOKEN_LIFETIME_SECONDS}s`);
      return {
        status: 201,
        body: {
          token,
          tokenType: 'Bearer',
          expiresAt: new Date(Date.now() + DEV_TOKEN_LIFETIME_SECONDS * 1000).toISOString(),
          principal: body,
        },
      };
    },
  });
}
