/**
 * The codec server (Temporal's "Codec Server", as the Web UI and the CLI call it): decodes the
 * payloads adapters/payload-codec.ts encrypted, for authorized ops staff only, so they can read
 * workflow inputs, Update arguments and results in the Web UI. It speaks Temporal's codec-server
 * protocol: `POST /codec/decode` and `/codec/encode` with `{payloads: [...]}` (protobuf JSON,
 * bytes in base64) and the `X-Namespace` header, answered with the same shape.
 *
 * Who: admins only. They already read every Intake through this API, so decoding shows them
 * nothing new; anyone else gets 401/403 and nothing decoded. Two credentials, for the two ways a
 * Web UI calls a codec server:
 *   - `Authorization: Bearer` (the UI's passAccessToken, with an OpenID Provider whose tokens
 *     this API accepts; or the CLI's `--codec-auth`);
 *   - a session cookie (the UI's includeCredentials): `POST /codec/session` with an admin's bearer
 *     token sets it, HttpOnly, SameSite=Strict, Path=/codec, for TEMPORAL_CODEC_SESSION_LIFETIME.
 *     It is a JWT for this purpose only (audience `qtm-codec`), signed with a key derived from the
 *     current payload key, so every API process of a deployment accepts it and it can call
 *     nothing else. The dev server's UI has no login of its own, so this is how it gets decoded.
 * CORS admits the Web UI's origin (TEMPORAL_UI_URL) with credentials, and no other.
 */
import { hkdfSync } from 'node:crypto';
import type { Payload } from '@temporalio/common';
import { parse as parseCookies, serialize as serializeCookie } from 'cookie';
import cors from 'cors';
import type { Request, RequestHandler } from 'express';
import { jwtVerify, SignJWT, decodeProtectedHeader } from 'jose';
import { z } from 'zod';
import { publicBaseUrl, type Config } from '../../config';
import { principalSchema, type Principal } from '../../domain/schemas';
import { loadPayloadKeys, payloadCodec } from '../../adapters/temporal-connection';
import type { ApiDeps } from '../deps';
import { badRequest, unauthorized } from '../errors';
import type { ApiRoutes, CookieAuth } from '../route';

export const CODEC_SESSION_COOKIE = 'qtm_codec_session';
const AUDIENCE = 'qtm-codec';
const SESSION_INFO = 'qtm codec session v1';

const base64 = z.string().regex(/^[A-Za-z0-9+/_-]*={0,2}$/, { message: 'must be base64' });

/** temporal.api.common.v1.Payload in protobuf JSON: metadata values and data are base64. */
const jsonPayloadSchema = z
  .object({
    metadata: z.record(z.string(), base64).optional(),
    data: base64.optional(),
  })
  .openapi('CodecPayload');

const payloadsSchema = z
  .object({ payloads: z.array(jsonPayloadSchema).max(1000) })
  .openapi('CodecPayloads', { description: 'temporal.api.common.v1.Payloads as protobuf JSON' });

const sessionSchema = z
  .object({
    expiresAt: z.string().openapi({ description: 'When the cookie stops being accepted (ISO 8601)' }),
  })
  .openapi('CodecSession');

type JsonPayload = z.infer<typeof jsonPayloadSchema>;

const fromJson = (p: JsonPayload): Payload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
  data: Buffer.from(p.data ?? '', 'base64'),
});

const toJson = (p: Payload): JsonPayload => ({
  metadata: Object.fromEntries(
    Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? []).toString('base64')]),
  ),
  data: Buffer.from(p.data ?? []).toString('base64'),
});

/** The MAC key of session cookies under one payload key (HKDF: a key of its own, never the encryption key). */
const sessionKey = (key: Buffer) => new Uint8Array(hkdfSync('sha256', key, Buffer.alloc(0), SESSION_INFO, 32));

/** The codec session: only over https when the API is served over https (development is plain http). */
function cookieAttributes(config: Config) {
  return {
    httpOnly: true,
    sameSite: 'strict' as const,
    path: '/codec',
    secure: publicBaseUrl(config).startsWith('https:'),
  };
}

export function codecSessionAuth(config: Config): CookieAuth {
  return {
    scheme: 'codecSession',
    cookie: CODEC_SESSION_COOKIE,
    description:
      'The codec session cookie that `POST /codec/session` sets (the Web UI sends it with includeCredentials)',
    async verify(req: Request): Promise<Principal | null> {
      const token = req.headers.cookie ? parseCookies(req.headers.cookie)[CODEC_SESSION_COOKIE] : undefined;
      if (!token) return null;
      try {
        const { kid } = decodeProtectedHeader(token);
        const key = loadPayloadKeys(config).find((k) => k.id === kid);
        if (!key) throw new Error('signed under a payload key this ring no longer holds');
        const { payload } = await jwtVerify(token, sessionKey(key.key), {
          algorithms: ['HS256'],
          audience: AUDIENCE,
          requiredClaims: ['sub', 'exp'],
        });
        return principalSchema.parse({ sub: payload.sub, role: payload.role });
      } catch {
        throw unauthorized('the codec session has expired or is not valid: start a new one (POST /codec/session)');
      }
    },
  };
}

