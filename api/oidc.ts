/**
 * Access tokens from an OpenID Provider. The provider's discovery document names its key set;
 * jose's remote key set caches it, refetches it when a token names a key it does not know
 * (the provider rotated), and after AUTH_OIDC_JWKS_CACHE_MAX_AGE (so a removed key stops
 * verifying). An unreachable provider is an outage (503), never a bad token and never a 500.
 */
import {
  createRemoteJWKSet,
  errors as joseErrors,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
  type FlattenedJWSInput,
  type JWTHeaderParameters,
} from 'jose';
import type { Logger } from 'pino';
import { ROLES, type Role } from '../domain/schemas';

export interface OidcSettings {
  issuer: string;
  audience: string;
  algorithms: string[];
  claims: ClaimMapping;
  clockToleranceSeconds: number;
  jwksCacheMaxAgeMs: number;
  jwksCooldownMs: number;
  timeoutMs: number;
}

export interface ClaimMapping {
  /** Claim name or dotted path to the role: a string or an array (the IdP's role names). */
  role: string;
  operatorId: string;
  /** IdP role name → QTM role; without it the claim must hold QTM role names themselves. */
  roleMap?: Record<string, Role>;
}

/** The provider could not be asked (down, timing out, or answering nonsense): retry later. */
export class IdentityProviderUnavailable extends Error {
  override name = 'IdentityProviderUnavailable';
}

/** The `typ` header of a JWT access token (RFC 9068); jose also accepts `application/at+jwt`. */
export const ACCESS_TOKEN_TYPE = 'at+jwt';

/** How long a failed discovery is remembered before the next request tries again. */
const DISCOVERY_RETRY_MS = 2_000;

export class OidcVerifier {
  private keySet: Promise<JWTVerifyGetKey> | undefined;
  private failedAt = 0;
  private lastFailure: IdentityProviderUnavailable | undefined;

  constructor(
    readonly settings: OidcSettings,
    private readonly log?: Pick<Logger, 'warn'>,
  ) {}

  get discoveryUrl(): string {
    return `${this.settings.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
  }

  /** The verified payload. Throws jose's errors for bad tokens, IdentityProviderUnavailable for outages. */
  async verify(token: string): Promise<JWTPayload> {
    // Keys are looked up only for a well-formed token with an allowed algorithm: garbage is refused offline.
    const getKey = async (header: JWTHeaderParameters, input: FlattenedJWSInput) => {
      const keys = await this.keys();
      try {
        return await keys(header, input);
      } catch (error) {
        if (isKeySelectionError(error)) throw error;
        throw this.unavailable(`its key set could not be fetched (${describe(error)})`);
      }
    };
    const { payload } = await jwtVerify(token, getKey, {
      // RFC 9068 §2.1: an access token says so in its header. An ID token of the same provider, whose
      // aud happens to be this API's audience (a client id set as AUTH_AUDIENCE), is not one.
      typ: ACCESS_TOKEN_TYPE,
      issuer: this.settings.issuer,
      audience: this.settings.audience,
      algorithms: this.settings.algorithms,
      clockTolerance: this.settings.clockToleranceSeconds,
      requiredClaims: ['sub', 'exp'],
    });
    return payload;
  }

  private keys(): Promise<JWTVerifyGetKey> {
    if (this.lastFailure && Date.now() - this.failedAt < DISCOVERY_RETRY_MS) return Promise.reject(this.lastFailure);
    this.keySet ??= this.discover().catch((error: unknown) => {
      this.keySet = undefined;
      this.failedAt = Date.now();
      this.lastFailure =
        error instanceof IdentityProviderUnavailable
          ? error
          : this.unavailable(`discovery failed (${describe(error)})`);
      throw this.lastFailure;
    });
    return this.keySet;
  }

  /** Reads the discovery document once (its jwks_uri is stable); the key set itself is refreshed by jose. */
  private async discover(): Promise<JWTVerifyGetKey> {
    const url = this.discoveryUrl;
    let document: unknown;
    try {
      const response = await fetch(url, {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(this.settings.timeoutMs),
      });
      if (!response.ok) throw new Error(`${url} answered ${response.status}`);
      document = await response.json();
    } catch (error) {
      throw this.unavailable(`discovery at ${url} failed (${describe(error)})`);
    }
    const { issuer, jwks_uri: jwksUri } = (document ?? {}) as { issuer?: unknown; jwks_uri?: unknown };
    // OpenID Connect Discovery §4.3: the document must name exactly the issuer it was fetched for.
    if (issuer !== this.settings.issuer)
      throw this.unavailable(`its discovery document names issuer ${JSON.stringify(issuer)}, not AUTH_OIDC_ISSUER`);
    if (typeof jwksUri !== 'string' || !URL.canParse(jwksUri))
      throw this.unavailable('its discovery document has no jwks_uri');
    return createRemoteJWKSet(new URL(jwksUri), {
      timeoutDuration: this.settings.timeoutMs,
      cooldownDuration: this.settings.jwksCooldownMs,
      cacheMaxAge: this.settings.jwksCacheMaxAgeMs,
    });
  }

  private unavailable(reason: string): IdentityProviderUnavailable {
    const error = new IdentityProviderUnavailable(
      `the identity provider ${this.settings.issuer} is unavailable: ${reason}`,
    );
    this.log?.warn({ issuer: this.settings.issuer, reason }, 'identity provider unavailable');
    return error;
  }
}

/** Failures of choosing a key from a key set that was fetched: the token's fault, not the provider's. */
function isKeySelectionError(error: unknown): boolean {
  return (
    error instanceof joseErrors.JWKSNoMatchingKey ||
    error instanceof joseErrors.JWKSMultipleMatchingKeys ||
    error instanceof joseErrors.JOSENotSupported ||
    error instanceof joseErrors.JOSEAlgNotAllowed
  );
}

const describe = (error: unknown) =>
  error instanceof Error ? ((error as NodeJS.ErrnoException).code ?? error.message) : String(error);

/**
 * A claim by name, else by dotted path: `https://qtm.example/roles` (a namespaced claim, as Auth0
 * sends them) is one name; `realm_access.roles` (Keycloak) is a path.
 */
export function readClaim(payload: Record<string, unknown>, path: string): unknown {
  if (path in payload) return payload[path];
  let value: unknown = payload;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

export type MappedClaims = { ok: true; sub: unknown; role: Role; operatorId: unknown } | { ok: false; reason: string };

/**
 * The QTM principal's parts from an IdP's claims. The role claim may be one value or an array
 * of them (IdPs send every group or role the user has); exactly one must be a QTM role, since a
 * principal acts in one role and guessing the stronger one would be an escalation.
 */
export function mapClaims(payload: Record<string, unknown>, mapping: ClaimMapping): MappedClaims {
  const raw = readClaim(payload, mapping.role);
  const values = (Array.isArray(raw) ? raw : [raw]).filter((value): value is string => typeof value === 'string');
  const roles = new Set<Role>();
  for (const value of values) {
    const role = mapping.roleMap ? mapping.roleMap[value] : (ROLES as readonly string[]).includes(value) ? value : null;
    if (role) roles.add(role as Role);
  }
  if (roles.size === 0) return { ok: false, reason: `claim ${mapping.role} names no QTM role` };
  if (roles.size > 1)
    return { ok: false, reason: `claim ${mapping.role} names several QTM roles (${[...roles].join(', ')})` };
  return { ok: true, sub: payload.sub, role: [...roles][0]!, operatorId: readClaim(payload, mapping.operatorId) };
}
