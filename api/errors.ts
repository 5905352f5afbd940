/**
 * Errors as RFC 9457 problem documents (application/problem+json). Handlers throw
 * HttpError; everything else that escapes becomes a 500 with no internals in the body.
 */
import type { ErrorRequestHandler } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import { CommandRefused } from '../lib/intake-client';

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
  ) {
    super(detail);
  }
}

export const badRequest = (detail: string, errors?: FieldError[]) => new HttpError(400, 'Bad Request', detail, errors);
export const unauthorized = (detail: string) => new HttpError(401, 'Unauthorized', detail);
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
  }
}

const slug = (title: string) => title.toLowerCase().replace(/[^a-z0-9]+/g, '-');

export function problemHandler(log: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    let problem: HttpError;
    if (error instanceof HttpError) problem = error;
    else if (error instanceof CommandRefused) problem = fromRefusal(error);
    else if (isBodyParserError(error)) {
      problem =
        error.type === 'entity.too.large'
          ? new HttpError(413, 'Content Too Large', `request body exceeds the limit of ${error.limit} bytes`)
          : error.type === 'entity.parse.failed'
            ? badRequest('request body is not valid JSON', [{ path: 'body', message: 'malformed JSON' }])
            : new HttpError(error.status ?? 400, 'Bad Request', error.message);
    } else {
      log.error({ err: error, reqId: req.id }, 'unhandled error');
      problem = new HttpError(500, 'Internal Server Error', 'something went wrong; the request id identifies it in the logs');
    }
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

interface BodyParserError {
  type: string;
  status?: number;
  limit?: number;
  message: string;
}

function isBodyParserError(error: unknown): error is BodyParserError {
  return typeof error === 'object' && error !== null && 'type' in error && typeof (error as { type: unknown }).type === 'string' && String((error as { type: string }).type).startsWith('entity.') || (typeof error === 'object' && error !== null && (error as { type?: string }).type === 'encoding.unsupported');
}
