/**
 * Sign-in with the API's OpenID Provider (GET /v1/auth/config, mode "oidc"): the authorization-code
 * flow with PKCE (S256) for the console's public client, by oauth4webapi (panva's OAuth 2 / OIDC
 * client for browsers). The access token is asked for the API's audience (the `resource`
 * indicator, RFC 8707); the API then says who it names (GET /v1/auth/me), since only the API knows
 * how its claims map to a role and an operator.
 *
 * Plain http is allowed only for an issuer on this machine's loopback (development and tests).
 */
import * as oauth from 'oauth4webapi';
import type { Schemas } from '../../client';
import { api, problemDetail, type Session } from './session';

export type OidcSettings = Extract<Schemas['AuthConfig'], { mode: 'oidc' }>;

const PENDING = 'qtm.console.oidc';
export const CALLBACK_PATH = '/console/callback';
const redirectUri = () => `${location.origin}${CALLBACK_PATH}`;

interface Pending {
  verifier: string;
  state: string;
  settings: OidcSettings;
}

const loopback = (url: URL) => ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
const insecureOk = (issuer: URL) =>
  issuer.protocol === 'http:' && loopback(issuer) ? { [oauth.allowInsecureRequests]: true } : {};

async function discover(settings: OidcSettings): Promise<oauth.AuthorizationServer> {
  const issuer = new URL(settings.issuer);
  const response = await oauth.discoveryRequest(issuer, { algorithm: 'oidc', ...insecureOk(issuer) });
  return oauth.processDiscoveryResponse(issuer, response);
}

/** Leaves for the provider's sign-in page; it sends the browser back to CALLBACK_PATH. */
export async function beginOidcSignIn(settings: OidcSettings): Promise<never> {
  if (!settings.clientId) throw new Error('the API names no public client for the console (AUTH_OIDC_CLIENT_ID)');
  const as = await discover(settings);
  if (!as.authorization_endpoint) throw new Error('the provider publishes no authorization endpoint');
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state, settings } satisfies Pending));
  const url = new URL(as.authorization_endpoint);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: settings.clientId,
    redirect_uri: redirectUri(),
    scope: settings.scopes.join(' '),
    resource: settings.audience,
    state,
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
  }).toString();
  location.assign(url.toString());
  return new Promise<never>(() => undefined);
}

/** Back from the provider: the code for an access token, and the principal the API reads in it. */
export async function completeOidcSignIn(callback: URL): Promise<Session> {
  const pending = JSON.parse(sessionStorage.getItem(PENDING) ?? 'null') as Pending | null;
  sessionStorage.removeItem(PENDING);
  if (!pending) throw new Error('no sign-in was under way in this tab; start again');
  const { settings } = pending;
  const as = await discover(settings);
  const client: oauth.Client = { client_id: settings.clientId! };
  const parameters = oauth.validateAuthResponse(as, client, callback, pending.state);
  const response = await oauth.authorizationCodeGrantRequest(
    as,
    client,
    oauth.None(),
    parameters,
    redirectUri(),
    pending.verifier,
    { additionalParameters: { resource: settings.audience }, ...insecureOk(new URL(settings.issuer)) },
  );
  const tokens = await oauth.processAuthorizationCodeResponse(as, client, response);
  const token = tokens.access_token;
  const { data, error, response: me } = await api.GET('/v1/auth/me', { headers: { authorization: `Bearer ${token}` } });
  if (!data) throw new Error(`the API refused the provider's token: ${problemDetail(error, me)}`);
  const expiresIn = tokens.expires_in ?? 300;
  return {
    token,
    principal: data,
    expiresAt: new Date(Date.now() + expiresIn * 1000).toISOString(),
    method: 'oidc',
  };
}
