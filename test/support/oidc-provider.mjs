// A real OpenID Provider (the certified `oidc-provider` package) for tests, run as its own process:
// it is ESM-only and uses jose 6, which jest's module system cannot load. It issues JWT access
// tokens (RFC 9068, `typ: at+jwt`) by client credentials, with the resource indicator as audience.
//
// Configured by one JSON document in OP_CONFIG:
//   { port, keys: [private JWK with kid and alg, …], audiences: [resource indicator, …],
//     clients: [{ id, secret, claims?, ttl? (seconds), alg? (RS256 | ES256 | EdDSA), kid?, nbfIn? (seconds) }],
//     login?: { clientId, redirectUri, accounts: { <login>: claims } } }
// `login` adds a public client for the authorization-code flow (PKCE) with oidc-provider's own
// development sign-in pages, whose ID tokens carry the account's claims (so that a test can hold an
// ID token that names a QTM role, and see the API refuse it as an access token).
// Prints `ready <issuer>` once it listens. The signing keys are the given ones only: restarting it
// on the same port with other keys is a key rotation at the same issuer.
import Provider, { errors } from 'oidc-provider';

const config = JSON.parse(process.env.OP_CONFIG ?? '{}');
const clients = new Map(config.clients.map((client) => [client.id, client]));
const issuer = `http://127.0.0.1:${config.port}`;
const login = config.login;
const accountClaims = login ? [...new Set(Object.values(login.accounts).flatMap((claims) => Object.keys(claims)))] : [];

const provider = new Provider(issuer, {
  jwks: { keys: config.keys },
  clients: config.clients
    .map((client) => ({
      client_id: client.id,
      client_secret: client.secret,
      grant_types: ['client_credentials'],
      redirect_uris: [],
      response_types: [],
      token_endpoint_auth_method: 'client_secret_post',
    }))
    .concat(
      login
        ? [
            {
              client_id: login.clientId,
              token_endpoint_auth_method: 'none',
              grant_types: ['authorization_code'],
              response_types: ['code'],
              redirect_uris: [login.redirectUri],
            },
          ]
        : [],
    ),
  // The account's claims go into its ID token (scope openid), not only to the userinfo endpoint.
  conformIdTokenClaims: false,
  claims: { openid: ['sub', ...accountClaims] },
  async findAccount(_ctx, id) {
    return { accountId: id, claims: async () => ({ sub: id, ...login?.accounts[id] }) };
  },
  features: {
    devInteractions: { enabled: Boolean(login) },
    clientCredentials: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => config.audiences[0],
      useGrantedResource: () => true,
      getResourceServerInfo(_ctx, resourceIndicator, client) {
        if (!config.audiences.includes(resourceIndicator)) throw new errors.InvalidTarget();
        const settings = clients.get(client.clientId) ?? {};
        return {
          scope: 'api',
          audience: resourceIndicator,
          accessTokenFormat: 'jwt',
          accessTokenTTL: settings.ttl ?? 300,
          jwt: { sign: { alg: settings.alg ?? 'RS256', ...(settings.kid ? { kid: settings.kid } : {}) } },
        };
      },
    },
  },
  async extraTokenClaims(_ctx, token) {
    const settings = clients.get(token.clientId);
    if (!settings) return undefined;
    const nbf = settings.nbfIn === undefined ? {} : { nbf: Math.floor(Date.now() / 1000) + settings.nbfIn };
    return { ...settings.claims, ...nbf };
  },
});
// Without this the provider prints a warning for each request about its in-memory adapter.
provider.on('server_error', (_ctx, error) => process.stderr.write(`op server_error: ${error.stack}\n`));

const server = provider.listen(config.port, '127.0.0.1', () => {
  process.stdout.write(`ready ${issuer}\n`);
});
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// Never outlive the test run that started it.
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
