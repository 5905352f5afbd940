/**
 * Request bodies. Every body the API reads is JSON; before any route sees one it must be:
 * - of a content coding the server undoes (identity, gzip, deflate, br: what body-parser undoes on
 *   Node 20), else 415 with `Accept-Encoding`; and really of that coding, else 400;
 * - at most BODY_LIMIT bytes once its coding is undone (a gzip bomb stops at the limit), else 413;
 * - UTF-8, the only charset JSON may use between systems (RFC 8259 §8.1): another declared
 *   charset is 415, bytes that are not UTF-8 are 400 (never silently replaced);
 * - nested at most MAX_JSON_DEPTH levels, measured by one scan before parsing, so a deep body
 *   costs a linear pass and never the stack of the code that walks it later; else 400;
 * - free of integers a JSON number cannot hold exactly (beyond ±(2^53 − 1), I-JSON's limit,
 *   RFC 7493 §2.2): such a number would be sealed as its neighbour, so it is a 400 naming the field.
 */
import express, { type Request, type RequestHandler } from 'express';
import { parse as parseContentType } from 'content-type';
import { isInteger, parse as parseLossless } from 'lossless-json';
import { badRequest, HttpError, type FieldError } from './errors';

/** Far deeper than any body of the contract (at most 4 levels), far shallower than any stack. */
export const MAX_JSON_DEPTH = 32;
export const CONTENT_CODINGS = 'gzip, deflate, br';

const utf8 = new TextDecoder('utf-8', { fatal: true });
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

const unsupportedMediaType = (detail: string, headers?: Record<string, string>) =>
  new HttpError(415, 'Unsupported Media Type', detail, undefined, headers);

export function jsonBodies(limit: string): RequestHandler[] {
  const read = express.raw({ type: 'application/json', limit, inflate: true });
  return [
    (req, _res, next) => {
      const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
      if (!hasBody) return next();
      // Anything else with content is refused rather than silently ignored.
      if (!req.is('application/json')) {
        return next(
          req.method === 'POST' || req.method === 'PUT'
            ? unsupportedMediaType('request bodies must be application/json')
            : undefined,
        );
      }
      const charset = parseContentType(req.headers['content-type']!).parameters.charset?.toLowerCase();
      if (charset !== undefined && charset !== 'utf-8')
        return next(unsupportedMediaType(`JSON bodies must be UTF-8 (RFC 8259 §8.1), not charset=${charset}`));
      next();
    },
    (req, res, next) =>
      read(req, res, (error?: unknown) => next(error === undefined ? undefined : readError(error, req))),
    (req, _res, next) => {
      if (Buffer.isBuffer(req.body)) req.body = parseJson(req.body);
      next();
    },
  ];
}

/** body-parser's refusals as problems; errors of the decompression stream have no `type`. */
function readError(error: unknown, req: Request): unknown {
  const e = error as { type?: string; status?: number; limit?: number; message?: string };
  const coding = String(req.headers['content-encoding'] ?? 'identity').toLowerCase();
  switch (e.type) {
    case 'entity.too.large':
      return new HttpError(
        413,
        'Content Too Large',
        `request body exceeds the limit of ${e.limit} bytes${coding === 'identity' ? '' : ` once its ${coding} coding is undone`}`,
      );
    case 'encoding.unsupported':
      return unsupportedMediaType(`Content-Encoding "${coding}" is not supported: send identity, ${CONTENT_CODINGS}`, {
        'Accept-Encoding': CONTENT_CODINGS,
      });
    case undefined:
      if (coding !== 'identity' && e.status === 400)
        return badRequest(`request body is not valid ${coding} data (Content-Encoding: ${coding})`, [
          { path: 'body', message: `is not valid ${coding} data` },
        ]);
      return error;
    default:
      // request.aborted, request.size.invalid: the client's own doing.
      return typeof e.status === 'number' && e.status >= 400 && e.status < 500
        ? badRequest(`request body could not be read: ${e.message}`)
        : error;
  }
}

function parseJson(raw: Buffer): unknown {
  // As body-parser: an empty body is an empty object (a common client habit on commands without fields).
  if (raw.length === 0) return {};
  let text: string;
  try {
    text = utf8.decode(raw);
  } catch {
    throw badRequest('request body is not valid UTF-8', [{ path: 'body', message: 'is not valid UTF-8' }]);
  }
  if (nestsDeeperThan(text, MAX_JSON_DEPTH))
    throw badRequest(`invalid body: body nests deeper than ${MAX_JSON_DEPTH} levels`, [
      { path: 'body', message: `nests deeper than ${MAX_JSON_DEPTH} levels` },
    ]);
  const malformed = (why: string) =>
    badRequest(`request body is not valid JSON (${why})`, [{ path: 'body', message: 'malformed JSON' }]);
  // Strict, as before: a body is an object or an array, never a bare scalar.
  if (!/^[ \t\n\r]*[[{]/.test(text)) throw malformed('it must be an object or an array');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw malformed((error as Error).message);
  }
  // Only an integer of 16 or more digits can be beyond 2^53 - 1; most bodies skip the second parse.
  if (/\d{16}/.test(text)) {
    const unsafe = unsafeIntegers(text);
    if (unsafe.length > 0)
      throw badRequest(`invalid body: ${unsafe.map((e) => `${e.path}: ${e.message}`).join('; ')}`, unsafe);
  }
  return value;
}

/** Counts brackets outside strings; stops at the first level past `max`. */
export function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i += 1;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth -= 1;
  }
  return false;
}

class UnsafeInteger {
  constructor(readonly literal: string) {}
}

/**
 * JSON.parse has already rounded such a number, so the body is parsed once more from its text
 * (lossless-json hands each number's source to us), keeping JSON.parse's last-key-wins rule.
 */
export function unsafeIntegers(text: string, limit = 20): FieldError[] {
  const tree = parseLossless(text, null, {
    parseNumber: (literal) =>
      isInteger(literal) && (BigInt(literal) > MAX_SAFE || BigInt(literal) < -MAX_SAFE)
        ? new UnsafeInteger(literal)
        : 0,
    onDuplicateKey: ({ newValue }) => newValue,
  });
  const found: FieldError[] = [];
  const walk = (value: unknown, path: string[]): void => {
    if (found.length >= limit) return;
    if (value instanceof UnsafeInteger) {
      const shown = value.literal.length > 40 ? `${value.literal.slice(0, 40)}…` : value.literal;
      found.push({
        path: path.join('.'),
        message: `integer ${shown} is outside the IEEE-754 safe range ±${Number.MAX_SAFE_INTEGER} (it would be kept as ${Number(value.literal)}); send it as a string`,
      });
    } else if (Array.isArray(value)) value.forEach((item, i) => walk(item, [...path, String(i)]));
    else if (value !== null && typeof value === 'object')
      for (const [key, item] of Object.entries(value)) walk(item, [...path, key]);
  };
  walk(tree, ['body']);
  return found;
}
