/**
 * The one place the environment is read. Every process (API, worker, scripts) calls
 * loadConfig(); a bad value stops start-up with one line naming the variable.
 */
import path from 'node:path';
import { z } from 'zod';
import { parseDurationMs } from '../lib/duration';

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

const postgresUrl = z.string().refine(
  (text) => {
    try {
      const url = new URL(text);
      return (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.hostname !== '' && url.pathname.length > 1;
    } catch {
      return false;
    }
  },
  { message: 'must be a postgres://user@host:port/database URL' },
);

const port = z.coerce
  .number({ message: 'must be a port number' })
  .int({ message: 'must be a whole number' })
  .min(0, { message: 'must be between 0 and 65535' })
  .max(65535, { message: 'must be between 0 and 65535' });

export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PORT: port.default(3000),
  BODY_LIMIT: z.string().regex(/^\d+(b|kb|mb)$/i, { message: 'must look like 64kb or 1mb' }).default('64kb'),
  PUBLIC_BASE_URL: z.url({ message: 'must be an http(s) URL' }).optional(),
  DATA_DIR: z.string().min(1).default('data'),

  DATABASE_URL: postgresUrl.default('postgres://postgres@127.0.0.1:5432/qtm_os'),
  DATABASE_APP_ROLE: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, { message: 'must be a plain lower-case role name' }).default('qtm_app'),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),

  TEMPORAL_ADDRESS: z.string().regex(/^[^:\s]+:\d+$/, { message: 'must be host:port' }).default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('qtm-intake'),
  TEMPORAL_UI_URL: z.url({ message: 'must be an http(s) URL' }).default('http://localhost:8233'),
  TEMPORAL_UI_PORT: port.default(8233),
  /** A prebuilt workflow bundle (scripts/bundle-workflows.ts); bundled from source when unset. */
  WORKFLOW_BUNDLE: z.string().min(1).optional(),

  /** HS256 secret for bearer tokens; generated into DATA_DIR in development. */
  AUTH_JWT_SECRET: z.string().min(32, { message: 'must be at least 32 characters' }).optional(),
  AUTH_JWT_ISSUER: z.string().min(1).default('qtm-os'),
  /** Ed25519 private key (JWK JSON) that signs Signals; generated into DATA_DIR in development. */
  SIGNAL_SIGNING_KEY: z.string().min(1).optional(),
  SIGNAL_ISSUER: z.string().min(1).default('did:web:qtm.local'),

  ESCALATION_INTERVAL: duration('5m'),
  ESCALATION_OPERATOR_THRESHOLD: duration('4h'),
  ESCALATION_ADMIN_THRESHOLD: duration('24h'),
  ESCALATION_MAX_LEVEL: z.coerce.number().int().min(1).max(10).default(3),
  ESCALATION_BATCH_SIZE: z.coerce.number().int().min(1).max(5000).default(500),

  CHECKPOINT_INTERVAL: duration('10m'),
  LOG_ORIGIN: z.string().min(1).default('qtm.local/records'),
});

export type Config = z.infer<typeof configSchema> & { dataDir: string };

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const variable = issue.path.join('.');
    const got = env[variable] === undefined ? '' : ` (got "${env[variable]}")`;
    throw new ConfigError(`config error: ${variable} ${issue.message}${issue.message.includes('(got') ? '' : got}`);
  }
  const config = parsed.data;
  if (config.NODE_ENV === 'production') {
    if (!config.AUTH_JWT_SECRET) throw new ConfigError('config error: AUTH_JWT_SECRET is required in production');
    if (!config.SIGNAL_SIGNING_KEY) throw new ConfigError('config error: SIGNAL_SIGNING_KEY is required in production');
  }
  return { ...config, dataDir: path.resolve(config.DATA_DIR) };
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
