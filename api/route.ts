/**
 * One declaration per endpoint: its path, who may call it, the zod schemas of its params,
 * query and body, its responses, and its handler. The same declaration validates requests,
 * authorizes the role, and documents the endpoint in OpenAPI, so they cannot drift apart.
 */
import { OpenAPIRegistry, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import { z } from 'zod';
import type { Principal, Role } from '../domain/schemas';
import { bearer, verifyToken, type AuthKeys } from './auth';
import { badRequest, forbidden, fromZod, HttpError } from './errors';
import type { RateLimits } from './rate-limits';

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    instance: z.string().optional(),
    requestId: z.string().optional(),
  })
  .openapi('Problem');

export const idempotencyKeySchema = z
  .string()
  .regex(/^[\x21-\x7e]{1,200}$/, { message: 'must be 1-200 visible ASCII characters' })
  .optional();

const STANDARD_ERRORS: Record<number, string> = {
  400: 'Invalid path, query or body (the errors name the fields)',
  401: 'Missing, expired or invalid bearer token',
  403: 'This principal may not do this',
  404: 'Unknown id',
  409: 'The step is not allowed in the current state (the detail says why)',
  413: 'Body too large (counted after its Content-Encoding is undone)',
  415: 'Body not UTF-8 application/json, or in a Content-Encoding other than gzip, deflate or br',
  422: 'Idempotency-Key reused with a different body',
  429: 'Too many requests: the detail names the budget spent (this principal, this address, refused tokens); Retry-After says when to try again',
};

type AnyObject = z.ZodType<Record<string, unknown>>;

export interface HandlerContext<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  /** Null only on public endpoints without a token. */
  principal: Principal | null;
  idempotencyKey: string | null;
  req: Request;
  res: Response;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Sent as-is with this content type instead of JSON. */
  raw?: { type: string; content: string | Buffer };
}

export interface RouteSpec<P extends AnyObject, Q extends AnyObject, B extends z.ZodType> {
  method: 'get' | 'post' | 'put' | 'delete';
  /** Express-style path (`/v1/tasks/:id`). */
  path: string;
  /** The operation's name in OpenAPI, and the method name code generators give it. */
  operationId: string;
  /** The OpenAPI path and its parameters, when the express path is a wildcard (`/log/tile/*tile`). */
  docPath?: string;
  docParams?: AnyObject;
  summary: string;
  description?: string;
  tag: string;
  /** Roles that may call it at all, or 'public'. Finer rules (which operator...) live in handlers. */
  auth: readonly Role[] | 'public';
  /**
   * A public route whose handler reads the Authorization header itself (a static token such as
   * METRICS_TOKEN, not a bearer JWT): no JWT is verified, and it counts as a request without a token.
   */
  ownAuthorization?: boolean;
  /**
   * A credential the route also takes when no Authorization header is sent (the codec session
   * cookie, which a browser sends by itself): its principal, or null when the request has none.
   */
  cookieAuth?: CookieAuth;
  params?: P;
  query?: Q;
  body?: B;
  /**
   * The body is the bytes of a file of any media type, read by the handler from `req` as it
   * streams in (no JSON parsing, no BODY_LIMIT): such routes are served before the body parsers.
   */
  streamedBody?: { description: string };
  /** Documents and reads the Idempotency-Key header. */
  idempotent?: boolean;
  /** `alternative`: a second representation of the same answer, chosen by the query or Accept. */
  responses: Record<
    number,
    {
      description: string;
      schema?: z.ZodType;
      contentType?: string;
      alternative?: { contentType: string; schema: z.ZodType };
    }
  >;
  handler: (ctx: HandlerContext<z.infer<P>, z.infer<Q>, z.infer<B>>) => Promise<Reply>;
}

export interface CookieAuth {
  /** Its security scheme in OpenAPI (an API key in a cookie). */
  scheme: string;
  cookie: string;
  description: string;
  verify: (req: Request) => Promise<Principal | null>;
}

const toOpenApiPath = (path: string) => path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

export class ApiRoutes {
  readonly registry = new OpenAPIRegistry();
  /** Route templates, for metrics labels. */
  readonly paths: string[] = [];
  /** The methods of each template, for Allow. */
  private readonly methods = new Map<string, string[]>();
  /** The routes whose bodies are streamed files: mounted before the JSON body parsers. */
  readonly streamed: Router = express.Router();
  private readonly cookieSchemes = new Set<string>();

  constructor(
    private readonly router: Router,
    private readonly authKeys: AuthKeys,
    private readonly limits: RateLimits,
  ) {
    this.registry.registerComponent('securitySchemes', 'bearer', {
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
    });
  }

