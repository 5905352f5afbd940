/**
 * Errors as RFC 9457 problem documents (application/problem+json). Handlers throw
 * HttpError; everything else that escapes becomes a 500 with no internals in the body.
 */
import { STATUS_CODES } from 'node:http';
import type { ErrorRequestHandler } from 'express';
import type { Logger } from 'pino';
import { isGrpcServiceError, ServiceError } from '@temporalio/client';
import { KnexTimeoutError } from 'knex';
import { z } from 'zod';
import { CommandRefused } from '../orchestration/intake-client';

export interface FieldError {
  path: string;
  message: string;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    detail: string,
    readonly errors?: FieldError[],
    /** Sent with the problem: WWW-Authenticate on a 401, Retry-After on a 503. */
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
  }
}

export const badRequest = (detail: string, errors?: FieldError[]) => new HttpError(400, 'Bad Request', detail, errors);
/**
 * RFC 6750 §3: a request without a bearer token gets the bare challenge; one whose token is bad
 * gets error="invalid_token" and the reason (quoted-string safe).
 */
export const unauthorized = (detail: string, challenge: 'invalid_token' | 'missing' = 'invalid_token') =>
  new HttpError(401, 'Unauthorized', detail, undefined, {
    'WWW-Authenticate':
      challenge === 'missing'
        ? 'Bearer'
        : `Bearer error="invalid_token", error_description="${detail.replace(/[^\x20-\x7e]|["\\]/g, "'")}"`,
  });
export const forbidden = (detail: string) => new HttpError(403, 'Forbidden', detail);
export const notFound = (detail: string) => new HttpError(404, 'Not Found', detail);
export const conflict = (detail: string) => new HttpError(409, 'Conflict', detail);
export const unprocessable = (detail: string) => new HttpError(422, 'Unprocessable Content', detail);

export function fromZod(error: z.ZodError, where: 'body' | 'params' | 'query' | 'headers'): HttpError {
  const errors = error.issues.map((issue) => ({
    path: [where, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  return badRequest(`invalid ${where}: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`, errors);
}

export function fromRefusal(error: CommandRefused): HttpError {
  switch (error.reason) {
    case 'forbidden':
      return forbidden(error.message);
    case 'conflict':
      return conflict(error.message);
    case 'idempotency_mismatch':
      return unprocessable(error.message);
    case 'ended':
      return conflict('the intake has already ended');
    case 'not_found':
      return notFound('no such intake');
    case 'unavailable':
      return unavailable(`${error.message}; retry shortly with the same Idempotency-Key`);
  }
}

/** 503 with Retry-After: nothing was lost, and a retry with the same Idempotency-Key is safe. */
export const unavailable = (detail: string) =>
  new HttpError(503, 'Service Unavailable', detail, undefined, { 'Retry-After': '2' });

const slug = (title: string) => title.toLowerCase().replace(/[^a-z0-9]+/g, '-');

export function problemHandler(log: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    let problem: HttpError;
    if (error instanceof HttpError) problem = error;
    else if (error instanceof CommandRefused) problem = fromRefusal(error);
    else if (isClientError(error)) {
      // express's own layers (router, body-parser) flag what the client got wrong with a 4xx status.
      problem = new HttpError(error.status, STATUS_CODES[error.status] ?? 'Bad Request', error.message);
    } else if (isDependencyOutage(error)) {
      // The caller cannot know whether its step landed; a retry with the same Idempotency-Key is safe.
      log.warn({ err: error, reqId: req.id }, 'dependency unavailable');
      problem = unavailable(
        'a backing service (Postgres or Temporal) is unavailable; retry shortly with the same Idempotency-Key',
      );
    } else {
      log.error({ err: error, reqId: req.id }, 'unhandled error');
      problem = new HttpError(
        500,
        'Internal Server Error',
        'something went wrong; the request id identifies it in the logs',
      );
    }
    for (const [name, value] of Object.entries(problem.headers)) res.setHeader(name, value);
    res
      .status(problem.status)
      .type('application/problem+json')
      .json({
        type: `https://qtm.local/problems/${slug(problem.title)}`,
        title: problem.title,
        status: problem.status,
        detail: problem.message,
        ...(problem.errors ? { errors: problem.errors } : {}),
        instance: req.originalUrl,
        requestId: req.id,
      });
  };
}

const OUTAGE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  '57P01',
  '57P03',
  '08006',
  '08001',
  '08003',
  '53300', // too_many_connections: the pool will get one again shortly
]);

/** Postgres or Temporal could not be reached (as opposed to a bug): a 503, not a 500. */
export function isDependencyOutage(error: unknown): boolean {
  if (error instanceof KnexTimeoutError) return true;
  // gRPC UNAVAILABLE (14) or DEADLINE_EXCEEDED (4), directly or wrapped by the Temporal client.
  const grpc = isGrpcServiceError(error)
    ? error
    : error instanceof ServiceError && isGrpcServiceError(error.cause)
      ? error.cause
      : null;
  if (grpc) return grpc.code === 14 || grpc.code === 4;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && OUTAGE_CODES.has(code)) return true;
  const message = error instanceof Error ? error.message : '';
  return /Connection terminated|connect ECONNREFUSED|Client network socket disconnected|timeout exceeded when trying to connect/i.test(
    message,
  );
}

/** An http-errors style refusal meant for the client (`expose`), or the router's URIError for a bad %-escape. */
function isClientError(error: unknown): error is { status: number; message: string } {
  if (typeof error !== 'object' || error === null) return false;
  const { status, expose } = error as { status?: unknown; expose?: unknown };
  return typeof status === 'number' && status >= 400 && status < 500 && (expose === true || error instanceof URIError);
}
