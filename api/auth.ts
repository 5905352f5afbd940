/**
 * Bearer tokens: HS256 JWTs with `sub`, `role` and (for operators) `operatorId`. jose
 * enforces the algorithm, so `alg: none`, other algorithms, altered or expired tokens fail.
 */
import { jwtVerify, SignJWT, errors as joseErrors } from 'jose';
import { principalSchema, type Principal, type Role } from '../domain/schemas';
import { unauthorized } from './errors';

export interface AuthKeys {
  secret: Uint8Array;
  issuer: string;
}

export async function issueToken(
  keys: AuthKeys,
  principal: Principal,
  expiresIn: string | number = '12h',
): Promise<string> {
  return new SignJWT({ role: principal.role, ...(principal.operatorId ? { operatorId: principal.operatorId } : {}) })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(principal.sub)
    .setIssuer(keys.issuer)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(keys.secret);
}

export async function verifyToken(keys: AuthKeys, token: string): Promise<Principal> {
  let payload;
  try {
    ({ payload } = await jwtVerify(token, keys.secret, {
      algorithms: ['HS256'],
      issuer: keys.issuer,
      requiredClaims: ['sub', 'exp'],
    }));
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) throw unauthorized('token has expired');
    if (error instanceof joseErrors.JOSEError) throw unauthorized(`invalid token (${error.code})`);
    throw unauthorized('invalid token');
  }
  const parsed = principalSchema.safeParse({ sub: payload.sub, role: payload.role, operatorId: payload.operatorId });
  if (!parsed.success) throw unauthorized('token claims are not a QTM principal (sub, role, operatorId)');
  if (parsed.data.role === 'operator' && !parsed.data.operatorId)
    throw unauthorized('operator tokens must carry operatorId');
  if (parsed.data.role !== 'operator' && parsed.data.operatorId)
    throw unauthorized(`a ${parsed.data.role} token must not carry operatorId`);
  return parsed.data;
}

export function bearer(header: string | undefined): string {
  if (!header) throw unauthorized('missing Authorization: Bearer <token>');
  const match = /^Bearer ([A-Za-z0-9_\-.=]+)$/.exec(header.trim());
  if (!match) throw unauthorized('Authorization must be "Bearer <token>"');
  return match[1]!;
}

export type { Role };
