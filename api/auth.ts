/**
 * Bearer tokens. Two modes, one per deployment:
 * - development (the default for `npm start`): HS256 JWTs with `sub`, `role` and (for operators)
 *   `operatorId`, signed with the secret in DATA_DIR (`npm run token`);
 * - OpenID Connect (AUTH_OIDC_ISSUER and AUTH_AUDIENCE set): the provider's access tokens, their
 *   role and operatorId read from configurable claims (api/oidc.ts). Dev tokens are then refused.
 * Both check `exp`, `nbf`, `iss`, `aud` (when configured; production requires it) and a maximum
 * lifetime; the provider's must also be access tokens (`typ: at+jwt`). jose enforces
 * the algorithms, so `alg: none`, other algorithms, altered or expired tokens fail.
 */
import { randomBytes } from 'node:crypto';
import { jwtVerify, SignJWT, errors as joseErrors, type JWTPayload } from 'jose';
import type { Logger } from 'pino';
import type { Config } from '../config';
import { principalSchema, type Principal, type Role } from '../domain/schemas';
import { unauthorized, unavailable, type HttpError } from './errors';
import { ACCESS_TOKEN_TYPE, IdentityProviderUnavailable, mapClaims, OidcVerifier } from './oidc';

export interface AuthKeys {
  /** HS256 secret of the development tokens. */
  secret: Uint8Array;
  /** `iss` of the development tokens. */
  issuer: string;
  /** When set, a token's `aud` must name it. */
  audience?: string;
  /** The longest lifetime a token may be minted with (exp − iat); 24 hours when unset. */
  maxLifetimeSeconds?: number;
  clockToleranceSeconds?: number;
  /** When set, tokens are this OpenID Provider's access tokens, and development tokens are refused. */
  oidc?: OidcVerifier;
}

const DEFAULT_MAX_LIFETIME_SECONDS = 24 * 3600;

/** The API's keys for its configuration. `secret` is unused, and may be omitted, with an OpenID Provider. */
export function createAuthKeys(config: Config, secret: Uint8Array | null, log?: Pick<Logger, 'warn'>): AuthKeys {
  const common = {
    audience: config.AUTH_AUDIENCE,
    maxLifetimeSeconds: Math.floor(config.AUTH_TOKEN_MAX_LIFETIME / 1000),
    clockToleranceSeconds: Math.floor(config.AUTH_CLOCK_TOLERANCE / 1000),
  };
  if (!config.AUTH_OIDC_ISSUER) {
    if (!secret) throw new Error('development tokens need the HS256 secret');
    return { secret, issuer: config.AUTH_JWT_ISSUER, ...common };
  }
  const oidc = new OidcVerifier(
    {
      issuer: config.AUTH_OIDC_ISSUER,
      audience: config.AUTH_AUDIENCE!,
      algorithms: config.AUTH_OIDC_ALGORITHMS,
      claims: {
        role: config.AUTH_ROLE_CLAIM,
        operatorId: config.AUTH_OPERATOR_ID_CLAIM,
        roleMap: config.AUTH_ROLE_MAP,
      },
      clockToleranceSeconds: common.clockToleranceSeconds,
      jwksCacheMaxAgeMs: config.AUTH_OIDC_JWKS_CACHE_MAX_AGE,
      jwksCooldownMs: config.AUTH_OIDC_JWKS_COOLDOWN,
      timeoutMs: config.AUTH_OIDC_TIMEOUT,
    },
    log,
  );
  // A secret nobody knows: nothing signed with it is accepted in this mode anyway.
  return { secret: secret ?? randomBytes(48), issuer: config.AUTH_OIDC_ISSUER, ...common, oidc };
}

export async function issueToken(
  keys: AuthKeys,
  principal: Principal,
  expiresIn: string | number = '12h',
): Promise<string> {
  const jwt = new SignJWT({
    role: principal.role,
    ...(principal.operatorId ? { operatorId: principal.operatorId } : {}),
  })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(principal.sub)
    .setIssuer(keys.issuer)
    .setIssuedAt()
    .setExpirationTime(expiresIn);
  if (keys.audience) jwt.setAudience(keys.audience);
  return jwt.sign(keys.secret);
}

