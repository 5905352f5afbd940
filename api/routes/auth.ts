/** What a client (the console, a CLI) needs to know to get a bearer token this API accepts. */
import { z } from 'zod';
import { principalSchema } from '../../domain/schemas';
import type { ApiDeps } from '../deps';
import type { ApiRoutes } from '../route';

const authConfigSchema = z
  .discriminatedUnion('mode', [
    z.object({
      mode: z.literal('oidc').openapi({ description: 'Access tokens from an OpenID Provider' }),
      issuer: z.string().openapi({ example: 'https://login.example.com/realms/qtm' }),
      discoveryUrl: z.string().openapi({ description: "The provider's OpenID Connect discovery document" }),
      audience: z.string().openapi({ description: 'The resource indicator (`resource`) to ask tokens for' }),
      clientId: z.string().nullable().openapi({
        description: 'The public client for the authorization-code flow with PKCE; null if none is set up',
      }),
      scopes: z.array(z.string()),
      pkce: z.literal('S256'),
    }),
    z.object({
      mode: z.literal('dev').openapi({ description: 'HS256 development tokens from the data folder' }),
      issuer: z.string(),
      audience: z.string().nullable(),
      tokenCommand: z.string().openapi({ example: 'npm run --silent token -- <role> <sub> [operatorId]' }),
    }),
  ])
  .openapi('AuthConfig');

export const principalViewSchema = principalSchema.openapi('Principal');

export function authRoutes(api: ApiRoutes, deps: ApiDeps): void {
  // Read when asked, not when declared: the contract document is built without any keys.
  const settings = (): z.infer<typeof authConfigSchema> => {
    const { authKeys, config } = deps;
    return authKeys.oidc
      ? {
          mode: 'oidc',
          issuer: authKeys.oidc.settings.issuer,
          discoveryUrl: authKeys.oidc.discoveryUrl,
          audience: authKeys.oidc.settings.audience,
          clientId: config.AUTH_OIDC_CLIENT_ID ?? null,
          scopes: config.AUTH_OIDC_SCOPES.split(/[\s,]+/).filter(Boolean),
          pkce: 'S256',
        }
      : {
          mode: 'dev',
          issuer: authKeys.issuer,
          audience: authKeys.audience ?? null,
          tokenCommand: 'npm run --silent token -- <role> <sub> [operatorId]',
        };
  };

  api.add({
    method: 'get',
    path: '/v1/auth/config',
    operationId: 'getAuthConfig',
    tag: 'Auth',
    summary: 'How to sign in',
    description:
      'Public settings for getting a bearer token: with an OpenID Provider, its issuer, the audience and the ' +
      "console's public client for the authorization-code flow with PKCE (S256); otherwise the development tokens.",
    auth: 'public',
    responses: { 200: { description: 'The sign-in settings', schema: authConfigSchema } },
    handler: async () => ({ status: 200, body: settings() }),
  });

  api.add({
    method: 'get',
    path: '/v1/auth/me',
    operationId: 'getAuthenticatedPrincipal',
    tag: 'Auth',
    summary: 'Who the bearer token names',
    description:
      'The principal this API reads in the token (its sub, role and operator), as every other endpoint sees it: ' +
      'with an OpenID Provider only the API knows how the claims map, so a client signing in asks here.',
    auth: ['requester', 'operator', 'admin'],
    responses: { 200: { description: 'The principal', schema: principalViewSchema } },
    handler: async ({ principal }) => ({ status: 200, body: principal }),
  });
}