  add<P extends AnyObject = z.ZodObject, Q extends AnyObject = z.ZodObject, B extends z.ZodType = z.ZodUndefined>(
    spec: RouteSpec<P, Q, B>,
  ): void {
    this.paths.push(spec.path);
    this.methods.set(spec.path, [...(this.methods.get(spec.path) ?? []), spec.method.toUpperCase()]);
    this.document(spec);
    (spec.streamedBody ? this.streamed : this.router)[spec.method](spec.path, async (req, res) => {
      // Authenticate, authorize the role, then validate: a caller that may not act learns nothing about the body.
      const principal = await this.authenticate(spec, req);
      if (spec.auth !== 'public' && !spec.auth.includes(principal!.role)) {
        throw forbidden(`a ${principal!.role} may not ${spec.summary.charAt(0).toLowerCase()}${spec.summary.slice(1)}`);
      }
      const params = parse(spec.params, req.params, 'params');
      const query = parse(spec.query, req.query, 'query');
      const body = spec.body ? parse(spec.body, req.body === undefined ? {} : req.body, 'body') : undefined;
      const key = spec.idempotent
        ? (parse(z.object({ 'idempotency-key': idempotencyKeySchema }), req.headers, 'headers')['idempotency-key'] ??
          null)
        : null;
      const reply = await spec.handler({
        params,
        query,
        body,
        principal,
        idempotencyKey: key,
        req,
        res,
      } as HandlerContext<z.infer<P>, z.infer<Q>, z.infer<B>>);
      for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
      if (reply.raw) res.status(reply.status).type(reply.raw.type).send(reply.raw.content);
      else if (reply.body === undefined) res.status(reply.status).end();
      else res.status(reply.status).json(reply.body);
    });
  }

  /**
   * Before routing: a path whose %-escapes do not decode to UTF-8 is a 400 naming the parameter
   * (the router would throw a URIError while matching), whoever asks, since nothing can be routed.
   */
  percentEncodingGuard(): RequestHandler {
    const templates = this.paths.map((p) => p.split('/'));
    return (req, _res, next) => {
      if (!req.path.includes('%')) return next();
      const segments = req.path.split('/');
      const bad = segments.findIndex((segment) => !decodes(segment));
      if (bad === -1) return next();
      const template = templates.find(
        (t) =>
          t.length === segments.length &&
          t[bad]!.startsWith(':') &&
          t.every((part, i) => part.startsWith(':') || part.toLowerCase() === segments[i]!.toLowerCase()),
      );
      const field = template ? `params.${template[bad]!.slice(1)}` : 'path';
      const message = 'is not valid percent-encoding of UTF-8 (RFC 3986)';
      next(badRequest(`invalid ${template ? 'params' : 'path'}: ${field}: ${message}`, [{ path: field, message }]));
    };
  }

  /**
   * After every route: a known path asked with another method is a 405 with Allow (RFC 9110
   * §15.5.6), and OPTIONS answers which methods it has.
   */
  answerOtherMethods(): void {
    for (const [path, methods] of this.methods) {
      const allow = methods.flatMap((m) => (m === 'GET' ? ['GET', 'HEAD'] : [m])).join(', ');
      this.router.all(path, (req, res) => {
        if (req.method === 'OPTIONS') {
          res.setHeader('Allow', allow).status(204).end();
          return;
        }
        throw new HttpError(405, 'Method Not Allowed', `${req.method} is not allowed here; use ${allow}`, undefined, {
          Allow: allow,
        });
      });
    }
  }

  /**
   * The principal of the bearer token (null on a public route called without one), each request
   * spending from its rate-limit budget: the principal's once verified, the address's without a
   * token, the address's refused tokens when verification fails.
   */
  private async authenticate(
    spec: Pick<RouteSpec<AnyObject, AnyObject, z.ZodType>, 'auth' | 'ownAuthorization' | 'cookieAuth'>,
    req: Request,
  ): Promise<Principal | null> {
    const header = req.headers.authorization;
    // A browser sends the codec session cookie by itself; a bearer token, when sent, decides instead.
    const fromCookie = spec.cookieAuth && spec.auth !== 'public' && !header ? await spec.cookieAuth.verify(req) : null;
    if (fromCookie) {
      await this.limits.principal(req, fromCookie);
      return fromCookie;
    }
    if (spec.ownAuthorization || !header) {
      await this.limits.address(req);
      if (spec.auth === 'public') return null;
    }
    let principal: Principal;
    try {
      principal = await verifyToken(this.authKeys, bearer(header));
    } catch (error) {
      if (header && error instanceof HttpError && error.status === 401) await this.limits.authFailure(req);
      throw error;
    }
    await this.limits.principal(req, principal);
    return principal;
  }