export async function verifyToken(keys: AuthKeys, token: string): Promise<Principal> {
  let payload: JWTPayload;
  try {
    payload = keys.oidc
      ? await keys.oidc.verify(token)
      : (
          await jwtVerify(token, keys.secret, {
            algorithms: ['HS256'],
            issuer: keys.issuer,
            ...(keys.audience ? { audience: keys.audience } : {}),
            clockTolerance: keys.clockToleranceSeconds ?? 0,
            requiredClaims: ['sub', 'exp'],
          })
        ).payload;
  } catch (error) {
    throw refusal(error);
  }
  checkLifetime(payload, keys);
  const claims = keys.oidc
    ? mapClaims(payload, keys.oidc.settings.claims)
    : { ok: true as const, sub: payload.sub, role: payload.role, operatorId: payload.operatorId };
  if (!claims.ok) throw unauthorized(`token claims are not a QTM principal: ${claims.reason}`);
  const parsed = principalSchema.safeParse({ sub: claims.sub, role: claims.role, operatorId: claims.operatorId });
  if (!parsed.success) throw unauthorized('token claims are not a QTM principal (sub, role, operatorId)');
  if (parsed.data.role === 'operator' && !parsed.data.operatorId)
    throw unauthorized('operator tokens must carry operatorId');
  if (parsed.data.role !== 'operator' && parsed.data.operatorId)
    throw unauthorized(`a ${parsed.data.role} token must not carry operatorId`);
  return parsed.data;
}

function refusal(error: unknown): HttpError {
  // Retry-After matches how long a failed discovery is remembered.
  if (error instanceof IdentityProviderUnavailable) return unavailable(`${error.message}; retry shortly`);
  if (error instanceof joseErrors.JWTExpired) return unauthorized('token has expired');
  if (error instanceof joseErrors.JWTClaimValidationFailed && error.claim === 'nbf')
    return unauthorized('token is not valid yet (nbf)');
  if (error instanceof joseErrors.JWTClaimValidationFailed && error.claim === 'typ')
    return unauthorized(
      `not an access token: its typ header must be ${ACCESS_TOKEN_TYPE} (RFC 9068), as no ID token's is`,
    );
  if (error instanceof joseErrors.JWTClaimValidationFailed)
    return unauthorized(`invalid token (${error.code}: ${error.message})`);
  if (error instanceof joseErrors.JWKSNoMatchingKey)
    return unauthorized(`invalid token (${error.code}: signed with a key the issuer does not publish)`);
  if (error instanceof joseErrors.JOSEError) return unauthorized(`invalid token (${error.code})`);
  return unauthorized('invalid token');
}

/**
 * A token minted to live longer than the maximum is refused even while unexpired: a leaked
 * long-lived token would otherwise stay usable for as long as its issuer wrote. Counted from
 * iat, or from now when iat is missing or in the future.
 */
function checkLifetime(payload: JWTPayload, keys: AuthKeys): void {
  const max = keys.maxLifetimeSeconds ?? DEFAULT_MAX_LIFETIME_SECONDS;
  const now = Math.floor(Date.now() / 1000);
  const start = Math.min(now, typeof payload.iat === 'number' ? payload.iat : now);
  const lifetime = payload.exp! - start;
  if (lifetime > max) throw unauthorized(`token lifetime (${lifetime} s) exceeds the maximum of ${max} s`);
}

/** `Bearer <b64token>` (RFC 6750 §2.1); the scheme is case-insensitive (RFC 9110 §11.1). */
export function bearer(header: string | undefined): string {
  if (!header) throw unauthorized('missing Authorization: Bearer <token>', 'missing');
  const [, scheme, token] = /^\s*(\S+)(?: +(.*?))?\s*$/.exec(header) ?? [];
  if (scheme?.toLowerCase() !== 'bearer') throw unauthorized('Authorization must be "Bearer <token>"', 'missing');
  if (!token || !/^[A-Za-z0-9\-._~+/]+=*$/.test(token))
    throw unauthorized('Authorization must be "Bearer <token>" (an RFC 6750 b64token)');
  return token;
}

export type { Role };