/** CORS for the codec endpoints: the Web UI's origin, with its credentials (the session cookie), and nothing else. */
export function codecCors(config: Pick<Config, 'TEMPORAL_UI_URL'>): RequestHandler {
  const uiOrigin = new URL(config.TEMPORAL_UI_URL).origin;
  return cors({
    origin: (origin, callback) => callback(null, origin === uiOrigin),
    credentials: true,
    methods: ['POST'],
    allowedHeaders: ['content-type', 'x-namespace', 'authorization', 'authorization-extras'],
    maxAge: 600,
  });
}

export function codecRoutes(api: ApiRoutes, deps: ApiDeps): void {
  const { config, log } = deps;
  const cookieAuth = codecSessionAuth(config);
  const codec = () => payloadCodec(config);

  /** The codec serves this deployment's namespace: its keys are for nothing else. */
  const checkNamespace = (req: Request) => {
    const given = req.headers['x-namespace'];
    if (given !== undefined && given !== config.TEMPORAL_NAMESPACE)
      throw badRequest(
        `X-Namespace ${JSON.stringify(given)}: this codec serves namespace ${config.TEMPORAL_NAMESPACE}`,
        [{ path: 'headers.x-namespace', message: `must be ${config.TEMPORAL_NAMESPACE}` }],
      );
  };

  for (const direction of ['decode', 'encode'] as const) {
    api.add({
      method: 'post',
      path: `/codec/${direction}`,
      operationId: `codec${direction === 'decode' ? 'Decode' : 'Encode'}`,
      tag: 'Codec',
      summary: `${direction === 'decode' ? 'Decode' : 'Encode'} Temporal payloads`,
      description:
        direction === 'decode'
          ? "Temporal's codec-server protocol: decrypts the payloads of this deployment's namespace (X-Namespace) for " +
            'the Web UI or the CLI (`--codec-endpoint`). Payloads that are not encrypted come back unchanged. Admins ' +
            'only, by bearer token or the codec session cookie; CORS admits the Web UI (TEMPORAL_UI_URL).'
          : "Temporal's codec-server protocol: encrypts payloads under the current payload key (what the Web UI " +
            'sends when ops staff signal or start a workflow by hand). Admins only, as decode.',
      auth: ['admin'],
      cookieAuth,
      body: payloadsSchema,
      responses: {
        200: { description: `The payloads, ${direction}d, in the same order`, schema: payloadsSchema },
      },
      handler: async ({ body, principal, req }) => {
        checkNamespace(req);
        const given = body.payloads.map(fromJson);
        const active = codec();
        let done: Payload[];
        try {
          done = active ? await active[direction](given) : given;
        } catch (error) {
          // The codec's messages name a key id at most, never a value.
          throw badRequest(`cannot ${direction}: ${(error as Error).message}`);
        }
        // Who read what, without the data: the request line says when.
        log.info(
          { sub: principal!.sub, payloads: given.length, namespace: config.TEMPORAL_NAMESPACE },
          `codec ${direction}`,
        );
        return { status: 200, body: { payloads: done.map(toJson) } };
      },
    });
  }

  api.add({
    method: 'post',
    path: '/codec/session',
    operationId: 'startCodecSession',
    tag: 'Codec',
    summary: 'Start a codec session for the Web UI',
    description:
      'Sets the codec session cookie (HttpOnly, SameSite=Strict, Path=/codec) for TEMPORAL_CODEC_SESSION_LIFETIME: ' +
      'a Web UI on the same site with "include cross-origin credentials" on then gets payloads decoded. Call it ' +
      'from the browser that opens the Web UI (the console does). Admins only.',
    auth: ['admin'],
    responses: {
      200: {
        description: 'The cookie is set (Set-Cookie)',
        schema: sessionSchema,
      },
    },
    handler: async ({ principal }) => {
      const [current] = loadPayloadKeys(config);
      const lifetimeSeconds = Math.floor(config.TEMPORAL_CODEC_SESSION_LIFETIME / 1000);
      const expiresAt = new Date((Math.floor(Date.now() / 1000) + lifetimeSeconds) * 1000);
      const token = await new SignJWT({ role: principal!.role })
        .setProtectedHeader({ alg: 'HS256', kid: current!.id })
        .setSubject(principal!.sub)
        .setAudience(AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
        .sign(sessionKey(current!.key));
      log.info({ sub: principal!.sub, expiresAt }, 'codec session started');
      return {
        status: 200,
        headers: {
          'Set-Cookie': serializeCookie(CODEC_SESSION_COOKIE, token, {
            ...cookieAttributes(config),
            maxAge: lifetimeSeconds,
          }),
        },
        body: { expiresAt: expiresAt.toISOString() },
      };
    },
  });

  api.add({
    method: 'delete',
    path: '/codec/session',
    operationId: 'endCodecSession',
    tag: 'Codec',
    summary: 'End the codec session',
    description: 'Clears the codec session cookie of this browser.',
    auth: 'public',
    responses: { 204: { description: 'The cookie is cleared' } },
    handler: async () => ({
      status: 204,
      headers: {
        'Set-Cookie': serializeCookie(CODEC_SESSION_COOKIE, '', { ...cookieAttributes(config), maxAge: 0 }),
      },
    }),
  });
}
