// A real OpenID Provider (`oidc-provider`) with a sign-in page, for the console's browser test of
// the authorization-code flow with PKCE: one public client (no secret, PKCE required, CORS for its
// redirect origin), oidc-provider's own development login and consent pages, and JWT access tokens
// for the API's audience (resource indicator) that carry each account's role claims.
//
// Configured by one JSON document in OP_CONFIG:
//   { port, keys: [private JWK with kid and alg], audience, clientId, redirectUri,
//     accounts: { <login>: { role, operatorId? } } }
// Prints `ready <issuer>` once it listens.
import Provider from 'oidc-provider';

const config = JSON.parse(process.env.OP_CONFIG ?? '{}');
const issuer = `http://127.0.0.1:${config.port}`;

const provider = new Provider(issuer, {
  jwks: { keys: config.keys },
  clients: [
    {
      client_id: config.clientId,
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code'],
      response_types: ['code'],
      redirect_uris: [config.redirectUri],
    },
  ],
  features: {
    devInteractions: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => config.audience,
      useGrantedResource: () => true,
      getResourceServerInfo: () => ({
        scope: 'api',
        audience: config.audience,
        accessTokenFormat: 'jwt',
        accessTokenTTL: 600,
        jwt: { sign: { alg: config.keys[0].alg } },
      }),
    },
  },
  async findAccount(_ctx, id) {
    return { accountId: id, claims: async () => ({ sub: id }) };
  },
  async extraTokenClaims(_ctx, token) {
    return token.accountId ? config.accounts[token.accountId] : undefined;
  },
});
provider.on('server_error', (_ctx, error) => process.stderr.write(`op server_error: ${error.stack}\n`));

const server = provider.listen(config.port, '127.0.0.1', () => process.stdout.write(`ready ${issuer}\n`));
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
