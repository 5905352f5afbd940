/**
 * Rate limits, by rate-limiter-flexible's in-memory counters (so per API process: N processes behind
 * a balancer allow up to N times as much). Three budgets, each `<count>/<window>` in the configuration:
 * - RATE_LIMIT_PRINCIPAL: one principal's requests, once its token is verified (the whole
 *   principal, role, sub and operator, is the key);
 * - RATE_LIMIT_ADDRESS: one client address's requests that carry no token (public routes, the
 *   console's files, unknown paths);
 * - RATE_LIMIT_AUTH_FAILURES: one client address's refused tokens. Each bad token spends one; once
 *   they are spent, a bad token gets 429 instead of 401 (and no detail of what was wrong with it)
 *   until the window ends. A good token from the same address still passes.
 * A refusal is a 429 problem with Retry-After: the client's mistake, never an error-level log line.
 */
import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { Config, RateLimit } from '../config';
import type { Principal } from '../domain/schemas';
import { formatDuration } from '../adapters/duration';
import { addressKey } from './client-address';
import { HttpError } from './errors';

export interface RateLimits {
  /** Spends one of the principal's requests; throws the 429 when none is left. */
  principal(req: Request, principal: Principal): Promise<void>;
  /** Spends one of the client address's requests without a token (once per request). */
  address(req: Request): Promise<void>;
  /** Spends one of the client address's refused tokens; throws the 429 when none is left. */
  authFailure(req: Request): Promise<void>;
  /** `address` for every request no route has counted (the console, unknown paths). */
  uncounted: RequestHandler;
  /** The same for a request refused before any route saw it (a malformed body, a 405): a 429 replaces the refusal once spent. */
  uncountedError: ErrorRequestHandler;
}

/** Set on a request once a budget was spent for it, so that the catch-all does not spend a second one. */
const COUNTED = Symbol('rate-limit counted');

export function createRateLimits(
  config: Pick<Config, 'RATE_LIMIT_PRINCIPAL' | 'RATE_LIMIT_ADDRESS' | 'RATE_LIMIT_AUTH_FAILURES'>,
): RateLimits {
  const limiter = (limit: RateLimit) =>
    new RateLimiterMemory({ points: limit.points, duration: Math.ceil(limit.windowMs / 1000) });
  const principals = limiter(config.RATE_LIMIT_PRINCIPAL);
  const addresses = limiter(config.RATE_LIMIT_ADDRESS);
  const failures = limiter(config.RATE_LIMIT_AUTH_FAILURES);

  const spend = async (which: RateLimiterMemory, key: string, limit: RateLimit, what: string) => {
    try {
      await which.consume(key);
    } catch (refusal) {
      if (!(refusal instanceof RateLimiterRes)) throw refusal;
      const seconds = Math.max(1, Math.ceil(refusal.msBeforeNext / 1000));
      throw new HttpError(
        429,
        'Too Many Requests',
        `${what}: at most ${limit.points} in ${formatDuration(limit.windowMs)}; retry in ${seconds} s`,
        undefined,
        { 'Retry-After': String(seconds) },
      );
    }
  };
  const counted = (req: Request) => (req as Request & { [COUNTED]?: true })[COUNTED] === true;
  const mark = (req: Request) => ((req as Request & { [COUNTED]?: true })[COUNTED] = true);
  const address = async (req: Request) => {
    if (counted(req)) return;
    mark(req);
    await spend(
      addresses,
      addressKey(req.socket.remoteAddress),
      config.RATE_LIMIT_ADDRESS,
      'too many requests without a token from this address',
    );
  };

  return {
    principal: (req, p) => {
      mark(req);
      return spend(
        principals,
        JSON.stringify([p.role, p.sub, p.operatorId ?? null]),
        config.RATE_LIMIT_PRINCIPAL,
        'too many requests from this principal',
      );
    },
    address,
    authFailure: (req) => {
      mark(req);
      return spend(
        failures,
        addressKey(req.socket.remoteAddress),
        config.RATE_LIMIT_AUTH_FAILURES,
        'too many refused tokens from this address',
      );
    },
    uncounted: (req, _res, next) => {
      address(req).then(() => next(), next);
    },
    uncountedError: (error: unknown, req, _res, next) => {
      address(req).then(() => next(error), next);
    },
  };
}
