/**
 * A pino logger (the API's kind, adapters/logger.ts) whose lines a test can read back, so that it can
 * assert what the server wrote: bad input must never produce an error-level line, and no token or
 * secret may appear in any line.
 */
import { createLogger } from '../../adapters/logger';
import type { Logger } from 'pino';

export interface LogLine {
  level: number;
  msg?: string;
  err?: { type?: string; message?: string };
  [key: string]: unknown;
}

/** pino's numeric level of `error`; `fatal` is above it. */
export const ERROR_LEVEL = 50;

export interface CapturedLog {
  logger: Logger;
  lines: LogLine[];
  /** The same lines as written, for what must appear nowhere in them (tokens, secrets). */
  text(): string;
  /** Error-level (and fatal) lines written since `mark` (an index into `lines`). */
  errorsSince(mark: number): LogLine[];
}

export function captureLog(level: 'info' | 'debug' | 'trace' = 'info'): CapturedLog {
  const lines: LogLine[] = [];
  const written: string[] = [];
  const logger = createLogger({ LOG_LEVEL: level }, 'api', {
    write: (line: string) => void (written.push(line), lines.push(JSON.parse(line))),
  });
  return {
    logger,
    lines,
    text: () => written.join(''),
    errorsSince: (mark) => lines.slice(mark).filter((line) => line.level >= ERROR_LEVEL),
  };
}
