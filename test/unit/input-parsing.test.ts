/**
 * The pure pieces behind the API's input refusals (the HTTP cases are in test/api-inputs.test.ts):
 * the nesting scan, the unsafe-integer finder, cursor keys, and the Authorization header.
 */
import { MAX_JSON_DEPTH, nestsDeeperThan, unsafeIntegers } from '../../api/body';
import { bearer } from '../../api/auth';
import { HttpError } from '../../api/errors';
import { decodeCursor, encodeCursor } from '../../db/read-model';
import { isKeyTime } from '../../db/keyset';

test('the nesting scan counts containers outside strings, escapes included', () => {
  const nested = (n: number) => '['.repeat(n) + ']'.repeat(n);
  expect(nestsDeeperThan(nested(MAX_JSON_DEPTH), MAX_JSON_DEPTH)).toBe(false);
  expect(nestsDeeperThan(nested(MAX_JSON_DEPTH + 1), MAX_JSON_DEPTH)).toBe(true);
  expect(nestsDeeperThan(JSON.stringify({ a: '['.repeat(100) }), 2)).toBe(false);
  expect(nestsDeeperThan(JSON.stringify({ a: '\\"[[[[' }), 1)).toBe(false);
  expect(nestsDeeperThan('{"a":"\\\\"}' + '[[[[', 3)).toBe(true);
  expect(nestsDeeperThan('[{},{},{},[]]', 2)).toBe(false);
});

test('unsafe integers are found by path, from the literal, with JSON.parse’s last-key-wins', () => {
  expect(unsafeIntegers('{"a":[1,9007199254740993],"b":{"c":-9007199254740992}}').map((e) => e.path)).toEqual([
    'body.a.1',
    'body.b.c',
  ]);
  expect(unsafeIntegers('{"a":9007199254740991,"b":-9007199254740991,"c":1e300,"d":12345678901234567.5}')).toEqual([]);
  expect(unsafeIntegers('{"a":99999999999999999999,"a":1}')).toEqual([]);
  expect(unsafeIntegers('{"a":1,"a":99999999999999999999}').map((e) => e.path)).toEqual(['body.a']);
  expect(unsafeIntegers('{"__proto__":{"x":99999999999999999999}}').map((e) => e.path)).toEqual(['body.__proto__.x']);
  expect(unsafeIntegers('{"s":"99999999999999999999"}')).toEqual([]);
  expect(unsafeIntegers('[9007199254740993]')[0]!.message).toMatch(/would be kept as 9007199254740992/);
});

test('cursor keys: what the API issues, nothing else', () => {
  const id = '0b6c2f52-6d8e-4a4b-9f0e-3a51d1f0c7e1';
  expect(decodeCursor(encodeCursor('2026-12-01T09:00:00.123456Z', id))).toEqual(['2026-12-01T09:00:00.123456Z', id]);
  for (const at of [
    '1',
    '+275760-09-13T00:00:00.000Z',
    '2023-02-29T00:00:00Z',
    '0000-01-01T00:00:00Z',
    '2024-01-01T24:00:00Z',
  ])
    expect({ at, ok: isKeyTime(at) }).toEqual({ at, ok: false });
  for (const bad of ['f'.repeat(36), `${id.slice(0, 35)}g`, id.replace(/-/g, '')])
    expect(decodeCursor(encodeCursor('2026-12-01T09:00:00Z', bad))).toBeNull();
  expect(decodeCursor('not base64 json')).toBeNull();
});

test('Authorization: the scheme in any case, RFC 6750 b64tokens, a challenge on every refusal', () => {
  expect(bearer('Bearer abc.def-_~+/=')).toBe('abc.def-_~+/=');
  expect(bearer('bEARER   abc')).toBe('abc');
  const refusal = (header: string | undefined) => {
    try {
      bearer(header);
    } catch (error) {
      return (error as HttpError).headers['WWW-Authenticate'];
    }
    throw new Error('accepted');
  };
  expect(refusal(undefined)).toBe('Bearer');
  expect(refusal('Basic dXNlcg==')).toBe('Bearer');
  expect(refusal('Bearer a b')).toMatch(/^Bearer error="invalid_token", error_description="[^"\\]*"$/);
  expect(refusal('Bearer')).toMatch(/error="invalid_token"/);
});