  private document<P extends AnyObject, Q extends AnyObject, B extends z.ZodType>(spec: RouteSpec<P, Q, B>): void {
    const responses: RouteConfig['responses'] = {};
    for (const [status, r] of Object.entries(spec.responses)) {
      const content = r.schema ? { [r.contentType ?? 'application/json']: { schema: r.schema } } : undefined;
      if (content && r.alternative) content[r.alternative.contentType] = { schema: r.alternative.schema };
      responses[status] = content ? { description: r.description, content } : { description: r.description };
    }
    const errorCodes = [
      400,
      ...(spec.auth === 'public' ? [] : [401, 403]),
      ...(spec.path.includes(':') ? [404] : []),
      ...(spec.method === 'post' || spec.method === 'put' ? [409, 413, 415] : []),
      ...(spec.idempotent && spec.method === 'post' ? [422] : []),
      429,
    ];
    for (const status of errorCodes) {
      responses[status] ??= {
        description: STANDARD_ERRORS[status]!,
        ...(status === 401
          ? {
              headers: {
                'WWW-Authenticate': {
                  description:
                    'RFC 6750 challenge: `Bearer`, with `error="invalid_token"` when a token was given but is bad',
                  schema: { type: 'string' },
                },
              },
            }
          : {}),
        ...(status === 429
          ? {
              headers: {
                'Retry-After': {
                  description: 'Seconds until the spent budget is renewed',
                  schema: { type: 'integer' },
                },
              },
            }
          : {}),
        content: { 'application/problem+json': { schema: problemSchema } },
      };
    }
    if (spec.cookieAuth && !this.cookieSchemes.has(spec.cookieAuth.scheme)) {
      this.cookieSchemes.add(spec.cookieAuth.scheme);
      this.registry.registerComponent('securitySchemes', spec.cookieAuth.scheme, {
        type: 'apiKey',
        in: 'cookie',
        name: spec.cookieAuth.cookie,
        description: spec.cookieAuth.description,
      });
    }
    this.registry.registerPath({
      method: spec.method,
      path: spec.docPath ?? toOpenApiPath(spec.path),
      operationId: spec.operationId,
      summary: spec.summary,
      ...(spec.description ? { description: spec.description } : {}),
      tags: [spec.tag],
      // Public operations say so (an empty requirement), the rest need a bearer token.
      security:
        spec.auth === 'public' ? [] : [{ bearer: [] }, ...(spec.cookieAuth ? [{ [spec.cookieAuth.scheme]: [] }] : [])],
      request: {
        ...((spec.docParams ?? spec.params)
          ? { params: (spec.docParams ?? spec.params) as unknown as z.ZodObject }
          : {}),
        ...(spec.query ? { query: spec.query as unknown as z.ZodObject } : {}),
        ...(spec.idempotent
          ? {
              headers: z.object({
                'idempotency-key': idempotencyKeySchema.openapi({
                  description: 'Retries with the same key are applied once and get the first answer',
                }),
              }),
            }
          : {}),
        ...(spec.body ? { body: { required: true, content: { 'application/json': { schema: spec.body } } } } : {}),
        ...(spec.streamedBody
          ? {
              body: {
                required: true,
                description: spec.streamedBody.description,
                content: { '*/*': { schema: z.string().openapi({ format: 'binary' }) } },
              },
            }
          : {}),
      },
      responses,
    });
  }
}

const decodes = (segment: string) => {
  try {
    decodeURIComponent(segment);
    return true;
  } catch {
    return false;
  }
};

/** Postgres cannot store U+0000 or a lone surrogate in text or jsonb. */
const unstorable = (text: string) =>
  text.includes('\u0000') || !(text as string & { isWellFormed(): boolean }).isWellFormed();

/** Finds a string Postgres cannot store, before anything is accepted. */
export function findUnstorable(value: unknown, path: string[] = []): string | null {
  if (typeof value === 'string') return unstorable(value) ? path.join('.') : null;
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = findUnstorable(item, [...path, String(i)]);
      if (found !== null) return found;
    }
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (unstorable(key)) return [...path, key].join('.');
      const found = findUnstorable(item, [...path, key]);
      if (found !== null) return found;
    }
  }
  return null;
}

function parse<S extends z.ZodType | undefined>(
  schema: S,
  value: unknown,
  where: 'body' | 'params' | 'query' | 'headers',
): S extends z.ZodType ? z.infer<S> : undefined {
  if (!schema) return undefined as never;
  const bad = findUnstorable(value, [where]);
  if (bad !== null)
    throw badRequest(`invalid ${where}: ${bad}: must be valid Unicode text without NUL (U+0000)`, [
      { path: bad, message: 'must be valid Unicode text without NUL (U+0000)' },
    ]);
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw fromZod(parsed.error, where);
  return parsed.data as never;
}
